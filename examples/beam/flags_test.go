package main

import (
	"bytes"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	flag "github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/internal/cli"
)

// helpFlag is one flag as a binary's --help prints it.
type helpFlag struct {
	shorthand, def string
}

// helpLine is a flag line of pflag's help: "  -n, --max-commits int   usage (default 5)".
var (
	helpLine    = regexp.MustCompile(`^\s+(?:-(\S), )?--([a-z0-9-]+)(?:\[=true\|false\])?(?: [a-z0-9]+)?\s{2,}(.*)$`)
	helpDefault = regexp.MustCompile(`\(default (.+)\)$`)
)

// parseHelp reads the flags of a --help text: name, shorthand and the
// default as printed ("" when it is the zero value).
func parseHelp(t *testing.T, help string) map[string]helpFlag {
	t.Helper()
	flags := map[string]helpFlag{}
	for line := range strings.SplitSeq(help, "\n") {
		m := helpLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		f := helpFlag{shorthand: m[1]}
		if d := helpDefault.FindStringSubmatch(m[3]); d != nil {
			f.def = d[1]
		}
		flags[m[2]] = f
	}
	require.NotEmpty(t, flags, "no flags in:\n%s", help)
	return flags
}

// TestFlagDefaultsAgreeWithSftforge compares the flags this binary and
// the sftforge binary (built and asked for --help) have in common: every
// flag of cli.PipelineFlags is in both, and every flag of the same name
// has the same shorthand and default, so the same sources give the same
// records on one machine and on Beam (--commits-as-prs was off here and
// on in sftforge).
func TestFlagDefaultsAgreeWithSftforge(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the sftforge binary")
	}
	var stderr bytes.Buffer
	cmd := exec.Command("go", "run", "github.com/sftforge/sftforge/examples/sftforge", "--help")
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	sftforge := parseHelp(t, stderr.String())

	var (
		cfg     Config
		common  cli.Common
		sources string
	)
	beamFlags := parseHelp(t, newFlagSet(&cfg, &common, &sources, io.Discard).FlagUsages())

	var pipeline cli.PipelineFlags
	shared := flag.NewFlagSet("shared", flag.ContinueOnError)
	pipeline.AddFlags(shared)
	n := 0
	shared.VisitAll(func(f *flag.Flag) {
		n++
		assert.Contains(t, sftforge, f.Name, "sftforge registers the pipeline flags")
		assert.Contains(t, beamFlags, f.Name, "the Beam pipeline registers the pipeline flags")
	})
	both := 0
	for name, b := range beamFlags {
		if s, ok := sftforge[name]; ok {
			both++
			assert.Equal(t, s, b, "--%s: shorthand and default in sftforge and in the Beam pipeline", name)
		}
	}
	assert.GreaterOrEqual(t, both, n, "at least the pipeline flags are common")
	assert.Equal(t, helpFlag{def: "true"}, beamFlags["commits-as-prs"])
	assert.Equal(t, helpFlag{def: `"HEAD"`}, beamFlags["rev"])
}
