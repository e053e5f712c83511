package dataset_test

import (
	"fmt"
	"strings"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/dataset"
)

// A commit export record's response lists each file with its identifier
// changes in the seed's line format.
func ExampleRenderCommitResponse() {
	files := []change.File{{Path: "crates/api_models/src/customers.rs", Status: "modified", Additions: 6}}
	changes := []change.Identifier{
		{File: files[0].Path, Op: "added", Kind: "struct", Name: "CustomerSearchRequest", Visibility: "pub"},
		{File: files[0].Path, Op: "added", Kind: "field", Name: "customer_id", Owner: "CustomerSearchRequest", Visibility: "pub"},
		{File: files[0].Path, Op: "modified", Kind: "function", Name: "list_customers", Visibility: "pub(crate)", Detail: []string{"signature"}},
	}
	fmt.Println(dataset.RenderCommitResponse(files, changes))
	// Output:
	// Files to modify:
	//
	// **crates/api_models/src/customers.rs**
	//   Add:
	//     - struct: pub::CustomerSearchRequest
	//     - field: pub::CustomerSearchRequest::customer_id
	//   Modify:
	//     - function: pub(crate)::list_customers (signature)
}

// The prompt of a merged record is the product-level problem: the linked
// issue, then the PR description without template noise or code.
func ExampleProblemStatement() {
	body := strings.Join([]string{
		"## Type of Change",
		"- [x] New feature",
		"- [ ] Bugfix",
		"<!-- Describe your changes -->",
		"## Description",
		"Adds `GET /customers/search`.",
		"```rust",
		"fn search() {}",
		"```",
		"Fixes #12",
	}, "\n")
	issues := []dataset.IssueText{{Number: 12, Title: "Let merchants search customers by ID", Body: "Support needs it."}}
	fmt.Println(dataset.ProblemStatement("feat(customers): add search", body, issues))
	// Output:
	// Let merchants search customers by ID
	//
	// Support needs it.
	//
	// Pull request description:
	//
	// ## Description
	//
	// Adds `GET /customers/search`.
}
