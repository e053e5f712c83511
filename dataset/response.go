package dataset

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"text/template"
)

// ResponseData is what the response template of a merged record sees.
type ResponseData struct {
	Title        string
	Intent       IntentRecord
	Layers       []LayerRecord   // architectural order
	Unclassified []string        // paths no layer rule matched
	Patterns     []PatternRecord // code patterns with counts
	Commits      []ResponseCommit
}

// ResponseCommit is one commit of a merged record, with its files and
// identifier changes.
type ResponseCommit struct {
	SHA, Subject string
	Files        []FileRecord
	Changes      []ChangeRecord
}

// Short returns the first 8 characters of the commit hash.
func (c ResponseCommit) Short() string {
	if len(c.SHA) > 8 {
		return c.SHA[:8]
	}
	return c.SHA
}

// DefaultResponseText is the default response template. Its functions:
// inc (n+1), changeLine (a [ChangeRecord] in the seed line format) and
// fileChanges (a commit's files with their grouped changes).
const DefaultResponseText = `{{- if .Layers -}}
Layers to change, in architectural order:
{{range $i, $l := .Layers}}
{{inc $i}}. {{$l.Title}}
{{- range $l.Files}}
   - {{.}}
{{- end}}
{{end}}
{{- end}}
{{- if .Unclassified}}
Other files:
{{- range .Unclassified}}
   - {{.}}
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
{{fileChanges .Files .Changes}}
{{- end}}`

// templateFuncs are the functions available to response templates.
var templateFuncs = template.FuncMap{
	"inc":        func(i int) int { return i + 1 },
	"changeLine": ChangeLine,
	"fileChanges": func(files []FileRecord, changes []ChangeRecord) string {
		var b strings.Builder
		writeFileChanges(&b, files, changes)
		return strings.TrimRight(b.String(), "\n")
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

// LoadResponseTemplate reads and parses a response template file.
func LoadResponseTemplate(path string) (*template.Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: response template: %w", err)
	}
	t, err := NewResponseTemplate(string(b))
	if err != nil {
		return nil, fmt.Errorf("dataset: response template %s: %w", path, err)
	}
	return t, nil
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
