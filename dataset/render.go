package dataset

import (
	"regexp"
	"strings"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/lang"
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

// fileSections are the sections of a file's changes, in order: the code
// changes by op, then the test changes (change.Identifier.Test) by op.
var fileSections = []struct {
	op    change.Op
	test  bool
	title string
}{
	{change.OpAdded, false, "Add"}, {change.OpRemoved, false, "Remove"}, {change.OpModified, false, "Modify"},
	{change.OpAdded, true, "Add (test)"}, {change.OpRemoved, true, "Remove (test)"}, {change.OpModified, true, "Modify (test)"},
}

// RenderCommitResponse renders the response of a commit record: every
// changed file with its full path, and under it the identifier changes
// grouped as Add, Remove and Modify, each line by the shared renderer
// (change.Identifier.String; the export uses its languages' renderers).
func RenderCommitResponse(files []change.File, changes []change.Identifier) string {
	return renderCommitResponse(files, changes, nil)
}

// renderCommitResponse is RenderCommitResponse with the change lines
// rendered by their files' languages.
func renderCommitResponse(files []change.File, changes []change.Identifier, langs lang.Registry) string {
	b := appendFileDetail([]byte("Files to modify:\n"), files, changes, false, nil, langs)
	return string(trimNewlines(b, 0))
}
