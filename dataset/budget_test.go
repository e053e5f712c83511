package dataset

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/change"
)

// shape builds the layers, commits and file statuses of a synthetic record.
type shape struct {
	layers       []LayerRecord
	unclassified []string
	commits      []ResponseCommit
	status       map[string]fileStatus
}

// file adds a file to the layer (counted from 0; -1: unclassified) and
// the last commit.
func (s *shape) file(layer int, path string, status change.Status, changes ...change.Identifier) {
	for len(s.layers) <= layer {
		n := len(s.layers) + 1
		s.layers = append(s.layers, LayerRecord{Layer: fmt.Sprintf("layer%d", n), Title: fmt.Sprintf("Layer %d", n)})
	}
	if layer < 0 {
		s.unclassified = append(s.unclassified, path)
	} else {
		s.layers[layer].Files = append(s.layers[layer].Files, path)
	}
	if s.status == nil {
		s.status = map[string]fileStatus{}
	}
	s.status[path] = fileStatus{status: status}
	if len(s.commits) == 0 {
		s.commits = []ResponseCommit{{SHA: "0123456789abcdef0123456789abcdef01234567", Subject: "feat: synthetic change"}}
	}
	c := &s.commits[len(s.commits)-1]
	c.Files = append(c.Files, change.File{Path: path, Status: status})
	for i := range changes {
		changes[i].File = path
	}
	c.Changes = append(c.Changes, changes...)
}

func (s *shape) plan() *responsePlan {
	base := ResponseData{Title: "t", Intent: IntentRecord{FeatureType: "connector", Action: "add_feature"},
		Patterns: []PatternRecord{{Name: "Add enum variants", Count: 3}}}
	base.Lead = featureLead(base.Intent)
	return newResponsePlan(base, s.layers, s.unclassified, s.commits, s.status, DefaultLanguages())
}

func added(kind change.Kind, owner string, names ...string) []change.Identifier {
	var out []change.Identifier
	for _, n := range names {
		out = append(out, change.Identifier{Op: "added", Kind: kind, Name: n, Owner: owner, Visibility: "pub"})
	}
	return out
}

func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%03d", prefix, i)
	}
	return out
}

func TestFitResponse(t *testing.T) {
	tests := []struct {
		name   string
		build  func(s *shape)
		budget int
		step   string // the last compaction step expected
	}{
		{"under budget", func(s *shape) {
			s.file(0, "crates/api/src/customers.rs", "modified",
				append(added("struct", "", "CustomerListRequest"), added("field", "CustomerListRequest", "customer_id")...)...)
			s.file(1, "crates/router/src/core/customers.rs", "modified",
				change.Identifier{Op: "modified", Kind: "function", Name: "list_by_merchant_id", Visibility: "pub", Detail: []string{"body"}})
		}, 4096, ""},
		{"many variants", func(s *shape) {
			s.file(0, "crates/common_enums/src/enums.rs", "modified", added("variant", "Connector", numbered("Connector", 300)...)...)
			s.file(1, "crates/router/src/connector.rs", "modified", added("function", "", "build")...)
		}, 400, CompactCollapseLists},
		{"many files", func(s *shape) {
			for i := range 150 {
				s.file(i%3, fmt.Sprintf("crates/c%d/src/m%03d.rs", i%3, i), "added",
					added("function", "", numbered(fmt.Sprintf("handler_%d_", i), 4)...)...)
			}
		}, 1500, CompactCapFiles},
		{"many layers", func(s *shape) {
			for i := range 40 {
				s.file(i, fmt.Sprintf("crates/k%02d/src/lib.rs", i), "modified",
					append(added("struct", "", numbered(fmt.Sprintf("Type%02d_", i), 3)...),
						added("field", fmt.Sprintf("Type%02d_000", i), numbered("f", 5)...)...)...)
			}
		}, 1200, CompactSummariseFiles},
		{"long details", func(s *shape) {
			var cs []change.Identifier
			for i := range 60 {
				cs = append(cs, change.Identifier{Op: "added", Kind: "function", Name: fmt.Sprintf("f%03d", i), Owner: fmt.Sprintf("m%03d", i),
					Visibility: "pub"})
			}
			s.file(0, "crates/api/src/handlers.rs", "modified", cs...)
			s.file(1, "crates/core/src/lib.rs", "modified", added("function", "", "run")...)
		}, 1000, CompactSummariseDetails},
		{"test changes", func(s *shape) {
			tests := added("function", "tests", "lists_by_merchant", "rejects_bad_limit")
			for i := range tests {
				tests[i].Cfg, tests[i].Test = []string{"cfg(test)"}, true
			}
			s.file(0, "crates/api/src/customers.rs", "modified",
				append(added("struct", "", "CustomerListRequest"), tests...)...)
			integration := added("function", "", "customer_list_pages")
			integration[0].Test = true
			s.file(1, "crates/router/tests/customers.rs", "added", integration...)
		}, 4096, ""},
		{"huge single file", func(s *shape) {
			var cs []change.Identifier
			for i := range 400 {
				cs = append(cs, change.Identifier{Op: "added", Kind: "function", Name: fmt.Sprintf("f%03d", i), Owner: fmt.Sprintf("m%03d", i),
					Visibility: "pub(crate)"})
			}
			s.file(0, "crates/big/src/generated_like.rs", "added", cs...)
		}, 300, CompactSummariseFiles},
	}
	tmpl := DefaultResponseTemplate()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s shape
			tt.build(&s)
			p := s.plan()
			complete, err := RenderResponse(tmpl, p.data(compaction{}))
			require.NoError(t, err)
			text, tokens, step, err := fitResponse(tmpl, p, tt.budget)
			require.NoError(t, err)
			want, err := CountTokens(text)
			require.NoError(t, err)
			assert.Equal(t, want, tokens, "the count returned is the text's")
			assert.LessOrEqual(t, tokens, tt.budget)
			assert.Equal(t, tt.step, step)
			if step == "" {
				assert.Equal(t, complete, text, "a response within the budget is the complete one")
			} else {
				assert.Less(t, len(text), len(complete))
			}
			for _, l := range s.layers {
				assert.Contains(t, text, l.Title, "every layer is kept")
			}
			assert.True(t, strings.HasPrefix(text, "To implement this connector feature:\n"))
			golden(t, "response_"+strings.ReplaceAll(tt.name, " ", "_")+".golden", text)
		})
	}
}

