package redact

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadConfigSharedFile(t *testing.T) {
	cfg, err := LoadConfig(filepath.Join("testdata", "config", "shared_rules.yaml"))
	require.NoError(t, err)
	assert.Equal(t, Config{
		Mentions: true,
		ExtraRules: []RuleSpec{{
			ID:          "internal-token",
			Description: "Tokens of the internal gateway",
			Regex:       `\b(itk_[a-z0-9]{32})\b`,
			Keywords:    []string{"itk_"},
			Entropy:     3,
			SecretGroup: 1,
		}},
		AllowPatterns: []string{`^sk_test_FAKE`, `@example\.com$`},
	}, cfg)
	r, err := New(cfg)
	require.NoError(t, err)
	got, _ := r.Redact("itk_q7w3e9r1t5y2u8i4o6p0a1s3d5f7g9h2 by jane@example.com, @octocat")
	assert.Equal(t, "<REDACTED:internal-token> by jane@example.com, <USER>", got)
}

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		want    Config
		wantErr string // substring; the file name precedes it
	}{
		{name: "empty file", yaml: ""},
		{name: "no section", yaml: "layers: []\n"},
		{name: "null section", yaml: "redact:\n"},
		{name: "emails off", yaml: "redact:\n  emails: false\n", want: Config{KeepEmails: true}},
		{name: "unknown key", yaml: "redact:\n  email: false\n", wantErr: `:2: redact: unknown key "email"`},
		{name: "unknown rule key", yaml: "redact:\n  rules:\n    - id: x\n      regexp: a\n", wantErr: `:4: redact.rules: unknown key "regexp"`},
		{name: "bad rule regex", yaml: "redact:\n  rules:\n    - id: x\n      regex: '('\n", wantErr: ":3: redact.rules: rule x: error parsing regexp"},
		{name: "bad allow pattern", yaml: "redact:\n  allow_patterns: ['[']\n", wantErr: `:2: redact.allow_patterns: allow pattern "["`},
		{name: "allow paths", yaml: "redact:\n  emails: true\n  allow_paths: ['crates/**/fixtures/**']\n",
			wantErr: ":3: redact.allow_paths is not supported: records hold no file contents"},
		{name: "section not a mapping", yaml: "redact: [1]\n", wantErr: ":1: redact: expected a mapping"},
		{name: "wrong type", yaml: "redact:\n  mentions: maybe\n", wantErr: ":2: redact: cannot unmarshal !!str `maybe` into bool"},
		{name: "top level list", yaml: "- a\n", wantErr: ":1: expected a mapping at the top level"},
		{name: "other sections", yaml: "layers: []\nrules: []\nkeywords: []\ntaxonomy: {}\nbots: [x]\nredact:\n  mentions: true\n", want: Config{Mentions: true}},
		{name: "misspelt section", yaml: "layers: []\nredaction:\n  allow_patterns: [x]\n", wantErr: `:2: unknown top-level key "redaction" (known: redact, layers, rules, keywords, taxonomy, bots)`},
		{name: "unknown top-level key", yaml: "redact: {}\nother: 1\n", wantErr: `:2: unknown top-level key "other"`},
		{name: "broken yaml", yaml: "redact: [\n", wantErr: "yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "rules.yaml")
			require.NoError(t, os.WriteFile(path, []byte(tt.yaml), 0o644))
			cfg, err := LoadConfig(path)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "redact: "+path)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, cfg)
		})
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	_, err := LoadConfig(filepath.Join(t.TempDir(), "nope.yaml"))
	require.ErrorIs(t, err, os.ErrNotExist)
	assert.Contains(t, err.Error(), "redact: rules file")
}

// FuzzParseConfig checks that any rules file either loads into a Config
// that New accepts or gives an error, without panicking.
func FuzzParseConfig(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "config", "shared_rules.yaml"))
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte("redact:\n  rules:\n    - id: x\n      regex: 'a(b)'\n      secret_group: 1\n"))
	f.Add([]byte("redact: {emails: false, mentions: true}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := parseConfig(data)
		if err != nil {
			return
		}
		_, err = New(cfg)
		require.NoError(t, err, "parseConfig accepted a Config that New rejects")
	})
}
