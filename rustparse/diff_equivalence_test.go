package rustparse

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sftforge/sftforge/change"
	"github.com/stretchr/testify/require"
)

// requireSameDiff checks Diff(old, new) equals refDiff(old, new) exactly,
// nil versus empty slices included.
func requireSameDiff(t testing.TB, old, new *File, what string) {
	t.Helper()
	want := refDiff(old, new)
	got := Diff(old, new)
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("%s: Diff differs from the reference\ngot:\n%s\nwant:\n%s", what, dumpChanges(got), dumpChanges(want))
	}
}

func dumpChanges(cs []change.Identifier) string {
	if cs == nil {
		return "<nil>\n"
	}
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s %q line %d detail %q cfg %q\n", c.Op, c.Kind+":"+change.Kind(c.Owner)+"|"+change.Kind(c.Name), c.Line, c.Detail, c.Cfg)
	}
	return b.String()
}

func mkItem(kind change.Kind, owner, name string, line int, opts ...func(*Item)) Item {
	i := Item{Kind: kind, Owner: owner, Name: name, Visibility: change.VisibilityPrivate, Line: line, EndLine: line}
	for _, o := range opts {
		o(&i)
	}
	return i
}

func withCfg(cfg ...string) func(*Item) { return func(i *Item) { i.Cfg = cfg } }
func withBody(h uint64) func(*Item)     { return func(i *Item) { i.BodyHash = h } }
func withSig(s string) func(*Item)      { return func(i *Item) { i.Signature = s } }
func withVis(v string) func(*Item)      { return func(i *Item) { i.Visibility = v } }
func withAttrs(a ...string) func(*Item) { return func(i *Item) { i.Attrs = a } }
func withMembers(m uint64) func(*Item)  { return func(i *Item) { i.members = m } }

