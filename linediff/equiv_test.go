package linediff

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// checkSameAsReference asserts that Lines, LinesMinimal and Stat give
// exactly what the reference implementation (reference_test.go) gives, in
// both directions.
func checkSameAsReference(t testing.TB, old, new []byte) {
	t.Helper()
	for _, p := range [][2][]byte{{old, new}, {new, old}} {
		o, n := p[0], p[1]
		want := refLines(o, n, false)
		got := Lines(o, n)
		if !equalHunks(got, want) {
			t.Fatalf("Lines(%q, %q)\n got %v\nwant %v", short(o), short(n), got, want)
		}
		var wa, wd int
		for _, h := range want {
			wa += h.NewLines
			wd += h.OldLines
		}
		if a, d := Stat(o, n); a != wa || d != wd {
			t.Fatalf("Stat(%q, %q) = +%d -%d, want +%d -%d", short(o), short(n), a, d, wa, wd)
		}
		want = refLines(o, n, true)
		got = LinesMinimal(o, n)
		if !equalHunks(got, want) {
			t.Fatalf("LinesMinimal(%q, %q)\n got %v\nwant %v", short(o), short(n), got, want)
		}
	}
}

// equalHunks compares hunk lists, treating nil and empty alike.
func equalHunks(a, b []Hunk) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func short(b []byte) []byte {
	if len(b) > 300 {
		return append(b[:300:300], "..."...)
	}
	return b
}

func TestLinesSameAsReference(t *testing.T) {
	rep := func(s string, n int) string { return strings.Repeat(s, n) }
	braces := rep("}\n", 40) + rep("\n", 40)
	tests := []struct{ name, old, new string }{
		{"both empty", "", ""},
		{"one empty", "", "a\nb\n"},
		{"only newline vs empty", "\n", ""},
		{"identical", "a\nb\nc\n", "a\nb\nc\n"},
		{"identical no trailing newline", "a\nb\nc", "a\nb\nc"},
		{"no trailing newline differs", "a\nb", "a\nb\n"},
		{"no trailing newline both", "a\nb", "a\nc"},
		{"last line extended", "a\nb", "a\nbc"},
		{"last line extended with newline", "a\nb\n", "a\nbc\n"},
		{"prefix is whole old", "a\nb\n", "a\nb\nc\n"},
		{"prefix is whole old no newline", "a\nb", "a\nb\nc\n"},
		{"suffix is whole old", "b\nc\n", "a\nb\nc\n"},
		{"suffix without newline", "x\nab", "y\nab"},
		{"suffix partial line", "xab\n", "yab\n"},
		{"suffix partial line 2", "q\nxab\n", "q\nyab\n"},
		{"crlf", "a\r\nb\r\nc\r\n", "a\r\nb\nc\r\n"},
		{"crlf vs lf", "a\r\nb\r\n", "a\nb\n"},
		{"bare cr", "a\rb\rc\n", "a\rb\rd\n"},
		{"all lines different", "a\nb\nc\nd\n", "e\nf\ng\nh\n"},
		{"all different sizes", "a\nbb\nccc\n", "dddd\neeeee\n"},
		{"overlapping prefix suffix", "a\na\na\n", "a\na\n"},
		{"overlapping prefix suffix 2", "a\nb\na\nb\n", "a\nb\n"},
		{"repeats", "a\na\nb\na\na\n", "a\nb\nb\na\n"},
		{"empty lines", "\n\n\n", "\n\n"},
		{"nul bytes", "a\x00\nb\n", "a\nb\x00\n"},
		{"move", "a\nb\nc\n", "c\na\nb\n"},
		{"braces in middle", "fn a() {\n" + braces + "x\n" + braces + "}\n", "fn b() {\n" + braces + "y\n" + braces + "}\n"},
		{"braces only in prefix", braces + "x\n}\n\ny\n", braces + "z\n}\n\nw\n"},
		{"braces only in suffix", "x\n}\n\ny\n" + braces, "z\n}\n\nw\n" + braces},
		{"frequent in prefix and suffix", braces + "x\n}\ny\n" + braces, braces + "}\nz\n}\n" + braces},
		{"one side all braces", braces, "fn a() {\n" + braces + "}\n"},
		{"long lines", rep("x", 5000) + "\n" + rep("y", 3000) + "\n", rep("x", 5000) + "\n" + rep("y", 3001) + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkSameAsReference(t, []byte(tt.old), []byte(tt.new))
		})
	}
}

