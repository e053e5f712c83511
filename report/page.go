package report

import (
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
)

// Options says what a page shows besides the summary.
type Options struct {
	// Title heads the page (e.g. the dataset's name); default "sftforge
	// dataset".
	Title string
	// Source is what the records were made from ("juspay/hyperswitch").
	Source string
	// ResponseBudget and PromptBudget are the token budgets marked on the
	// histograms (0: none).
	ResponseBudget, PromptBudget int
}

// Chart is one chart of a page.
type Chart struct {
	// ID names the chart: the data-chart attribute of its figure and svg.
	ID string
	// Title and Note are shown above the chart.
	Title, Note string
	svg         string
}

// ChartIDs are the charts every page has, in order (a chart without data
// says so in place of its plot).
var ChartIDs = []string{"timeline", "layers", "layer-cooccurrence", "feature-actions", "prompt-tokens",
	"response-tokens", "identifier-kinds", "match-methods", "filtered", "prompt-sections"}

// Charts returns the charts of a page of s, in the order of ChartIDs.
func Charts(s *Summary, opts Options) []Chart {
	return []Chart{
		{ID: "timeline", Title: "Records over time", Note: "records by month of merge",
			svg: timeline("timeline", "records by month", s.Months)},
		{ID: "layers", Title: "Layers by frequency", Note: "records touching each layer",
			svg: hbars("layers", "records per layer", s.Layers, 25, palette[0])},
		{ID: "layer-cooccurrence", Title: "Layers together", Note: "records touching both layers (the most frequent 20; darker is more; the diagonal is the layer alone)",
			svg: heatmap("layer-cooccurrence", "layer co-occurrence", s.Layers, s.LayerPairs, 20)},
		{ID: "feature-actions", Title: "Feature types by action", Note: "records per detected feature type, split by action",
			svg: stacked("feature-actions", "feature types by action", s.FeatureActions, 20)},
		{ID: "prompt-tokens", Title: "Prompt tokens", Note: budgetNote(s.PromptTokens, opts.PromptBudget),
			svg: histogram("prompt-tokens", "prompt token histogram", s.PromptTokens, opts.PromptBudget, palette[2])},
		{ID: "response-tokens", Title: "Response tokens", Note: budgetNote(s.ResponseTokens, opts.ResponseBudget),
			svg: histogram("response-tokens", "response token histogram", s.ResponseTokens, opts.ResponseBudget, palette[1])},
		{ID: "identifier-kinds", Title: "Identifier kinds", Note: "identifier changes by kind",
			svg: hbars("identifier-kinds", "identifier changes by kind", s.IdentifierKinds, 20, palette[3])},
		{ID: "match-methods", Title: "Match methods", Note: "how each record's pull request was matched to commits",
			svg: hbars("match-methods", "records by match method", s.MatchMethods, 0, palette[4])},
		{ID: "filtered", Title: "What was filtered and why", Note: fmt.Sprintf("records left out, by reason (%d kept)", s.Records),
			svg: hbars("filtered", "records filtered by reason", s.Filtered, 0, palette[5])},
		{ID: "prompt-sections", Title: "What was removed from prompts", Note: "issue-form and template sections that describe no problem, by kind",
			svg: hbars("prompt-sections", "prompt sections removed", s.PromptSections, 0, palette[8])},
	}
}

