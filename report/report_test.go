package report

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testRecords are records shaped like a payments repository's.
func testRecords() []Record {
	layers := [][]string{
		{"api_models", "router_core", "routes"},
		{"connectors", "router_core"},
		{"diesel_models", "storage", "router_core"},
		{"docs"},
		{"connectors"},
		{"api_models", "routes"},
		{"ci"},
		{"connectors", "api_models", "router_core", "routes"},
	}
	features := [][2]string{{"connector", "add"}, {"connector", "fix"}, {"payments", "add"}, {"refunds", "fix"},
		{"", "docs"}, {"payments", "refactor"}, {"ci", "chore"}, {"connector", "add"}}
	kinds := [][]string{{"function", "struct", "field", "field"}, {"enum", "variant"}, {"method", "method", "impl"}, nil,
		{"function"}, {"struct", "field"}, nil, {"function", "function", "trait"}}
	methods := []string{"merge_commit_sha", "merge_commit_sha", "pr_commits", "none", "subject_pr_number", "merge_commit_sha", "commit", "merge_commit_sha"}
	var recs []Record
	for i := range layers {
		recs = append(recs, Record{
			Key:   fmt.Sprintf("#%d", 100+i),
			Title: fmt.Sprintf("feat: change %d <b>&</b>", i),
			Date:  fmt.Sprintf("2024-%02d-1%dT10:00:00Z", 1+i%5, i%9), Layers: layers[i],
			FeatureType: features[i][0], Action: features[i][1],
			PromptTokens: 40 + 37*i, ResponseTokens: 200 + 310*i,
			IdentifierKinds: kinds[i], MatchMethod: methods[i],
			Prompt:   fmt.Sprintf("Merchants need <script>alert(%d)</script> search.", i),
			Response: "Files to modify:\n\n**crates/router/src/lib.rs**\n  Add:\n    - function: pub::search",
		})
	}
	return recs
}

func testSummary() *Summary {
	var s Summary
	for _, r := range testRecords() {
		s.Add(&r)
	}
	s.AddCounts(map[string]int{"bot_author": 3, "duplicate": 2, "version_bump": 5},
		map[string]int{"checklist": 7, "no_response": 2, "volunteer": 4, "environment": 1, "confirmation": 6})
	return &s
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), got)
}

func TestRenderGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    *Summary
		opts Options
	}{
		{"report.golden.html", testSummary(), Options{Title: "paygate-sft", Source: "acme-payments/paygate", ResponseBudget: 2000, PromptBudget: 0}},
		{"report_empty.golden.html", &Summary{}, Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, Render(&b, tc.s, tc.opts))
			golden(t, tc.name, b.String())
		})
	}
}

// TestRenderSelfContained: every chart is there, nothing is loaded from
// anywhere, no script runs, and record text is escaped.
func TestRenderSelfContained(t *testing.T) {
	var b strings.Builder
	require.NoError(t, Render(&b, testSummary(), Options{ResponseBudget: 2000}))
	page := b.String()
	for _, id := range ChartIDs {
		assert.Contains(t, page, `<figure class="chart" id="chart-`+id+`" data-chart="`+id+`">`)
		assert.Contains(t, page, `data-chart="`+id+`" viewBox=`)
	}
	for _, bad := range []string{"<script", "src=", "href=", "@import", "url(", "http://", "https://"} {
		if bad == "http://" {
			// The SVG namespace is a name, not a request.
			page := strings.ReplaceAll(page, `xmlns="http://www.w3.org/2000/svg"`, "")
			assert.NotContains(t, page, bad)
			continue
		}
		assert.NotContains(t, page, bad)
	}
	assert.Contains(t, page, "&lt;script&gt;alert(")
	assert.Contains(t, page, "feat: change 1 &lt;b&gt;&amp;&lt;/b&gt;")
	assert.Contains(t, page, `class="budget"`)
}

// TestSummaryMerge: summaries of parts merged equal the summary of the
// whole, whatever the split (examples included).
func TestSummaryMerge(t *testing.T) {
	recs := testRecords()
	whole := testSummary()
	for split := 0; split <= len(recs); split++ {
		var a, b Summary
		for i := range recs {
			if i < split {
				a.Add(&recs[i])
			} else {
				b.Add(&recs[i])
			}
		}
		b.AddCounts(whole.Filtered, whole.PromptSections)
		// b into a: token lists in record order.
		a.Merge(&b)
		assert.Equal(t, whole, &a, "split at %d", split)
	}
}

func TestHistogramBins(t *testing.T) {
	for _, tc := range []struct {
		values []int
		budget int
		want   []string
	}{
		{[]int{0, 1, 2, 3}, 0, []string{"0–0 tokens: 1", "3–3 tokens: 1"}},
		{[]int{10, 2990, 3100}, 3000, []string{"0–199 tokens: 1", "2800–2999 tokens: 1", "3000–3199 tokens: 1", "budget 3000 (1 over)"}},
		{[]int{5}, 1000, []string{"0–49 tokens: 1", "budget 1000 (0 over)"}},
	} {
		svg := histogram("h", "h", tc.values, tc.budget, "#000")
		for _, w := range tc.want {
			assert.Contains(t, svg, w)
		}
	}
}

func TestMonthRange(t *testing.T) {
	assert.Equal(t, []string{"2023-11", "2023-12", "2024-01"}, monthRange("2023-11", "2024-01"))
	assert.Nil(t, monthRange("x", "2024-01"))
	assert.Nil(t, monthRange("2024-02", "2024-01"))
}

func TestByCountOther(t *testing.T) {
	got := byCount(map[string]int{"a": 5, "b": 4, "c": 3, "d": 2}, 3)
	assert.Equal(t, []kv{{"a", 5}, {"b", 4}, {"other (2)", 5}}, got)
}
