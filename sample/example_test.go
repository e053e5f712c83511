package sample_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/sample"
)

func ExampleBuild() {
	tmp, err := os.MkdirTemp("", "sample-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)

	s, err := sample.Build(filepath.Join(tmp, "paygate"))
	if err != nil {
		log.Fatal(err)
	}
	prs, err := github.ReadPRs(filepath.Join(s.GitHubDir, "prs.jsonl"))
	if err != nil {
		log.Fatal(err)
	}
	issues, err := github.ReadIssues(filepath.Join(s.GitHubDir, "issues.jsonl"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s/%s: %d pull requests, %d issues\n", s.Owner, s.Name, len(prs), len(issues))
	oldest := prs[len(prs)-1]
	fmt.Printf("#%d %s closes %v\n", oldest.Number, oldest.Title, oldest.LinkedIssues)
	for _, f := range oldest.Files {
		fmt.Printf("  %-8s %s +%d -%d\n", f.Status, f.Path, f.Additions, f.Deletions)
	}
	// Output:
	// acme-payments/paygate: 13 pull requests, 9 issues
	// #12 feat(customers): add search customers by id closes [11]
	//   modified crates/api_models/src/customers.rs +31 -0
	//   modified crates/diesel_models/src/query/customers.rs +23 -2
	//   modified crates/router/src/core/customers.rs +34 -1
	//   modified crates/router/src/db/customers.rs +21 -0
	//   modified crates/router/src/routes/app.rs +1 -0
	//   modified crates/router/src/routes/customers.rs +12 -0
	//   modified crates/router/tests/customers.rs +13 -0
}