// TestFitResponseNoBudget keeps everything with budget 0.
func TestFitResponseNoBudget(t *testing.T) {
	var s shape
	s.file(0, "a/src/lib.rs", "modified", added("variant", "E", numbered("V", 500)...)...)
	text, tokens, step, err := fitResponse(DefaultResponseTemplate(), s.plan(), 0)
	require.NoError(t, err)
	assert.Empty(t, step)
	assert.Greater(t, tokens, 1000)
	assert.Contains(t, text, "`V499`")
}

// TestFitResponseCannotFit returns the most compacted text, still over
// the budget, for the filter to drop.
func TestFitResponseCannotFit(t *testing.T) {
	var s shape
	for i := range 30 {
		s.file(i, fmt.Sprintf("crates/k%02d/src/lib.rs", i), "modified", added("function", "", "f")...)
	}
	text, tokens, step, err := fitResponse(DefaultResponseTemplate(), s.plan(), 20)
	require.NoError(t, err)
	assert.Greater(t, tokens, 20)
	assert.Equal(t, CompactOmitPatterns, step)
	assert.Contains(t, text, "Layer 30")
}

func TestSentences(t *testing.T) {
	var owners containerKinds
	owners.set("Payload", change.KindUnion)
	tests := []struct {
		c    []change.Identifier
		want []string
	}{
		{added("field", "CustomerListRequest", "customer_id"), []string{"Add field `customer_id` to struct `CustomerListRequest`"}},
		{[]change.Identifier{{Op: "modified", Kind: "function", Name: "list_by_merchant_id", Detail: []string{"body"}}},
			[]string{"Modify function `list_by_merchant_id` (body)"}},
		{added("variant", "Connector", "A", "B"), []string{"Add 2 variants to enum `Connector`: `A`, `B`"}},
		{[]change.Identifier{{Op: "removed", Kind: "method", Name: "fmt", Owner: "Display for Amount"}},
			[]string{"Remove method `fmt` from impl `Display for Amount`"}},
		{[]change.Identifier{{Op: "modified", Kind: "method", Name: "update", Owner: "PaymentIntent", Detail: []string{"signature", "body"}}},
			[]string{"Modify method `update` of `PaymentIntent` (signature, body)"}},
		{added("function", "handlers::v2", "list"), []string{"Add function `list` in module `handlers::v2`"}},
		{added("field", "Payload", "raw"), []string{"Add field `raw` to union `Payload`"}},
		{append(added("const", "", "MAX"), change.Identifier{Op: "removed", Kind: "static", Name: "OLD"}),
			[]string{"Add constant `MAX`", "Remove static `OLD`"}},
		// #[cfg] twins read as one item.
		{[]change.Identifier{{Op: "added", Kind: "function", Name: "f", Cfg: []string{`cfg(feature = "v1")`}},
			{Op: "added", Kind: "function", Name: "f", Cfg: []string{`cfg(feature = "v2")`}}},
			[]string{"Add function `f`"}},
	}
	for _, tt := range tests {
		var got []string
		for _, g := range groupChanges(tt.c, false, &owners, DefaultLanguages()) {
			got = append(got, g.sentence(false, DefaultLanguages()))
		}
		assert.Equal(t, tt.want, got)
	}
	g := groupChanges(added("variant", "Connector", numbered("C", 37)...), false, nil, DefaultLanguages())[0]
	assert.Equal(t, "Add 37 variants to enum `Connector`: `C000`, `C001`, `C002` … and 34 more", g.sentence(true, DefaultLanguages()))
	assert.Equal(t, []string{"Add 37 variants"}, summarySentences([]changeGroup{g}, DefaultLanguages()))
}

