package cli

import (
	"fmt"
	"slices"

	flag "github.com/spf13/pflag"

	"github.com/sftforge/sftforge/archmap"
	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/dedup"
	"github.com/sftforge/sftforge/license"
)

// DatasetFlags are the flags of the dataset the merge, sftforge and the
// Beam pipeline share: filters, split, format, rules, template and
// redaction. Register them with AddFlags, then call Options after parsing.
// The fields are plain values (the Beam pipeline encodes them as JSON).
type DatasetFlags struct {
	Format       string
	RulesFile    string
	TemplateFile string
	Preset       string
	Filters      dataset.FilterOptions
	Validation   float64
	SplitMethod  string
	Seed         uint64
	NoRedact     bool
	Mentions     bool
	Name         string
	// ExcludeFile lists PRs, issues and commits to leave out (--exclude).
	ExcludeFile string `json:",omitempty"`
	// BenchmarkFile is a JSONL benchmark whose texts' n-grams contaminate
	// a prompt (--decontaminate); BenchmarkFields are the text fields read
	// (--decontaminate-field) and NGram the n-gram length in words
	// (--decontaminate-ngram).
	BenchmarkFile   string   `json:",omitempty"`
	BenchmarkFields []string `json:",omitempty"`
	NGram           int      `json:",omitempty"`
	// NoParquet leaves out train.parquet, validation.parquet and
	// merged_dataset.parquet (--no-parquet).
	NoParquet bool
}

// AddFlags registers the flags on fs.
func (d *DatasetFlags) AddFlags(fs *flag.FlagSet) {
	fs.StringVar(&d.Format, "format", "sft", "format of train/validation: sft, messages, completion or alpaca")
	fs.StringVar(&d.RulesFile, "rules", "", "YAML rules file: extra layers, layer rules, intent taxonomy, redaction rules")
	fs.StringVar(&d.TemplateFile, "template", "", "text/template file for the response (default: built-in)")
	fs.StringVar(&d.Preset, "preset", dataset.PresetAuto, "layers: auto (hyperswitch for its layout, else workspace), workspace (inferred from the Cargo workspace), hyperswitch, or keywords")
	fs.IntVar(&d.Filters.MaxSamples, "max-samples", 0, "keep at most N records, newest first (0 = all)")
	fs.IntVar(&d.Filters.MaxPatchBytes, "max-patch-bytes", 0, "drop PRs whose patch is larger (0 = no limit)")
	fs.IntVar(&d.Filters.MaxPromptTokens, "max-prompt-tokens", 0, "drop records whose prompt has more tokens (0 = no limit)")
	fs.IntVar(&d.Filters.MaxResponseTokens, "max-response-tokens", dataset.DefaultMaxResponseTokens,
		"response budget in tokens: longer responses are compacted, dropped only if they still do not fit (0 = no limit)")
	fs.IntVar(&d.Filters.MinIdentifierChanges, "min-identifiers", 1, "drop records with fewer identifier changes")
	fs.BoolVar(&d.Filters.KeepBots, "keep-bots", false, "keep PRs by bot accounts")
	fs.StringSliceVar(&d.Filters.Bots, "bots", nil, "more account names treated as bots (comma-separated; also a rules file's bots: list)")
	fs.BoolVar(&d.Filters.KeepVersionBumps, "keep-version-bumps", false, "keep version-bump and release PRs")
	fs.BoolVar(&d.Filters.KeepDuplicates, "keep-duplicates", false, "keep records that repeat an earlier prompt and response")
	fs.BoolVar(&d.Filters.KeepSameChange, "keep-same-change", false,
		"keep records whose change (metadata.change_id: files and identifier changes, like git patch-id) repeats a newer record's: cherry-picks, backports, reapplied reverts")
	fs.Float64Var(&d.Filters.NearDuplicates, "near-dup", dedup.DefaultThreshold,
		"drop records whose prompt and response are near-duplicates of a newer record's: Jaccard similarity of 5-word shingles at or above this (MinHash-LSH; 0 = keep them)")
	fs.Float64Var(&d.Validation, "validation", 0.1, "share of records in validation.jsonl (negative: none)")
	fs.StringVar(&d.SplitMethod, "split", dataset.SplitByDate, "split method: date (newest records validate) or random")
	fs.Uint64Var(&d.Seed, "seed", 42, "seed of the random split")
	fs.BoolVar(&d.NoRedact, "no-redact", false, "do NOT remove secrets and e-mail addresses (see README before using)")
	fs.BoolVar(&d.Mentions, "redact-mentions", false, "also replace @user mentions by <USER>")
	fs.StringVar(&d.Name, "name", "", "dataset name in the dataset card (OWNER/REPO or a web address also names the records' repository)")
	fs.StringSliceVar(&d.Filters.Licenses, "licenses", nil, "keep only records whose licence these SPDX identifiers satisfy (comma-separated, e.g. MIT,Apache-2.0)")
	fs.StringVar(&d.ExcludeFile, "exclude", "", "drop records whose PR, linked issue or commit this file lists (owner/repo#N, URLs, SHAs; one a line)")
	fs.StringVar(&d.BenchmarkFile, "decontaminate", "", "drop records whose prompt shares a word n-gram with a text of this benchmark JSONL")
	fs.StringSliceVar(&d.BenchmarkFields, "decontaminate-field", dataset.DefaultBenchmarkFields, "text field of the benchmark records (the first present is read)")
	fs.IntVar(&d.NGram, "decontaminate-ngram", dataset.DefaultDecontaminateNGram, "n-gram length in words for --decontaminate")
	fs.BoolVar(&d.NoParquet, "no-parquet", false, "do not write train/validation/merged_dataset.parquet beside the JSONL (the card then names the JSONL)")
}

