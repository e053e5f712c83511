package rustparse

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sftforge/sftforge/change"
)

// Benchmarks of Diff against the reference implementation (refDiff).
//
//	go test -run '^$' -bench 'Diff' -cpu 1 -count 5 ./rustparse
//	RUSTPARSE_GIT_DIR=/work/.mirror/peach-payments+hyperswitch/repo go test -run '^$' -bench 'Diff' -cpu 1 -count 5 ./rustparse
//
// BenchmarkDiffRatio reports the median over paired rounds of
// CPU(Diff)/CPU(refDiff) ("cpu-ratio", lower is better), which the load of
// a shared machine disturbs far less than separate ns/op figures.

// diffBenchPair is one old/new version pair to diff.
type diffBenchPair struct{ old, new *File }

// synthDiffFile builds a file of about n items shaped like a large Rust
// module: cfg-twinned structs with fields, enums with variants, impls with
// methods, free functions.
func synthDiffFile(r *rand.Rand, n int) *File {
	f := &File{}
	add := func(it Item) {
		it.Line = len(f.Items)*5 + 1
		it.EndLine = it.Line + 3
		f.Items = append(f.Items, it)
	}
	v1, v2 := []string{`cfg(feature="v1")`}, []string{`cfg(feature="v2")`}
	for t := 0; len(f.Items) < n; t++ {
		name := fmt.Sprintf("Connector%dPaymentsRequest", t)
		var cfgs [][]string
		if t%7 == 3 {
			cfgs = [][]string{v1, v2}
		} else {
			cfgs = [][]string{nil}
		}
		for _, cfg := range cfgs {
			add(Item{Kind: change.KindStruct, Name: name, Visibility: "pub", Cfg: cfg,
				Attrs:     []string{"derive(Debug,Clone,Serialize,Deserialize,PartialEq)", `serde(rename_all="camelCase")`},
				Signature: "struct " + name, BodyHash: r.Uint64(), members: r.Uint64()})
			for k := range 3 + r.IntN(8) {
				add(Item{Kind: change.KindField, Owner: name, Name: fmt.Sprintf("field_%d", k), Visibility: "pub", Cfg: cfg,
					Signature: "Option<common_utils::types::MinorUnit>", BodyHash: 0})
			}
		}
		enum := fmt.Sprintf("Connector%dStatus", t)
		add(Item{Kind: change.KindEnum, Name: enum, Visibility: "pub", Attrs: []string{"derive(Debug,Clone,Copy,Serialize,Deserialize)"},
			Signature: "enum " + enum, BodyHash: r.Uint64(), members: r.Uint64()})
		for k := range 2 + r.IntN(6) {
			add(Item{Kind: change.KindVariant, Owner: enum, Name: fmt.Sprintf("Status%d", k), Visibility: change.VisibilityInherited,
				Signature: "Status(String)", BodyHash: r.Uint64()})
		}
		add(Item{Kind: change.KindImpl, Name: name, Visibility: change.VisibilityInherited, Signature: "impl " + name})
		for k := range 2 + r.IntN(4) {
			add(Item{Kind: change.KindMethod, Owner: name, Name: fmt.Sprintf("method_%d", k), Visibility: "pub(crate)",
				Signature: "fn method(&self,input:&str)->Result<Option<String>,errors::ConnectorError>", BodyHash: r.Uint64()})
		}
		trait := "TryFrom<&types::PaymentsAuthorizeRouterData> for " + name
		add(Item{Kind: change.KindImpl, Name: trait, Visibility: change.VisibilityInherited, Signature: "impl " + trait})
		add(Item{Kind: change.KindAssocType, Owner: trait, Name: "Error", Visibility: change.VisibilityInherited, Signature: "type Error=error_stack::Report<errors::ConnectorError>"})
		add(Item{Kind: change.KindMethod, Owner: trait, Name: "try_from", Visibility: change.VisibilityInherited,
			Signature: "fn try_from(item:&types::PaymentsAuthorizeRouterData)->Result<Self,Self::Error>", BodyHash: r.Uint64()})
		add(Item{Kind: change.KindFunction, Name: fmt.Sprintf("build_request_%d", t), Visibility: "pub",
			Signature: "fn build_request(req:&RequestContent)->CustomResult<Option<Request>,errors::ConnectorError>", BodyHash: r.Uint64()})
	}
	return f
}

