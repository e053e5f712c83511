package github

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidateRepo(t *testing.T) {
	tests := []struct {
		owner, repo string
		err         string // "" when valid
	}{
		{"juspay", "hyperswitch", ""},
		{"tokio-rs", "axum", ""},
		{"a", "b", ""},
		{"A1-b2", "x.y_z-0", ""},
		{strings.Repeat("a", 39), strings.Repeat("r", 100), ""},
		{"o", ".github", ""},
		{"o", "...", ""},
		{"", "r", `github: owner "": empty`},
		{"o", "", `github: repository "": empty`},
		{"axum?x=", "r", `github: owner "axum?x=": character '?' not allowed`},
		{"o", "axum?x=", `github: repository "axum?x=": character '?' not allowed`},
		{"o", "r#frag", `github: repository "r#frag": character '#' not allowed`},
		{"o", "..", `github: repository "..": not a repository name`},
		{"o", ".", `github: repository ".": not a repository name`},
		{"..", "r", `github: owner "..": character '.' not allowed`},
		{"-o", "r", `github: owner "-o": starts or ends with '-'`},
		{"o-", "r", `github: owner "o-": starts or ends with '-'`},
		{"o--p", "r", `github: owner "o--p": has consecutive hyphens`},
		{strings.Repeat("a", 40), "r", "longer than 39 characters"},
		{"o", strings.Repeat("r", 101), "longer than 100 characters"},
		{"o", "r/s", `character '/' not allowed`},
		{"o", "r s", `character ' ' not allowed`},
		{"o", "r%2f", `character '%' not allowed`},
		{"ö", "r", `character 'ö' not allowed`},
	}
	for _, tt := range tests {
		t.Run(tt.owner+"/"+tt.repo, func(t *testing.T) {
			err := ValidateRepo(tt.owner, tt.repo)
			if tt.err == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
			// Gather refuses the same names before any request.
			o := GatherOptions{Owner: tt.owner, Repo: tt.repo, OutDir: "x"}
			assert.Error(t, o.Validate())
		})
	}
}

func TestReadTokenFile(t *testing.T) {
	const secret = "ghp_S3cretS3cretS3cret"
	tests := []struct {
		name, content, want, err string
	}{
		{"plain", secret, secret, ""},
		{"one newline", secret + "\n", secret, ""},
		{"crlf", secret + "\r\n", secret, ""},
		{"empty", "", "", "token is empty"},
		{"only a newline", "\n", "", "token is empty"},
		{"two lines", secret + "\n" + secret + "\n", "", "token has more than one line (line break at byte 22 of 45)"},
		{"two newlines", secret + "\n\n", "", "token has more than one line"},
		{"space", "ghp_S3cret " + secret, "", "token contains whitespace (at byte 10 of"},
		{"leading space", " " + secret, "", "token contains whitespace (at byte 0 of"},
		{"tab", secret + "\t", "", "token contains whitespace"},
		{"NUL", secret + "\x00", "", "token contains a control or non-ASCII byte"},
		{"escape", "\x1b[31m" + secret, "", "token contains a control or non-ASCII byte (at byte 0"},
		{"non-ASCII", secret + "é", "", "token contains a control or non-ASCII byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "token")
			require.NoError(t, os.WriteFile(path, []byte(tt.content), 0o600))
			got, err := ReadTokenFile(path)
			if tt.err == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, got)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "github: token file "+path+": "+tt.err)
			assert.NotContains(t, err.Error(), "S3cret", "the token is never printed")
			// NewClient refuses the same token (after the file's trailing newline).
			_, cerr := NewClient(ClientOptions{Token: strings.TrimSuffix(tt.content, "\n")})
			if tt.content != "" && tt.content != "\n" {
				require.Error(t, cerr)
				assert.NotContains(t, cerr.Error(), "S3cret")
			}
		})
	}
	_, err := ReadTokenFile(filepath.Join(t.TempDir(), "absent"))
	require.ErrorIs(t, err, os.ErrNotExist)
}
