package dedup

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWords(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"", nil},
		{"  \n\t ", nil},
		{"Add PlaceToPay cards", []string{"add", "placetopay", "cards"}},
		{"fn validate_capture_method(x: u8)", []string{"fn", "validate", "capture", "method", "x", "u8"}},
		{"commit 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b and abc1234", []string{"commit", "and"}},
		{"deadbeef cafebabe 1234567", []string{"deadbeef", "cafebabe", "1234567"}}, // no digit, or no letter
		{"Ünïcode ÉTÉ naïve", []string{"ünïcode", "été", "naïve"}},
		{"a\xffb", []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			assert.Equal(t, tt.want, Words(tt.text))
		})
	}
}

func TestShinglesAndJaccard(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		n    int
		want float64
	}{
		{"identical", "one two three four five six", "one two three four five six", 5, 1},
		{"case, punctuation and hashes do not count", "One, two; three four five (1a2b3c4d)", "one two three four five", 5, 1},
		{"one shingle of two", "a b c d e f", "a b c d e g", 5, 1.0 / 3},
		{"disjoint", "a b c d e", "f g h i j", 5, 0},
		{"short texts are one shingle", "fix typo", "fix typo", 5, 1},
		{"short texts differ", "fix typo", "fix bug", 5, 0},
		{"word sets with n=1", "a b c", "b c d", 1, 0.5},
		{"repeated shingles count once", "x x x x x x x x", "x x x x x", 5, 1},
		{"empty", "", "", 5, 0},
		{"empty and not", "", "a b c", 5, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.want, Jaccard(Shingles(tt.a, tt.n), Shingles(tt.b, tt.n)), 1e-9)
			assert.InDelta(t, tt.want, NearOptions{ShingleWords: tt.n}.Similarity(tt.a, tt.b), 1e-9)
		})
	}
}

func TestNearOptionsValidate(t *testing.T) {
	tests := []struct {
		opts NearOptions
		err  string
	}{
		{NearOptions{}, ""},
		{NearOptions{Threshold: 1}, ""},
		{NearOptions{Threshold: 0.5, ShingleWords: 3, Hashes: 64}, ""},
		{NearOptions{Threshold: -0.1}, "threshold -0.1"},
		{NearOptions{Threshold: 1.5}, "threshold 1.5"},
		{NearOptions{ShingleWords: -1}, "shingle of -1 words"},
		{NearOptions{Hashes: 5000}, "5000 hashes"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.opts), func(t *testing.T) {
			err := tt.opts.Validate()
			if tt.err == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tt.err)
			_, err = tt.opts.Find(1, func(int) string { return "" })
			require.ErrorContains(t, err, tt.err)
		})
	}
}

func TestBands(t *testing.T) {
	tests := []struct {
		opts        NearOptions
		bands, rows int
	}{
		{NearOptions{}, 14, 9},
		{NearOptions{Threshold: 0.9}, 11, 11},
		{NearOptions{Threshold: 0.5}, 42, 3},
		{NearOptions{Threshold: 1}, 1, 128},
		{NearOptions{Hashes: 1}, 1, 1},
	}
	for _, tt := range tests {
		b, r := tt.opts.Bands()
		assert.Equal(t, []int{tt.bands, tt.rows}, []int{b, r}, "%+v", tt.opts)
	}
}

// text returns a synthetic text of n words drawn from a vocabulary.
func text(r *rand.Rand, n int) string {
	words := make([]string, n)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", r.IntN(5000))
	}
	return strings.Join(words, " ")
}

// edit replaces k of the words of s with new ones.
func edit(r *rand.Rand, s string, k int) string {
	words := strings.Fields(s)
	for range k {
		words[r.IntN(len(words))] = fmt.Sprintf("x%d", r.IntN(1_000_000))
	}
	return strings.Join(words, " ")
}