// synthDiffPair returns a file of n items and its next version with a few
// edits spread over it: bodies changed, an item added near the top and one
// in the middle, one removed, one visibility changed. The new version's
// strings are fresh copies, as a new parse makes.
func synthDiffPair(n int) diffBenchPair {
	r := rand.New(rand.NewPCG(uint64(n), 42))
	old := synthDiffFile(r, n)
	items := make([]Item, 0, len(old.Items)+2)
	for _, x := range old.Items {
		items = append(items, cloneItem(x))
	}
	for range 4 {
		items[r.IntN(len(items))].BodyHash++
	}
	items[len(items)/3].Visibility = "pub"
	items = slices.Delete(items, 2*len(items)/3, 2*len(items)/3+1)
	items = slices.Insert(items, len(items)/2, Item{Kind: change.KindFunction, Name: "new_helper", Visibility: "pub", Signature: "fn new_helper()"})
	items = slices.Insert(items, 12, Item{Kind: change.KindFunction, Name: "new_top_helper", Visibility: "pub", Signature: "fn new_top_helper()"})
	for i := range items {
		items[i].Line = i*5 + 1
	}
	return diffBenchPair{old, &File{Items: items}}
}

// realDiffPairs parses the last 20 versions of each path from the bare
// repository RUSTPARSE_GIT_DIR and returns their consecutive pairs, by path
// and by how they were parsed: "tracker" feeds the versions through one
// Tracker, as the export pipeline does (items of unchanged top-level items
// are reused, strings included), "parse" parses each version afresh (no
// string is shared, so every comparison reads the bytes). It skips b when
// the variable is not set.
func realDiffPairs(b testing.TB, paths ...string) map[string][]diffBenchPair {
	gitDir := os.Getenv("RUSTPARSE_GIT_DIR")
	if gitDir == "" {
		b.Skip("set RUSTPARSE_GIT_DIR to a bare repository (e.g. hyperswitch)")
	}
	realDiffCache.Lock()
	defer realDiffCache.Unlock()
	cacheKey := gitDir + "\x00" + strings.Join(paths, "\x00")
	if out, ok := realDiffCache.m[cacheKey]; ok {
		return out
	}
	out := map[string][]diffBenchPair{}
	for _, path := range paths {
		log, err := exec.Command("git", "--git-dir="+gitDir, "log", "--format=%H", "-n", "20", "HEAD", "--", path).Output()
		if err != nil {
			b.Fatal(err)
		}
		commits := strings.Fields(string(log))
		slices.Reverse(commits)
		tr := NewTracker()
		var prevParsed, prevTracked *File
		for _, c := range commits {
			src, err := exec.Command("git", "--git-dir="+gitDir, "show", c+":"+path).Output()
			if err != nil {
				continue // deleted or renamed at that commit
			}
			parsed, err := Parse(src)
			if err != nil {
				b.Fatal(err)
			}
			tracked, err := tr.Update(src)
			if err != nil {
				b.Fatal(err)
			}
			if prevParsed != nil {
				out[path+"@parse"] = append(out[path+"@parse"], diffBenchPair{prevParsed, parsed})
				out[path+"@tracker"] = append(out[path+"@tracker"], diffBenchPair{prevTracked, tracked})
			}
			prevParsed, prevTracked = parsed, tracked
		}
		tr.Close()
		if len(out[path+"@parse"]) == 0 {
			b.Skipf("no versions of %s in %s", path, gitDir)
		}
	}
	if realDiffCache.m == nil {
		realDiffCache.m = map[string]map[string][]diffBenchPair{}
	}
	realDiffCache.m[cacheKey] = out
	return out
}

// realDiffName is a benchmark name for a key of realDiffPairs.
func realDiffName(key string) string {
	key = strings.TrimPrefix(key, "crates/")
	return strings.NewReplacer("/", "_", "@", "/").Replace(key)
}

// realDiffCache keeps realDiffPairs' results for the other benchmarks of
// the run.
var realDiffCache struct {
	sync.Mutex
	m map[string]map[string][]diffBenchPair
}

var realDiffPaths = []string{"crates/api_models/src/payments.rs", "crates/router/src/core/payments.rs"}

func diffAll(diff func(old, new *File) []change.Identifier, pairs []diffBenchPair) (n int) {
	for _, p := range pairs {
		n += len(diff(p.old, p.new))
	}
	return n
}

func BenchmarkDiff(b *testing.B) {
	run := func(b *testing.B, pairs []diffBenchPair) {
		for _, impl := range []struct {
			name string
			diff func(old, new *File) []change.Identifier
		}{{"new", Diff}, {"ref", refDiff}} {
			b.Run(impl.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					diffAll(impl.diff, pairs)
				}
			})
		}
	}
	b.Run("synthetic3000", func(b *testing.B) { run(b, []diffBenchPair{synthDiffPair(3000)}) })
	b.Run("real", func(b *testing.B) {
		all := realDiffPairs(b, realDiffPaths...)
		for _, key := range slices.Sorted(maps.Keys(all)) {
			b.Run(realDiffName(key), func(b *testing.B) { run(b, all[key]) })
		}
	})
}

