package dataset

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
)

// tokenBenchText is n bytes of prose, code and punctuation with ordinary
// spacing, and (long) a stretch without spaces every 8 KB, as in a pasted
// log or a base64 blob.
func tokenBenchText(n int, long bool) string {
	words := []string{"the ", "payment ", "connector ", "fn ", "foo_bar(", "123 ", "4567, ", "{\n    ", "}\n", "é ", "支付 ", "don't ", "a.b->c ", "// "}
	var b strings.Builder
	b.Grow(n)
	for i := 0; b.Len() < n; i++ {
		b.WriteString(words[(i*7+i/3)%len(words)])
		if long && i%1000 == 999 {
			b.WriteString(strings.Repeat("QUJDRA==", 128))
		}
	}
	return b.String()[:n]
}

// BenchmarkCountTokens shows CountTokens' time is linear in the text's
// length: ns/byte is about the same at 400 KB and 4 MB (the time ratio is
// about 10; it was quadratic, and worse on long runs without spaces).
func BenchmarkCountTokens(b *testing.B) {
	if _, err := CountTokens("warm up"); err != nil {
		b.Fatal(err)
	}
	for _, size := range []int{400 << 10, 4 << 20} {
		for _, long := range []bool{false, true} {
			text := tokenBenchText(size, long)
			b.Run(fmt.Sprintf("%dKB/long=%v", size>>10, long), func(b *testing.B) {
				b.SetBytes(int64(size))
				for b.Loop() {
					if _, err := CountTokens(text); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// zipfTexts returns n texts of about size bytes each, of words drawn from a
// vocabulary of 100,000 identifiers with a Zipf distribution (a few words
// very often, most rarely), as function lines, paths and words, like a
// merge's responses; and their total length.
func zipfTexts(seed uint64, n, size int) ([]string, int) {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	zipf := rand.NewZipf(rng, 1.1, 1, 100_000-1)
	texts := make([]string, n)
	total := 0
	for i := range texts {
		var sb strings.Builder
		for sb.Len() < size {
			switch n := zipf.Uint64(); n % 5 {
			case 0:
				fmt.Fprintf(&sb, "\n  - function: pub::handle_%d", n)
			case 1:
				fmt.Fprintf(&sb, " `crates/c%d/src/m%d.rs`", n%97, n)
			default:
				fmt.Fprintf(&sb, " word%d", n)
			}
		}
		texts[i] = sb.String()
		total += sb.Len()
	}
	return texts, total
}

// BenchmarkCountTokensResponses counts texts like a merge's responses:
// 10 KB each, of zipfTexts' words, so that the memo of segments holds
// most of them and a lookup's cost shows.
func BenchmarkCountTokensResponses(b *testing.B) {
	if _, err := CountTokens("warm up"); err != nil {
		b.Fatal(err)
	}
	texts, total := zipfTexts(1, 256, 10<<10)
	b.SetBytes(int64(total))
	for b.Loop() {
		for _, t := range texts {
			if _, err := CountTokens(t); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCountTokensParallel counts response-sized texts (about 700
// bytes of zipfTexts' words) on every CPU at once, as the merge's workers
// do: what the memo's locking costs shows here.
func BenchmarkCountTokensParallel(b *testing.B) {
	if _, err := CountTokens("warm up"); err != nil {
		b.Fatal(err)
	}
	texts, total := zipfTexts(3, 4096, 700)
	b.SetBytes(int64(total / len(texts)))
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := CountTokens(texts[next.Add(1)%int64(len(texts))]); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