// alphabetLines are the lines random texts are made of: few of them, so
// that lines repeat, with blank lines and closing braces frequent (the
// lines git sets aside), CRLF endings and lines without a newline (which
// may only end a text).
var alphabetLines = []string{
	"}\n", "\n", "    }\n", "        Ok(())\n", "a\n", "b\n", "c\n", "a\r\n", "\r\n",
	"fn f() {\n", "    let x = 1;\n", "    let y = 2;\n", "d\n", "e\n", "ab\n", "ba\n",
}

// randomAlphabetText returns n lines drawn from alphabetLines (only the
// first k of them, with the first two, "}" and blank, weighted by freq in
// percent), maybe ending without a newline.
func randomAlphabetText(r *rand.Rand, n, k, freq int) []byte {
	var b bytes.Buffer
	for range n {
		if r.IntN(100) < freq {
			b.WriteString(alphabetLines[r.IntN(2)])
		} else {
			b.WriteString(alphabetLines[r.IntN(k)])
		}
	}
	if r.IntN(4) == 0 {
		b.WriteString([]string{"x", "}", "a", "\r"}[r.IntN(4)])
	}
	return b.Bytes()
}

// randomEdit returns old with a few random runs of lines deleted, inserted
// or replaced, new lines coming from alphabetLines (the first k), and
// maybe the end changed.
func randomEdit(r *rand.Rand, old []byte, k, edits int) []byte {
	ls := SplitLines(old)
	var out [][]byte
	for range edits {
		if len(ls) == 0 {
			break
		}
		at := r.IntN(len(ls) + 1)
		del := 0
		if r.IntN(2) == 0 {
			del = min(r.IntN(5), len(ls)-at)
		}
		var ins [][]byte
		for range r.IntN(5) {
			ins = append(ins, []byte(alphabetLines[r.IntN(k)]))
		}
		out = append(append(append(out[:0:0], ls[:at]...), ins...), ls[at+del:]...)
		ls = out
	}
	var b bytes.Buffer
	for _, l := range ls {
		b.Write(l)
	}
	switch r.IntN(8) {
	case 0:
		b.WriteString("tail")
	case 1:
		if n := b.Len(); n > 0 {
			b.Truncate(n - 1)
		}
	}
	return b.Bytes()
}

func TestLinesSameAsReferenceRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	n := 3000
	if testing.Short() {
		n = 300
	}
	for i := range n {
		size := r.IntN(60)
		if i%10 == 0 {
			size = r.IntN(3000) // large enough for the frequent-line limits
		}
		k := 1 + r.IntN(len(alphabetLines))
		old := randomAlphabetText(r, size, k, r.IntN(60))
		var new []byte
		switch i % 4 {
		case 0, 1:
			new = randomEdit(r, old, k, 1+r.IntN(4))
		case 2:
			new = randomEdit(r, old, k, 1+r.IntN(40))
		default:
			new = randomAlphabetText(r, r.IntN(60), k, r.IntN(60))
		}
		checkSameAsReference(t, old, new)
	}
}

// TestLinesSameAsReferenceSourceLike compares on source-like files and
// their edits, as in TestStatMatchesGit but without git.
func TestLinesSameAsReferenceSourceLike(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 100 {
		old := rustShaped(r, 100+r.IntN(3000))
		checkSameAsReference(t, old, editLines(r, old, 30))
	}
}