func TestFeatureLead(t *testing.T) {
	tests := []struct {
		in   IntentRecord
		want string
	}{
		{IntentRecord{FeatureType: "payment", Action: "add_feature"}, "To implement this payment feature:"},
		{IntentRecord{FeatureType: "payment_methods", Action: "enhance"}, "To implement this payment methods enhancement:"},
		{IntentRecord{FeatureType: "storage", Action: "fix_bug"}, "To fix this storage bug:"},
		{IntentRecord{FeatureType: "none", Action: "fix_bug"}, "To fix this bug:"},
		{IntentRecord{FeatureType: "none", Action: "add_feature"}, "To implement this change:"},
		{IntentRecord{}, "To implement this change:"},
		{IntentRecord{FeatureType: "api", Action: "refactor"}, "To implement this api refactoring:"},
		{IntentRecord{FeatureType: "ci", Action: "ci"}, "To implement this CI change:"},
		{IntentRecord{FeatureType: "storage", Action: "deps"}, "To implement this storage dependency update:"},
		{IntentRecord{FeatureType: "none", Action: "revert"}, "To revert this change:"},
		{IntentRecord{FeatureType: "cli", Action: "unknown"}, "To implement this cli change:"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, featureLead(tt.in))
	}
}

// TestMergeBudget merges the sample with and without a small budget:
// responses within it are identical, the others compacted to fit or
// dropped and counted, and metadata keeps every change.
func TestMergeBudget(t *testing.T) {
	commits, gh := sampleExport(t)
	// The sample's reapplied change (#30 repeats #19) is kept: this test
	// is about budgets.
	full, _, err := Merge(gh.PRs, gh.Issues, commits, MergeOptions{Filters: FilterOptions{KeepSameChange: true}})
	require.NoError(t, err)
	i := slices.IndexFunc(full, func(r MergedRecord) bool { return r.Metadata.PRNumber == 28 })
	require.GreaterOrEqual(t, i, 0)
	golden(t, "merged_response.golden", full[i].Response)

	const budget = 250
	fitted, ms, err := Merge(gh.PRs, gh.Issues, commits, MergeOptions{Filters: FilterOptions{MaxResponseTokens: budget, KeepSameChange: true}})
	require.NoError(t, err)
	require.Equal(t, len(full), len(fitted)+ms.Dropped[DropResponseToken])
	byPR := map[int]MergedRecord{}
	for _, r := range fitted {
		byPR[r.Metadata.PRNumber] = r
	}
	compacted := 0
	for _, f := range full {
		r, ok := byPR[f.Metadata.PRNumber]
		if !ok {
			continue
		}
		assert.LessOrEqual(t, r.Metadata.ResponseTokens, budget)
		assert.Equal(t, f.Metadata.Changes, r.Metadata.Changes, "metadata keeps every change")
		if f.Metadata.ResponseTokens <= budget {
			assert.Equal(t, f.Response, r.Response, "PR #%d: under budget, unchanged", f.Metadata.PRNumber)
		} else {
			compacted++
			assert.Less(t, len(r.Response), len(f.Response))
		}
	}
	require.Positive(t, compacted, "the sample has responses over %d tokens", budget)
	n := 0
	for _, c := range ms.Compacted {
		n += c
	}
	assert.Equal(t, compacted+ms.Dropped[DropResponseToken], n)
}

// TestTemplateOfListsOfPaths: a template written for lists of paths (the
// layout before plans) still renders paths.
func TestTemplateOfListsOfPaths(t *testing.T) {
	tmpl, err := NewResponseTemplate(`{{range .Layers}}{{.Title}}:{{range .Files}} {{.}}{{end}}
{{end}}{{range .Commits}}{{fileChanges .Files .Changes}}{{end}}`)
	require.NoError(t, err)
	var s shape
	s.file(0, "crates/api/src/lib.rs", "modified", added("struct", "", "A")...)
	s.file(1, "crates/core/src/lib.rs", "added", added("function", "", "f")...)
	text, _, _, err := fitResponse(tmpl, s.plan(), 0)
	require.NoError(t, err)
	assert.Equal(t, "Layer 1: crates/api/src/lib.rs\nLayer 2: crates/core/src/lib.rs\n\n"+
		"**crates/api/src/lib.rs**\n  Add:\n    - struct: pub::A\n\n**crates/core/src/lib.rs** (new file)\n  Add:\n    - function: pub::f",
		text)
}
