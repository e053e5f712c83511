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
