package report_test

import (
	"fmt"
	"strings"

	"github.com/sftforge/sftforge/report"
)

// Records are added to a summary one at a time; Render writes the page.
func Example() {
	var s report.Summary
	for i, layers := range [][]string{{"api_models", "router_core"}, {"connectors"}, {"router_core"}} {
		s.Add(&report.Record{Key: fmt.Sprint(i), Title: "a change", Date: "2024-03-01", Layers: layers,
			FeatureType: "payments", Action: "add", PromptTokens: 50, ResponseTokens: 400,
			IdentifierKinds: []string{"function"}, MatchMethod: "merge_commit_sha",
			Prompt: "Merchants need it.", Response: "Files to modify: …"})
	}
	s.AddCounts(map[string]int{"duplicate": 1}, map[string]int{"volunteer": 2})
	var b strings.Builder
	if err := report.Render(&b, &s, report.Options{Title: "demo", ResponseBudget: 2000}); err != nil {
		panic(err)
	}
	page := b.String()
	fmt.Println(s.Records, "records,", s.Layers["router_core"], "touch router_core")
	for _, id := range report.ChartIDs {
		fmt.Println(id, strings.Contains(page, `data-chart="`+id+`"`))
	}
	// Output:
	// 3 records, 2 touch router_core
	// timeline true
	// layers true
	// layer-cooccurrence true
	// feature-actions true
	// prompt-tokens true
	// response-tokens true
	// identifier-kinds true
	// match-methods true
	// filtered true
	// prompt-sections true
}