// budgetNote describes a token distribution and its budget.
func budgetNote(v []int, budget int) string {
	if len(v) == 0 {
		return "no records"
	}
	s := append([]int(nil), v...)
	sort.Ints(s)
	note := fmt.Sprintf("cl100k_base tokens per record: median %d, p90 %d, max %d", s[len(s)/2], s[(len(s)*9)/10], s[len(s)-1])
	if budget > 0 {
		note += fmt.Sprintf("; budget %d (red line)", budget)
	}
	return note
}

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} — report</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; margin: 0; background: #f6f7f9; }
main { max-width: 820px; margin: 0 auto; padding: 24px 16px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
.sub { color: #57606a; margin: 0 0 20px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 10px; margin-bottom: 20px; }
.tile { background: #fff; border: 1px solid #d8dee4; border-radius: 6px; padding: 10px 12px; }
.tile b { display: block; font-size: 20px; }
.tile span { color: #57606a; font-size: 12px; }
figure.chart { background: #fff; border: 1px solid #d8dee4; border-radius: 6px; margin: 0 0 16px; padding: 12px 14px; }
figure.chart h2 { font-size: 16px; margin: 0; }
figure.chart p { color: #57606a; margin: 2px 0 8px; font-size: 12px; }
svg.plot { width: 100%; height: auto; display: block; }
svg .label, svg .value, svg .tick, svg .legend, svg .none { font-size: 11px; fill: #1b1f24; }
svg .value, svg .tick { fill: #57606a; }
svg .axis { stroke: #8c959f; }
svg .grid { stroke: #eaeef2; }
svg .budget { stroke: #cf222e; stroke-width: 2; stroke-dasharray: 5 3; }
svg .budget-label { font-size: 11px; fill: #cf222e; }
section.examples article { background: #fff; border: 1px solid #d8dee4; border-radius: 6px; margin: 0 0 16px; padding: 12px 14px; }
section.examples h3 { font-size: 15px; margin: 0 0 6px; }
section.examples pre { white-space: pre-wrap; word-break: break-word; background: #f6f8fa; padding: 8px; border-radius: 4px; font-size: 12px; max-height: 360px; overflow: auto; }
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<p class="sub">{{if .Source}}Made by sftforge from {{.Source}}.{{else}}Made by sftforge.{{end}} This page is self-contained: no script, nothing loaded from the network.</p>
<div class="tiles">
<div class="tile"><b>{{.S.Records}}</b><span>records</span></div>
<div class="tile"><b>{{.Filtered}}</b><span>filtered out</span></div>
<div class="tile"><b>{{.Removed}}</b><span>prompt sections removed</span></div>
<div class="tile"><b>{{len .S.Layers}}</b><span>layers</span></div>
<div class="tile"><b>{{.Changes}}</b><span>identifier changes</span></div>
</div>
{{range .Charts}}<figure class="chart" id="chart-{{.ID}}" data-chart="{{.ID}}">
<h2>{{.Title}}</h2>
<p>{{.Note}}</p>
{{.SVG}}
</figure>
{{end}}<section class="examples" id="examples">
<h2>Example records</h2>
{{range .S.Examples}}<article class="example">
<h3>{{.Title}}{{if .Date}} <small>({{.Date}})</small>{{end}}</h3>
<h4>Prompt</h4>
<pre>{{.Prompt}}</pre>
<h4>Response</h4>
<pre>{{.Response}}</pre>
</article>
{{else}}<p>No records.</p>
{{end}}</section>
</main>
</body>
</html>
`))

// Render writes the report page of s: self-contained HTML with inline SVG
// charts (see [Charts]) and the examples, every text escaped. The output
// depends only on s and opts.
func Render(w io.Writer, s *Summary, opts Options) error {
	if opts.Title == "" {
		opts.Title = "sftforge dataset"
	}
	type chartData struct {
		ID, Title, Note string
		SVG             template.HTML
	}
	var charts []chartData
	for _, c := range Charts(s, opts) {
		// The SVG is built by this package, every text in it escaped.
		charts = append(charts, chartData{c.ID, c.Title, c.Note, template.HTML(c.svg)})
	}
	sum := func(m map[string]int) int {
		n := 0
		for _, v := range m {
			n += v
		}
		return n
	}
	var b strings.Builder
	err := page.Execute(&b, struct {
		Title, Source              string
		S                          *Summary
		Charts                     []chartData
		Filtered, Removed, Changes int
	}{opts.Title, opts.Source, s, charts, sum(s.Filtered), sum(s.PromptSections), sum(s.IdentifierKinds)})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// SVG returns the chart's inline SVG.
func (c Chart) SVG() string { return c.svg }