func TestDiffEquivalenceTable(t *testing.T) {
	f := func(items ...Item) *File { return &File{Items: items} }
	v1, v2 := `cfg(feature="v1")`, `cfg(feature="v2")`
	tests := []struct {
		name     string
		old, new *File
	}{
		{"nil nil", nil, nil},
		{"nil empty", nil, f()},
		{"empty nil", f(), nil},
		{"empty empty", f(), f()},
		{"nil to items", nil, f(mkItem(change.KindFunction, "", "f", 1), mkItem(change.KindStruct, "", "S", 2))},
		{"items to nil", f(mkItem(change.KindFunction, "", "f", 1), mkItem(change.KindStruct, "", "S", 2)), nil},
		{"items to empty", f(mkItem(change.KindFunction, "", "f", 1)), f()},
		{"identical", f(mkItem(change.KindFunction, "", "f", 1), mkItem(change.KindStruct, "", "S", 2)),
			f(mkItem(change.KindFunction, "", "f", 3), mkItem(change.KindStruct, "", "S", 4))},
		{"duplicates, one modified in the middle",
			f(mkItem(change.KindFunction, "", "f", 1, withBody(1)), mkItem(change.KindFunction, "", "f", 2, withBody(1))),
			f(mkItem(change.KindFunction, "", "f", 1, withBody(1)), mkItem(change.KindFunction, "", "f", 2, withBody(2)), mkItem(change.KindFunction, "", "f", 3, withBody(1)))},
		{"duplicates reversed",
			f(mkItem(change.KindFunction, "", "f", 1, withBody(1)), mkItem(change.KindFunction, "", "f", 2, withBody(2)), mkItem(change.KindFunction, "", "f", 3, withBody(3))),
			f(mkItem(change.KindFunction, "", "f", 1, withBody(3)), mkItem(change.KindFunction, "", "f", 2, withBody(2)), mkItem(change.KindFunction, "", "f", 3, withBody(1)))},
		{"duplicates interleaved with others",
			f(mkItem(change.KindFunction, "", "f", 1, withBody(1)), mkItem(change.KindFunction, "", "g", 2), mkItem(change.KindFunction, "", "f", 3, withBody(2)), mkItem(change.KindFunction, "", "f", 4, withBody(3))),
			f(mkItem(change.KindFunction, "", "g", 1), mkItem(change.KindFunction, "", "f", 2, withBody(2)), mkItem(change.KindFunction, "", "f", 3, withBody(3)))},
		{"duplicate inserted before a common suffix",
			f(mkItem(change.KindFunction, "", "f", 1, withBody(1))),
			f(mkItem(change.KindFunction, "", "f", 1, withBody(2)), mkItem(change.KindFunction, "", "f", 2, withBody(1)))},
		{"duplicate removed after a common prefix",
			f(mkItem(change.KindFunction, "", "f", 1, withBody(1)), mkItem(change.KindFunction, "", "f", 2, withBody(1)), mkItem(change.KindFunction, "", "f", 3, withBody(2))),
			f(mkItem(change.KindFunction, "", "f", 1, withBody(1)), mkItem(change.KindFunction, "", "f", 2, withBody(2)))},
		{"cfg twins",
			f(mkItem(change.KindFunction, "", "f", 1, withCfg(v1), withBody(1)), mkItem(change.KindFunction, "", "f", 2, withCfg(v2), withBody(2))),
			f(mkItem(change.KindFunction, "", "f", 1, withCfg(v2), withBody(3)), mkItem(change.KindFunction, "", "f", 2, withCfg(v1), withBody(1)))},
		{"cfg twin dropped",
			f(mkItem(change.KindFunction, "", "f", 1, withCfg(v1)), mkItem(change.KindFunction, "", "f", 2, withCfg(v2))),
			f(mkItem(change.KindFunction, "", "f", 1, withCfg(v2)))},
		{"cfg added is a new identity",
			f(mkItem(change.KindFunction, "", "f", 1)), f(mkItem(change.KindFunction, "", "f", 1, withCfg(v1)))},
		{"nested cfg",
			f(mkItem(change.KindMethod, "S", "m", 1, withCfg(v1, "cfg(test)"))),
			f(mkItem(change.KindMethod, "S", "m", 1, withCfg(v1)), mkItem(change.KindMethod, "S", "m", 2, withCfg(v1, "cfg(test)"), withSig("fn m()")))},
		{"moved items",
			f(mkItem(change.KindFunction, "", "a", 1), mkItem(change.KindFunction, "", "b", 2), mkItem(change.KindFunction, "", "c", 3), mkItem(change.KindFunction, "", "d", 4)),
			f(mkItem(change.KindFunction, "", "c", 1), mkItem(change.KindFunction, "", "a", 2), mkItem(change.KindFunction, "", "d", 3), mkItem(change.KindFunction, "", "b", 4, withVis("pub")))},
		{"renamed",
			f(mkItem(change.KindStruct, "", "Old", 1, withMembers(1)), mkItem(change.KindField, "Old", "x", 2)),
			f(mkItem(change.KindStruct, "", "New", 1, withMembers(1)), mkItem(change.KindField, "New", "x", 2))},
		{"kind changed",
			f(mkItem(change.KindStruct, "", "S", 1)), f(mkItem(change.KindEnum, "", "S", 1))},
		{"owner+name concatenations collide",
			f(mkItem(change.KindFunction, "a", "b::c", 1, withBody(1)), mkItem(change.KindFunction, "a::b", "c", 2, withBody(2))),
			f(mkItem(change.KindFunction, "a::b", "c", 1, withBody(2)), mkItem(change.KindFunction, "a", "b::c", 2, withBody(3)))},
		{"empty owner collides with qualified name",
			f(mkItem(change.KindImpl, "", "a::B", 1), mkItem(change.KindMethod, "a::B", "f", 2)),
			f(mkItem(change.KindImpl, "a", "B", 1), mkItem(change.KindMethod, "a::B", "f", 2, withBody(9)))},
		{"cfg collides with name",
			f(mkItem(change.KindFunction, "", "f#[x]", 1), mkItem(change.KindFunction, "", "f", 2, withCfg("x"))),
			f(mkItem(change.KindFunction, "", "f", 1, withCfg("x"), withSig("s")))},
		{"cfg split collides",
			f(mkItem(change.KindFunction, "", "f", 1, withCfg("a]#[b"))),
			f(mkItem(change.KindFunction, "", "f", 1, withCfg("a", "b"), withAttrs("inline")))},
		{"kind collides",
			f(mkItem(change.Kind("a:b"), "", "c", 1)), f(mkItem(change.Kind("a"), "", "b:c", 1, withBody(1)))},
		{"all details",
			f(mkItem(change.KindEnum, "", "E", 1, withSig("enum E"), withBody(1), withMembers(1), withAttrs("derive(Debug)"))),
			f(mkItem(change.KindEnum, "", "E", 1, withSig("pub enum E"), withBody(2), withMembers(2), withVis("pub")))},
		{"body only when members unchanged",
			f(mkItem(change.KindStruct, "", "S", 1, withBody(1), withMembers(1))),
			f(mkItem(change.KindStruct, "", "S", 1, withBody(2), withMembers(1)))},
		{"prefix then everything removed",
			f(mkItem(change.KindFunction, "", "a", 1), mkItem(change.KindFunction, "", "b", 2), mkItem(change.KindFunction, "", "c", 3)),
			f(mkItem(change.KindFunction, "", "a", 1))},
		{"prefix then everything added",
			f(mkItem(change.KindFunction, "", "a", 1)),
			f(mkItem(change.KindFunction, "", "a", 1), mkItem(change.KindFunction, "", "a", 2), mkItem(change.KindFunction, "", "c", 3))},
		{"line change only", f(mkItem(change.KindFunction, "", "a", 1)), f(mkItem(change.KindFunction, "", "a", 7))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireSameDiff(t, tt.old, tt.new, tt.name)
		})
	}
}