func TestFind(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	a, b, c := text(r, 400), text(r, 400), text(r, 400)
	tests := []struct {
		name  string
		opts  NearOptions
		texts []string
		want  []int // Match.Of per text
	}{
		{"nothing", NearOptions{}, nil, []int{}},
		{"distinct texts", NearOptions{}, []string{a, b, c}, []int{-1, -1, -1}},
		{"an exact copy", NearOptions{}, []string{a, b, a}, []int{-1, -1, 0}},
		{"a copy with a changed hash and case", NearOptions{}, []string{a + " 1a2b3c4d5e", b, strings.ToUpper(a) + " 9f8e7d6c5b"}, []int{-1, -1, 0}},
		{"one word in 400 changed", NearOptions{}, []string{a, edit(r, a, 1), b}, []int{-1, 0, -1}},
		{"20 words in 400 changed: below 0.85", NearOptions{}, []string{a, edit(r, a, 20), b}, []int{-1, -1, -1}},
		{"20 words in 400 changed: above 0.5", NearOptions{Threshold: 0.5}, []string{a, edit(r, a, 20)}, []int{-1, 0}},
		{"the earliest match is reported", NearOptions{}, []string{b, a, a, a}, []int{-1, -1, 1, 1}},
		{"empty texts are never duplicates", NearOptions{}, []string{"", "", "..."}, []int{-1, -1, -1}},
		{"threshold 1 keeps a one-word edit", NearOptions{Threshold: 1}, []string{a, edit(r, a, 1), a}, []int{-1, -1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := tt.opts.Find(len(tt.texts), func(i int) string { return tt.texts[i] })
			require.NoError(t, err)
			got := make([]int, len(ms))
			for i, m := range ms {
				got[i] = m.Of
				if m.Of >= 0 {
					assert.GreaterOrEqual(t, m.Similarity, tt.opts.withDefaultsOrZero().Threshold)
					assert.InDelta(t, tt.opts.Similarity(tt.texts[i], tt.texts[m.Of]), m.Similarity, 1e-12)
				} else {
					assert.Zero(t, m.Similarity)
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestFindFunc: a pair refused by accept is not a match; a later
// candidate still can be.
func TestFindFunc(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	a := text(r, 300)
	texts := []string{a, a, a}
	ms, err := NearOptions{}.FindFunc(3, func(i int) string { return texts[i] }, func(i, j int) bool { return j != 0 })
	require.NoError(t, err)
	assert.Equal(t, []int{-1, -1, 1}, []int{ms[0].Of, ms[1].Of, ms[2].Of})
}

// withDefaultsOrZero is withDefaults for tests.
func (o NearOptions) withDefaultsOrZero() NearOptions {
	o, _ = o.withDefaults()
	return o
}

// TestFindRecall checks the banding on many pairs just above the
// threshold: the share found is what Bands promises.
func TestFindRecall(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var texts []string
	pairs := 0
	for range 200 {
		a := text(r, 300)
		b := edit(r, a, 3) // about 0.9 similar
		if (NearOptions{}).Similarity(a, b) >= DefaultThreshold {
			pairs++
			texts = append(texts, a, b)
		}
	}
	ms, err := NearOptions{}.Find(len(texts), func(i int) string { return texts[i] })
	require.NoError(t, err)
	found := 0
	for i := 1; i < len(ms); i += 2 {
		if ms[i].Of == i-1 {
			found++
		}
	}
	assert.Greater(t, pairs, 150)
	assert.GreaterOrEqual(t, float64(found)/float64(pairs), 0.97)
}

// TestSketchMatchesFind: texts that share a band key of their sketches are
// the candidates Find compares (the distributed pipeline buckets them so).
func TestSketchMatchesFind(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	a := text(r, 300)
	sa, err := NearOptions{}.Sketch(a)
	require.NoError(t, err)
	sb, err := NearOptions{}.Sketch(strings.ToUpper(a))
	require.NoError(t, err)
	assert.Len(t, sa.Bands, 14)
	assert.Equal(t, sa, sb)
	sc, err := NearOptions{}.Sketch(text(r, 300))
	require.NoError(t, err)
	for _, k := range sc.Bands {
		assert.NotContains(t, sa.Bands, k)
	}
	empty, err := NearOptions{}.Sketch("")
	require.NoError(t, err)
	assert.Empty(t, empty.Bands)
	_, err = NearOptions{Threshold: 2}.Sketch(a)
	assert.Error(t, err)
}

func FuzzNear(f *testing.F) {
	f.Add("feat(connector): add PlaceToPay cards", "feat(connector): add PlaceToPay cards 1a2b3c4d")
	f.Add("", "x")
	f.Add("a\xffb c d e f", "A B C D E F")
	f.Fuzz(func(t *testing.T, a, b string) {
		o := NearOptions{}
		s := o.Similarity(a, b)
		if s < 0 || s > 1 || s != o.Similarity(b, a) {
			t.Fatalf("similarity %v of %q and %q (not symmetric or out of [0, 1])", s, a, b)
		}
		sh := Shingles(a, 0)
		for i := 1; i < len(sh); i++ {
			if sh[i-1] >= sh[i] {
				t.Fatalf("shingles of %q not sorted and distinct", a)
			}
		}
		ms, err := o.Find(3, func(i int) string { return []string{a, b, a}[i] })
		if err != nil {
			t.Fatal(err)
		}
		if len(sh) > 0 && ms[2].Of != 0 && (ms[1].Of != 0 || ms[2].Of != 1) {
			t.Fatalf("a copy of %q not found: %+v", a, ms)
		}
		if len(sh) == 0 && ms[2].Of != -1 {
			t.Fatalf("%q has no words but is a duplicate: %+v", a, ms)
		}
	})
}

// BenchmarkFind measures near-duplicate detection over 10,000 synthetic
// records of 500 words (about a merged record's prompt and response), one
// in ten a light edit of an earlier one.
func BenchmarkFind(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	texts := make([]string, 10_000)
	for i := range texts {
		if i > 0 && i%10 == 0 {
			texts[i] = edit(r, texts[r.IntN(i)], 2)
		} else {
			texts[i] = text(r, 500)
		}
	}
	b.ResetTimer()
	for range b.N {
		if _, err := (NearOptions{}).Find(len(texts), func(i int) string { return texts[i] }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(texts)*b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkChangeID measures change IDs of 10,000 synthetic changes of 5
// files and 20 identifier changes.
func BenchmarkChangeID(b *testing.B) {
	changes := syntheticChanges(10_000)
	b.ResetTimer()
	for range b.N {
		for _, c := range changes {
			ChangeID(c.files, c.idents)
		}
	}
	b.ReportMetric(float64(len(changes)*b.N)/b.Elapsed().Seconds(), "records/s")
}

// minHashesByShingle is minHashes as it was first written: each shingle
// in turn through every hash function.
func minHashesByShingle(sig, shingles []uint64) []uint64 {
	for i := range sig {
		sig[i] = math.MaxUint64
	}
	for _, s := range shingles {
		for i := range sig {
			if v := permA[i]*s + permB[i]; v < sig[i] {
				sig[i] = v
			}
		}
	}
	return sig
}

// TestMinHashesByShingle checks that the signature taken hash function by
// hash function, four at a time, is that taken shingle by shingle, for
// every signature length up to 1024 and sets of 0 to 300 shingles.
func TestMinHashesByShingle(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 3, 5, 17, 120, 300} {
		shingles := make([]uint64, n)
		for i := range shingles {
			shingles[i] = r.Uint64()
		}
		for _, size := range []int{1, 2, 3, 4, 5, 7, 126, 128, 129, 1023, 1024} {
			got := minHashes(make([]uint64, size), shingles)
			want := minHashesByShingle(make([]uint64, size), shingles)
			if !slices.Equal(got, want) {
				t.Fatalf("%d shingles, %d hashes: signatures differ", n, size)
			}
		}
	}
}

// benchmarkSignature times sign on a 126-hash signature of 120 shingles.
func benchmarkSignature(b *testing.B, sign func(sig, shingles []uint64) []uint64) {
	r := rand.New(rand.NewPCG(3, 4))
	shingles := make([]uint64, 120)
	for i := range shingles {
		shingles[i] = r.Uint64()
	}
	sig := make([]uint64, 126)
	for range b.N {
		sign(sig, shingles)
	}
}

func BenchmarkMinHashes(b *testing.B) { benchmarkSignature(b, minHashes) }

func BenchmarkMinHashesByShingle(b *testing.B) { benchmarkSignature(b, minHashesByShingle) }
