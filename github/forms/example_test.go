package forms_test

import (
	"fmt"

	"github.com/sftforge/sftforge/github/forms"
)

// A repository's issue form tells which sections of an issue are
// scaffolding; headings no template knows fall back to generic rules.
func Example() {
	form, err := forms.ParseIssueForm(".github/ISSUE_TEMPLATE/bug.yml", []byte(`name: Bug
body:
  - type: textarea
    attributes: {label: What happened}
  - type: input
    id: version
    attributes: {label: Build}
  - type: dropdown
    attributes:
      label: Can you help?
      options: ["Yes, I will submit a PR", "No"]
`))
	if err != nil {
		panic(err)
	}
	set := forms.NewSet(form)
	for _, s := range []struct{ heading, content string }{
		{"What happened", "Refunds stay pending."},
		{"Build", "2024.03.01"},
		{"Can you help?", "No"},
		{"Logs", "_No response_"},
		{"Have you read the Contributing Guidelines?", "- [X] yes"},
	} {
		role := set.Classify(s.heading, s.content)
		if role == forms.Problem {
			role = "problem (kept)"
		}
		fmt.Printf("%-45s %s\n", s.heading, role)
	}
	// Output:
	// What happened                                 problem (kept)
	// Build                                         environment
	// Can you help?                                 volunteer
	// Logs                                          no_response
	// Have you read the Contributing Guidelines?    confirmation
}
