package dataset

import "github.com/sftforge/sftforge/change"

// CommitRecord is one line of a commit export file: a prompt (the commit
// message), a response (the identifier changes per file, rendered as text)
// and structured metadata. Its JSON schema is stable and documented in the
// README; every record has the same keys and types.
type CommitRecord struct {
	Prompt   string         `json:"prompt"`
	Response string         `json:"response"`
	Metadata CommitMetadata `json:"metadata"`
}

// CommitMetadata is the structured part of a [CommitRecord].
type CommitMetadata struct {
	Commit  string   `json:"commit"`
	Parents []string `json:"parents"`
	Author  string   `json:"author"`
	// MergeAuthor is, for a merge commit, the author of its second parent
	// (the merged branch: a pull request's own changes); "" otherwise.
	MergeAuthor string `json:"merge_author"`
	Date        string `json:"date"` // RFC 3339, UTC; "" when the commit's date is unparseable or outside years 1-9999
	Subject     string `json:"subject"`
	// Body is the commit message after the subject, as written (trailers
	// included); the prompt is the cleaned text.
	Body        string              `json:"body"`
	PRNumber    int                 `json:"pr_number"` // 0 when none was found
	Files       []change.File       `json:"files"`
	Changes     []change.Identifier `json:"changes"`
	ParseErrors []change.ParseError `json:"parse_errors"`
	// Boundary marks the boundary commit of a shallow clone or of grafts:
	// its parents are not in the repository, so its changes are unknown
	// and Files and Changes are empty.
	Boundary bool `json:"boundary"`
	// ChangesOmitted counts the identifier changes not listed in Changes
	// (nor in the response) because the record reached MaxChangesPerFile,
	// MaxChangesPerCommit or MaxChangeBytesPerCommit; 0 almost always.
	ChangesOmitted int `json:"changes_omitted"`
	// PatchID identifies the change of the parsed files' lines, like `git
	// patch-id`: a hash of each parsed file's path and removed and added
	// lines without white space or line numbers (gitlog's
	// FileChange.PatchHash); "" when no file was parsed. A cherry-pick has
	// its original's; the merge folds it into metadata.change_id.
	PatchID string `json:"patch_id"`
}
