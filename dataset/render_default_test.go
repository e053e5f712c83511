package dataset

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/change"
)

// TestRenderDefaultResponse: the renderer without the template package
// writes what DefaultResponseTemplate does, on hand-made data and on
// every compaction of random plans.
func TestRenderDefaultResponse(t *testing.T) {
	tmpl := DefaultResponseTemplate()
	file := func(path string, st change.Status, changes ...string) ResponseFile {
		return ResponseFile{Path: path, OldPath: "old/" + path, Status: st, Changes: changes}
	}
	commit := ResponseCommit{SHA: "0123456789abcdef", Subject: "fix: <b> & \"q\" {{x}}", Detail: "**a.rs**\n  Add:\n    - fn: f\n"}
	cases := []struct {
		name string
		data ResponseData
	}{
		{"zero", ResponseData{}},
		{"lead only", ResponseData{Lead: "To fix this bug:"}},
		{"probe", probeResponse},
		{"layers with more files", ResponseData{Lead: "L", Layers: []ResponseLayer{
			{Title: "One", Files: []ResponseFile{file("a.rs", change.StatusAdded, "Add x", "Remove y"), file("b.rs", change.StatusRenamed)}, MoreFiles: 1},
			{Title: "Two", MoreFiles: 7}, {Title: "Three"}}}},
		{"other files, more only", ResponseData{Lead: "L", MoreUnclassified: 2}},
		{"other files", ResponseData{Lead: "L", Unclassified: []ResponseFile{file("docs/x.md", change.StatusDeleted, "c")}, MoreUnclassified: 1}},
		{"tests and patterns", ResponseData{Lead: "L", Tests: []ResponseFile{file("t.rs", "", "Add test")},
			Patterns: []PatternRecord{{Name: "P", Count: 1}, {Name: "Q", Count: 12}}}},
		{"empty lists", ResponseData{Lead: "L", Layers: []ResponseLayer{}, Unclassified: []ResponseFile{}, Tests: []ResponseFile{},
			Patterns: []PatternRecord{}, Commits: []ResponseCommit{}}},
		{"one commit left out", ResponseData{Lead: "L", OmittedCommits: 1}},
		{"commits, more left out", ResponseData{Lead: "L", Commits: []ResponseCommit{commit, {SHA: "ab", Subject: "s"}}, OmittedCommits: 3}},
		{"commit with an empty detail", ResponseData{Commits: []ResponseCommit{{SHA: "0123456789", Subject: ""}}, OmittedCommits: 1}},
		{"spaces to trim", ResponseData{Lead: "  \n", Commits: []ResponseCommit{{SHA: "x", Detail: "\n\n  "}}}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			want, err := RenderResponse(tmpl, tt.data)
			require.NoError(t, err)
			assert.Equal(t, want, renderDefaultResponse(tt.data))
		})
	}
	r := rand.New(rand.NewPCG(5, 6))
	kinds := []change.Kind{change.KindFunction, change.KindStruct, change.KindField, change.KindVariant, change.KindMethod}
	ops := []change.Op{change.OpAdded, change.OpRemoved, change.OpModified}
	for n := range 40 {
		var s shape
		for f := range 1 + r.IntN(12) {
			var ids []change.Identifier
			for k := range r.IntN(15) {
				ids = append(ids, change.Identifier{Op: ops[r.IntN(3)], Kind: kinds[r.IntN(len(kinds))], Name: fmt.Sprintf("n%d", k),
					Owner: []string{"", "T", "m::U"}[r.IntN(3)], Visibility: "pub", Detail: []string{"body"}, Test: r.IntN(4) == 0})
			}
			if r.IntN(3) == 0 {
				s.commits = append(s.commits, ResponseCommit{SHA: fmt.Sprintf("%040d", n*100+f), Subject: "next"})
			}
			s.file(r.IntN(3), fmt.Sprintf("crates/c/src/f%d.rs", f), []change.Status{change.StatusAdded, change.StatusModified, change.StatusDeleted}[r.IntN(3)], ids...)
		}
		p := s.plan()
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
				d := p.data(c)
				want, err := RenderResponse(tmpl, d)
				require.NoError(t, err)
				require.Equal(t, want, renderDefaultResponse(d), "plan %d, %s %d", n, st.name, k)
			}
		}
		for _, budget := range []int{0, 30, 80, 200, 400} {
			wantText, wantTokens, wantStep, err := fitResponse(tmpl, p, budget)
			require.NoError(t, err)
			text, tokens, step, err := fitResponse(nil, p, budget)
			require.NoError(t, err)
			assert.Equal(t, []any{wantText, wantTokens, wantStep}, []any{text, tokens, step}, "plan %d, budget %d", n, budget)
		}
	}
}
