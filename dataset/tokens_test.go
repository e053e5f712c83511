package dataset

import (
	"encoding/base64"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exactTokens encodes text in one call, as CountTokens did before it
// chunked (quadratic or worse on long runs: keep the texts small).
func exactTokens(t *testing.T, text string) int {
	t.Helper()
	enc, err := tokenEncoder()
	require.NoError(t, err)
	return len(enc.EncodeOrdinary(text))
}

func TestCountTokensChunked(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	raw := make([]byte, 12000)
	for i := range raw {
		raw[i] = byte(r.IntN(256))
	}
	words := []string{"the", "payment", "don't", "123", "45678", "é", "支付", "(x)", "->", "  ", "\n", "\n\n", "\t", "\r\n", "    ", "'s", "{", "}", "—", "\u00a0", "\u3000"}
	var mixed strings.Builder
	for mixed.Len() < 150000 {
		mixed.WriteString(words[r.IntN(len(words))])
		if r.IntN(3) > 0 {
			mixed.WriteByte(' ')
		}
	}
	code, err := readSampleRust()
	require.NoError(t, err)
	tests := []struct {
		name  string
		text  string
		exact bool // the chunks end only at safe points: the count is exact
	}{
		{"empty", "", true},
		{"short", "fn main() { println!(\"hi\"); }", true},
		{"random words, spaces, newlines, tabs, CJK", mixed.String(), true},
		{"Rust code", strings.Repeat(code, 150000/len(code)+1), true},
		{"indented lines", strings.Repeat("        if x {\n            y();\n        }\n", 3000), true},
		{"many spaces between words", strings.Repeat("a          b ", 10000), true},
		{"base64 blob", base64.StdEncoding.EncodeToString(raw), false},
		{"letters only", strings.Repeat("abcdefghij", 1500), false},
		{"spaces only", strings.Repeat(" ", 6000), false},
		{"CJK without spaces", strings.Repeat("支付连接器已添加新的退款流程，商户可以按客户编号搜索。", 200), false},
		{"minified JSON", strings.Repeat(`{"id":12345,"name":"payment_intent","amount":1000},`, 300), false},
	}
	enc, err := tokenEncoder()
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The memoised segments count what the chunks count, forced
			// cuts included (twice: from the memo the second time).
			for range 2 {
				assert.Equal(t, countChunked(enc, tt.text), countSegments(enc, tt.text), "segments and chunks")
			}
			got, err := CountTokens(tt.text)
			require.NoError(t, err)
			want := exactTokens(t, tt.text)
			if tt.exact {
				assert.Equal(t, want, got)
				return
			}
			// At most two tokens per forced cut (measured: 0.1% on base64,
			// 0.4% on CJK, 1.2% on minified JSON, 2.3% on one repeated word).
			cuts := len(tt.text)/tokenRun + 1
			assert.InDelta(t, want, got, float64(2*cuts), "exact %d", want)
			assert.InEpsilon(t, want, got, 0.03, "within 3%%")
		})
	}
}

// TestTokenChunks: chunks cover the text in order, are at most tokenChunk
// bytes, end at a safe point or a rune boundary, and hold no stretch
// longer than tokenRun without a safe point.
func TestTokenChunks(t *testing.T) {
	for _, text := range []string{
		strings.Repeat("word ", 5000),
		strings.Repeat("x", 10000),
		strings.Repeat("é", 5000),
		strings.Repeat("a ", 100) + strings.Repeat("b", 1000) + strings.Repeat(" c", 100),
		strings.Repeat("支付", 3000),
	} {
		rest, joined := text, ""
		for len(rest) > 0 {
			n := nextTokenChunk(rest)
			require.Positive(t, n)
			require.LessOrEqual(t, n, tokenChunk)
			chunk := rest[:n]
			require.True(t, strings.ToValidUTF8(chunk, "?") == chunk || !strings.Contains(text, "é"), "chunk ends inside a rune")
			if n < len(rest) && !safeSplit(rest, n) {
				require.LessOrEqual(t, n, tokenRun, "a forced cut only of a long stretch")
			}
			joined += chunk
			rest = rest[n:]
		}
		require.Equal(t, text, joined)
	}
}

// TestCountTokensConcurrent: CountTokens holds no lock of its own; the
// same texts counted from many goroutines give the same counts.
func TestCountTokensConcurrent(t *testing.T) {
	texts := []string{tokenBenchText(300<<10, true), "short text", tokenBenchText(20<<10, false)}
	want := make([]int, len(texts))
	for i, s := range texts {
		n, err := CountTokens(s)
		require.NoError(t, err)
		want[i] = n
	}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			n, err := CountTokens(texts[g%len(texts)])
			assert.NoError(t, err)
			assert.Equal(t, want[g%len(texts)], n)
		})
	}
	wg.Wait()
}

// readSampleRust reads the Rust files of rustparse's test data, our own.
func readSampleRust() (string, error) {
	var b strings.Builder
	for _, name := range []string{"items.rs", "modern.rs", "cfg_twins.rs", "broken.rs"} {
		data, err := os.ReadFile(filepath.Join("..", "rustparse", "testdata", name))
		if err != nil {
			return "", err
		}
		b.Write(data)
	}
	return b.String(), nil
}
