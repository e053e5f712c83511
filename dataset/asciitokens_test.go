package dataset

import (
	"bufio"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestASCIITokens checks the ASCII counter against the encoder on texts
// that exercise each alternative of the pre-tokenizer and on random ones
// made of its edge cases.
func TestASCIITokens(t *testing.T) {
	tables, err := loadTokenTables()
	require.NoError(t, err)
	code, err := readSampleRust()
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(11, 12))
	atoms := []string{"'s", "'S", "'t", "'re", "'RE", "'rE", "'ve", "'m", "'ll", "'LL", "'d", "'x", "'", "''", "'r", "'l",
		"a", "Z", "word", "Payment", "x", "1", "12", "123", "1234", "12345", " ", "  ", "   ", "\t", "\n", "\r\n", "\r",
		"\n\n", " \n", "\n ", "\t\n", "(", ")", "{", "}", "::", "->", "`", "**", "_", "__init__", "-", ".", ",", ";",
		"!", "?", "#[cfg(test)]", "=", "==", "\"", "\\", "/", "@", "~", "$", "%", "^", "&", "*", "+", "<", ">", "|"}
	tests := []struct{ name, text string }{
		{"empty", ""},
		{"one space", " "},
		{"trailing spaces", "fn x()   "},
		{"spaces before a word", "a    b"},
		{"spaces before digits", "x   123456 7"},
		{"spaces before punctuation", "a   (b)  ->  c"},
		{"line breaks in spaces", "a  \n \r\n\t  b\n\n\n"},
		{"contractions", "don't I'M we'RE they've you'll he'd it's 'sa 'rex"},
		{"punctuation runs with breaks", "x;;\n\n\ty}}\r\n"},
		{"tabs before words", "\tfoo\t\tbar \tbaz"},
		{"long word", strings.Repeat("supercalifragilistic", 10)},
		{"long punctuation", strings.Repeat("=-", 100)},
		{"Rust code", code},
		{"a response", "To implement this payment feature:\n\n1. API Models\n   - crates/api_models/src/payments.rs\n     - Add field `customer_id` to struct `CustomerListRequest`\n\nIdentifier changes in commit 1a2b3c4d (feat: x):\n**crates/x.rs**\n  Add:\n    - function: pub::f"},
	}
	for i := range 300 {
		var b strings.Builder
		for range 1 + r.IntN(60) {
			b.WriteString(atoms[r.IntN(len(atoms))])
		}
		tests = append(tests, struct{ name, text string }{"random " + string(rune('a'+i%26)), b.String()})
	}
	for _, tt := range tests {
		got, ok := asciiTokens(tables.ranks, tt.text)
		require.True(t, ok, "%q", tt.text)
		assert.Equal(t, len(tables.enc.EncodeOrdinary(tt.text)), got, "%s: %q", tt.name, tt.text)
	}
	for _, text := range []string{"é", "a\u00a0b", "x\vy", "x\fy", "\x00", "\x7f", "ok \xff"} {
		_, ok := asciiTokens(tables.ranks, text)
		assert.False(t, ok, "%q is left to the encoder", text)
	}
}

// TestASCIITokensOnDataset checks the ASCII counter against the encoder
// on the segments of a dataset's prompts and responses: set
// SFTFORGE_TOKENS_JSONL to a merged_dataset.jsonl.
func TestASCIITokensOnDataset(t *testing.T) {
	name := os.Getenv("SFTFORGE_TOKENS_JSONL")
	if name == "" {
		t.Skip("set SFTFORGE_TOKENS_JSONL")
	}
	tables, err := loadTokenTables()
	require.NoError(t, err)
	f, err := os.Open(name)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<30)
	seen := map[string]bool{}
	checked, bad := 0, 0
	for sc.Scan() {
		var rec struct{ Prompt, Response string }
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec))
		for _, text := range []string{rec.Prompt, rec.Response} {
			for len(text) > 0 {
				n := nextTokenSegment(text)
				seg := text[:n]
				text = text[n:]
				if seen[seg] {
					continue
				}
				seen[seg] = true
				if got, ok := asciiTokens(tables.ranks, seg); ok {
					checked++
					if want := len(tables.enc.EncodeOrdinary(seg)); got != want && bad < 20 {
						bad++
						t.Errorf("%q: %d tokens, want %d", seg, got, want)
					}
				}
			}
		}
	}
	require.NoError(t, sc.Err())
	t.Logf("%d distinct ASCII segments checked", checked)
}

// FuzzASCIITokens compares the ASCII counter with the encoder.
func FuzzASCIITokens(f *testing.F) {
	for _, s := range []string{"", "it's a test", "  x\n\n y", "fn main() {\r\n\tlet x = 123456;\n}", "'RE'll 've"} {
		f.Add(s)
	}
	tables, err := loadTokenTables()
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, text string) {
		if got, ok := asciiTokens(tables.ranks, text); ok {
			assert.Equal(t, len(tables.enc.EncodeOrdinary(text)), got, "%q", text)
		}
	})
}
