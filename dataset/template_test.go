package dataset

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadResponseTemplateErrors(t *testing.T) {
	tests := []struct {
		name, text, err string // err "" when valid
	}{
		{"default", DefaultResponseText, ""},
		{"title only", "{{.Title}}", ""},
		{"empty", "", "empty (every response would be empty)"},
		{"blank", " \n\t\n", "empty (every response would be empty)"},
		{"renders nothing", "{{if false}}x{{end}}\n", "renders an empty response"},
		{"renders blanks", "{{range .Layers}}   {{end}}\n", "renders an empty response"},
		{"unknown field", "{{ .Nope }}", "can't evaluate field Nope"},
		{"syntax error", "{{ .Title ", "unclosed action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "response.tmpl")
			require.NoError(t, os.WriteFile(path, []byte(tt.text), 0o644))
			_, err := LoadResponseTemplate(path)
			if tt.err == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "dataset: response template "+path+": ")
			assert.Contains(t, err.Error(), tt.err)
		})
	}
}