// FuzzLinesSameAsReference builds both texts from a small alphabet of lines
// (each byte of the fuzz input picks a line, so lines repeat a lot) and
// compares with the reference implementation.
func FuzzLinesSameAsReference(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4}, []byte{0, 1, 5, 3, 4}, uint8(0))
	f.Add([]byte{0, 0, 0, 1, 1, 1, 4, 0, 0}, []byte{0, 0, 1, 1, 5, 0, 0}, uint8(3))
	f.Add([]byte{}, []byte{9, 10, 11}, uint8(1))
	f.Fuzz(func(t *testing.T, o, n []byte, repeat uint8) {
		// Repeat the texts to reach the sizes where the frequent-line
		// limit grows, but not beyond a few thousand lines: the diff of
		// unrelated texts takes quadratic time.
		times := 1 + int(repeat%8)
		if (len(o)+len(n))*times > 6000 {
			return
		}
		build := func(sel []byte) []byte {
			var b bytes.Buffer
			for range times {
				for _, c := range sel {
					if int(c) < len(alphabetLines) {
						b.WriteString(alphabetLines[c])
					} else if c < 250 {
						b.WriteString(alphabetLines[int(c)%2])
					}
				}
			}
			if len(sel) > 0 && sel[len(sel)-1] >= 250 {
				b.WriteString("x") // no final newline
			}
			return b.Bytes()
		}
		checkSameAsReference(t, build(o), build(n))
	})
}

// benchPairs are (old, new) pairs of real Rust files: consecutive versions
// of two large, often edited files of the git repository named by
// $LINEDIFF_BENCH_GIT_DIR (e.g. a bare clone of hyperswitch).
var benchPairs = sync.OnceValues(func() ([][2][]byte, error) {
	dir := os.Getenv("LINEDIFF_BENCH_GIT_DIR")
	if dir == "" {
		return nil, nil
	}
	git := func(args ...string) ([]byte, error) {
		cmd := exec.Command("git", append([]string{"--git-dir=" + dir}, args...)...)
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("git %v: %w", args, err)
		}
		return out, nil
	}
	var pairs [][2][]byte
	for _, path := range []string{"crates/router/src/core/payments.rs", "crates/api_models/src/payments.rs"} {
		out, err := git("log", "--format=%H", "-n", "30", "HEAD", "--", path)
		if err != nil {
			return nil, err
		}
		var versions [][]byte
		for _, sha := range strings.Fields(string(out)) {
			content, err := git("show", sha+":"+path)
			if err != nil {
				continue // the file was deleted or renamed in this commit
			}
			versions = append(versions, content)
		}
		// The log lists newest first: diff each version against the next
		// newer one.
		for i := len(versions) - 1; i > 0; i-- {
			pairs = append(pairs, [2][]byte{versions[i], versions[i-1]})
		}
	}
	return pairs, nil
})

// syntheticPairs are source-like files of ~15,000 lines with a few small
// edits spread over the file, the shape of our real inputs.
var syntheticPairs = sync.OnceValue(func() [][2][]byte {
	r := rand.New(rand.NewPCG(11, 12))
	var pairs [][2][]byte
	for p := range 8 {
		old := rustShaped(r, 15000)
		ls := SplitLines(old)
		var nb bytes.Buffer
		edits := 1 + p*3
		for i, l := range ls {
			if r.IntN(len(ls)) < edits {
				switch r.IntN(3) {
				case 0:
					continue
				case 1:
					nb.WriteString("        // inserted " + strconv.Itoa(i) + "\n")
				default:
					nb.WriteString("    }\n\n")
				}
			}
			nb.Write(l)
		}
		pairs = append(pairs, [2][]byte{old, nb.Bytes()})
	}
	return pairs
})

func realisticPairs(b *testing.B) [][2][]byte {
	pairs, err := benchPairs()
	if err != nil {
		b.Fatal(err)
	}
	if len(pairs) == 0 {
		b.Skip("set LINEDIFF_BENCH_GIT_DIR to a git repository with crates/router/src/core/payments.rs")
	}
	return pairs
}

// TestLinesSameAsReferenceRealistic checks the benchmark inputs too.
func TestLinesSameAsReferenceRealistic(t *testing.T) {
	pairs, err := benchPairs()
	require.NoError(t, err)
	for _, p := range append(pairs, syntheticPairs()...) {
		checkSameAsReference(t, p[0], p[1])
	}
}

