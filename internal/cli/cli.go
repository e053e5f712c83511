// Package cli is the command-line code the example binaries share: flag
// sets that accept flags before and after positional arguments, the flags
// several binaries have (registered here once, with one set of defaults),
// exit codes (0 done, 1 error, 2 bad usage), loggers, progress bars and the
// Go heap limit.
//
// The library packages know nothing of command lines; a binary parses its
// flags with this package and hands the stages plain option structs.
// sftforge and the Beam pipeline register the same [PipelineFlags], so the
// same sources give the same records on one machine and on Beam.
package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/schollz/progressbar/v3"
	flag "github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/sftforge/sftforge/outdir"
)

// Exit codes of every binary.
const (
	ExitOK    = 0 // done, or --help
	ExitError = 1 // the run failed
	ExitUsage = 2 // bad usage: a flag, an argument or a file named by a flag is wrong
)

// UsageError is a command-line mistake: [ExitCode] maps it to [ExitUsage].
type UsageError struct{ Err error }

// Error returns the mistake's text.
func (e UsageError) Error() string { return e.Err.Error() }

// Unwrap returns the mistake.
func (e UsageError) Unwrap() error { return e.Err }

// Usage wraps err (when not nil) as a [UsageError].
func Usage(err error) error {
	if err == nil {
		return nil
	}
	return UsageError{err}
}

// Usagef is a [UsageError] with a formatted message.
func Usagef(format string, args ...any) error {
	return UsageError{fmt.Errorf(format, args...)}
}

// ExitCode returns the exit code for the outcome of a run: [ExitOK] for
// nil and for --help (flag.ErrHelp), [ExitUsage] for a [UsageError],
// else [ExitError].
func ExitCode(err error) int {
	var ue UsageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &ue):
		return ExitUsage
	}
	return ExitError
}

// Report prints err (unless nil or --help) as "name: err" on w and returns
// its exit code.
func Report(w io.Writer, name string, err error) int {
	code := ExitCode(err)
	if err != nil && code != ExitOK {
		fmt.Fprintf(w, "%s: %v\n", name, err)
	}
	return code
}

// NewFlagSet returns a flag set that reports its errors instead of
// exiting, accepts flags before and after positional arguments, reads
// --out as --output (the output directory, -o, in every binary) and
// prints its help to stderr: usage (the lines before "Flags:"), then
// every flag with its default.
func NewFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SetInterspersed(true)
	fs.SetNormalizeFunc(outputAlias)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// outputAlias names --out --output: gather and the Beam pipeline called
// their output directory --out, the other binaries --output.
func outputAlias(_ *flag.FlagSet, name string) flag.NormalizedName {
	if name == "out" {
		return "output"
	}
	return flag.NormalizedName(name)
}

// Parse parses args. A parse error is a [UsageError]; --help returns
// flag.ErrHelp (exit code 0) after printing the help.
func Parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return UsageError{err}
}

// NonNegative returns a [UsageError] naming the first of the named int
// flags of fs whose value is negative ("--workers -3: want 0 or more"),
// or nil.
func NonNegative(fs *flag.FlagSet, names ...string) error {
	for _, name := range names {
		f := fs.Lookup(name)
		if f == nil {
			panic("cli.NonNegative: no flag --" + name)
		}
		if v, err := strconv.ParseInt(f.Value.String(), 10, 64); err == nil && v < 0 {
			return Usagef("--%s %d: want 0 or more", name, v)
		}
	}
	return nil
}

// ParseDate reads a date (YYYY-MM-DD, UTC midnight) or an RFC 3339 time;
// "" is the zero time.
func ParseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q: want YYYY-MM-DD or RFC 3339", s)
}

// Common are the flags of every binary: -v/--verbose and --force.
type Common struct {
	Verbose bool
	Force   bool
}

// AddFlags registers -v/--verbose and --force on fs.
func (c *Common) AddFlags(fs *flag.FlagSet) {
	fs.BoolVarP(&c.Verbose, "verbose", "v", false, "log debug messages")
	fs.BoolVar(&c.Force, "force", false, "replace the output of an earlier version that has no "+outdir.MarkerFile+
		" marker (never a directory of other files)")
}

// Logger returns a text logger on w: debug messages with --verbose, else
// from info up.
func (c *Common) Logger(w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	if c.Verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// DefaultMemoryLimit is the default of --memory-limit, a soft limit of the
// Go heap: 768 MiB. The export keeps no parse trees between versions (the
// Rust differ splices), so the Go heap is most of the process's memory,
// and the limit keeps a whole history within 1 GiB. Whole histories need
// 300 to 450 MiB of live heap; a limit close to that (384 MiB was the
// default while trees took the rest) makes the collector run
// continuously and doubled the CPU time on hyperswitch.
const DefaultMemoryLimit = 768 << 20

// MemoryLimit is the --memory-limit flag: a soft limit of the Go heap.
type MemoryLimit struct{ Bytes int64 }

// AddFlags registers --memory-limit on fs.
func (m *MemoryLimit) AddFlags(fs *flag.FlagSet) {
	fs.Int64Var(&m.Bytes, "memory-limit", DefaultMemoryLimit, "soft limit of the Go heap in bytes (0: Go's default; GOMEMLIMIT wins)")
}

// Apply sets the limit unless it is 0 or GOMEMLIMIT is set (getenv
// reads the environment).
func (m MemoryLimit) Apply(getenv func(string) string) {
	if m.Bytes > 0 && getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(m.Bytes)
	}
}

// IsTerminal reports whether w is a terminal: progress is shown only
// there.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// CommitBar returns a progress bar counting commits on w (a terminal).
func CommitBar(w io.Writer) *progressbar.ProgressBar {
	return progressbar.NewOptions(-1, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("commits"),
		progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
}
