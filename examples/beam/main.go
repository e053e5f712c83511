package main

import (
	"context"
	"encoding/json"
	"errors"
	goflag "flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
	flag "github.com/spf13/pflag"

	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/internal/cli"
	"github.com/sftforge/sftforge/outdir"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// usage is the help text before the flags.
const usage = `Usage: sftforge-beam --sources FILE -o OUT [flags]

Runs the sftforge pipeline on Apache Beam for every source of FILE (one a line:
a path, a clone URL or OWNER/REPO, then options rev= max-commits= rules= shards=
github= name=). Prism runs in-process by default; --runner picks another.
`

// newFlagSet returns the pipeline's flags, bound to cfg, common and
// sourcesFile; Beam's own flags are added by run.
func newFlagSet(cfg *Config, common *cli.Common, sourcesFile *string, stderr io.Writer) *flag.FlagSet {
	fs := cli.NewFlagSet("sftforge-beam", usage, stderr)
	fs.StringVar(sourcesFile, "sources", "", "file of sources, one a line: path, clone URL or OWNER/REPO, then options rev= max-commits= rules= shards= github= name=")
	fs.StringVarP(&cfg.Out, "output", "o", "sftforge-out", "output directory (or a filesystem URL such as gs://bucket/dir on a cluster; --out is the same)")
	fs.IntVar(&cfg.Shards, "shards", 0, "shards per source (0 = one per --files-per-shard selected files)")
	fs.IntVar(&cfg.FilesPerShard, "files-per-shard", 200, "selected files per shard when --shards is 0")
	fs.IntVar(&cfg.MaxShards, "max-shards", 64, "most shards of one source when --shards is 0 (in-process Prism: at most GOMAXPROCS)")
	fs.IntVar(&cfg.OutputShards, "output-shards", 4, "files each of merged_dataset, train and validation is written as")
	common.AddFlags(fs)
	cfg.PipelineFlags.AddFlags(fs)
	return fs
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var (
		cfg         Config
		common      cli.Common
		sourcesFile string
		cpuProf     string
	)
	fs := newFlagSet(&cfg, &common, &sourcesFile, stderr)
	fs.StringVar(&cpuProf, "cpuprofile", "", "write a CPU profile of the whole process (launcher, in-process Prism and its workers) to this file")
	// Beam's own flags (--runner, --endpoint, --environment_type,
	// --environment_config, --job_name, and the worker flags).
	fs.AddGoFlagSet(goflag.CommandLine)
	if err := cli.Parse(fs, args); err != nil {
		return cli.Report(stderr, "sftforge-beam", err)
	}
	_ = goflag.CommandLine.Parse(nil) // mark Beam's flags parsed; their values are set
	cfg.Force = common.Force          // the launcher's: a local output only
	// In worker mode (a cluster started this binary) Init serves the
	// worker and does not return.
	beam.Init()

	if !fs.Changed("max-shards") && inProcessPrism() {
		// One machine: more shards than cores only repeat the walk.
		cfg.MaxShards = min(cfg.MaxShards, runtime.GOMAXPROCS(0))
	}
	log := common.Logger(stderr)
	if cpuProf != "" {
		f, err := os.Create(cpuProf)
		if err != nil {
			return cli.Report(stderr, "sftforge-beam", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return cli.Report(stderr, "sftforge-beam", err)
		}
		defer pprof.StopCPUProfile()
	}
	return cli.Report(stderr, "sftforge-beam", execute(ctx, &cfg, sourcesFile, stdout, log))
}

// inProcessPrism reports whether the pipeline will run on Prism inside
// this process (the default: no --runner other than prism, no --endpoint).
func inProcessPrism() bool {
	runner, endpoint := goflag.Lookup("runner"), goflag.Lookup("endpoint")
	if runner == nil || endpoint == nil {
		return false
	}
	switch runner.Value.String() {
	case "", "prism", "PrismRunner":
		return endpoint.Value.String() == ""
	}
	return false
}

// execute checks the configuration, runs the pipeline and puts the
// output files in place.
func execute(ctx context.Context, cfg *Config, sourcesFile string, stdout io.Writer, log *slog.Logger) error {
	if sourcesFile == "" {
		return cli.Usagef("--sources is required")
	}
	if err := checkConfig(cfg); err != nil {
		return cli.Usage(err)
	}
	f, err := os.Open(sourcesFile)
	if err != nil {
		return cli.Usagef("--sources: %w", err)
	}
	cfg.Sources, err = ParseSources(f, sourcesFile)
	f.Close()
	if err != nil {
		return cli.Usage(err)
	}
	start := time.Now()
	res, err := runPipeline(ctx, *cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d sources, %d records (train %d, validation %d), %d source errors, %s\n",
		len(cfg.Sources), res.Statistics.Records, res.Statistics.Train, res.Statistics.Validation, res.Errors,
		time.Since(start).Round(time.Millisecond))
	if res.Errors > 0 {
		log.Warn("some sources failed and are not in the dataset", "errors", filepath.Join(cfg.Out, "errors.jsonl"))
	}
	fmt.Fprintf(stdout, "Dataset written to %s\n", cfg.Out)
	return nil
}

// checkConfig validates the options before anything runs.
func checkConfig(cfg *Config) error {
	if _, _, err := cfg.Dataset.Options(""); err != nil {
		return err
	}
	if cfg.Dataset.SplitMethod == dataset.SplitRandom {
		return errors.New("--split random is not supported on Beam (its order depends on all records); use --split date")
	}
	if cfg.OutputShards < 1 || cfg.OutputShards > 1000 {
		return fmt.Errorf("--output-shards %d: want 1 to 1000", cfg.OutputShards)
	}
	if cfg.Shards < 0 || cfg.FilesPerShard < 1 || cfg.MaxShards < 1 {
		return errors.New("--shards must be 0 or more, --files-per-shard and --max-shards 1 or more")
	}
	if _, err := cfg.walk(Source{}, ""); err != nil {
		return err
	}
	return nil
}

// Result is what a run produced.
type Result struct {
	Statistics dataset.Statistics
	Errors     int // lines of errors.jsonl
}

// runPipeline builds and runs the pipeline (Prism in-process unless
// --runner says otherwise). A local output directory follows the rules of
// package outdir: only an empty directory or one an earlier run wrote is
// replaced, never an input; the pipeline writes into a temporary
// directory beside it, which replaces it as a whole when the run succeeds.
func runPipeline(ctx context.Context, cfg Config) (Result, error) {
	var res Result
	local := !strings.Contains(cfg.Out, "://")
	if !local {
		p, s := beam.NewPipelineWithRoot()
		Build(s, cfg)
		if err := beamx.Run(ctx, p); err != nil {
			return res, fmt.Errorf("pipeline: %w", err)
		}
		return res, nil
	}
	var inputs []string
	for _, s := range cfg.Sources {
		if !s.FromGitHub {
			inputs = append(inputs, s.Location)
		}
		inputs = append(inputs, s.GitHubDir, s.Rules)
	}
	out, err := outdir.Stage(cfg.Out, outdir.Options{Force: cfg.Force, Inputs: inputs, Known: outputFiles})
	if err != nil {
		return res, err
	}
	defer out.Close()
	cfg.Out = out.Path()
	p, s := beam.NewPipelineWithRoot()
	Build(s, cfg)
	if err := beamx.Run(ctx, p); err != nil {
		return res, fmt.Errorf("pipeline: %w", err)
	}
	if err := placeOutputs(cfg.Out, cfg.OutputShards); err != nil {
		return res, err
	}
	b, err := os.ReadFile(filepath.Join(cfg.Out, "statistics.json"))
	if err != nil {
		return res, err
	}
	if err := json.Unmarshal(b, &res.Statistics); err != nil {
		return res, fmt.Errorf("%s: %w", filepath.Join(out.Final(), "statistics.json"), err)
	}
	b, err = os.ReadFile(filepath.Join(cfg.Out, "errors.jsonl"))
	if err != nil {
		return res, err
	}
	res.Errors = strings.Count(string(b), "\n")
	return res, out.Commit()
}

// outputFiles are the names in a local output directory, for --force.
var outputFiles = []string{"statistics.json", "README.md", "report.html", "errors.jsonl", "merged_dataset-*-of-*.jsonl",
	"train-*-of-*.jsonl", "validation-*-of-*.jsonl", ".beam-run-*"}

// placeOutputs creates in dir the empty files the pipeline does not write
// (a shard or split without records).
func placeOutputs(dir string, shards int) error {
	want := []string{"statistics.json", "README.md", "report.html", "errors.jsonl"}
	for _, base := range []string{"merged_dataset", "train", "validation"} {
		for i := range shards {
			want = append(want, ShardFileName(base, i, shards))
		}
	}
	for _, name := range want {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}