// Validate reports flag values that are wrong whatever the input, as a
// [UsageError]: a negative count (--max-samples, --max-patch-bytes,
// --max-prompt-tokens, --max-response-tokens, --min-identifiers), a
// --near-dup outside [0, 1], an unknown format, split or preset. Binaries call it before reading any
// input, so bad usage exits 2 at once; Options calls it too.
func (d *DatasetFlags) Validate() error {
	for _, n := range []struct {
		flag string
		v    int
	}{
		{"--max-samples", d.Filters.MaxSamples}, {"--max-patch-bytes", d.Filters.MaxPatchBytes},
		{"--max-prompt-tokens", d.Filters.MaxPromptTokens}, {"--min-identifiers", d.Filters.MinIdentifierChanges},
	} {
		if n.v < 0 {
			return Usagef("%s %d: want 0 or more", n.flag, n.v)
		}
	}
	if d.NGram < 0 {
		return Usagef("--decontaminate-ngram %d: want 1 or more (0: the default, %d)", d.NGram, dataset.DefaultDecontaminateNGram)
	}
	if d.Filters.Licenses != nil {
		if err := license.ValidateList(d.Filters.Licenses); err != nil {
			return Usagef("--licenses: %w", err)
		}
	}
	if d.Filters.MaxResponseTokens < 0 {
		return Usagef("--max-response-tokens: %d is negative (0 means no budget)", d.Filters.MaxResponseTokens)
	}
	if n := d.Filters.NearDuplicates; !(n >= 0 && n <= 1) {
		return Usagef("--near-dup %v: want a similarity from 0 to 1 (0 keeps near-duplicates)", n)
	}
	if err := dataset.Format(d.Format).Validate(); err != nil {
		return Usagef("--format: %w", err)
	}
	if err := d.split().Validate(); err != nil {
		return Usage(err)
	}
	if err := dataset.ValidatePreset(d.Preset); err != nil {
		return Usagef("--preset: %w", err)
	}
	return nil
}

func (d *DatasetFlags) split() dataset.SplitOptions {
	return dataset.SplitOptions{Validation: d.Validation, Method: d.SplitMethod, Seed: d.Seed}
}

// Options turns the parsed flags into merge and write options, reading the
// rules and template files; source names the data in the dataset card. The
// classifier is left nil: Merge infers the layers from
// MergeOptions.Workspace (or the paths it sees) with the preset. known are
// exact secrets the redactor always replaces (the GitHub token in use).
// Every error is a [UsageError]: a wrong flag or a bad file a flag names.
func (d *DatasetFlags) Options(source string, known ...string) (dataset.MergeOptions, dataset.WriteOptions, error) {
	mo, wo, err := d.options(source, known...)
	return mo, wo, Usage(err)
}

func (d *DatasetFlags) options(source string, known ...string) (dataset.MergeOptions, dataset.WriteOptions, error) {
	var mo dataset.MergeOptions
	var err error
	wo := dataset.WriteOptions{Format: dataset.Format(d.Format), Name: d.Name, Source: source, Split: d.split(),
		NoParquet: d.NoParquet}
	if err := d.Validate(); err != nil {
		return mo, wo, err
	}
	mo.Filters = d.Filters
	taxonomy := "" // the taxonomy preset; "" lets Merge pick it from the paths (auto)
	switch d.Preset {
	case dataset.PresetHyperswitch:
		taxonomy = archmap.TaxonomyPayments
	case dataset.PresetAuto, "":
	default:
		taxonomy = archmap.TaxonomyGeneric
	}
	mo.Preset = d.Preset
	if d.RulesFile != "" {
		rs, err := archmap.LoadRulesFile(d.RulesFile)
		if err != nil {
			return mo, wo, err
		}
		mo.Rules = rs
		if rs.TaxonomyPreset != "" {
			taxonomy = rs.TaxonomyPreset
		}
		mo.ExtraTaxonomy = rs.Taxonomy
		bots, err := dataset.LoadBotNames(d.RulesFile)
		if err != nil {
			return mo, wo, err
		}
		mo.Filters.Bots = append(slices.Clone(mo.Filters.Bots), bots...)
	}
	if taxonomy != "" {
		tax, err := archmap.TaxonomyPreset(taxonomy)
		if err != nil {
			return mo, wo, err
		}
		mo.Taxonomy = &tax
	}
	if d.TemplateFile != "" {
		t, err := dataset.LoadResponseTemplate(d.TemplateFile)
		if err != nil {
			return mo, wo, err
		}
		mo.Template = t
	}
	if d.ExcludeFile != "" {
		if mo.Exclude, err = dataset.ReadExcludeList(d.ExcludeFile); err != nil {
			return mo, wo, fmt.Errorf("--exclude: %w", err)
		}
	}
	if d.BenchmarkFile != "" {
		if mo.Benchmark, err = dataset.ReadBenchmark(d.BenchmarkFile, d.BenchmarkFields, d.NGram); err != nil {
			return mo, wo, fmt.Errorf("--decontaminate: %w", err)
		}
	}
	if !d.NoRedact {
		r, err := dataset.NewRedactor(d.RulesFile, d.Mentions, known...)
		if err != nil {
			return mo, wo, err
		}
		mo.Redactor = r
	}
	wo.ResponseBudget, wo.PromptBudget = mo.Filters.MaxResponseTokens, mo.Filters.MaxPromptTokens
	return mo, wo, nil
}
