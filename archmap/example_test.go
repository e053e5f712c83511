package archmap_test

import (
	"fmt"
	"strings"
	"testing/fstest"

	"github.com/sftforge/sftforge/archmap"
	"github.com/sftforge/sftforge/change"
)

// Classify the files of a change and list them by layer, in dependency
// order (the order in which the change compiles), with their crates.
func Example() {
	c := archmap.Hyperswitch()
	groups, unclassified := c.Group([]string{
		"crates/router/src/core/customers.rs",
		"crates/api_models/src/customers.rs",
		"crates/diesel_models/src/query/customer.rs",
		"crates/router/src/routes/customers.rs",
		"NOTES",
	})
	for _, g := range groups {
		fmt.Printf("%s %v: %s\n", g.Layer.Title, g.Crates, strings.Join(g.Files, ", "))
	}
	fmt.Println("unclassified:", unclassified)

	// The payments vocabulary applies to hyperswitch; any repository's
	// own words (labels, scopes, crates) need none.
	payments := archmap.NewIntentDetector(archmap.PaymentsTaxonomy())
	it := payments.Detect(archmap.IntentInput{Title: "Add a search filter by customer ID"})
	fmt.Printf("intent: %s / %s %v\n", it.FeatureType, it.Action, it.Entities)

	patterns := archmap.DetectPatterns(
		[]change.File{{Path: "crates/api_models/src/customers.rs", Status: "modified", Additions: 4}},
		[]change.Identifier{{File: "crates/api_models/src/customers.rs", Op: "added", Kind: "field",
			Name: "customer_id", Owner: "CustomerListRequest", Visibility: "pub"}},
		c)
	for _, p := range patterns {
		fmt.Printf("pattern: %s (%d)\n", p.Name, p.Count)
	}
	// Output:
	// API Request/Response Models [api_models]: crates/api_models/src/customers.rs
	// Database Models & Queries (Diesel) [diesel_models]: crates/diesel_models/src/query/customer.rs
	// Core Business Logic (router::core, workflows) [router]: crates/router/src/core/customers.rs
	// API Routes & Handlers (router::routes) [router]: crates/router/src/routes/customers.rs
	// unclassified: [NOTES]
	// intent: search_filter / add_feature [customer]
	// pattern: Extend types with new fields (1)
	// pattern: Change API contract (1)
}

// Read a Cargo workspace, derive its layers from the crate dependency
// graph, and add a rules file on top.
func ExampleForWorkspace() {
	fsys := fstest.MapFS{
		"Cargo.toml": {Data: []byte("[workspace]\nmembers = [\"crates/*\"]\n")},
		"crates/shop-api/Cargo.toml": {Data: []byte("[package]\nname = \"shop-api\"\n" +
			"description = \"HTTP API of the shop.\"\n[dependencies]\nledger = { path = \"../ledger\" }\n")},
		"crates/ledger/Cargo.toml": {Data: []byte("[package]\nname = \"ledger\"\n")},
	}
	c, err := archmap.ForWorkspace(fsys)
	if err != nil {
		panic(err)
	}
	for _, l := range c.Layers() {
		if len(l.Crates) > 0 {
			fmt.Printf("%s: %s\n", l.ID, l.Title)
		}
	}
	rules, err := archmap.LoadRules("rules.yaml", strings.NewReader(`
layers:
  - {id: ledger_tests, title: Ledger tests, order: 35}
rules:
  - {glob: "crates/ledger/tests/**", layer: ledger_tests}
redact: {allow_patterns: []}   # the redact package's section
`))
	if err != nil {
		panic(err)
	}
	if c, err = c.Apply(rules); err != nil {
		panic(err)
	}
	for _, p := range []string{"crates/shop-api/src/orders.rs", "crates/ledger/src/entries.rs", "crates/ledger/tests/balance.rs", "README.md"} {
		l, _ := c.Classify(p)
		fmt.Printf("%s → %s\n", p, l.ID)
	}
	// Output:
	// ledger: ledger
	// shop-api: shop-api: HTTP API of the shop
	// crates/shop-api/src/orders.rs → shop-api
	// crates/ledger/src/entries.rs → ledger
	// crates/ledger/tests/balance.rs → ledger_tests
	// README.md → documentation
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
