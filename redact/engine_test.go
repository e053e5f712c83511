package redact

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixtureTexts returns the planted and ordinary fixture files by name.
func fixtureTexts(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, dir := range []string{"planted", "ordinary"} {
		names, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
		require.NoError(t, err)
		for _, n := range names {
			if strings.HasSuffix(n, ".golden") || strings.HasSuffix(n, ".jsonl") {
				continue
			}
			data, err := os.ReadFile(n)
			require.NoError(t, err)
			out[n] = string(data)
		}
	}
	return out
}

// coverage renders which bytes of text a set of secret spans covers, with
// one '#' per covered byte, so two engines can be compared regardless of
// how they name overlapping findings.
func coverage(text string, spans []span) string {
	b := []byte(text)
	for _, s := range mergeOverlaps(spans) {
		for i := s.start; i < s.end; i++ {
			b[i] = '#'
		}
	}
	return string(b)
}

// TestSegmentedMatchesPlain checks that the engine (segments, generic
// windows, stripped prefixes) redacts exactly the bytes that gitleaks'
// detector run plainly over each whole text redacts. Set REDACT_REAL_TEXT
// to files (comma-separated; e.g. `git log -p` output of a real repository)
// to compare on them too, in record-sized pieces.
func TestSegmentedMatchesPlain(t *testing.T) {
	r, err := New(Config{})
	require.NoError(t, err)
	plain := r.secrets.plainDetector()
	texts := fixtureTexts(t)
	if env := os.Getenv("REDACT_REAL_TEXT"); env != "" {
		for _, path := range strings.Split(env, ",") {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			for i, rec := range benchRecords(string(data)) {
				texts[fmt.Sprintf("%s#%05d", path, i)] = rec
			}
		}
	}
	for name, text := range texts {
		got := coverage(text, r.secrets.find(text))
		want := coverage(text, r.secrets.plainFind(plain, text))
		assert.Equal(t, want, got, name)
	}
}

// TestAdversarialInputs runs inputs that would make a careless scan
// quadratic (many hits before one far END line, a long value after an
// operator, a long line full of keywords); each must redact like plain
// gitleaks. BenchmarkAdversarial times them at a larger size.
func TestAdversarialInputs(t *testing.T) {
	size := 4 << 10 // gitleaks' own regexes make much larger inputs slow under -race
	value := strings.Repeat("q7W3e9R1t5Y2u8I4o6P0a1S3d5F7g9H2", size/32)
	inputs := map[string]string{
		"pem headers without END": strings.Repeat("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n", size/48),
		"long value":              "api_key=" + value + "\n",
		"keywords on one line":    strings.Repeat("s. key: token=", size/14),
		"operators after keys":    strings.Repeat("key=key=", size/8),
	}
	r, err := New(Config{})
	require.NoError(t, err)
	plain := r.secrets.plainDetector()
	for name, text := range inputs {
		got := coverage(text, r.secrets.find(text))
		want := coverage(text, r.secrets.plainFind(plain, text))
		assert.Equal(t, want, got, name)
	}
	out, _ := r.Redact(inputs["long value"])
	assert.Equal(t, "api_key=<REDACTED:generic-api-key>\n", out)
}

