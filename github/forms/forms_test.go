package forms

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bugForm is shaped like the bug report forms of Rust projects on GitHub
// (written for this test): problem fields, an environment field,
// confirmations and a "willing to submit a PR" dropdown.
const bugForm = `name: Bug report
description: Tell us what broke
title: "[BUG] "
labels: ["C-bug"]
body:
  - type: markdown
    attributes:
      value: |
        Thanks for taking the time to write this up.
  - type: textarea
    id: what-happened
    attributes:
      label: What went wrong
      description: Describe the bug.
    validations:
      required: true
  - type: textarea
    id: expected
    attributes:
      label: What you expected
  - type: input
    id: rust-version
    attributes:
      label: Toolchain
      placeholder: output of rustc --version
  - type: textarea
    id: env
    attributes:
      label: Where it runs
      value: |
        1. OS:
        2. rustc --version:
  - type: checkboxes
    id: searched
    attributes:
      label: Did you look for an older report of this?
      options:
        - label: I looked and found none
          required: true
  - type: checkboxes
    attributes:
      label: Have you read the Contributing Guidelines?
      options:
        - label: I have read them
  - type: dropdown
    id: pr
    attributes:
      label: Are you up for opening a PR?
      options:
        - Yes, I can submit a PR
        - No, not this time
  - type: dropdown
    id: connector
    attributes:
      label: Connector
      options:
        - Acme
        - Zenpay
`

// prTemplate is shaped like a pull request template with a type-of-change
// list, free text sections and a checklist.
const prTemplate = `## Kind of work
<!-- tick one -->
- [ ] Bugfix
- [ ] New feature
- [ ] Refactoring

## Description
<!-- what and why -->

## Motivation and Context

## Reviewer notes
- [ ] I formatted the code
- [ ] I ran clippy
`

func TestParseIssueForm(t *testing.T) {
	f, err := ParseIssueForm("bug.yml", []byte(bugForm))
	require.NoError(t, err)
	assert.Equal(t, "Bug report", f.Name)
	type row struct {
		Heading, Type string
		Role          Role
	}
	var got []row
	for _, s := range f.Sections {
		got = append(got, row{s.Heading, s.Type, s.Role})
	}
	assert.Equal(t, []row{
		{"What went wrong", TypeTextarea, Problem},
		{"What you expected", TypeTextarea, Problem},
		{"Toolchain", TypeInput, Environment},
		{"Where it runs", TypeTextarea, Environment},
		{"Did you look for an older report of this?", TypeCheckboxes, Confirmation},
		{"Have you read the Contributing Guidelines?", TypeCheckboxes, Confirmation},
		{"Are you up for opening a PR?", TypeDropdown, Volunteer},
		{"Connector", TypeDropdown, Problem},
	}, got)
	assert.Equal(t, []string{"Yes, I can submit a PR", "No, not this time"}, f.Sections[6].Options)
}

// TestParseIssueFormVersionField: a form field asking for one thing's
// version is environment; the same words as a free heading are not.
func TestParseIssueFormVersionField(t *testing.T) {
	f, err := ParseIssueForm("bug.yml", []byte("body:\n  - type: input\n    attributes: {label: SQLx version}\n  - type: textarea\n    attributes: {label: Database server and version}\n"))
	require.NoError(t, err)
	assert.Equal(t, Environment, f.Sections[0].Role)
	assert.Equal(t, Problem, f.Sections[1].Role)
	assert.Equal(t, Environment, NewSet(f).Classify("SQLx version", "0.8"))
	assert.Equal(t, Problem, NewSet().Classify("SQLx version", "0.8"))
}

func TestParseIssueFormErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"empty", "", "empty form"},
		{"not a mapping", "- a\n- b\n", "bad.yml:1: a form is a mapping"},
		{"no body", "name: x\n", "no body"},
		{"body not a list", "name: x\nbody: 3\n", "bad.yml:2: body: expected a list"},
		{"field not a mapping", "body:\n  - 3\n", "bad.yml:2: body: expected a field"},
		{"no type", "body:\n  - attributes: {label: x}\n", "field without a type"},
		{"unknown type", "body:\n  - type: slider\n    attributes: {label: x}\n", `unknown field type "slider"`},
		{"no label", "body:\n  - type: textarea\n    attributes: {}\n", "textarea field without a label"},
		{"bad yaml", "body: [\n", "bad.yml: yaml:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseIssueForm("bad.yml", []byte(tc.yaml))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestParseMarkdown(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		wantName   string
		want       map[string]Role
	}{
		{"pull request template", prTemplate, "", map[string]Role{
			"Kind of work": Checklist, "Description": Problem, "Motivation and Context": Problem,
			"Reviewer notes": Checklist}},
		{"issue template with front matter", "---\nname: Feature\nabout: ask\n---\n### Feature\n\n### Your environment\n- OS:\n", "Feature",
			map[string]Role{"Feature": Problem, "Your environment": Environment}},
		{"headings in code are not sections", "## Steps\n```\n## not a heading\n```\n", "", map[string]Role{"Steps": Problem}},
		{"no headings", "Describe the change.\n", "", map[string]Role{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseMarkdown("t.md", []byte(tc.text))
			require.NoError(t, err)
			assert.Equal(t, tc.wantName, f.Name)
			got := map[string]Role{}
			for _, s := range f.Sections {
				got[s.Heading] = s.Role
			}
			assert.Equal(t, tc.want, got)
		})
	}
	_, err := ParseMarkdown("t.md", []byte("---\nname: [\n---\n"))
	assert.ErrorContains(t, err, "t.md:1: front matter")
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		".github/ISSUE_TEMPLATE/bug.yml":       {Data: []byte(bugForm)},
		".github/ISSUE_TEMPLATE/config.yml":    {Data: []byte("blank_issues_enabled: false\n")},
		".github/ISSUE_TEMPLATE/broken.yaml":   {Data: []byte("body: 3\n")},
		".github/ISSUE_TEMPLATE/notes.txt":     {Data: []byte("ignored")},
		".github/PULL_REQUEST_TEMPLATE.md":     {Data: []byte(prTemplate)},
		"docs/pull_request_template/second.md": {Data: []byte("## Release notes\n")},
		"issue_template.md":                    {Data: []byte("## Steps\n")},
		"src/lib.rs":                           {Data: []byte("")},
	}
	s, errs := Load(fsys)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Error(), "broken.yaml:1: body: expected a list")
	var paths []string
	for _, tp := range s.Templates() {
		paths = append(paths, tp.Path)
	}
	assert.ElementsMatch(t, []string{".github/ISSUE_TEMPLATE/bug.yml", ".github/PULL_REQUEST_TEMPLATE.md",
		"docs/pull_request_template/second.md", "issue_template.md"}, paths)

	empty, errs := Load(fstest.MapFS{})
	assert.Empty(t, errs)
	assert.Empty(t, empty.Templates())
}

