package rustparse

import (
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/require"
	sitter "github.com/tree-sitter/go-tree-sitter"
)

// benchSize is the size of the generated real-world-shaped file.
const benchSize = 300_000

var benchSource = generateRust(benchSize, 1) // 300 KB, generated in well under a second

// threadCPU returns the CPU time used so far by the calling OS thread,
// with the nanosecond resolution of CLOCK_THREAD_CPUTIME_ID (getrusage can
// be as coarse as a scheduler tick).
func threadCPU() time.Duration {
	const clockThreadCPUTimeID = 3
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}

// cpuMeter reports a benchmark's throughput per second of CPU time of its
// (locked) thread, which the load of a shared machine disturbs far less
// than wall time: the "cpuMB/s" metric.
func cpuMeter(b *testing.B, bytesPerOp int) func() {
	runtime.LockOSThread()
	start := threadCPU()
	return func() {
		cpu := threadCPU() - start
		runtime.UnlockOSThread()
		if cpu > 0 {
			b.ReportMetric(float64(bytesPerOp)*float64(b.N)/cpu.Seconds()/1e6, "cpuMB/s")
		}
	}
}

// benchParser returns a Parser closed when b ends.
func benchParser(b *testing.B) *Parser {
	p := NewParser()
	b.Cleanup(p.Close)
	return p
}

// benchTree returns a Parser and the tree of benchSource, closed when b ends.
func benchTree(b *testing.B) (*Parser, *sitter.Tree) {
	p := benchParser(b)
	tree, err := p.parseTree(nil, benchSource)
	require.NoError(b, err)
	b.Cleanup(tree.Close)
	return p, tree
}

