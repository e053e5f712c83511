package rustparse

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/linediff"
)

func fuzzSeeds(f *testing.F) [][]byte {
	f.Helper()
	seeds := [][]byte{
		nil,
		[]byte("pub fn f() {}"),
		[]byte("#[cfg(a)] struct S { x: u8 } #[cfg(b)] struct S(u8);"),
		[]byte("impl<T> Tr for S<T> where T: Clone { fn m(&self) {} type A = u8; }"),
		[]byte("mod a { mod b { enum E { A = 1, B(u8), C { x: u8 } } } }"),
		[]byte("fn broken( { \n struct"),
		[]byte("macro_rules! m { () => {} } extern \"C\" { fn x(); }"),
		// Lists inside a body: arguments, an array, tuples, struct
		// literals, a closure's block, an if and its else.
		[]byte("fn f() -> S {\n    let t = xs.iter().map(|x| {\n        x + 1\n    }).sum::<u32>();\n    if t > 1 {\n        g(t);\n    } else {\n        g(0);\n    }\n    S(HashMap::from([\n        (A, T { a: 1, b: vec![2] }),\n        (B, T { a: 3, ..Default::default() }),\n    ]), [1, 2, 3], (t, 2))\n}\n"),
		// Nesting at and past MaxNesting.
		nestedMods(MaxNesting, "fn f() {}"),
		nestedMods(MaxNesting+1, "fn f() {}"),
		[]byte(strings.Repeat("mod m {\n", 4*MaxNesting)),
	}
	paths, _ := filepath.Glob("testdata/*.rs")
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			seeds = append(seeds, b)
		}
	}
	return seeds
}

// FuzzParse checks Parse never fails or panics on text, gives sane
// positions, and that a file diffed with itself has no changes.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range file.Items {
			if it.Line < 1 || it.EndLine < it.Line {
				t.Fatalf("bad lines %d-%d for %s", it.Line, it.EndLine, it.Key())
			}
		}
		for _, e := range file.Errors {
			if e.Line < 1 || e.Column < 1 || e.Message == "" {
				t.Fatalf("bad error %+v", e)
			}
		}
		if cs := Diff(file, file); len(cs) != 0 {
			t.Fatalf("Diff(f, f) = %v", cs)
		}
	})
}

// FuzzDiff checks that Diff equals the frozen reference (refDiff), that
// the added and removed items agree with the set difference of item keys
// (counted as multisets) and that modified items exist on both sides.
func FuzzDiff(f *testing.F) {
	// Duplicate keys, and one key spelled by different fields.
	seeds := append(fuzzSeeds(f), []byte("fn f() {}\nfn f() {}"), []byte("mod a { impl B {} }\nimpl a::B {}"))
	for i := range seeds {
		f.Add(seeds[i], seeds[(i+1)%len(seeds)])
	}
	f.Fuzz(func(t *testing.T, old, new []byte) {
		of, err := Parse(old)
		if err != nil {
			t.Fatal(err)
		}
		nf, err := Parse(new)
		if err != nil {
			t.Fatal(err)
		}
		requireSameDiff(t, of, nf, "fuzz") // equals the frozen reference
		cut := diffCut(of, nf)
		count := func(f *File) map[string]int {
			m := map[string]int{}
			for _, it := range f.Items {
				if cut == 0 || int(it.depth) < cut { // items below a cut are unknown
					m[it.Key()]++
				}
			}
			return m
		}
		oldKeys, newKeys := count(of), count(nf)
		added, removed, modified := map[string]int{}, map[string]int{}, map[string]int{}
		for _, c := range Diff(of, nf) {
			k := Item{Kind: c.Kind, Name: c.Name, Owner: c.Owner, Cfg: c.Cfg}.Key()
			switch c.Op {
			case change.OpAdded:
				added[k]++
			case change.OpRemoved:
				removed[k]++
			case change.OpModified:
				modified[k]++
				if len(c.Detail) == 0 {
					t.Fatalf("modified %s without detail", k)
				}
			}
		}
		for k := range union(oldKeys, newKeys) {
			if want := max(newKeys[k]-oldKeys[k], 0); added[k] != want {
				t.Fatalf("%s: added %d, want %d", k, added[k], want)
			}
			if want := max(oldKeys[k]-newKeys[k], 0); removed[k] != want {
				t.Fatalf("%s: removed %d, want %d", k, removed[k], want)
			}
			if modified[k] > min(oldKeys[k], newKeys[k]) {
				t.Fatalf("%s: modified %d times, present %d/%d", k, modified[k], oldKeys[k], newKeys[k])
			}
		}
	})
}

func union(a, b map[string]int) map[string]bool {
	u := map[string]bool{}
	for k := range a {
		u[k] = true
	}
	for k := range b {
		u[k] = true
	}
	return u
}

// FuzzTracker feeds old, new and old again through a Tracker and checks
// each result equals Parse's.
func FuzzTracker(f *testing.F) {
	seeds := fuzzSeeds(f)
	for i := range seeds {
		f.Add(seeds[i], seeds[(i+1)%len(seeds)])
	}
	f.Add([]byte("fn a() {}\nfn b() {}\n"), []byte("fn a() {}\n#[cfg(x)]\nfn b() {}\n"))
	// Every function body is parsed by statements when it can be.
	defer func(v uint32) { statementsMinBody = v }(statementsMinBody)
	statementsMinBody = 0
	f.Fuzz(func(t *testing.T, old, new []byte) {
		for _, keepTree := range []bool{true, false} {
			trackVersions(t, keepTree, old, new)
		}
	})
}

// trackVersions feeds old, new and old again through a Tracker that keeps
// its trees or splices, and checks each result equals Parse's.
func trackVersions(t *testing.T, keepTree bool, old, new []byte) {
	t.Helper()
	{
		tr := NewTracker()
		if keepTree {
			tr = NewTreeTracker()
		}
		defer tr.Close()
		// Then the same with line diffs handed in: right ones (git-like and
		// minimal) and a wrong one (none), which must be detected.
		versions := [][]byte{old, new, old, new, old, new}
		hunks := [][]linediff.Hunk{nil, nil, nil, linediff.Lines(old, new), linediff.LinesMinimal(new, old), nil}
		for i, src := range versions {
			var got *File
			var err error
			if i < 3 {
				got, err = tr.Update(src)
			} else {
				got, err = tr.UpdateHunks(src, hunks[i])
			}
			if err != nil {
				t.Fatal(err)
			}
			want, err := Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(want, got) {
				t.Fatalf("keepTree %v, version %d: tracker\n%s\nparse\n%s", keepTree, i, renderFile(got), renderFile(want))
			}
		}
	}
}
