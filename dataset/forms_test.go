package dataset

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/github/forms"
	"github.com/sftforge/sftforge/gitlog"
)

// testIssueForm is a bug report form shaped like those of Rust payment
// projects (written for these tests).
const testIssueForm = `name: Bug report
body:
  - type: markdown
    attributes: {value: "Thanks for the report."}
  - type: textarea
    id: bug
    attributes: {label: Bug Description}
  - type: textarea
    id: expected
    attributes: {label: Expected Behavior}
  - type: textarea
    id: context
    attributes: {label: Context For The Bug}
  - type: textarea
    id: environment
    attributes: {label: Where it runs}
  - type: checkboxes
    id: dupes
    attributes:
      label: Did you search the tracker first?
      options: [{label: "I searched"}]
  - type: dropdown
    id: pr
    attributes:
      label: Could you open a PR?
      options: ["Yes, I'd submit a PR", "No"]
`

// formIssueBody is an issue as GitHub renders the form's answers.
const formIssueBody = `### Bug Description

Refunds through Acme stay pending after the webhook arrives.

### Expected Behavior

The refund takes the status Acme reports.

### Context For The Bug

_No response_

### Where it runs

1. OS: Debian 12
2. rustc --version: 1.79.0

### Did you search the tracker first?

- [X] I searched

### Have you read the Contributing Guidelines?

- [X] I have read the Contributing Guidelines

### Could you open a PR?

No
`

func TestCleanBodyForms(t *testing.T) {
	form, err := forms.ParseIssueForm("bug.yml", []byte(testIssueForm))
	require.NoError(t, err)
	set := forms.NewSet(form)
	tests := []struct {
		name string
		set  *forms.Set
		in   string
		want string
		// removed counts the sections removed, by role.
		removed map[string]int
	}{
		{"form answers with the repository's form", set, formIssueBody,
			"### Bug Description\n\nRefunds through Acme stay pending after the webhook arrives.\n\n" +
				"### Expected Behavior\n\nThe refund takes the status Acme reports.",
			map[string]int{"no_response": 1, "environment": 1, "confirmation": 2, "volunteer": 1}},
		{"form answers, generic rules only", nil, formIssueBody,
			"### Bug Description\n\nRefunds through Acme stay pending after the webhook arrives.\n\n" +
				"### Expected Behavior\n\nThe refund takes the status Acme reports.\n\n" +
				"### Where it runs\n\n1. OS: Debian 12\n2. rustc --version: 1.79.0\n\n### Could you open a PR?\n\nNo",
			map[string]int{"no_response": 1, "confirmation": 1}},
		{"generic volunteer and environment", nil,
			"### Feature Description\nSearch by id.\n\n### Are you willing to submit a PR?\nYes, I am willing to submit a PR!\n\n### Environment\nmacOS\n",
			"### Feature Description\n\nSearch by id.", map[string]int{"volunteer": 1, "environment": 1}},
		{"PR template checklists counted", nil,
			"## Type of Change\n- [x] Bugfix\n\n## Description\nFixes the refund status.\n\n## How did you test it?\ncurl\n\n## Checklist\n- [x] fmt\n",
			"## Description\n\nFixes the refund status.", map[string]int{"checklist": 2}},
		{"a problem section left empty is not counted", nil, "Text before.\n\n## Description\n<!-- describe -->\n",
			"Text before.", map[string]int{}},
		{"no headings", nil, "_No response_\n", "_No response_", map[string]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			removed := map[string]int{}
			assert.Equal(t, tt.want, cleanBody(tt.in, tt.set, removed))
			assert.Equal(t, tt.removed, removed)
		})
	}
}

// TestProblemStatementFormsGolden: a PR that closes an issue filed through
// a form, and a PR written from a template, cleaned with the repository's
// forms: the prompts hold the problem and nothing of the scaffolding.
func TestProblemStatementFormsGolden(t *testing.T) {
	form, err := forms.ParseIssueForm("bug.yml", []byte(testIssueForm))
	require.NoError(t, err)
	pr, err := forms.ParseMarkdown("pull_request_template.md", []byte("## Type of Change\n- [ ] Bugfix\n- [ ] Feature\n\n## Description\n\n## Motivation and Context\n\n## Checklist\n- [ ] tests\n"))
	require.NoError(t, err)
	set := forms.NewSet(form, pr)
	prBody := "## Type of Change\n- [x] Bugfix\n\n## Description\nThe webhook handler now reads `requires_action`.\n\n" +
		"## Motivation and Context\nFixes #13\n\n## Checklist\n- [x] tests\n"
	removed := map[string]int{}
	got := problemStatement("fix(connector): read every Acme refund status", prBody,
		[]IssueText{{13, "Acme refunds stay pending", formIssueBody}}, set, removed)
	golden(t, "prompt_forms.golden", got+"\n")
	assert.Equal(t, map[string]int{"no_response": 1, "environment": 1, "confirmation": 2, "volunteer": 1, "checklist": 2}, removed)
	for _, s := range []string{"_No response_", "rustc", "Contributing", "open a PR", "Checklist", "Type of Change"} {
		assert.NotContains(t, got, s)
	}
}

// TestFormsForRepo: the forms at the walked revision and those an earlier
// revision of the history had (a heading since renamed) are both known.
func TestFormsForRepo(t *testing.T) {
	h := newHistoryBuilder(t)
	old := strings.Replace(testIssueForm, "Could you open a PR?", "Will you send a fix?", 1)
	first := h.commit("a", "first", nil, ".github/ISSUE_TEMPLATE/bug.yml", old, "src/lib.rs", "fn a() {}\n")
	second := h.commit("a", "second", nil, ".github/ISSUE_TEMPLATE/bug.yml", testIssueForm,
		".github/pull_request_template.md", "## Checklist\n- [ ] fmt\n")
	third := h.commit("a", "third", nil, "src/lib.rs", "fn b() {}\n")
	repo, err := gitlog.Open(context.Background(), h.dir, gitlog.OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	history := []string{third.String(), second.String(), first.String(), strings.Repeat("0", 40)}
	set, err := FormsForRepo(context.Background(), repo, "", history, nil)
	require.NoError(t, err)
	assert.Len(t, set.Templates(), 3, "each template once per version; a missing commit skipped")
	assert.Equal(t, forms.Volunteer, set.Classify("Could you open a PR?", "No"))
	assert.Equal(t, forms.Volunteer, set.Classify("Will you send a fix?", "No"), "the older form's heading")
	assert.Equal(t, forms.Problem, set.Classify("Bug Description", "x"))
}
