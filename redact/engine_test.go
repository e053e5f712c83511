package redact

import (
	"fmt"
	"os"
	"path/filepath"
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
