package archmap

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

type intentCase struct {
	Name     string   `yaml:"name"`
	Title    string   `yaml:"title"`
	Body     string   `yaml:"body"`
	Labels   []string `yaml:"labels"`
	Subjects []string `yaml:"subjects"`
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
		it := DetectIntent(IntentInput{Title: c.Title, Body: c.Body, Labels: c.Labels, Subjects: c.Subjects})
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
		{"keyword last", IntentInput{Title: "Add things"}, "add_feature", SourceKeyword},
		{"unticked boxes are ignored", IntentInput{Title: "Add x", Body: "## Type of Change\n- [ ] Bugfix\n"}, "add_feature", SourceKeyword},
		{"boxes outside the section are ignored", IntentInput{Title: "Add x", Body: "## Checklist\n- [x] Bugfix\n"}, "add_feature", SourceKeyword},
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
	assert.Equal(t, []string{"a_connector_integration", "connector_integration"}, nameCandidates("A-connector-integration"))
	assert.Equal(t, []string{"type_bug", "bug"}, nameCandidates("type: bug"))
	assert.Equal(t, []string{"refactor"}, nameCandidates("refactor"))
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
