package export_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/sftforge/sftforge/export"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/sample"
)

// Commits yields each commit of the walk, oldest first, with the
// identifier changes of its files.
func ExampleCommits() {
	tmp, err := os.MkdirTemp("", "export-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	s, err := sample.Build(filepath.Join(tmp, "paygate"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	repo, err := gitlog.Open(ctx, s.RepoPath, gitlog.OpenOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer repo.Close()

	n := 0
	for c, err := range export.Commits(ctx, repo, export.Options{}, nil) {
		if err != nil {
			log.Fatal(err)
		}
		if n++; n == 1 {
			continue // the initial commit adds everything
		}
		// The second commit: each file, how many identifier changes, the
		// first of them.
		fmt.Println(c.Subject)
		for i, f := range c.Files {
			changes := c.Diffs[i].Changes
			fmt.Printf("  %s: %d, first %s %s\n", f.Path, len(changes), changes[0].Op, changes[0])
		}
		break
	}
	// Output:
	// feat(customers): add search customers by id (#12)
	//   crates/api_models/src/customers.rs: 11, first added struct: pub::CustomerSearchRequest
	//   crates/diesel_models/src/query/customers.rs: 1, first added method: pub::Customer::list_by_merchant_id_customer_id_prefix
	//   crates/router/src/core/customers.rs: 2, first added function: pub::search_customers
	//   crates/router/src/db/customers.rs: 2, first added method: inherited::CustomerInterface::search_customers_by_id_prefix
	//   crates/router/src/routes/app.rs: 1, first modified method: pub::Customers::server (body)
	//   crates/router/src/routes/customers.rs: 1, first added function: pub::customers_search
	//   crates/router/tests/customers.rs: 1, first added function: private::search_customers_by_id_prefix
}