func TestAppendKeyMatchesKey(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		a := randomItem(r, 0)
		require.Equal(t, a.Key(), string(a.appendKey(nil)))
		require.Len(t, a.Key(), a.keyLen())
		b := randomItem(r, 0)
		require.Equal(t, a.Key() == b.Key(), sameKey(&a, &b, new([]byte)), "%q %q", a.Key(), b.Key())
	}
}

// The pools are small so that duplicate keys, cfg twins and keys spelled
// by different fields ("a" + "b::c" and "a::b" + "c") are frequent.
var (
	randKinds  = []change.Kind{change.KindFunction, change.KindMethod, change.KindStruct, change.KindField, change.KindImpl, change.Kind("a:b"), change.Kind("a")}
	randOwners = []string{"", "", "a", "a::b", "S", "T for S", "b:c"}
	randNames  = []string{"f", "f", "g", "c", "b::c", "a::b", "S", "f#[x]", "b:c"}
	randCfgs   = [][]string{nil, nil, nil, {`cfg(feature="v1")`}, {`cfg(feature="v2")`}, {"x"}, {"a", "b"}, {"a]#[b"}, {`cfg(feature="v1")`, "cfg(test)"}}
	randSigs   = []string{"", "fn f()", "fn f(x:u8)"}
	randVis    = []string{change.VisibilityPrivate, "pub", change.VisibilityInherited}
	randAttrs  = [][]string{nil, {"inline"}, {"derive(Debug)", "inline"}, {}}
)