func TestClassify(t *testing.T) {
	f, err := ParseIssueForm("bug.yml", []byte(bugForm))
	require.NoError(t, err)
	pr, err := ParseMarkdown("pr.md", []byte(prTemplate))
	require.NoError(t, err)
	withForms := NewSet(f, pr)
	for _, tc := range []struct {
		heading, content string
		forms, generic   Role
	}{
		{"What went wrong", "It crashes.", Problem, Problem},
		{"Connector", "Acme", Problem, Problem},
		{"Context For The Bug", "_No response_", NoResponse, NoResponse},
		{"Anything", "\n_No response_\n\n", NoResponse, NoResponse},
		{"Toolchain", "1.80", Environment, Environment},
		{"Where it runs", "1. OS: Linux", Environment, Problem},
		{"Did you look for an older report of this?", "- [X] I looked", Confirmation, Problem},
		{"Are you up for opening a PR?", "Yes, I can submit a PR", Volunteer, Problem},
		{"Reviewer notes", "", Checklist, Problem},
		{"Kind of work", "", Checklist, Problem},
		// Generic fallbacks, with or without forms.
		{"Are you willing to submit a PR?", "Yes, I am willing to submit a PR!", Volunteer, Volunteer},
		{"Have you read the Contributing Guidelines?", "- [X] I have read", Confirmation, Confirmation},
		{"Have you spent some time checking if this bug has been raised before?", "- [X] I checked", Confirmation, Confirmation},
		{"**Code of Conduct**", "- [X] I agree", Confirmation, Confirmation},
		{"Environment", "1. OS: macOS", Environment, Environment},
		{"Your Environment 🌍", "rustc 1.79", Environment, Environment},
		{"Rust version", "1.79", Environment, Environment},
		{"Checklist", "- [x] fmt", Checklist, Checklist},
		{"Type of Change", "", Checklist, Checklist},
		{"What version of ripgrep are you using?", "14.1.0", Environment, Environment},
		{"What operating system are you using it on?", "Linux", Environment, Environment},
		{"How did you install it?", "cargo install", Environment, Environment},
		{"API version", "v2 of the payments API", Problem, Problem},
		{"Database server and version", "Postgres 16", Problem, Problem},
		{"What is the expected behavior?", "a match", Problem, Problem},
		{"Description", "Adds search.", Problem, Problem},
		{"Expected Behavior", "404", Problem, Problem},
		{"Steps To Reproduce", "1. call", Problem, Problem},
		{"Environment variables the connector reads", "ACME_KEY", Problem, Problem},
	} {
		t.Run(tc.heading, func(t *testing.T) {
			assert.Equal(t, tc.forms, withForms.Classify(tc.heading, tc.content), "with forms")
			var none *Set
			assert.Equal(t, tc.generic, none.Classify(tc.heading, tc.content), "generic")
		})
	}
}

func TestSetWith(t *testing.T) {
	a := &Template{Path: "a.md", Sections: []Section{{Heading: "Platform notes", Role: Problem}}}
	b := &Template{Path: "b.yml", Sections: []Section{{Heading: "Platform notes", Role: Environment}}}
	s := NewSet(a)
	s2 := s.With(b, nil)
	assert.Equal(t, Problem, s.Classify("Platform notes", "x"), "With leaves the receiver alone")
	assert.Equal(t, Environment, s2.Classify("Platform notes", "x"), "scaffolding wins")
	assert.Len(t, s2.Templates(), 2)
	again := *b
	assert.Len(t, s2.With(&again).Templates(), 2, "a template read again is not added twice")
}

func TestNormalizeHeading(t *testing.T) {
	for in, want := range map[string]string{
		"Are you willing to submit a PR?": "are you willing to submit a pr",
		"**Environment**:":                "environment",
		"  Bug   Description ":            "bug description",
		"🐛 Steps to reproduce":            "steps to reproduce",
	} {
		assert.Equal(t, want, NormalizeHeading(in), in)
	}
	assert.True(t, strings.HasPrefix(NormalizeHeading("pub(crate) api"), "pub(crate)"))
}

// FuzzParseIssueForm: any input parses or fails with an error naming the
// file; never a panic, and every section has a heading and a known type.
func FuzzParseIssueForm(f *testing.F) {
	f.Add([]byte(bugForm))
	f.Add([]byte("body:\n  - type: dropdown\n    attributes:\n      label: x\n      options: [a, {label: b}]\n"))
	f.Add([]byte("body: [{type: checkboxes, attributes: {label: y, options: [3]}}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tp, err := ParseIssueForm("f.yml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "forms: f.yml") {
				t.Fatalf("error without the file: %v", err)
			}
			return
		}
		for _, s := range tp.Sections {
			if strings.TrimSpace(s.Heading) == "" {
				t.Fatalf("section without heading: %+v", s)
			}
			switch s.Type {
			case TypeTextarea, TypeInput, TypeDropdown, TypeCheckboxes:
			default:
				t.Fatalf("section of type %q", s.Type)
			}
		}
	})
}

// FuzzParseMarkdown: any markdown parses without panicking.
func FuzzParseMarkdown(f *testing.F) {
	f.Add([]byte(prTemplate))
	f.Add([]byte("---\nname: x\n---\n# a\n- [ ] b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tp, err := ParseMarkdown("f.md", data)
		if err == nil {
			for _, s := range tp.Sections {
				_ = NewSet(tp).Classify(s.Heading, "")
			}
		}
	})
}
