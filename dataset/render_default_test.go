package dataset

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/change"
)

// randomShape is a random record: files in layers and unclassified, of
// every status, with code and test changes (long lists of one owner
// among them), spread over commits, one of which may have no file.
func randomShape(r *rand.Rand, n int) shape {
	kinds := []change.Kind{change.KindFunction, change.KindStruct, change.KindField, change.KindVariant, change.KindMethod}
	ops := []change.Op{change.OpAdded, change.OpRemoved, change.OpModified}
	statuses := []change.Status{change.StatusAdded, change.StatusModified, change.StatusDeleted, change.StatusRenamed, ""}
	var s shape
	if r.IntN(8) == 0 {
		s.commits = append(s.commits, ResponseCommit{SHA: "short", Subject: "no files"})
	}
	for f := range 1 + r.IntN(12) {
		var ids []change.Identifier
		for k := range r.IntN(15) + 12*r.IntN(2) {
			id := change.Identifier{Op: ops[r.IntN(3)], Kind: kinds[r.IntN(len(kinds))], Name: fmt.Sprintf("n%d", k),
				Owner: []string{"", "T", "m::U"}[r.IntN(3)], Visibility: []string{"pub", "", "pub(crate)"}[r.IntN(3)],
				Detail: [][]string{{"body"}, {"signature", "body"}, nil}[r.IntN(3)], Test: r.IntN(4) == 0}
			if r.IntN(5) == 0 {
				id.Cfg = []string{`cfg(feature = "v2")`}
			}
			ids = append(ids, id)
		}
		if r.IntN(3) == 0 {
			s.commits = append(s.commits, ResponseCommit{SHA: fmt.Sprintf("%040d", n*100+f), Subject: "next"})
		}
		path := fmt.Sprintf("crates/c/src/f%d.rs", f)
		if r.IntN(6) == 0 {
			path = fmt.Sprintf("docs/f%d.md", f)
		}
		st := statuses[r.IntN(len(statuses))]
		s.file(r.IntN(4)-1, path, st, ids...)
		if st == change.StatusRenamed && r.IntN(2) == 0 {
			old := "old/" + path
			s.status[path] = fileStatus{status: st, oldPath: old}
			c := &s.commits[len(s.commits)-1]
			c.Files[len(c.Files)-1].OldPath = old
		}
	}
	return s
}

// TestAppendResponse: the renderer without the template package writes
// what DefaultResponseTemplate does on the plan's data, at every
// compaction of random plans, ranked or not; fitResponse gives the same
// text, count and step with either.
func TestAppendResponse(t *testing.T) {
	tmpl := DefaultResponseTemplate()
	r := rand.New(rand.NewPCG(5, 6))
	for n := range 60 {
		s := randomShape(r, n)
		p := s.plan()
		if n%5 == 0 {
			p.base.patterns = nil
		}
		// Complete, before the plan is ranked: written straight from the
		// changes.
		want, err := RenderResponse(tmpl, p.data(compaction{}))
		require.NoError(t, err)
		require.Equal(t, want, strings.TrimSpace(string(p.appendResponse([]byte("stale"), compaction{})[5:])), "plan %d", n)
		// The cached parts of a commit's detail join into commitDetail's.
		langs := DefaultLanguages()
		for _, pc := range p.commits {
			for _, collapse := range []bool{false, true} {
				for _, summarise := range []func(string) bool{nil, func(path string) bool { return len(path)%2 == 0 }} {
					require.Equal(t, commitDetail(pc.c.Files, pc.c.Changes, collapse, summarise, langs), pc.detail(collapse, summarise, langs))
				}
			}
		}
		for _, st := range compactionSteps {
			for k := 0; k <= st.size(p); k++ {
				var c compaction
				st.set(&c, p, k)
				c.collapse = r.IntN(2) == 0
				want, err := RenderResponse(tmpl, p.data(c))
				require.NoError(t, err)
				require.Equal(t, want, strings.TrimSpace(string(p.appendResponse(nil, c))), "plan %d, %s %d", n, st.name, k)
			}
		}
		for _, budget := range []int{0, 30, 80, 200, 400} {
			wantText, wantTokens, wantStep, err := fitResponse(tmpl, s.plan(), budget)
			require.NoError(t, err)
			text, tokens, step, err := fitResponse(nil, s.plan(), budget)
			require.NoError(t, err)
			assert.Equal(t, []any{wantText, wantTokens, wantStep}, []any{text, tokens, step}, "plan %d, budget %d", n, budget)
		}
	}
}

// BenchmarkFitResponse fits the response of plans of a few sizes, within
// their budget and over it.
func BenchmarkFitResponse(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	var shapes []shape
	for n := range 40 {
		shapes = append(shapes, randomShape(r, n))
	}
	for _, budget := range []int{0, 150} {
		b.Run(fmt.Sprintf("budget=%d", budget), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				s := &shapes[i%len(shapes)]
				if _, _, _, err := fitResponse(nil, s.plan(), budget); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestContainerKinds: the list answers as a map does, the last kind set
// for a name winning, also past containerScan names.
func TestContainerKinds(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	kinds := []change.Kind{change.KindStruct, change.KindEnum, change.KindUnion}
	for _, n := range []int{0, 1, containerScan - 1, containerScan, containerScan + 1, 40} {
		var m containerKinds
		want := map[string]change.Kind{}
		for range 2 * n {
			name, kind := fmt.Sprintf("T%d", r.IntN(n+1)), kinds[r.IntN(len(kinds))]
			m.set(name, kind)
			want[name] = kind
		}
		for i := range n + 2 {
			name := fmt.Sprintf("T%d", i)
			assert.Equal(t, want[name], m.get(name), "%d names, %s", n, name)
		}
	}
	var none *containerKinds
	assert.Equal(t, change.Kind(""), none.get("T"))
}

// TestGroupRuns: the runs of a file's changes are at least its groups.
func TestGroupRuns(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for n := range 200 {
		s := randomShape(r, n)
		for _, c := range s.commits {
			for _, f := range c.Files {
				var cs []change.Identifier
				for _, id := range c.Changes {
					if id.File == f.Path {
						cs = append(cs, id)
					}
				}
				groups := len(groupChanges(cs, false, nil, DefaultLanguages())) + len(groupChanges(cs, true, nil, DefaultLanguages()))
				assert.GreaterOrEqual(t, groupRuns(cs), groups)
			}
		}
	}
}

// TestChangesByFileMany: changesByFile groups as a map of appends does,
// runs or interleaved, with few files or past fileScan.
func TestChangesByFileMany(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for n := range 100 {
		files := 1 + r.IntN(3*fileScan)
		var lists [][]change.Identifier
		for range 1 + r.IntN(3) {
			var l []change.Identifier
			consecutive := r.IntN(2) == 0
			for i := range r.IntN(60) {
				f := r.IntN(files)
				if consecutive {
					f = i * files / 60
				}
				l = append(l, change.Identifier{File: fmt.Sprintf("f%d.rs", f), Name: fmt.Sprintf("n%d", i)})
			}
			lists = append(lists, l)
		}
		want := map[string][]change.Identifier{}
		var order []string
		for _, l := range lists {
			for _, c := range l {
				if _, ok := want[c.File]; !ok {
					order = append(order, c.File)
				}
				want[c.File] = append(want[c.File], c)
			}
		}
		got := changesByFile(lists...)
		require.Equal(t, order, got.paths, "case %d", n)
		for _, p := range order {
			require.Equal(t, want[p], got.get(p), "case %d, %s", n, p)
		}
		assert.Nil(t, got.get("none.rs"))
	}
}