func pickOne[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func randomItem(r *rand.Rand, line int) Item {
	return Item{
		Kind: pickOne(r, randKinds), Owner: pickOne(r, randOwners), Name: pickOne(r, randNames), Cfg: pickOne(r, randCfgs),
		Visibility: pickOne(r, randVis), Attrs: pickOne(r, randAttrs), Signature: pickOne(r, randSigs),
		BodyHash: uint64(r.IntN(3)), members: uint64(r.IntN(3)), Line: line, EndLine: line,
	}
}

// cloneItem copies an item with fresh string memory, as a new parse has.
func cloneItem(it Item) Item {
	c := it
	c.Name, c.Owner, c.Signature, c.Visibility = strings.Clone(it.Name), strings.Clone(it.Owner), strings.Clone(it.Signature), strings.Clone(it.Visibility)
	c.Kind = change.Kind(strings.Clone(string(it.Kind)))
	c.Cfg = cloneStrings(it.Cfg)
	c.Attrs = cloneStrings(it.Attrs)
	return c
}

func cloneStrings(xs []string) []string {
	if xs == nil {
		return nil
	}
	c := make([]string, len(xs))
	for i, x := range xs {
		c[i] = strings.Clone(x)
	}
	return c
}

// editItems returns a copy of items with a few random edits: insertions,
// deletions, modifications of any field, moves and duplications.
func editItems(r *rand.Rand, items []Item, edits int) []Item {
	out := make([]Item, 0, len(items)+edits)
	for _, x := range items {
		out = append(out, cloneItem(x))
	}
	for range edits {
		switch op := r.IntN(7); {
		case op == 0 || len(out) == 0:
			at := r.IntN(len(out) + 1)
			out = append(out[:at], append([]Item{randomItem(r, 0)}, out[at:]...)...)
		case op == 1:
			at := r.IntN(len(out))
			out = append(out[:at], out[at+1:]...)
		case op == 2: // move
			from, to := r.IntN(len(out)), r.IntN(len(out))
			x := out[from]
			out = append(out[:from], out[from+1:]...)
			out = append(out[:to], append([]Item{x}, out[to:]...)...)
		case op == 3: // duplicate
			at := r.IntN(len(out))
			out = append(out[:at], append([]Item{cloneItem(out[at])}, out[at:]...)...)
		default: // modify one field
			x := &out[r.IntN(len(out))]
			y := randomItem(r, 0)
			switch r.IntN(9) {
			case 0:
				x.Kind = y.Kind
			case 1:
				x.Owner = y.Owner
			case 2:
				x.Name = y.Name
			case 3:
				x.Cfg = y.Cfg
			case 4:
				x.Visibility = y.Visibility
			case 5:
				x.Attrs = y.Attrs
			case 6:
				x.Signature = y.Signature
			case 7:
				x.BodyHash = y.BodyHash
			default:
				x.members = y.members
			}
		}
	}
	for i := range out {
		out[i].Line = i + 1 + r.IntN(2)
	}
	return out
}

func TestDiffEquivalenceRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	cases := 5000
	if testing.Short() {
		cases = 500
	}
	for c := range cases {
		n := r.IntN(40)
		if c%50 == 0 {
			n = r.IntN(600)
		}
		var old *File
		if r.IntN(30) != 0 {
			old = &File{}
			for i := range n {
				old.Items = append(old.Items, randomItem(r, i+1))
			}
		}
		var new *File
		if r.IntN(30) != 0 {
			var items []Item
			if old != nil {
				items = old.Items
			}
			new = &File{Items: editItems(r, items, r.IntN(6))}
		}
		requireSameDiff(t, old, new, fmt.Sprintf("case %d", c))
		requireSameDiff(t, new, old, fmt.Sprintf("case %d reversed", c))
		requireSameDiff(t, old, old, fmt.Sprintf("case %d self", c))
	}
}

// TestDiffEquivalenceLarge diffs long item lists with large edits: blocks
// inserted, deleted and moved far, many duplicate keys, complete rewrites,
// so that every path of Diff is taken.
func TestDiffEquivalenceLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	cases := 200
	if testing.Short() {
		cases = 20
	}
	block := func(n int) []Item {
		b := make([]Item, n)
		for i := range b {
			b[i] = randomItem(r, 0)
		}
		return b
	}
	for c := range cases {
		old := &File{Items: block(200 + r.IntN(2000))}
		items := editItems(r, old.Items, r.IntN(20))
		for range r.IntN(4) {
			at, n := r.IntN(len(items)+1), 1+r.IntN(400)
			switch r.IntN(4) {
			case 0:
				items = slices.Insert(items, at, block(n)...)
			case 1:
				items = slices.Delete(items, at, min(len(items), at+n))
			case 2: // move a block
				end := min(len(items), at+n)
				moved := slices.Clone(items[at:end])
				items = slices.Delete(items, at, end)
				items = slices.Insert(items, r.IntN(len(items)+1), moved...)
			default: // rewrite a block
				for i := at; i < min(len(items), at+n); i++ {
					items[i] = randomItem(r, i+1)
				}
			}
		}
		if c%10 == 0 {
			items = block(len(old.Items))
		}
		new := &File{Items: items}
		requireSameDiff(t, old, new, fmt.Sprintf("case %d", c))
		requireSameDiff(t, new, old, fmt.Sprintf("case %d reversed", c))
	}
}

