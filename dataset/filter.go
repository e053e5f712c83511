package dataset

import (
	"crypto/sha256"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/dedup"
	"github.com/sftforge/sftforge/license"
)

// FilterOptions selects which merged records are kept. Zero values mean
// "no limit" except where noted.
type FilterOptions struct {
	MaxSamples      int // keep at most this many records (newest first); 0 = all
	MaxPatchBytes   int // drop records whose patch is larger
	MaxPromptTokens int // drop records whose prompt has more tokens
	// MaxResponseTokens is the response budget: a longer response is
	// compacted (see [ResponseData]) and the record dropped only when it
	// still has more tokens. The binaries default to
	// DefaultMaxResponseTokens.
	MaxResponseTokens    int
	MinIdentifierChanges int  // drop records with fewer identifier changes
	KeepBots             bool // keep PRs by bots (dependabot, renovate, …[bot])
	// Bots are more account names (case-insensitive) treated as bots, on
	// top of GitHub's "[bot]" suffix and the known apps (see [IsBot]).
	Bots             []string
	KeepVersionBumps bool // keep version-bump and release commits
	KeepDuplicates   bool // keep records whose prompt and response repeat an earlier one
	// KeepSameChange keeps records whose change repeats a newer record's
	// (the same metadata.change_id: a cherry-pick, a backport, a revert
	// reapplied; see dedup.ChangeID). Only records with identifier
	// changes are compared.
	KeepSameChange bool
	// NearDuplicates removes the records whose prompt and response are
	// near-duplicates of a newer record's: a Jaccard similarity of word
	// shingles at or above this value (see dedup.NearOptions); 0 keeps
	// them. The binaries default to dedup.DefaultThreshold.
	NearDuplicates float64
	// Licenses, when set, keeps only the records whose licence (SPDX
	// expression) these SPDX identifiers satisfy (e.g. MIT, Apache-2.0:
	// "MIT OR GPL-3.0-only" passes, "MIT AND GPL-3.0-only" does not); a
	// record without a known licence is dropped (DropLicense).
	Licenses []string `json:",omitempty"`
}

// Reasons a record is filtered out, as counted in statistics.json.
const (
	DropBot           = "bot_author"
	DropVersionBump   = "version_bump"
	DropPatchSize     = "patch_too_large"
	DropPromptTokens  = "prompt_too_long"
	DropResponseToken = "response_too_long"
	DropFewChanges    = "too_few_identifier_changes"
	DropDuplicate     = "duplicate"
	// DropSameChange: the same change (metadata.change_id) as a newer
	// record.
	DropSameChange = "same_change"
	// DropNearDuplicate: a prompt and response near-duplicate of a newer
	// record's (FilterOptions.NearDuplicates).
	DropNearDuplicate = "near_duplicate"
	DropMaxSamples    = "max_samples"
	DropRedacted      = "mostly_redacted"
	// DropMergeLine: a merge commit whose message has no title of its own
	// ("Merge branch 'x' into y" with an empty body).
	DropMergeLine = "merge_without_description"
)

var (
	versionBump = regexp.MustCompile(`(?i)^(chore\(version\)|chore\(release\)|release:|bump version|chore: bump version|v?\d+\.\d+\.\d+(-\S+)?$|\d{4}\.\d{2}\.\d{2}\.\d+$)`)
)

// knownApps are app accounts that author pull requests (compared without a
// "[bot]" suffix, case-insensitively).
var knownApps = map[string]bool{
	"dependabot": true, "dependabot-preview": true, "renovate": true, "renovate-bot": true, "renovatebot": true,
	"github-actions": true, "mergify": true, "snyk-bot": true, "greenkeeper": true, "imgbot": true,
	"pre-commit-ci": true, "allcontributors": true, "codecov": true, "deepsource-autofix": true,
	"hyperswitch-bot": true, "copilot": true, "coderabbitai": true, "release-plz": true,
}

// mergeQueues are accounts that merge other people's pull requests: a
// merge commit they author carries the PR author as its second parent's
// author, so they are never the author of a record and never bots.
var mergeQueues = map[string]bool{
	"bors": true, "bors-ng": true, "homu": true, "github-merge-queue": true, "meili-bors": true,
	"bors-servo": true, "rust-highfive": true, "merge-queue": true, "kodiak": true,
}

// accountName folds an author name for comparison: lower case, without
// GitHub's "[bot]" suffix.
func accountName(author string) (name string, botSuffix bool) {
	name = strings.ToLower(strings.TrimSpace(author))
	name, botSuffix = strings.CutSuffix(name, "[bot]")
	return strings.TrimSpace(name), botSuffix
}