// genericShapeCases are texts around the edges of genericMatchable (every
// operator of the generic regex, names and gaps at their length limits,
// wrapped values, escaped terminators, and the forms of a commit record's
// response, owner::name paths, that never match) and of keywordShapes.
var genericShapeCases = []string{
	"api_key = \"q7W3e9R1t5Y2u8I4o6P0\"",
	"api_key := q7W3e9R1t5Y2u8I4o6P0;",
	"api_key ::= q7W3e9R1t5Y2u8I4o6P0;",
	"api_key :::= q7W3e9R1t5Y2u8I4o6P0;",
	"api_key ::::= q7W3e9R1t5Y2u8I4o6P0;",
	"api_key => 'q7W3e9R1t5Y2u8I4o6P0'",
	"api_key || q7W3e9R1t5Y2u8I4o6P0 ",
	"api_key ?= q7W3e9R1t5Y2u8I4o6P0\n",
	"api_key, q7W3e9R1t5Y2u8I4o6P0\n",
	"api_key > q7W3e9R1t5Y2u8I4o6P0\n",
	"api_key | q7W3e9R1t5Y2u8I4o6P0\n",
	"api_key ? q7W3e9R1t5Y2u8I4o6P0\n",
	"token_with_a_long_name_here = q7W3e9R1t5Y2u8I4o6P0\n",
	"token_with_a_long_name_her = q7W3e9R1t5Y2u8I4o6P0\n",
	"secret \"\n' = q7W3e9R1t5Y2u8I4o6P0\n",
	"secret \"\n'  = q7W3e9R1t5Y2u8I4o6P0\n",
	"let api_key =\n        \"q7W3e9R1t5Y2u8I4o6P0\";",
	"let api_key =\n" + strings.Repeat(" ", 40) + "\"q7W3e9R1t5Y2u8I4o6P0\";",
	"let api_key =\n" + strings.Repeat(" ", 41) + "\"q7W3e9R1t5Y2u8I4o6P0\";",
	"password=`\"' =q7W3e9R1t5Y2u8I4o6P0`",
	"password=`\"' = q7W3e9R1t5Y2u8I4o6P0`",
	"\"auth\": \"q7W3e9R1t5Y2u8I4o6P0\\n\"",
	"credential: q7W3e9R1t5Y2u8I4o6P0",
	"credential: q7W3e9R1t5Y2u8I4o6P0+/abc==;",
	"creds:q7W3e9R1t5Y2u8I4o6P0\r\n",
	"ACCESS_TOKEN=q7W3e9R1t5Y2u8I4o6P0",
	"passwd\t=\tq7W3e9R1t5Y2u8I4o6P0",
	"    - function: pub::api::ConnectorCommon for Aci::get_auth_header\n    - struct: pub::Keys::temp_card_key\n",
	"    - field: pub::Keys::aws_key_id #[cfg(feature=\"kms\")]\n    - field: pub::Settings::secret_key_value1\n",
	"key::= q7W3e9R1t5Y2u8I4o6P0 key: q7W3e9R1t5Y2u8I4o6P0 token",
	"token",
	"token =",
	"token = q7W3e9R1t5",
	// keywordShapes' keywords, matching and not.
	"vault token s.Q7w3E9r1T5y2U8i4O6p0A1s3\n",
	"vault token s.Q7w3E9r1T5y2U8i4O6p0A1s\n",
	"VAULT=hvs." + strings.Repeat("Q7w3E9r1T5y2U8i4O6p0-", 5) + "\n",
	"**crates/router/src/connectors.rs**\n  Add:\n    - struct: pub::Keys\n",
	"jwt: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n",
	"jwt: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9-eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n",
	"twilio SKa1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6 SKa1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d\n",
	"lob_key = test_a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f\nlob_key = live_a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f\n",
	"https://abc.webhook.office.com/webhookb2/12345678-abcd-abcd-abcd-123456789012@12345678-abcd-abcd-abcd-123456789012/IncomingWebhook/0123456789abcdef0123456789abcdef/12345678-abcd-abcd-abcd-123456789012\n",
	"impl api::IncomingWebhook for Stripe\n",
	"Authorization: Bearer q7W3e9R1t5Y2u8I4o6P0a1S3\n",
	"authorization\" \t= 'Basic q7W3e9R1t5Y2u8I4o6P0a1S3'\n",
	"the authorization flow: token q7W3e9R1t5Y2u8I4o6P0a1S3\n",
}

// TestShapesChangeNothing checks that skipping the generic windows in
// which no keyword passes genericMatchable, and the segments in which no
// hit passes its keyword's shape (keywordShapes), finds exactly what
// running every window and segment finds, on the fixtures,
// genericShapeCases and the texts of REDACT_REAL_TEXT.
func TestShapesChangeNothing(t *testing.T) {
	r, err := New(Config{})
	require.NoError(t, err)
	require.True(t, r.secrets.genericShape, "gitleaks' generic regex is not genericRegex: update genericRegex and genericMatchable")
	shaped := 0
	for _, s := range r.secrets.shapes {
		if s != nil {
			shaped++
		}
	}
	require.Equal(t, len(keywordShapes), shaped, "a keyword's rules or regexes changed: update keywordShapes")
	texts := fixtureTexts(t)
	for i, c := range genericShapeCases {
		texts[fmt.Sprintf("case %d", i)] = c
	}
	if env := os.Getenv("REDACT_REAL_TEXT"); env != "" {
		for _, path := range strings.Split(env, ",") {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			for i, rec := range benchRecords(string(data)) {
				texts[fmt.Sprintf("%s#%05d", path, i)] = rec
			}
		}
	}
	for name, text := range texts {
		assert.Equal(t, findAllWindows(r.secrets, text), sortedSpans(r.secrets.find(text)), name)
	}
}

// findAllWindows is secretEngine.find with every generic window and
// segment run (no shapes), sorted.
func findAllWindows(e *secretEngine, text string) []span {
	shaped := *e
	shaped.genericShape = false
	shaped.shapes = make([]func(string, int, int) bool, len(e.shapes))
	return sortedSpans(shaped.find(text))
}

// sortedSpans sorts spans by position, then rule (find's order follows
// gitleaks' map of rules).
func sortedSpans(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end), strings.Compare(a.rule, b.rule))
	})
	return spans
}

// FuzzShapes checks TestShapesChangeNothing's property on any
// text.
func FuzzShapes(f *testing.F) {
	for _, c := range genericShapeCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r, err := fuzzRedactor()
		require.NoError(t, err)
		require.Equal(t, findAllWindows(r.secrets, text), sortedSpans(r.secrets.find(text)))
	})
}