func benchmarkPairs(b *testing.B, pairs [][2][]byte) {
	var size int64
	for _, p := range pairs {
		size += int64(len(p[0]) + len(p[1]))
	}
	impls := []struct {
		name string
		f    func(old, new []byte) []Hunk
	}{
		{"new", Lines},
		{"ref", func(old, new []byte) []Hunk { return refLines(old, new, false) }},
		{"new-minimal", LinesMinimal},
		{"ref-minimal", func(old, new []byte) []Hunk { return refLines(old, new, true) }},
	}
	for _, impl := range impls {
		b.Run(impl.name, func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				for _, p := range pairs {
					impl.f(p[0], p[1])
				}
			}
		})
	}
	// ratio runs both implementations alternately on each pair and reports
	// the ratio of the sums over the pairs of their fastest times: on a
	// shared, noisy machine the fastest of several runs is the one least
	// disturbed by other processes.
	b.Run("ratio", func(b *testing.B) {
		best := make([][2]time.Duration, len(pairs))
		for b.Loop() {
			for k, p := range pairs {
				t0 := time.Now()
				Lines(p[0], p[1])
				t1 := time.Now()
				refLines(p[0], p[1], false)
				t2 := time.Now()
				if d := t1.Sub(t0); best[k][0] == 0 || d < best[k][0] {
					best[k][0] = d
				}
				if d := t2.Sub(t1); best[k][1] == 0 || d < best[k][1] {
					best[k][1] = d
				}
			}
		}
		var tNew, tRef time.Duration
		for _, d := range best {
			tNew += d[0]
			tRef += d[1]
		}
		b.ReportMetric(float64(tNew)/float64(tRef), "new/ref")
		b.ReportMetric(float64(tNew.Microseconds()), "best-new-µs")
		b.ReportMetric(float64(tRef.Microseconds()), "best-ref-µs")
	})
}

// BenchmarkLinesRealistic diffs consecutive versions of real Rust files
// (see benchPairs; skipped unless LINEDIFF_BENCH_GIT_DIR is set).
func BenchmarkLinesRealistic(b *testing.B) { benchmarkPairs(b, realisticPairs(b)) }

// BenchmarkLinesSynthetic diffs generated source-like files with scattered
// small edits.
func BenchmarkLinesSynthetic(b *testing.B) { benchmarkPairs(b, syntheticPairs()) }

// TestCommonLines checks commonPrefixLines and commonSuffixLines against
// comparing split lines, on texts long enough for their block compares.
func TestCommonLines(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for range 2000 {
		k := 1 + r.IntN(len(alphabetLines))
		old := randomAlphabetText(r, r.IntN(400), k, r.IntN(50))
		new := randomEdit(r, old, k, r.IntN(3))
		ol, nl := refSplitLines(old), refSplitLines(new)
		pre := 0
		for pre < len(ol) && pre < len(nl) && bytes.Equal(ol[pre], nl[pre]) {
			pre++
		}
		suf := 0
		for suf < len(ol)-pre && suf < len(nl)-pre && bytes.Equal(ol[len(ol)-1-suf], nl[len(nl)-1-suf]) {
			suf++
		}
		preBytes := commonPrefixLines(old, new)
		require.Equal(t, len(bytes.Join(ol[:pre], nil)), preBytes, "%q %q", old, new)
		sufBytes := commonSuffixLines(old[preBytes:], new[preBytes:])
		require.Equal(t, len(bytes.Join(ol[len(ol)-suf:], nil)), sufBytes, "%q %q", old, new)
	}
}

// TestLinesConcurrent runs diffs in parallel, as the pool of working
// memory is shared (run with -race).
func TestLinesConcurrent(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	type tc struct {
		old, new []byte
		want     []Hunk
	}
	var cases []tc
	for range 40 {
		old := rustShaped(r, 50+r.IntN(500))
		new := randomEdit(r, old, len(alphabetLines), 1+r.IntN(10))
		cases = append(cases, tc{old, new, refLines(old, new, false)})
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for k := range 50 {
				c := cases[(w*7+k)%len(cases)]
				if got := Lines(c.old, c.new); !equalHunks(got, c.want) {
					t.Errorf("Lines: got %v, want %v", got, c.want)
				}
			}
		})
	}
	wg.Wait()
}
