package dataset

import (
	"regexp"
	"strings"
)

// trailerLine matches git trailers that carry no product meaning
// (Co-authored-by, Signed-off-by, …).
var trailerLine = regexp.MustCompile(`(?i)^\s*(co-authored-by|signed-off-by|reviewed-by|acked-by|tested-by|reported-by|suggested-by|helped-by|cc|change-id)\s*:`)

// CommitPrompt returns the prompt of a commit record: the title, then the
// description, as [CommitText] finds them (a merge commit's pull request
// title and description, without merge line, own PR number, reviewer lines
// and trailers such as Co-authored-by and Signed-off-by), runs of blank
// lines folded.
func CommitPrompt(subject, body string) string {
	title, desc := CommitText(subject, body)
	if desc == "" {
		return title
	}
	return title + "\n\n" + desc
}

// CleanCommitBody removes git trailers and "---------" separators left by
// squash merges from a commit body, trims trailing spaces and folds runs of
// blank lines.
func CleanCommitBody(body string) string {
	var kept []string
	for _, l := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		l = strings.TrimRight(l, " \t")
		if trailerLine.MatchString(l) || strings.Trim(l, "-") == "" && len(l) >= 3 {
			continue
		}
		kept = append(kept, l)
	}
	return foldBlankLines(kept)
}

// ChangeLine renders a change in the seed's line format, the visibility
// joined to the qualified name: "function: pub::validate_capture_method",
// "method: pub(crate)::PaymentIntent::update", "field: pub::Customer::email".
// A modified item lists what changed: "function: pub::f (signature, body)";
// an item under #[cfg(...)] shows it: `struct: pub::Payment #[cfg(feature = "v2")]`.
func ChangeLine(c ChangeRecord) string {
	var b strings.Builder
	b.WriteString(c.Kind)
	b.WriteString(": ")
	vis := c.Visibility
	if vis == "" {
		vis = "private"
	}
	b.WriteString(vis)
	b.WriteString("::")
	if c.Owner != "" {
		b.WriteString(c.Owner)
		b.WriteString("::")
	}
	b.WriteString(c.Name)
	for _, cfg := range c.Cfg {
		b.WriteString(" #[")
		b.WriteString(cfg)
		b.WriteString("]")
	}
	if c.Op == "modified" && len(c.Detail) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(c.Detail, ", "))
		b.WriteString(")")
	}
	return b.String()
}

// opTitles are the section titles of a file's changes, in order.
var opTitles = []struct{ op, title string }{
	{"added", "Add"}, {"removed", "Remove"}, {"modified", "Modify"},
}

// RenderCommitResponse renders the response of a commit record: every
// changed file with its full path, and under it the identifier changes
// grouped as Add, Remove and Modify.
func RenderCommitResponse(files []FileRecord, changes []ChangeRecord) string {
	var b strings.Builder
	b.WriteString("Files to modify:\n")
	writeFileChanges(&b, files, changes)
	return strings.TrimRight(b.String(), "\n")
}

// writeFileChanges writes each file and its grouped changes to b.
func writeFileChanges(b *strings.Builder, files []FileRecord, changes []ChangeRecord) {
	writeFileDetail(b, files, changes, false, nil)
}
