package archmap_test

import (
	"fmt"
	"strings"
	"testing/fstest"

	"github.com/sftforge/sftforge/archmap"
)

// Classify the files of a change and list them by layer, in architectural
// order.
func Example() {
	c := archmap.Hyperswitch()
	groups, unclassified := c.Group([]string{
		"crates/router/src/core/customers.rs",
		"crates/api_models/src/customers.rs",
		"crates/diesel_models/src/query/customer.rs",
		"crates/router/src/routes/customers.rs",
		"assets/logo.bin",
	})
	for _, g := range groups {
		fmt.Printf("%s: %s\n", g.Layer.Title, strings.Join(g.Files, ", "))
	}
	fmt.Println("unclassified:", unclassified)

	// The payments vocabulary applies to hyperswitch; any repository's
	// own words (labels, scopes, crates) need none.
	payments := archmap.NewIntentDetector(archmap.PaymentsTaxonomy())
	it := payments.Detect(archmap.IntentInput{Title: "Add a search filter by customer ID"})
	fmt.Printf("intent: %s / %s %v\n", it.FeatureType, it.Action, it.Entities)

	patterns := archmap.DetectPatterns(
		[]archmap.FileChange{{Path: "crates/api_models/src/customers.rs", Status: "modified", Additions: 4}},
		[]archmap.IdentifierChange{{File: "crates/api_models/src/customers.rs", Op: "added", Kind: "field",
			Name: "customer_id", Owner: "CustomerListRequest", Visibility: "pub"}},
		c)
	for _, p := range patterns {
		fmt.Printf("pattern: %s (%d)\n", p.Name, p.Count)
	}
	// Output:
	// API Request/Response Models: crates/api_models/src/customers.rs
	// API Routes & Handlers: crates/router/src/routes/customers.rs
	// Core Business Logic: crates/router/src/core/customers.rs
	// Database Layer (Queries & Schema): crates/diesel_models/src/query/customer.rs
	// unclassified: [assets/logo.bin]
	// intent: search_filter / add_feature [customer]
	// pattern: Extend types with new fields (1)
	// pattern: Change API contract (1)
}

// Read a workspace's members and add a rules file on top of the defaults.
func ExampleForWorkspace() {
	fsys := fstest.MapFS{
		"Cargo.toml":                 {Data: []byte(`[workspace]` + "\n" + `members = ["crates/*"]` + "\n")},
		"crates/shop-api/Cargo.toml": {Data: []byte(`[package]` + "\n" + `name = "shop-api"` + "\n")},
		"crates/ledger/Cargo.toml":   {Data: []byte(`[package]` + "\n" + `name = "ledger"` + "\n")},
	}
	c, err := archmap.ForWorkspace(fsys)
	if err != nil {
		panic(err)
	}
	rules, err := archmap.LoadRules("rules.yaml", strings.NewReader(`
layers:
  - {id: ledger, title: Ledger, order: 35}
rules:
  - {glob: "crates/ledger/**", layer: ledger}
redaction: {allow: []}   # another tool's section
`))
	if err != nil {
		panic(err)
	}
	if c, err = c.Apply(rules); err != nil {
		panic(err)
	}
	for _, p := range []string{"crates/shop-api/src/orders.rs", "crates/ledger/src/entries.rs", "crates/ledger/tests/balance.rs"} {
		l, _ := c.Classify(p)
		fmt.Printf("%s → %s\n", p, l.Title)
	}
	// Output:
	// crates/shop-api/src/orders.rs → API Request/Response Models
	// crates/ledger/src/entries.rs → Ledger
	// crates/ledger/tests/balance.rs → Ledger
}

// Register a custom rule: any Go value with a Match method.
func ExampleRuleFunc() {
	generated := archmap.RuleFunc(func(path string) (string, bool) {
		return archmap.LayerMacros, strings.HasSuffix(path, ".pb.rs")
	})
	c, err := archmap.Default().With(nil, generated)
	if err != nil {
		panic(err)
	}
	l, _ := c.Classify("src/api/orders.pb.rs")
	fmt.Println(l.Title)
	// Output: Macros & Code Generation
}
