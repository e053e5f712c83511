package dataset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/github/forms"
	"github.com/sftforge/sftforge/report"
)

// TestSampleReportAndForms: the sample's run writes report.html with every
// chart drawn from its records, and removes the scaffolding of its issue
// forms (read from the sample's own .github) from the prompts, counted by
// kind in statistics.json and shown in the report.
func TestSampleReportAndForms(t *testing.T) {
	res, out := runSample(t, nil)
	page, err := os.ReadFile(filepath.Join(out, "report.html"))
	require.NoError(t, err)
	html := string(page)
	for _, id := range report.ChartIDs {
		i := strings.Index(html, `<svg xmlns="http://www.w3.org/2000/svg" class="plot" data-chart="`+id+`"`)
		require.GreaterOrEqual(t, i, 0, "chart %s", id)
		end := strings.Index(html[i:], "</svg>")
		assert.NotContains(t, html[i:i+end], "nothing to show", "chart %s has data", id)
	}
	assert.Equal(t, 3, strings.Count(html, `<article class="example">`))

	removed := res.Statistics.PromptSections
	for _, role := range forms.Roles {
		assert.Positive(t, removed[string(role)], "sections of kind %s removed", role)
	}
	for _, rec := range readLines(t, filepath.Join(out, "merged_dataset.jsonl")) {
		prompt := rec["prompt"].(string)
		for _, s := range []string{"_No response_", "Are you willing to submit a PR?", "Contributing Guidelines",
			"rustc --version", "Where does it run?", "## Checklist", "## Type of Change"} {
			assert.NotContains(t, prompt, s)
		}
	}
}