// TestDiffConcurrent runs Diff from several goroutines at once (with -race
// it checks the pooled scratch memory is not shared).
func TestDiffConcurrent(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	type pair struct{ old, new *File }
	var pairs []pair
	for range 40 {
		old := &File{}
		for i := range 1 + r.IntN(300) {
			old.Items = append(old.Items, randomItem(r, i+1))
		}
		pairs = append(pairs, pair{old, &File{Items: editItems(r, old.Items, 1+r.IntN(8))}})
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for k := range 200 {
				p := pairs[(g*31+k)%len(pairs)]
				if !reflect.DeepEqual(refDiff(p.old, p.new), Diff(p.old, p.new)) {
					errs <- fmt.Sprintf("goroutine %d pair %d", g, k)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// editSource returns variants of a Rust source: lines deleted, a block of
// lines duplicated, halves swapped, a cfg attribute inserted, a function
// body touched.
func editSource(r *rand.Rand, src []byte) [][]byte {
	lines := bytes.SplitAfter(src, []byte("\n"))
	join := func(ls [][]byte) []byte { return bytes.Join(ls, nil) }
	var out [][]byte
	if len(lines) < 4 {
		return [][]byte{append(append([]byte{}, src...), "\nfn extra() {}\n"...)}
	}
	for range 3 {
		a := r.IntN(len(lines))
		b := min(len(lines), a+1+r.IntN(8))
		del := append(append([][]byte{}, lines[:a]...), lines[b:]...)
		out = append(out, join(del))
		dup := append(append(append([][]byte{}, lines[:b]...), lines[a:b]...), lines[b:]...)
		out = append(out, join(dup))
		ins := append(append(append([][]byte{}, lines[:a]...), []byte("#[cfg(feature = \"v2\")]\n")), lines[a:]...)
		out = append(out, join(ins))
	}
	mid := len(lines) / 2
	out = append(out, join(append(append([][]byte{}, lines[mid:]...), lines[:mid]...)))
	out = append(out, bytes.ReplaceAll(src, []byte("{\n"), []byte("{ let _touched = 1;\n")))
	out = append(out, bytes.ReplaceAll(src, []byte("pub "), []byte("pub(crate) ")))
	return out
}

// TestDiffEquivalenceParsed compares Diff and the reference on parsed
// testdata files: every ordered pair of them, and each with edited
// variants of itself.
func TestDiffEquivalenceParsed(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.rs")
	require.NoError(t, err)
	more, err := filepath.Glob("testdata/diff/*.rs")
	require.NoError(t, err)
	paths = append(paths, more...)
	require.NotEmpty(t, paths)
	r := rand.New(rand.NewPCG(5, 6))
	var files []*File
	var names []string
	for _, p := range paths {
		src, err := os.ReadFile(p)
		require.NoError(t, err)
		f, err := Parse(src)
		require.NoError(t, err)
		files, names = append(files, f), append(names, p)
		for k, v := range editSource(r, src) {
			g, err := Parse(v)
			require.NoError(t, err)
			requireSameDiff(t, f, g, fmt.Sprintf("%s -> edit %d", p, k))
			requireSameDiff(t, g, f, fmt.Sprintf("edit %d -> %s", k, p))
		}
	}
	for i := range files {
		for j := range files {
			requireSameDiff(t, files[i], files[j], names[i]+" -> "+names[j])
		}
	}
}

// TestDiffHashCollisions runs Diff's hash matching with hashes cut to two
// bits, so that items of different keys share chains, twice with the same
// scratch memory.
func TestDiffHashCollisions(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 13))
	for c := range 300 {
		old := &File{}
		for i := range 50 + r.IntN(300) {
			old.Items = append(old.Items, randomItem(r, i+1))
		}
		new := &File{Items: editItems(r, old.Items, 1+r.IntN(10))}
		if c%3 == 0 {
			new.Items = slicesCloneItems(old.Items)
			r.Shuffle(len(new.Items), func(i, j int) { new.Items[i], new.Items[j] = new.Items[j], new.Items[i] })
		}
		want := refDiff(old, new)
		s := &diffScratch{heads: map[uint64]int32{}}
		for round := range 2 { // the second round reuses the scratch
			if got := s.diff(old.Items, new.Items, 3); !reflect.DeepEqual(want, got) {
				t.Fatalf("case %d round %d: Diff differs from the reference\ngot:\n%s\nwant:\n%s", c, round, dumpChanges(got), dumpChanges(want))
			}
		}
	}
}