// diffRatio is abRatio with each side repeated so that one run of cur
// lasts at least 2ms (a single Diff is too short to time).
func diffRatio(b *testing.B, ref, cur func()) {
	reps := 1
	for start := time.Now(); time.Since(start) < 2*time.Millisecond; reps *= 2 {
		start = time.Now()
		for range reps {
			cur()
		}
	}
	repeat := func(f func()) func() {
		return func() {
			for range reps {
				f()
			}
		}
	}
	abRatio(b, repeat(ref), repeat(cur))
	b.ReportMetric(float64(reps), "reps")
}

// BenchmarkDiffRatio reports CPU(Diff)/CPU(refDiff) on the same inputs:
// 0.25 means Diff takes a quarter of the reference's time.
func BenchmarkDiffRatio(b *testing.B) {
	run := func(b *testing.B, pairs []diffBenchPair) {
		diffRatio(b, func() { diffAll(refDiff, pairs) }, func() { diffAll(Diff, pairs) })
	}
	b.Run("synthetic3000", func(b *testing.B) { run(b, []diffBenchPair{synthDiffPair(3000)}) })
	b.Run("synthetic3000-identical", func(b *testing.B) {
		p := synthDiffPair(3000)
		run(b, []diffBenchPair{{p.old, &File{Items: slicesCloneItems(p.old.Items)}}})
	})
	// Worst cases: no common prefix, every item hashed; items of a few
	// keys only make long hash chains.
	b.Run("synthetic3000-shuffled", func(b *testing.B) {
		p := synthDiffPair(3000)
		items := slicesCloneItems(p.new.Items)
		rand.New(rand.NewPCG(1, 2)).Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		run(b, []diffBenchPair{{p.old, &File{Items: items}}})
	})
	b.Run("synthetic3000-shuffled-duplicates", func(b *testing.B) {
		r := rand.New(rand.NewPCG(3, 4))
		old := &File{}
		for i := range 3000 {
			old.Items = append(old.Items, Item{Kind: change.KindField, Owner: "S", Name: fmt.Sprint(r.IntN(20)), Signature: "u8", Line: i + 1})
		}
		items := slicesCloneItems(old.Items)
		r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		run(b, []diffBenchPair{{old, &File{Items: items}}})
	})
	b.Run("real", func(b *testing.B) {
		all := realDiffPairs(b, realDiffPaths...)
		for _, key := range slices.Sorted(maps.Keys(all)) {
			b.Run(realDiffName(key), func(b *testing.B) { run(b, all[key]) })
		}
	})
}

func slicesCloneItems(items []Item) []Item {
	out := make([]Item, len(items))
	for i, x := range items {
		out[i] = cloneItem(x)
	}
	return out
}

// TestDiffBenchInputs checks the benchmark inputs are what they claim and
// that Diff equals the reference on them.
func TestDiffBenchInputs(t *testing.T) {
	p := synthDiffPair(3000)
	if n := len(p.old.Items); n < 3000 || n > 3100 {
		t.Fatalf("synthetic file has %d items", n)
	}
	cs := refDiff(p.old, p.new)
	if len(cs) < 5 || len(cs) > 12 {
		t.Fatalf("synthetic pair has %d changes:\n%s", len(cs), dumpChanges(cs))
	}
	requireSameDiff(t, p.old, p.new, "synthetic")
	requireSameDiff(t, p.new, p.old, "synthetic reversed")
}

// TestDiffEquivalenceRealHistory compares Diff and the reference on the
// consecutive versions of real files (RUSTPARSE_GIT_DIR), both ways.
func TestDiffEquivalenceRealHistory(t *testing.T) {
	all := realDiffPairs(t, realDiffPaths...)
	for _, path := range slices.Sorted(maps.Keys(all)) {
		pairs := all[path]
		changes := 0
		for i, p := range pairs {
			requireSameDiff(t, p.old, p.new, fmt.Sprintf("%s pair %d", path, i))
			requireSameDiff(t, p.new, p.old, fmt.Sprintf("%s pair %d reversed", path, i))
			changes += len(refDiff(p.old, p.new))
		}
		t.Logf("%s: %d pairs, %d items in the last version, %d changes", path, len(pairs), len(pairs[len(pairs)-1].new.Items), changes)
	}
}
