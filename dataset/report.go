package dataset

import (
	"fmt"
	"io"
	"maps"

	"github.com/sftforge/sftforge/report"
)

// ReportRecord is what report.html shows of a record (see package report).
func ReportRecord(r *MergedRecord) report.Record {
	md := &r.Metadata
	key := fmt.Sprintf("#%d", md.PRNumber)
	if md.PRNumber == 0 && len(md.Commits) > 0 {
		key = md.Commits[0]
	}
	rec := report.Record{Key: key, Title: md.Title, Date: md.MergedAt, FeatureType: md.Intent.FeatureType,
		Action: md.Intent.Action, PromptTokens: md.PromptTokens, ResponseTokens: md.ResponseTokens,
		MatchMethod: md.MatchMethod, Prompt: r.Prompt, Response: r.Response}
	for _, l := range md.Layers {
		rec.Layers = append(rec.Layers, l.Layer)
	}
	for _, c := range md.Changes {
		rec.IdentifierKinds = append(rec.IdentifierKinds, string(c.Kind))
	}
	return rec
}

// RenderReport writes report.html: the page of package report for the
// records summarised in s, with what was filtered and removed from prompts
// taken from st, titled and budgeted as opts says.
func RenderReport(w io.Writer, s *report.Summary, st Statistics, opts WriteOptions) error {
	page := *s
	page.Filtered, page.PromptSections = maps.Clone(st.Filtered), maps.Clone(st.PromptSections)
	title := opts.Name
	if title == "" {
		title = "sftforge dataset"
	}
	if err := report.Render(w, &page, report.Options{Title: title, Source: opts.Source,
		ResponseBudget: opts.ResponseBudget, PromptBudget: opts.PromptBudget}); err != nil {
		return fmt.Errorf("dataset: report.html: %w", err)
	}
	return nil
}
