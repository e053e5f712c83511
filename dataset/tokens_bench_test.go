package dataset

import (
	"fmt"
	"strings"
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
