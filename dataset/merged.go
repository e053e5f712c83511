package dataset

import (
	"github.com/sftforge/sftforge/archmap"
	"github.com/sftforge/sftforge/change"
)

// MergedRecord is one line of merged_dataset.jsonl: a product-level problem
// statement, the code it took, and structured metadata. Every record has
// the same keys and types (lists, never null; no maps with varying keys),
// so Hugging Face datasets and Arrow load the file without type errors.
type MergedRecord struct {
	Prompt   string         `json:"prompt"`
	Response string         `json:"response"`
	Metadata MergedMetadata `json:"metadata"`
}

// MergedMetadata is the structured part of a [MergedRecord].
type MergedMetadata struct {
	// ID is the record's stable identifier: "owner/repo#N" for PR N,
	// "owner/repo@SHA" for a commit without a PR ("repo#N", "repo@SHA"
	// when no owner is known).
	ID string `json:"id"`
	// Repo is "owner/repo", or the repository's name when no owner is
	// known.
	Repo string `json:"repo"`
	// URL is the PR's web page, else the commit's; "" when the host is
	// unknown.
	URL      string `json:"url"`
	PRNumber int    `json:"pr_number"` // 0 for a commit without a PR (offline mode)
	Title    string `json:"title"`
	// CreatedAt is when the PR was opened (RFC 3339, UTC); offline, the
	// date of its oldest commit.
	CreatedAt string `json:"created_at"`
	MergedAt  string `json:"merged_at"` // RFC 3339, UTC
	// BaseCommit is the commit the change applies to: the first parent of
	// its oldest commit in the history (GitHub's base SHA when none is).
	BaseCommit string `json:"base_commit"`
	// MergeCommit is the PR's merge (or squash) commit, else its newest
	// commit in the history.
	MergeCommit string `json:"merge_commit"`
	// License is the SPDX expression of the changed files' licences at the
	// merge commit (see package license); "" when unknown.
	License           string          `json:"license"`
	Author            string          `json:"author"`
	Labels            []string        `json:"labels"`
	Intent            IntentRecord    `json:"intent"`
	Layers            []LayerRecord   `json:"layers"` // dependency order
	Unclassified      []string        `json:"unclassified"`
	Patterns          []PatternRecord `json:"patterns"`
	Commits           []string        `json:"commits"`
	MatchMethod       string          `json:"match_method"`
	HasIdentifierData bool            `json:"has_identifier_data"`
	// ChangeID identifies the change by what it does (its files and
	// identifier changes), independent of SHAs, dates and messages, like
	// git patch-id: a cherry-pick has the ID of its original (see
	// dedup.ChangeID). "" when nothing changed.
	ChangeID          string         `json:"change_id"`
	LinkedIssues      []int          `json:"linked_issues"`
	FilesChanged      int            `json:"files_changed"`
	Additions         int            `json:"additions"`
	Deletions         int            `json:"deletions"`
	PatchBytes        int            `json:"patch_bytes"`
	IdentifierChanges int            `json:"identifier_changes"`
	Changes           []MergedChange `json:"changes"`
	// TestFiles are the record's test files (the languages' TestPaths:
	// for Rust tests/ and benches/ directories and tests.rs files).
	TestFiles []string `json:"test_files"`
	// Difficulty buckets the change by its code files, layers, crates and
	// identifier changes: easy, medium, hard or very_hard (see
	// [Difficulty]).
	Difficulty     string `json:"difficulty"`
	PromptTokens   int    `json:"prompt_tokens"`
	ResponseTokens int    `json:"response_tokens"`
	Redactions     int    `json:"redactions"`
}

// IntentRecord is what a change is for.
type IntentRecord struct {
	FeatureType string   `json:"feature_type"`
	Action      string   `json:"action"`
	Entities    []string `json:"entities"`
}

// LayerRecord is one architectural layer a change touches, with its files.
type LayerRecord struct {
	Layer string `json:"layer"`
	Title string `json:"title"`
	// Crates are the crates whose files the layer holds in this change
	// (package names, sorted); empty for role layers such as
	// documentation or CI.
	Crates []string `json:"crates"`
	Files  []string `json:"files"`
}

// PatternRecord is a code pattern found in a change, with how often: the
// pattern as archmap detects it (one type for one thing; its JSON is the
// record schema, {"name", "count"}).
type PatternRecord = archmap.Pattern

// MergedChange is an identifier change of a merged record, with the commit
// it belongs to.
type MergedChange struct {
	Commit string `json:"commit"`
	change.Identifier
}

// Match methods of [MergedMetadata.MatchMethod], most trusted first.
const (
	MatchMergeCommit   = "merge_commit_sha" // the PR's merge (or squash) commit is in the history
	MatchPRCommits     = "pr_commits"       // the PR's own commits are in the history (rebase merge)
	MatchSubjectNumber = "subject_pr_number"
	MatchMergeMessage  = "merge_message"
	MatchCommit        = "commit" // offline mode: a commit without a PR is its own record
	MatchNone          = "none"   // no commit found: layers come from the PR's file list
)