// LoadBotNames reads the top-level "bots:" list of a rules file: account
// names treated as bots by the filters. Other sections are ignored.
func LoadBotNames(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: rules file: %w", err)
	}
	var doc struct {
		Bots yaml.Node `yaml:"bots"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("dataset: rules file %s: %w", path, err)
	}
	if doc.Bots.Kind == 0 || doc.Bots.Tag == "!!null" {
		return nil, nil
	}
	if doc.Bots.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("dataset: %s:%d: bots: expected a list of account names", path, doc.Bots.Line)
	}
	var bots []string
	for _, n := range doc.Bots.Content {
		if n.Kind != yaml.ScalarNode || strings.TrimSpace(n.Value) == "" {
			return nil, fmt.Errorf("dataset: %s:%d: bots: expected an account name", path, n.Line)
		}
		bots = append(bots, n.Value)
	}
	return bots, nil
}

// IsMergeQueue reports whether author is a merge queue's account (bors,
// homu, github-merge-queue…), which merges pull requests but writes none.
func IsMergeQueue(author string) bool {
	name, _ := accountName(author)
	return mergeQueues[name]
}

// IsBot reports whether an author is a bot account: GitHub's "[bot]"
// suffix, a known app (dependabot, renovate, github-actions, mergify…), one
// of extra (names, case-insensitive), or a name with "bot" as a word of its
// own ("meili-bot", "Release Bot"). Merge queues are not bots (see
// [IsMergeQueue]), and neither are people whose names merely contain the
// letters ("Abbott", "Botond").
func IsBot(author string, extra ...string) bool {
	name, suffix := accountName(author)
	if name == "" || mergeQueues[name] {
		return false
	}
	if suffix || knownApps[name] {
		return true
	}
	for _, e := range extra {
		if e, _ := accountName(e); e == name {
			return true
		}
	}
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' || r == ' ' || r == '.' }) {
		if w == "bot" || w == "robot" {
			return true
		}
	}
	return false
}

// IsVersionBump reports whether a title is a version bump or release.
func IsVersionBump(title string) bool { return versionBump.MatchString(strings.TrimSpace(title)) }

// dropReason returns why r is filtered out by the per-record filters, or "".
func (o FilterOptions) dropReason(r *MergedRecord) string {
	md := &r.Metadata
	switch {
	case !o.KeepBots && IsBot(md.Author, o.Bots...):
		return DropBot
	case IsMergeLine(md.Title):
		return DropMergeLine
	case !o.KeepVersionBumps && IsVersionBump(md.Title):
		return DropVersionBump
	case o.MaxPatchBytes > 0 && md.PatchBytes > o.MaxPatchBytes:
		return DropPatchSize
	case o.MaxPromptTokens > 0 && md.PromptTokens > o.MaxPromptTokens:
		return DropPromptTokens
	case o.MaxResponseTokens > 0 && md.ResponseTokens > o.MaxResponseTokens:
		return DropResponseToken
	case md.IdentifierChanges < o.MinIdentifierChanges:
		return DropFewChanges
	case len(o.Licenses) > 0 && !licenseAllowed(md.License, o.Licenses):
		return DropLicense
	}
	return ""
}

// licenseAllowed reports whether allowed satisfies the SPDX expression
// expr; an unknown or unreadable licence does not.
func licenseAllowed(expr string, allowed []string) bool {
	ok, err := license.Satisfies(expr, allowed)
	return ok && err == nil
}

// apply keeps the records that pass, in order (newest first), counting
// the others by reason. Duplicates (same prompt and response), records of
// the same change and near-duplicates keep their first occurrence;
// MaxSamples keeps the newest records. It filters recs in place: the
// caller keeps only the result.
func (o FilterOptions) apply(recs []MergedRecord, dropped map[string]int) ([]MergedRecord, error) {
	seen := map[[32]byte]bool{}
	seenChange := map[string]bool{}
	var text []byte // prompt, NUL, response: what duplicates share
	// The records kept are moved to the front of recs, in order: no copy
	// of the slice.
	kept := recs[:0]
	for i := range recs {
		if reason := o.dropReason(&recs[i]); reason != "" {
			dropped[reason]++
			continue
		}
		if !o.KeepDuplicates {
			text = append(append(append(text[:0], recs[i].Prompt...), 0), recs[i].Response...)
			h := sha256.Sum256(text)
			if seen[h] {
				dropped[DropDuplicate]++
				continue
			}
			seen[h] = true
		}
		if id := SameChangeKey(&recs[i]); !o.KeepSameChange && id != "" {
			if seenChange[id] {
				dropped[DropSameChange]++
				continue
			}
			seenChange[id] = true
		}
		if len(kept) != i {
			kept = append(kept, recs[i])
		} else {
			kept = kept[:i+1]
		}
	}
	clear(recs[len(kept):])
	if o.NearDuplicates > 0 {
		// The texts of NearDuplicateText, in their two parts.
		matches, err := dedup.NearOptions{Threshold: o.NearDuplicates}.FindPairs(len(kept),
			func(i int) (string, string) { return kept[i].Prompt, kept[i].Response },
			func(i, j int) bool { return !Opposite(&kept[i], &kept[j]) })
		if err != nil {
			return nil, fmt.Errorf("dataset: near-duplicates: %w", err)
		}
		out := kept[:0]
		for i := range kept {
			if matches[i].Of >= 0 {
				dropped[DropNearDuplicate]++
				continue
			}
			out = append(out, kept[i])
		}
		clear(kept[len(out):])
		kept = out
	}
	if o.MaxSamples > 0 && len(kept) > o.MaxSamples {
		byDate := make([]int, len(kept))
		for i := range byDate {
			byDate[i] = i
		}
		sort.SliceStable(byDate, func(a, b int) bool { return newer(&kept[byDate[a]], &kept[byDate[b]]) })
		keep := map[int]bool{}
		for _, i := range byDate[:o.MaxSamples] {
			keep[i] = true
		}
		var out []MergedRecord
		for i := range kept {
			if keep[i] {
				out = append(out, kept[i])
			}
		}
		dropped[DropMaxSamples] += len(kept) - len(out)
		kept = out
	}
	return kept, nil
}

// SameChangeKey is the key under which records of the same change are
// duplicates: the record's change ID when it has identifier changes, else
// "" (records with files only are never compared: two edits of one README
// may well have the same line counts).
func SameChangeKey(r *MergedRecord) string {
	if !r.Metadata.HasIdentifierData {
		return ""
	}
	return r.Metadata.ChangeID
}

// Opposite reports whether two records undo each other in part (see
// dedup.Opposite): a change and its revert are never near-duplicates,
// however alike their texts.
func Opposite(a, b *MergedRecord) bool {
	return dedup.Opposite(AddedOrRemoved(a), AddedOrRemoved(b))
}

// AddedOrRemoved returns the identifiers a record adds or removes, what
// Opposite compares.
func AddedOrRemoved(r *MergedRecord) []change.Identifier {
	var out []change.Identifier
	for _, c := range r.Metadata.Changes {
		if c.Op == change.OpAdded || c.Op == change.OpRemoved {
			out = append(out, c.Identifier)
		}
	}
	return out
}

// NearDuplicateText is the text of a record that near-duplicate removal
// compares: its prompt and response.
func NearDuplicateText(r *MergedRecord) string { return r.Prompt + "\n\n" + r.Response }

// newer orders records newest first (merge date, then PR number, then
// first commit).
func newer(a, b *MergedRecord) bool {
	if a.Metadata.MergedAt != b.Metadata.MergedAt {
		return a.Metadata.MergedAt > b.Metadata.MergedAt
	}
	if a.Metadata.PRNumber != b.Metadata.PRNumber {
		return a.Metadata.PRNumber > b.Metadata.PRNumber
	}
	return firstCommit(a) > firstCommit(b)
}

func firstCommit(r *MergedRecord) string {
	if len(r.Metadata.Commits) == 0 {
		return ""
	}
	return r.Metadata.Commits[0]
}

// SplitOptions says how records are split into train and validation.
type SplitOptions struct {
	// Validation is the share of records in the validation split; default
	// 0.1. A negative value means none.
	Validation float64
	// Method is SplitByDate (default: the newest records are validation, so
	// a model is validated on changes after its training data) or
	// SplitRandom (seeded).
	Method string
	// Seed seeds SplitRandom.
	Seed uint64
}

// Split methods.
const (
	SplitByDate = "date"
	SplitRandom = "random"
)

// Validate checks the options.
func (o SplitOptions) Validate() error {
	if o.Validation >= 1 {
		return fmt.Errorf("dataset: validation share %v must be below 1", o.Validation)
	}
	switch o.Method {
	case "", SplitByDate, SplitRandom:
		return nil
	}
	return fmt.Errorf("dataset: unknown split method %q (want date or random)", o.Method)
}

// split returns the train and validation records, each in the order of recs.
func (o SplitOptions) split(recs []MergedRecord) (train, validation []MergedRecord) {
	isVal, n := o.validationMask(recs)
	if n == 0 {
		return recs, nil
	}
	for i := range recs {
		if isVal[i] {
			validation = append(validation, recs[i])
		} else {
			train = append(train, recs[i])
		}
	}
	return train, validation
}
