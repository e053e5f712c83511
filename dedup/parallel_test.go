package dedup

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// findSequential is FindFunc as it was before it ran on every CPU: the
// texts one by one, in order. The reference of TestFindFuncParallel.
func findSequential(o NearOptions, n int, text func(i int) string, accept func(i, j int) bool) []Match {
	o, _ = o.withDefaults()
	buckets := map[uint64][]int32{}
	out := make([]Match, n)
	for i := range n {
		out[i] = Match{Of: -1}
		shingles := Shingles(text(i), o.ShingleWords)
		sk := o.sketch(shingles)
		var cands []int32
		for _, k := range sk.Bands {
			cands = append(cands, buckets[k]...)
			buckets[k] = append(buckets[k], int32(i))
		}
		slices.Sort(cands)
		for _, j := range slices.Compact(cands) {
			if s := Jaccard(shingles, Shingles(text(int(j)), o.ShingleWords)); s >= o.Threshold && (accept == nil || accept(i, int(j))) {
				out[i] = Match{Of: int(j), Similarity: s}
				break
			}
		}
	}
	return out
}

// TestFindFuncParallel: batches of any size (texts and their candidates
// in the same batch or earlier ones) find what the texts compared one by
// one find, with and without accept.
func TestFindFuncParallel(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var texts []string
	for i := range 300 {
		switch {
		case i%7 == 3 && i > 20: // a near copy of a text far back
			texts = append(texts, edit(r, texts[r.IntN(i-20)], 1))
		case i%5 == 1 && i > 0: // of the text just before
			texts = append(texts, edit(r, texts[i-1], r.IntN(3)))
		case i%11 == 0:
			texts = append(texts, strings.ToUpper(text(r, 40))+" Ünïcode ÄBC 1a2b3c4d5e")
		default:
			texts = append(texts, text(r, 20+r.IntN(200)))
		}
	}
	text := func(i int) string { return texts[i] }
	refuse := func(i, j int) bool { return (i+j)%3 != 0 }
	defer func(b int) { findBatch = b }(findBatch)
	for _, tt := range []struct {
		name   string
		batch  int
		opts   NearOptions
		accept func(i, j int) bool
	}{
		{"one batch", 1024, NearOptions{}, nil},
		{"small batches", 1, NearOptions{}, nil},
		{"batches of 37", 37, NearOptions{Threshold: 0.5}, nil},
		{"small batches, accept refuses some pairs", 1, NearOptions{Threshold: 0.6}, refuse},
		{"one batch, accept refuses some pairs", 1024, NearOptions{Threshold: 0.6}, refuse},
	} {
		t.Run(tt.name, func(t *testing.T) {
			findBatch = tt.batch
			got, err := tt.opts.FindFunc(len(texts), text, tt.accept)
			require.NoError(t, err)
			want := findSequential(tt.opts, len(texts), text, tt.accept)
			assert.Equal(t, want, got)
			found := 0
			for _, m := range got {
				if m.Of >= 0 {
					found++
				}
			}
			assert.Greater(t, found, 30, "the texts have near-duplicates to find")
		})
	}
}

// TestWordHashes: the hashes of a text's words are fnv64 of Words.
func TestWordHashes(t *testing.T) {
	for _, tt := range []string{
		"", "a", "Hello, World!", "fn main() { let x_1 = 0xFF; }", "deadbeef1 cafe0123 ABCDEF12 abcdefg",
		"Ünïcode Straße ÉCOLE naïve", "mixed ÄbC and plain", "日本語のテキスト 123", "\xff\xfebad utf8\xc3",
		"tab\tseparated\nlines\r\nCRLF", "x", "trailing word",
	} {
		var want []uint64
		for _, w := range Words(tt) {
			want = append(want, fnv64(w))
		}
		assert.Equal(t, want, wordHashes(tt), "%q", tt)
	}
}

// TestFindPairs: texts in two parts find what the joined texts find,
// whatever the white space between the parts.
func TestFindPairs(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var as, bs []string
	for i := range 200 {
		switch {
		case i%5 == 1 && bs[i-1] != "":
			as, bs = append(as, as[i-1]), append(bs, edit(r, bs[i-1], 1))
		case i%7 == 2:
			as, bs = append(as, ""), append(bs, text(r, 30)) // no prompt
		case i%13 == 0:
			as, bs = append(as, "Ünïcode Straße "+text(r, 5)), append(bs, "")
		default:
			as, bs = append(as, text(r, 5+r.IntN(20))), append(bs, text(r, 20+r.IntN(100)))
		}
	}
	for _, sep := range []string{"\n\n", " ", "\t-- "} {
		joined := func(i int) string { return as[i] + sep + bs[i] }
		want, err := NearOptions{Threshold: 0.6}.FindFunc(len(as), joined, nil)
		require.NoError(t, err)
		got, err := NearOptions{Threshold: 0.6}.FindPairs(len(as), func(i int) (string, string) { return as[i], bs[i] }, nil)
		require.NoError(t, err)
		assert.Equal(t, want, got, "separator %q", sep)
		assert.Equal(t, findSequential(NearOptions{Threshold: 0.6}, len(as), joined, nil), got)
	}
}
