package cli_test

import (
	"fmt"
	"io"
	"os"

	"github.com/sftforge/sftforge/internal/cli"
)

// A binary registers the shared flags, parses, checks and maps the
// outcome to its exit code.
func Example() {
	var p cli.PipelineFlags
	fs := cli.NewFlagSet("tool", "Usage: tool [flags]\n", io.Discard)
	p.AddFlags(fs)
	err := cli.Parse(fs, []string{"-n", "-1"})
	if err == nil {
		err = p.Validate()
	}
	fmt.Println(cli.Report(os.Stdout, "tool", err))
	fmt.Println(p.CommitsAsPRs, p.Rev)
	// Output:
	// tool: --max-commits -1: want 0 or more
	// 2
	// true HEAD
}
