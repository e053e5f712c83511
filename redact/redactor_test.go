package redact

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Synthetic credentials for the table below (random, well-formed, fake).
const (
	fakeAWSKeyID  = "AKIAQ3EGRMXS7KBNV2TJ"
	fakeGitHubPAT = "ghp_Zq8vXw3LkR5tY7uP0aS2dF4gH6jK9lM1nB3c"
	fakeStripe    = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
	fakeAPIValue  = "x7Kp2Qm9Rt4Vw8Yz3Bn6Cd1Fg5Hj0Lq"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		in    string
		want  string
		rules []string
	}{
		{
			name:  "aws key in rust",
			in:    `let key_id = "` + fakeAWSKeyID + `";`,
			want:  `let key_id = "<REDACTED:aws-access-token>";`,
			rules: []string{"aws-access-token"},
		},
		{
			name:  "token in a log line and an e-mail in a trailer",
			in:    "using " + fakeGitHubPAT + "\n\nSigned-off-by: Jane Doe <jane.doe@example.com>\n",
			want:  "using <REDACTED:github-pat>\n\nSigned-off-by: Jane Doe <<EMAIL>>\n",
			rules: []string{"github-pat", EmailRule},
		},
		{
			name:  "same secret twice",
			in:    fakeStripe + " and again " + fakeStripe,
			want:  "<REDACTED:stripe-access-token> and again <REDACTED:stripe-access-token>",
			rules: []string{"stripe-access-token", "stripe-access-token"},
		},
		{
			name:  "generic assignment with the value on the next line",
			in:    "let api_key =\n    \"" + fakeAPIValue + "\";\n",
			want:  "let api_key =\n    \"<REDACTED:generic-api-key>\";\n",
			rules: []string{genericRule},
		},
		{
			name: "rust literals in forms gitleaks' generic rule misses",
			in: "const API_KEY: &str = \"" + fakeAPIValue + "\";\n" +
				"api_key: Secret::new(\"" + fakeAPIValue + "\".to_string()),\n" +
				"let secret = String::from(\"" + fakeAPIValue + "\");\n" +
				"const REDIS_KEY_PREFIX: &str = \"payment_intent_v2\";\n",
			want: "const API_KEY: &str = \"<REDACTED:rust-secret-literal>\";\n" +
				"api_key: Secret::new(\"<REDACTED:rust-secret-literal>\".to_string()),\n" +
				"let secret = String::from(\"<REDACTED:rust-secret-literal>\");\n" +
				"const REDIS_KEY_PREFIX: &str = \"payment_intent_v2\";\n",
			rules: []string{rustLiteralRule, rustLiteralRule, rustLiteralRule},
		},
		{
			name:  "offsets after multi-byte text",
			in:    "clé été — " + fakeAWSKeyID,
			want:  "clé été — <REDACTED:aws-access-token>",
			rules: []string{"aws-access-token"},
		},
		{
			name:  "password in a URL keeps the host",
			in:    "DATABASE_URL=postgres://app:Pq7-xR2m9Lk4@db.example.com:5432/app",
			want:  "DATABASE_URL=postgres://app:<REDACTED:url-password>@db.example.com:5432/app",
			rules: []string{"url-password"},
		},
		{
			name: "templated URL passwords stay",
			in:   `format!("postgres://{}:{}@{}/{}", user, pass, host, db); "redis://:${REDIS_PASSWORD}@cache:6379"`,
			want: `format!("postgres://{}:{}@{}/{}", user, pass, host, db); "redis://:${REDIS_PASSWORD}@cache:6379"`,
		},
		{
			name: "ordinary identifiers, SHAs and UUIDs stay",
			in: "Reverts 4f0c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39\n" +
				"let idempotency_key = \"a5b5c5d5-1234-4cde-9f00-0123456789ab\";\n" +
				"use crate::core::payments::helpers::get_connector_auth_token;\n" +
				"api_key: Secret<String>,\nlet secret_key = auth.secret_key.peek().to_string();\n",
			want: "Reverts 4f0c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39\n" +
				"let idempotency_key = \"a5b5c5d5-1234-4cde-9f00-0123456789ab\";\n" +
				"use crate::core::payments::helpers::get_connector_auth_token;\n" +
				"api_key: Secret<String>,\nlet secret_key = auth.secret_key.peek().to_string();\n",
		},
		{
			name: "ssh remote is not an address",
			in:   "git clone git@github.com:juspay/hyperswitch.git",
			want: "git clone git@github.com:juspay/hyperswitch.git",
		},
		{
			name:  "address at the end of a sentence",
			in:    "Reviewed by ops@payments.example.org.",
			want:  "Reviewed by <EMAIL>.",
			rules: []string{EmailRule},
		},
		{
			name: "KeepEmails",
			cfg:  Config{KeepEmails: true},
			in:   "mail ops@payments.example.org",
			want: "mail ops@payments.example.org",
		},
		{
			name: "mentions off by default",
			in:   "thanks @octocat",
			want: "thanks @octocat",
		},
		{
			name:  "mentions",
			cfg:   Config{Mentions: true},
			in:    "thanks @octocat and @jane-doe! cc @juspay/maintainers, see @types/node, x@y, n @ 1..=5",
			want:  "thanks <USER> and <USER>! cc @juspay/maintainers, see @types/node, x@y, n @ 1..=5",
			rules: []string{MentionRule, MentionRule},
		},
		{
			name: "allow pattern",
			cfg:  Config{AllowPatterns: []string{`^AKIAQ3EGRM`, `@example\.com$`}},
			in:   fakeAWSKeyID + " jane@example.com bob@corp.example.org",
			want: fakeAWSKeyID + " jane@example.com <EMAIL>",
			rules: []string{
				EmailRule,
			},
		},
		{
			name:  "user rule",
			cfg:   Config{ExtraRules: []RuleSpec{{ID: "internal-token", Regex: `\b(itk_[a-z0-9]{32})\b`, Keywords: []string{"itk_"}}}},
			in:    "token itk_0123456789abcdefghijklmnopqrstuv here",
			want:  "token <REDACTED:internal-token> here",
			rules: []string{"internal-token"},
		},
		{
			name:  "user rule without keywords",
			cfg:   Config{ExtraRules: []RuleSpec{{ID: "badge-number", Regex: `\bBADGE-\d{6}\b`}}},
			in:    "employee BADGE-123456 signed",
			want:  "employee <REDACTED:badge-number> signed",
			rules: []string{"badge-number"},
		},
		{
			name:  "user rule with entropy rejects a low-entropy value",
			cfg:   Config{ExtraRules: []RuleSpec{{ID: "internal-token", Regex: `\b(itk_[a-z0-9]{8})\b`, Keywords: []string{"itk_"}, Entropy: 2.5}}},
			in:    "itk_aaaaaaaa itk_q7w3e9r1",
			want:  "itk_aaaaaaaa <REDACTED:internal-token>",
			rules: []string{"internal-token"},
		},
		{
			name:  "in-repo gitleaks:allow does not let a secret through",
			in:    fakeStripe + " // gitleaks:allow",
			want:  "<REDACTED:stripe-access-token> // gitleaks:allow",
			rules: []string{"stripe-access-token"},
		},
		{
			name:  "known secret in any format, even on an allowed pattern",
			cfg:   Config{KnownSecrets: []string{"0123456789abcdef0123456789abcdef01234567", "short"}, AllowPatterns: []string{`^0123`}},
			in:    "token 0123456789abcdef0123456789abcdef01234567 is short",
			want:  "token <REDACTED:known-secret> is short",
			rules: []string{KnownSecretRule},
		},
		{
			name: "empty",
			in:   "",
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := New(tt.cfg)
			require.NoError(t, err)
			got, findings := r.Redact(tt.in)
			assert.Equal(t, tt.want, got)
			var rules []string
			for i, f := range findings {
				rules = append(rules, f.RuleID)
				require.True(t, 0 <= f.Start && f.Start < f.End && f.End <= len(tt.in), "finding %d out of range: %+v", i, f)
				if i > 0 {
					require.LessOrEqual(t, findings[i-1].End, f.Start, "findings overlap or are out of order")
				}
			}
			assert.Equal(t, tt.rules, rules)
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"bad regex", Config{ExtraRules: []RuleSpec{{ID: "x", Regex: `(`}}}, "redact: rule x: error parsing regexp"},
		{"bad id", Config{ExtraRules: []RuleSpec{{ID: "Bad ID", Regex: `x`}}}, `redact: rule id "Bad ID"`},
		{"empty regex", Config{ExtraRules: []RuleSpec{{ID: "x"}}}, "redact: rule x: empty regex"},
		{"secret group", Config{ExtraRules: []RuleSpec{{ID: "x", Regex: `(a)`, SecretGroup: 2}}}, "redact: rule x: secret_group 2"},
		{"entropy", Config{ExtraRules: []RuleSpec{{ID: "x", Regex: `a`, Entropy: 9}}}, "redact: rule x: entropy 9"},
		{"empty keyword", Config{ExtraRules: []RuleSpec{{ID: "x", Regex: `a`, Keywords: []string{" "}}}}, "redact: rule x: empty keyword"},
		{"allow pattern", Config{AllowPatterns: []string{`[`}}, `redact: allow pattern "["`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestOrdinary checks that the ordinary fixture (identifiers, Rust paths,
// commit SHAs, UUIDs, hashes) gives no finding at all.
func TestOrdinary(t *testing.T) {
	r, err := New(Config{Mentions: true})
	require.NoError(t, err)
	names, err := filepath.Glob(filepath.Join("testdata", "ordinary", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, n := range names {
		data, err := os.ReadFile(n)
		require.NoError(t, err)
		_, findings := r.Redact(string(data))
		for _, f := range findings {
			t.Errorf("%s: false positive %s on %q", n, f.RuleID, data[f.Start:f.End])
		}
	}
}

// TestRedactIsIdempotent checks that placeholders are not redacted again.
func TestRedactIsIdempotent(t *testing.T) {
	r, err := New(Config{Mentions: true})
	require.NoError(t, err)
	for name, text := range fixtureTexts(t) {
		once, _ := r.Redact(text)
		twice, findings := r.Redact(once)
		assert.Equal(t, once, twice, name)
		assert.Empty(t, findings, name)
	}
}

func TestConcurrentUse(t *testing.T) {
	r, err := New(Config{Mentions: true})
	require.NoError(t, err)
	texts := fixtureTexts(t)
	want := map[string]string{}
	for name, text := range texts {
		want[name], _ = r.Redact(text)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for name, text := range texts {
				got, _ := r.Redact(text)
				assert.Equal(t, want[name], got, name)
			}
		})
	}
	wg.Wait()
}

func TestRuleIDs(t *testing.T) {
	r, err := New(Config{ExtraRules: []RuleSpec{{ID: "internal-token", Regex: `itk_\w+`, Keywords: []string{"itk_"}}}})
	require.NoError(t, err)
	ids := r.RuleIDs()
	assert.Greater(t, len(ids), 200, "gitleaks' default rules are in effect")
	for _, want := range []string{"aws-access-token", "github-pat", genericRule, "url-password", "adyen-api-key", "internal-token"} {
		assert.Contains(t, ids, want)
	}
	assert.NotContains(t, ids, "pkcs12-file", "path-only rules are inactive")
	assert.IsNonDecreasing(t, ids)
}

func TestPlaceholderShare(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"", 0},
		{"   \n", 0},
		{"<EMAIL>", 1},
		{"<REDACTED:github-pat>", 1},
		{"key <REDACTED:x>", 12.0 / 15},
		{"abcd <USER>", 6.0 / 10},
		{"<redacted:x> <Email>", 0},
		{"é <EMAIL>", 7.0 / 8},
	}
	for _, tt := range tests {
		assert.InDelta(t, tt.want, PlaceholderShare(tt.in), 1e-9, "%q", tt.in)
	}
}

func TestCounts(t *testing.T) {
	var c Counts
	c.Add(nil)
	assert.Nil(t, c)
	c.Add([]Finding{{RuleID: "a"}, {RuleID: EmailRule}, {RuleID: "a"}})
	var other Counts
	other.Merge(c)
	other.Merge(Counts{"b": 2})
	assert.Equal(t, Counts{"a": 2, EmailRule: 1}, c)
	assert.Equal(t, Counts{"a": 2, EmailRule: 1, "b": 2}, other)
	assert.Equal(t, 5, other.Total())
}

func TestPlaceholderNames(t *testing.T) {
	for _, id := range []string{"a", "aws-access-token", EmailRule, MentionRule} {
		p := placeholder(id)
		assert.True(t, strings.HasPrefix(p, "<") && strings.HasSuffix(p, ">"))
		assert.Equal(t, 1.0, PlaceholderShare(p), p)
	}
}