// BenchmarkParse is the whole of Parse: tree-sitter parse, shallow walk
// and item extraction.
func BenchmarkParse(b *testing.B) {
	p := benchParser(b)
	b.SetBytes(int64(len(benchSource)))
	defer cpuMeter(b, len(benchSource))()
	for b.Loop() {
		if _, err := p.Parse(benchSource); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTreeSitter is the tree-sitter parse alone (C allocator): the
// baseline the extraction share is measured against.
func BenchmarkTreeSitter(b *testing.B) {
	p := benchParser(b)
	b.SetBytes(int64(len(benchSource)))
	defer cpuMeter(b, len(benchSource))()
	for b.Loop() {
		tree, err := p.parseTree(nil, benchSource)
		if err != nil {
			b.Fatal(err)
		}
		tree.Close()
	}
}

// BenchmarkTreeSitterGoAllocator is BenchmarkTreeSitter with the binding's
// Go-callback allocator.
func BenchmarkTreeSitterGoAllocator(b *testing.B) {
	useCAllocator(false)
	defer useCAllocator(true)
	BenchmarkTreeSitter(b)
}

// BenchmarkTreeSitterZeroCopy parses through ts_parser_parse_string,
// handing tree-sitter the Go bytes without the binding's copy.
func BenchmarkTreeSitterZeroCopy(b *testing.B) {
	p := benchParser(b)
	b.SetBytes(int64(len(benchSource)))
	defer cpuMeter(b, len(benchSource))()
	for b.Loop() {
		parseZeroCopy(p.ts, benchSource).Close()
	}
}

// BenchmarkExtract is the shallow walk plus item extraction of a parsed
// tree: compare with BenchmarkTreeSitter for the extraction share.
func BenchmarkExtract(b *testing.B) {
	p, tree := benchTree(b)
	b.SetBytes(int64(len(benchSource)))
	defer cpuMeter(b, len(benchSource))()
	for b.Loop() {
		p.extract(tree, benchSource)
	}
}

// BenchmarkFullCursorWalk visits every node with the binding's cursor,
// reading each node's kind and range: what a naive extractor would pay.
func BenchmarkFullCursorWalk(b *testing.B) {
	_, tree := benchTree(b)
	b.SetBytes(int64(len(benchSource)))
	defer cpuMeter(b, len(benchSource))()
	for b.Loop() {
		fullCursorWalk(tree)
	}
}

// fullCursorWalk visits every node of tree with the binding's cursor.
func fullCursorWalk(tree *sitter.Tree) (sink uint) {
	c := tree.Walk()
	defer c.Close()
	for {
		n := c.Node()
		sink += uint(n.KindId()) + n.StartByte() + n.EndByte()
		if c.GotoFirstChild() {
			continue
		}
		for !c.GotoNextSibling() {
			if !c.GotoParent() {
				return sink
			}
		}
	}
}

// BenchmarkBodyHashTreeTokens hashes every function body by walking its
// leaf tokens with the binding and skipping comments: the alternative to
// the byte-level normalizer that BenchmarkBodyHashNormalizer measures.
func BenchmarkBodyHashTreeTokens(b *testing.B) {
	_, tree := benchTree(b)
	bodies := functionBodies(tree)
	b.SetBytes(int64(len(benchSource)))
	defer cpuMeter(b, len(benchSource))()
	for b.Loop() {
		for _, body := range bodies {
			h := uint64(14695981039346656037)
			c := body.Walk()
			for {
				n := c.Node()
				if n.ChildCount() == 0 {
					if k := n.Kind(); k != "line_comment" && k != "block_comment" {
						for _, ch := range benchSource[n.StartByte():n.EndByte()] {
							h = (h ^ uint64(ch)) * 1099511628211
						}
						h = (h ^ ' ') * 1099511628211
					}
				}
				if c.GotoFirstChild() {
					continue
				}
				for !c.GotoNextSibling() {
					if !c.GotoParent() || c.Node().Id() == body.Id() {
						goto done
					}
				}
			}
		done:
			c.Close()
		}
	}
}

// BenchmarkBodyHashNormalizer hashes the same bodies with the normalizer.
func BenchmarkBodyHashNormalizer(b *testing.B) {
	_, tree := benchTree(b)
	bodies := functionBodies(tree)
	var scratch []byte
	b.SetBytes(int64(len(benchSource)))
	defer cpuMeter(b, len(benchSource))()
	for b.Loop() {
		for _, body := range bodies {
			scratch = appendNormalized(scratch[:0], benchSource[body.StartByte():body.EndByte()])
			_ = fnv64(scratch)
		}
	}
}

// functionBodies returns the block of every function in tree.
func functionBodies(tree *sitter.Tree) []sitter.Node {
	var out []sitter.Node
	var visit func(n *sitter.Node)
	visit = func(n *sitter.Node) {
		if n.Kind() == "function_item" {
			if body := n.ChildByFieldName("body"); body != nil {
				out = append(out, *body)
			}
			return
		}
		for i := range n.NamedChildCount() {
			visit(n.NamedChild(i))
		}
	}
	visit(tree.RootNode())
	return out
}

// editSequence returns versions of a real-shaped file, each one edit away
// from the previous, as a commit history would feed a Tracker.
func editSequence(n, size int) [][]byte {
	r := rand.New(rand.NewPCG(3, 4))
	src := generateRust(size, 5)
	var out [][]byte
	for range n {
		out = append(out, src)
		src = mutateValid(r, src)
	}
	return out
}

func benchVersions(b *testing.B, versions [][]byte, run func(v []byte)) {
	total := 0
	for _, v := range versions {
		total += len(v)
	}
	b.SetBytes(int64(total))
	defer cpuMeter(b, total)()
	for b.Loop() {
		for _, v := range versions {
			run(v)
		}
	}
}

var benchVersionsSeq = editSequence(50, 60_000)

// BenchmarkSequenceFullParse parses every version from scratch.
func BenchmarkSequenceFullParse(b *testing.B) {
	p := benchParser(b)
	benchVersions(b, benchVersionsSeq, func(v []byte) {
		if _, err := p.Parse(v); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkSequenceTracker feeds the versions through a tree Tracker
// (per-hunk tree edits).
func BenchmarkSequenceTracker(b *testing.B) {
	tr := NewTreeTracker()
	defer tr.Close()
	benchVersions(b, benchVersionsSeq, func(v []byte) {
		if _, err := tr.Update(v); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkSequenceSplice feeds the versions through a splicing Tracker.
func BenchmarkSequenceSplice(b *testing.B) {
	tr := NewTracker()
	defer tr.Close()
	benchVersions(b, benchVersionsSeq, func(v []byte) {
		if _, err := tr.Update(v); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkSequenceTrackerSingleEdit uses one prefix/suffix edit per version.
func BenchmarkSequenceTrackerSingleEdit(b *testing.B) {
	defer func(v bool) { singleEdit = v }(singleEdit)
	singleEdit = true
	BenchmarkSequenceTracker(b)
}

// rssPages reads the resident set size, in pages, from /proc/self/statm.
func rssPages(t testing.TB) int {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Skip("no /proc/self/statm")
	}
	f := strings.Fields(string(b))
	n, err := strconv.Atoi(f[1])
	require.NoError(t, err)
	return n
}

const memoryCheckSource = `
/// A payment.
#[derive(Debug, Clone)]
pub struct Payment { pub id: String, pub amount: i64, currency: Option<String> }

impl Payment {
    pub fn new(id: &str, amount: i64) -> Self {
        Self { id: id.to_string(), amount, currency: None }
    }
    pub(crate) fn validate(&self) -> Result<(), String> {
        match self.amount { a if a < 0 => Err(format!("negative: {a}")), _ => Ok(()) }
    }
}

pub enum Status { Started, Failed { code: u16 } }
`

// TestNoCMemoryGrowth parses a small file 10,000 times (and feeds 2,000
// versions through a Tracker) and checks the resident set does not grow:
// every C parser, tree and cursor is freed.
func TestNoCMemoryGrowth(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 parses")
	}
	src := []byte(memoryCheckSource)
	p := NewParser()
	defer p.Close()
	tr := NewTracker()
	defer tr.Close()
	var versions [][]byte
	for i := range 20 {
		versions = append(versions, []byte(memoryCheckSource+strings.Repeat("fn extra() { let x = 1; }\n", i)))
	}
	run := func(n int) {
		for i := range n {
			_, err := p.Parse(src)
			require.NoError(t, err)
			if i%5 == 0 {
				_, err = tr.Update(versions[i/5%len(versions)])
				require.NoError(t, err)
			}
		}
	}
	run(1_000) // warm up: allocator pools, Go heap
	runtime.GC()
	before := rssPages(t)
	run(10_000)
	runtime.GC()
	after := rssPages(t)
	pageKB := os.Getpagesize() / 1024
	t.Logf("RSS before %d KB, after 10,000 parses + 2,000 tracker updates %d KB", before*pageKB, after*pageKB)
	// A leaked tree per parse (tens of KB for this file) would add hundreds of MB.
	require.Less(t, (after-before)*pageKB, 16*1024, "RSS grew by %d KB", (after-before)*pageKB)
}

// TestTrackerFootprint logs the memory a live tree Tracker holds (its tree
// in C memory, its source and items) per byte of source: thousands live at once
// during an export.
func TestTrackerFootprint(t *testing.T) {
	if testing.Short() {
		t.Skip("measures RSS")
	}
	src := generateRust(20_000, 11)
	const n = 200
	runtime.GC()
	before := rssPages(t)
	trackers := make([]*Tracker, n)
	for i := range trackers {
		trackers[i] = NewTreeTracker()
		// A copy per tracker, as each file has its own source.
		_, err := trackers[i].Update(append([]byte(nil), src...))
		require.NoError(t, err)
	}
	runtime.GC()
	after := rssPages(t)
	perTracker := (after - before) * os.Getpagesize() / n
	t.Logf("%d trackers of a %d-byte file: %d KB each, %.1f bytes per source byte",
		n, len(src), perTracker/1024, float64(perTracker)/float64(len(src)))
	for _, tr := range trackers {
		tr.Close()
	}
	require.Less(t, perTracker, 200*len(src), "a tracker should not hold more than 200 bytes per source byte")
}

// abRatio runs a and b alternately (order swapped every round) and reports
// the median over rounds of time(b)/time(a), in thread CPU time and in wall
// time: paired rounds cancel most of the drift of a shared machine's load.
func abRatio(bm *testing.B, a, b func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var cpuRatios, wallRatios []float64
	measure := func(f func()) (time.Duration, time.Duration) {
		c, w := threadCPU(), time.Now()
		f()
		return threadCPU() - c, time.Since(w)
	}
	round := 0
	for bm.Loop() {
		var ca, wa, cb, wb time.Duration
		if round%2 == 0 {
			ca, wa = measure(a)
			cb, wb = measure(b)
		} else {
			cb, wb = measure(b)
			ca, wa = measure(a)
		}
		round++
		if ca > 0 && cb > 0 {
			cpuRatios = append(cpuRatios, cb.Seconds()/ca.Seconds())
			wallRatios = append(wallRatios, wb.Seconds()/wa.Seconds())
		}
	}
	median := func(xs []float64) float64 {
		if len(xs) == 0 {
			return 0
		}
		slices.Sort(xs)
		return xs[len(xs)/2]
	}
	bm.ReportMetric(median(cpuRatios), "cpu-ratio")
	bm.ReportMetric(median(wallRatios), "wall-ratio")
}

// BenchmarkRatio reports paired ratios: how much slower (>1) or faster (<1)
// the second variant is than the first.
func BenchmarkRatio(b *testing.B) {
	src := benchSource[:60_000]
	p := benchParser(b)
	parse := func() {
		tree, err := p.parseTree(nil, src)
		require.NoError(b, err)
		tree.Close()
	}
	b.Run("GoAllocator/CAllocator", func(b *testing.B) {
		goAlloc := func() { useCAllocator(false); parse(); useCAllocator(true) }
		abRatio(b, parse, goAlloc)
	})
	b.Run("ZeroCopyInput/BindingInput", func(b *testing.B) {
		abRatio(b, parse, func() { parseZeroCopy(p.ts, src).Close() })
	})
	b.Run("Extract/TreeSitter", func(b *testing.B) {
		tree, err := p.parseTree(nil, src)
		require.NoError(b, err)
		defer tree.Close()
		abRatio(b, parse, func() { p.extract(tree, src) })
	})
	b.Run("FullCursorWalk/ShallowWalk", func(b *testing.B) {
		tree, err := p.parseTree(nil, src)
		require.NoError(b, err)
		defer tree.Close()
		abRatio(b, func() { p.walk(tree, src, nil, nil) }, func() { fullCursorWalk(tree) })
	})
	b.Run("Tracker/FullParse", func(b *testing.B) {
		versions := editSequence(20, 60_000)
		abRatio(b, func() {
			for _, v := range versions {
				_, err := p.Parse(v)
				require.NoError(b, err)
			}
		}, func() {
			tr := NewTracker()
			defer tr.Close()
			for _, v := range versions {
				_, err := tr.Update(v)
				require.NoError(b, err)
			}
		})
	})
}
