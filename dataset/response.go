package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/template"

	"github.com/sftforge/sftforge/change"
)

// ResponseData is what the response template of a merged record sees: a
// plan of the change. When the rendered response is over the token budget
// (see [FilterOptions.MaxResponseTokens]) the same template is executed
// again on compacted data: long lists of names collapsed, files' changes
// summarised by kind, per-commit details summarised or left out, files
// listed up to a number per layer (the Compact* steps, in order). Every
// layer is kept.
type ResponseData struct {
	Title  string
	Intent IntentRecord
	// Lead is the plan's first line, from Intent: "To implement this
	// payment feature:", "To fix this storage bug:", "To implement this
	// change:".
	Lead string
	// Layers are the layers the change touches, in dependency order (the
	// classifier's), each with its files and their key changes.
	Layers []ResponseLayer
	// Unclassified are the files no layer rule matched;
	// MoreUnclassified counts those left out for length.
	Unclassified     []ResponseFile
	MoreUnclassified int
	// Tests are the files with test changes (change.Identifier.Test)
	// and those changes as sentences, listed after the code changes; the
	// layers' files hold the code changes only.
	Tests []ResponseFile
	// Patterns are the code patterns found, with counts; empty when left
	// out for length.
	Patterns []PatternRecord
	// Commits are the record's commits with their identifier changes;
	// those whose details were left out for length are not listed and
	// are counted in OmittedCommits.
	Commits        []ResponseCommit
	OmittedCommits int
	// Compacted names the last compaction step applied ("" when the
	// response is complete): collapse_lists, summarise_details,
	// omit_details, summarise_files, omit_file_changes, cap_files,
	// omit_patterns.
	Compacted string
}

// ResponseLayer is one layer of a response's plan: its ID, title and
// crates (as in [LayerRecord]), its files, and MoreFiles, the files of
// the layer left out for length.
type ResponseLayer struct {
	Layer, Title string
	Crates       []string
	Files        []ResponseFile
	MoreFiles    int
}

// ResponseFile is one file of a response's plan with its key changes as
// sentences ("Add field `customer_id` to struct `CustomerListRequest`",
// "Modify function `list_by_merchant_id` (body)", or, compacted, "Add 12
// functions and 3 structs"). Status is added, modified, deleted or renamed
// (from OldPath); empty for files known only from the PR's file list.
type ResponseFile struct {
	Path, OldPath string
	Status        change.Status
	Changes       []string
}

// String returns the path, so that templates written for lists of paths
// keep working.
func (f ResponseFile) String() string { return f.Path }

// Heading returns the path with its status: "crates/x/src/a.rs (new
// file)", "… (deleted)", "… (renamed from crates/x/src/b.rs)".
func (f ResponseFile) Heading() string {
	switch f.Status {
	case change.StatusAdded:
		return f.Path + " (new file)"
	case change.StatusDeleted:
		return f.Path + " (deleted)"
	case change.StatusRenamed:
		if f.OldPath != "" {
			return f.Path + " (renamed from " + f.OldPath + ")"
		}
	}
	return f.Path
}

// ResponseCommit is one commit of a merged record, with its files and
// identifier changes (complete) and Detail, their rendering in the
// commit export's format (see [RenderCommitResponse]), collapsed or
// summarised by kind when the response is over its budget.
type ResponseCommit struct {
	SHA, Subject string
	Files        []change.File
	Changes      []change.Identifier
	Detail       string
}

// Short returns the first 8 characters of the commit hash.
func (c ResponseCommit) Short() string {
	if len(c.SHA) > 8 {
		return c.SHA[:8]
	}
	return c.SHA
}

// DefaultResponseText is the default response template: the plan (lead,
// layers with files and key changes, other files), code patterns with
// counts, then the identifier changes per commit. Its functions: inc
// (n+1), plural (plural 3 "file" is "3 files"), changeLine (a [change.Identifier] in the seed line format) and
// fileChanges (a commit's files with their grouped changes, complete).
const DefaultResponseText = `{{- .Lead}}
{{range $i, $l := .Layers}}
{{inc $i}}. {{$l.Title}}
{{- range $l.Files}}
   - {{.Heading}}
{{- range .Changes}}
     - {{.}}
{{- end}}
{{- end}}
{{- if $l.MoreFiles}}
   - … and {{plural $l.MoreFiles "more file"}}
{{- end}}
{{end}}
{{- if or .Unclassified .MoreUnclassified}}
Other files:
{{- range .Unclassified}}
   - {{.Heading}}
{{- range .Changes}}
     - {{.}}
{{- end}}
{{- end}}
{{- if .MoreUnclassified}}
   - … and {{plural .MoreUnclassified "more file"}}
{{- end}}
{{end}}
{{- if .Tests}}
Test changes:
{{- range .Tests}}
   - {{.Heading}}
{{- range .Changes}}
     - {{.}}
{{- end}}
{{- end}}
{{end}}
{{- if .Patterns}}
Code patterns:
{{- range .Patterns}}
- {{.Name}} ({{.Count}})
{{- end}}
{{end}}
{{- range .Commits}}
Identifier changes in commit {{.Short}} ({{.Subject}}):
{{.Detail}}
{{end}}
{{- if .OmittedCommits}}
Identifier changes of {{.OmittedCommits}} {{if .Commits}}more {{end}}{{if eq .OmittedCommits 1}}commit{{else}}commits{{end}} left out for length.
{{- end}}`

