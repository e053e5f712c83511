package archmap

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

type intentCase struct {
	Name     string   `yaml:"name"`
	Taxonomy string   `yaml:"taxonomy"` // preset; default generic
	Title    string   `yaml:"title"`
	Body     string   `yaml:"body"`
	Labels   []string `yaml:"labels"`
	Subjects []string `yaml:"subjects"`
	Paths    []string `yaml:"paths"` // the change's files; non-.rs files are in the layer their first segment names
	Project  string   `yaml:"project"`
}

func formatIntent(it Intent) string {
	src := func(s Source) string {
		if s == "" {
			return "-"
		}
		return string(s)
	}
	return fmt.Sprintf("feature_type=%q (%s) action=%q (%s) entities=%v",
		it.FeatureType, src(it.FeatureTypeSource), it.Action, src(it.ActionSource), it.Entities)
}

func TestIntentGolden(t *testing.T) {
	cases := readCases[intentCase](t, "intent_cases.yaml")
	var b strings.Builder
	for _, c := range cases {
		tax, err := TaxonomyPreset(c.Taxonomy)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		areas := CountAreas(c.Paths, layerOf(t, c.Paths))
		it := NewIntentDetector(tax).Detect(IntentInput{Title: c.Title, Body: c.Body, Labels: c.Labels,
			Subjects: c.Subjects, Areas: areas, Project: c.Project})
		fmt.Fprintf(&b, "%s: %s\n", c.Name, formatIntent(it))
	}
	golden(t, "intent.golden", []byte(b.String()))
}

func TestIntentTrustOrder(t *testing.T) {
	body := "## Type of change\n- [x] Enhancement\n- [ ] Bugfix\n"
	tests := []struct {
		name       string
		in         IntentInput
		action     string
		actionFrom Source
	}{
		{"template first", IntentInput{Title: "fix: x", Body: body, Labels: []string{"C-bug"}}, "enhance", SourceTemplate},
		{"label second", IntentInput{Title: "fix: x", Labels: []string{"C-refactor"}}, "refactor", SourceLabel},
		{"conventional third", IntentInput{Title: "fix: add things"}, "fix_bug", SourceConventional},
		{"verb fourth", IntentInput{Title: "Add things"}, "add_feature", SourceVerb},
		{"inflected verb", IntentInput{Title: "Dropped the old API"}, "refactor", SourceVerb},
		{"adverb before the verb", IntentInput{Title: "Always follow symlinks"}, "enhance", SourceVerb},
		{"verb of a subject", IntentInput{Title: "Payouts", Subjects: []string{"wip", "Bumps serde"}}, "deps", SourceVerb},
		{"keyword fifth", IntentInput{Title: "The crash on empty input"}, "fix_bug", SourceKeyword},
		{"only docs files", IntentInput{Title: "Payouts", Areas: []Area{{Layer: "documentation", Files: 2}}}, "docs", SourceArea},
		{"identifier changes last", IntentInput{Title: "Payouts", Identifiers: IdentifierCounts{Added: 3, Modified: 1}}, "add_feature", SourceCode},
		{"mostly removals", IntentInput{Title: "Payouts", Identifiers: IdentifierCounts{Removed: 3, Modified: 1}}, "refactor", SourceCode},
		{"unticked boxes are ignored", IntentInput{Title: "Add x", Body: "## Type of Change\n- [ ] Bugfix\n"}, "add_feature", SourceVerb},
		{"boxes outside the section are ignored", IntentInput{Title: "Add x", Body: "## Checklist\n- [x] Bugfix\n"}, "add_feature", SourceVerb},
		{"nothing", IntentInput{Title: "Payouts"}, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			it := DetectIntent(tc.in)
			assert.Equal(t, tc.action, it.Action)
			assert.Equal(t, tc.actionFrom, it.ActionSource)
		})
	}
}

func TestTickedTypeOfChange(t *testing.T) {
	body := "# PR\n## Type of Change\n<!-- - [x] Commented -->\n- [x] Bugfix\n* [X] New feature\n- [ ] Refactoring\n### Details\n- [x] Sub-section box\n## Other\n- [x] Not this\n"
	assert.Equal(t, []string{"Bugfix", "New feature", "Sub-section box"}, TickedTypeOfChange(body))
	assert.Empty(t, TickedTypeOfChange("no template"))
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{
		"Payment-Methods": "payment_methods",
		"payment methods": "payment_methods",
		"CI/CD":           "ci_cd",
		"A-connector":     "a_connector",
		"":                "",
	} {
		assert.Equal(t, want, NormalizeName(in), in)
	}
	for in, want := range map[string][2]string{
		"A-connector-integration": {"a", "connector_integration"},
		"type: bug":               {"type", "bug"},
		"area/parser":             {"area", "parser"},
		"C-bug":                   {"c", "bug"},
		"refactor":                {"", "refactor"},
		"good first issue":        {"", "good_first_issue"},
		"S-waiting-on-review":     {"s", "waiting_on_review"},
	} {
		p, n := labelNames(in)
		assert.Equal(t, want, [2]string{p, n}, in)
	}
}

func TestWordMatches(t *testing.T) {
	tests := []struct {
		text, kw string
		want     bool
	}{
		{"refunds", "refund", true},
		{"addresses", "address", true},
		{"policies", "policy", true},
		{"address", "add", false},
		{"adds", "add", true},
		{"score", "core", false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, wordMatches(tc.text, tc.kw), "%s ~ %s", tc.text, tc.kw)
	}
}

func FuzzDetectIntent(f *testing.F) {
	f.Add("feat(connector): [Adyen] add", "## Type of Change\n- [x] Bugfix\n", "C-bug")
	f.Add("", "", "")
	f.Add("fix(a,b)!: x", "<!-- ## Type of change\n- [x] x -->", "type: feature")
	f.Fuzz(func(t *testing.T, title, body, label string) {
		it := DetectIntent(IntentInput{Title: title, Body: body, Labels: []string{label}, Subjects: []string{title}})
		assert.NotNil(t, it.Entities)
		assert.Equal(t, it.Action == "", it.ActionSource == "")
		assert.Equal(t, it.FeatureType == "", it.FeatureTypeSource == "")
	})
}

// layerOf classifies paths with the default classifier.
func layerOf(t *testing.T, paths []string) func(string) string {
	t.Helper()
	groups, _ := Default().Group(paths)
	layer := map[string]string{}
	for _, g := range groups {
		for _, f := range g.Files {
			layer[f] = g.Layer.ID
		}
	}
	return func(p string) string { return layer[p] }
}
