package github

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWebHost(t *testing.T) {
	tests := []struct{ api, want string }{
		{"", "github.com"},
		{"https://api.github.com/", "github.com"},
		{"https://ghe.example.com/api/v3/", "ghe.example.com"},
		{"https://ghe.example.com:8443/api/v3", "ghe.example.com:8443"},
		{"http://127.0.0.1:4000/api-v3/", "github.com"},
		{"::bad", "github.com"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, WebHost(tt.api), tt.api)
	}
}

func TestParseLinksOnEnterpriseHost(t *testing.T) {
	text := "Fixes https://ghe.example.com/acme/pay/issues/7 and closes https://github.com/acme/pay/issues/8, see https://GHE.example.com/other/lib/issues/9"
	closing, mentions := ParseLinksOn("ghe.example.com", "acme", "pay", text)
	assert.Equal(t, []IssueRef{{"acme", "pay", 7, SourceText}}, closing, "a github.com URL is another host's issue")
	assert.Equal(t, []IssueRef{{"other", "lib", 9, SourceText}}, mentions)
	closing, _ = ParseLinks("acme", "pay", text)
	assert.Equal(t, []IssueRef{{"acme", "pay", 8, SourceText}}, closing)
}

// TestTokenFromEnv reads GITHUB_TOKEN, then GH_TOKEN, then a fake gh CLI
// put first on PATH.
func TestTokenFromEnv(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake gh is a shell script")
	}
	bin := t.TempDir()
	script := "#!/bin/sh\n" +
		"if [ \"$1 $2 $3 $4\" = \"auth token --hostname ghe.example.com\" ]; then echo gho_fromgh; exit 0; fi\n" +
		"echo 'not logged in to this host' >&2; exit 1\n"
	if err := os.WriteFile(filepath.Join(bin, "gh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	env := func(kv map[string]string, path string) func(string) string {
		return func(k string) string {
			if k == "PATH" {
				return path
			}
			return kv[k]
		}
	}
	tests := []struct {
		name, path, api       string
		env                   map[string]string
		wantToken, wantSource string
	}{
		{"GITHUB_TOKEN first", bin, "", map[string]string{"GITHUB_TOKEN": " ghp_a\n", "GH_TOKEN": "ghp_b"}, "ghp_a", "GITHUB_TOKEN"},
		{"GH_TOKEN", bin, "", map[string]string{"GH_TOKEN": "ghp_b"}, "ghp_b", "GH_TOKEN"},
		{"gh auth token", bin, "https://ghe.example.com/api/v3/", nil, "gho_fromgh", "gh auth token"},
		{"gh not logged in to the host", bin, "https://api.github.com/", nil, "", ""},
		{"no gh", t.TempDir(), "https://ghe.example.com/api/v3/", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token, source := TokenFromEnv(context.Background(), env(tt.env, tt.path), tt.api)
			assert.Equal(t, tt.wantToken, token)
			assert.Equal(t, tt.wantSource, source)
		})
	}
}