// plural is "1 noun" or "N nouns".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// templateFuncs are the functions available to response templates.
var templateFuncs = template.FuncMap{
	"inc":        func(i int) int { return i + 1 },
	"plural":     plural,
	"changeLine": change.Identifier.String,
	"fileChanges": func(files []change.File, changes []change.Identifier) string {
		return string(trimNewlines(appendFileDetail(nil, files, changes, false, nil, nil), 0))
	},
}

// DefaultResponseTemplate returns the parsed [DefaultResponseText].
func DefaultResponseTemplate() *template.Template {
	return template.Must(NewResponseTemplate(DefaultResponseText))
}

// NewResponseTemplate parses a response template with the functions of
// [DefaultResponseText] available.
func NewResponseTemplate(text string) (*template.Template, error) {
	return template.New("response").Funcs(templateFuncs).Option("missingkey=error").Parse(text)
}

// LoadResponseTemplate reads and parses a response template file and
// checks it with [CheckResponseTemplate], so that an empty template, or one
// that fails or renders nothing, is an error before any work.
func LoadResponseTemplate(path string) (*template.Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: response template: %w", err)
	}
	if strings.TrimSpace(string(b)) == "" {
		return nil, fmt.Errorf("dataset: response template %s: empty (every response would be empty)", path)
	}
	t, err := NewResponseTemplate(string(b))
	if err == nil {
		err = CheckResponseTemplate(t)
	}
	if err != nil {
		return nil, fmt.Errorf("dataset: response template %s: %w", path, err)
	}
	return t, nil
}

// probeResponse is a record with every part of [ResponseData] filled, on
// which CheckResponseTemplate runs a template. (Tests of runtime template errors
// branch on its Title.)
var probeResponse = ResponseData{
	Title:  "Add customer search",
	Intent: IntentRecord{FeatureType: "search_filter", Action: "add_feature", Entities: []string{"customer"}},
	Lead:   "To implement this search_filter feature:",
	Layers: []ResponseLayer{{Layer: "api_models", Title: "API Models", Crates: []string{"api_models"},
		Files: []ResponseFile{{Path: "crates/api_models/src/customers.rs", Status: "modified",
			Changes: []string{"Add struct `CustomerSearch`"}}}}},
	Unclassified: []ResponseFile{{Path: "docs/search.md", Status: "added", Changes: []string{}}},
	Tests: []ResponseFile{{Path: "crates/api_models/src/customers.rs", Status: "modified",
		Changes: []string{"Add function `search_by_id` in module `tests`"}}},
	Patterns: []PatternRecord{{Name: "Add new types", Count: 1}},
	Commits: []ResponseCommit{{SHA: strings.Repeat("ab", 20), Subject: "feat: add customer search",
		Files: []change.File{{Path: "crates/api_models/src/customers.rs", Status: "modified", Additions: 3}},
		Changes: []change.Identifier{{File: "crates/api_models/src/customers.rs", Op: "added", Kind: "struct",
			Name: "CustomerSearch", Visibility: "pub", Cfg: []string{}, Detail: []string{}}},
		Detail: "**crates/api_models/src/customers.rs**\n  Add:\n    - struct: pub::CustomerSearch"}},
}

// CheckResponseTemplate renders t on a record with layers, patterns and
// identifier changes, and fails if rendering fails (a field the data does
// not have, such as {{ .Nope }}) or gives an empty response.
func CheckResponseTemplate(t *template.Template) error {
	out, err := RenderResponse(t, probeResponse)
	if err != nil {
		return err
	}
	if out == "" {
		return errors.New("renders an empty response for a record with layers, patterns and identifier changes")
	}
	return nil
}

// appendHeading appends the heading of a file ([ResponseFile.Heading]) to
// b.
func appendHeading(b []byte, path, oldPath string, status change.Status) []byte {
	b = append(b, path...)
	switch status {
	case change.StatusAdded:
		b = append(b, " (new file)"...)
	case change.StatusDeleted:
		b = append(b, " (deleted)"...)
	case change.StatusRenamed:
		if oldPath != "" {
			b = append(b, " (renamed from "...)
			b = append(b, oldPath...)
			b = append(b, ')')
		}
	}
	return b
}

// RenderResponse executes a response template; surrounding blank lines are
// trimmed.
func RenderResponse(t *template.Template, data ResponseData) (string, error) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return "", fmt.Errorf("render response: %w", err)
	}
	return strings.TrimSpace(buf.String()), nil
}
