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
		areas := CountAreas(c.Paths, layerOf(t, c.Paths), nil)
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
		{"object decides", IntentInput{Title: "Fix typos in the guide"}, "docs", SourceVerb},
		{"a refactor's object does not", IntentInput{Title: "Move all examples to their own crates"}, "refactor", SourceVerb},
		{"adverb before the verb", IntentInput{Title: "Always follow symlinks"}, "enhance", SourceVerb},
		{"verb of a subject", IntentInput{Title: "Payouts", Subjects: []string{"wip", "Bumps serde"}}, "deps", SourceVerb},
		{"keyword fifth", IntentInput{Title: "The crash on empty input"}, "fix_bug", SourceKeyword},
		{"only docs files", IntentInput{Title: "Payouts", Areas: []Area{{Layer: "documentation", Files: 2}}}, "docs", SourceArea},
		{"only CI files, by layer title", IntentInput{Title: "Payouts", Areas: []Area{{Layer: "CI & Tooling", Files: 1}}}, "ci", SourceArea},
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

func TestPathArea(t *testing.T) {
	tests := []struct {
		path, crate, module string
		ok                  bool
	}{
		{"crates/hir-def/src/body.rs", "hir-def", "src/body.rs", true},
		{"src/mito2/src/cache/file.rs", "mito2", "src/cache/file.rs", true},
		{"src/routing/mod.rs", "", "src/routing/mod.rs", true},
		{"sqlx-core/tests/pool.rs", "sqlx-core", "tests/pool.rs", true},
		{"tests/postgres/types.rs", "", "tests/postgres/types.rs", true},
		{"examples/stm32f4/src/bin/blinky.rs", "stm32f4", "src/bin/blinky.rs", true},
		{"crates/core/flags/defs.rs", "core", "flags/defs.rs", true},
		{"docs/guide.md", "", "", false},
		{"Cargo.toml", "", "", false},
	}
	for _, tt := range tests {
		crate, module, ok := PathArea(tt.path)
		assert.Equal(t, []any{tt.crate, tt.module, tt.ok}, []any{crate, module, ok}, tt.path)
	}
	crate, module, ok := PathArea("crates/core/flags/defs.rs", Crate{Name: "ripgrep", Dir: "crates/core"}, Crate{Name: "grep", Dir: ""})
	assert.Equal(t, []any{"ripgrep", "flags/defs.rs", true}, []any{crate, module, ok}, "workspace crates win")
}

func TestCratePrefixAndLargeCrates(t *testing.T) {
	assert.Equal(t, "sqlx", CratePrefix([]string{"sqlx-core", "sqlx-postgres", "sqlx-macros", "todos", ""}))
	assert.Equal(t, "embassy", CratePrefix([]string{"embassy-stm32", "embassy_nrf", "embassy-executor", "cyw43", "cyw43-pio", "nrf-softdevice"}))
	assert.Equal(t, "", CratePrefix([]string{"hir", "hir-def", "hir-ty", "ide", "ide-db", "ide-assists", "syntax", "parser",
		"vfs", "paths", "stdx", "base-db", "mbe", "tt", "span", "cfg", "rust-analyzer", "project-model"}))
	assert.Equal(t, "meilisearch", CratePrefix([]string{"meilisearch", "meilisearch-http", "meilisearch-types",
		"meilisearch-auth", "milli", "index-scheduler", "dump", "file-store", "filter-parser", "xtask", "meilidb-core"}))
	assert.Equal(t, "", CratePrefix([]string{"solo"}))
	paths := []string{"crates/router/src/a.rs", "crates/router/src/b.rs", "crates/router/src/c.rs",
		"crates/api/src/a.rs", "crates/db/src/a.rs", "src/main.rs", "README.md"}
	assert.Equal(t, []string{"router"}, LargeCrates(paths, 1.0/3, nil))
	assert.Equal(t, []string{"api", "db", "router"}, LargeCrates(paths, 0.1, nil), "the root crate is never split")
}

func TestCountAreas(t *testing.T) {
	paths := []string{"crates/ide/src/hover.rs", "crates/ide/src/hover.rs", "crates/ide/src/lib.rs",
		"docs/book.md", "README.md", "scripts/x.rs"}
	layer := map[string]string{"crates/ide/src/hover.rs": "core", "crates/ide/src/lib.rs": "core",
		"docs/book.md": "documentation", "README.md": "documentation"}
	got := CountAreas(paths, func(p string) string { return layer[p] }, nil)
	assert.Equal(t, []Area{
		{Crate: "ide", Module: "src/hover.rs", Layer: "core", Files: 2},
		{Crate: "ide", Module: "src/lib.rs", Layer: "core", Files: 1},
		{Layer: "documentation", Files: 2},
	}, got, "a file outside crates without a layer is left out")
}

func TestFeatureTypeFromAreas(t *testing.T) {
	d := NewIntentDetector(DefaultTaxonomy())
	payments := NewIntentDetector(PaymentsTaxonomy())
	tests := []struct {
		name string
		d    *IntentDetector
		in   IntentInput
		want string
		from Source
	}{
		{"most files win", d, IntentInput{Areas: []Area{{Crate: "ide", Module: "src/a.rs", Files: 1}, {Crate: "hir-ty", Module: "src/b.rs", Files: 2}}}, "hir_ty", SourceArea},
		{"ties go to the first", d, IntentInput{Areas: []Area{{Crate: "ide", Module: "src/a.rs", Files: 1}, {Crate: "hir", Module: "src/b.rs", Files: 1}}}, "ide", SourceArea},
		{"crates before layers", d, IntentInput{Areas: []Area{{Layer: "documentation", Files: 5}, {Crate: "ide", Module: "src/a.rs", Files: 1}}}, "ide", SourceArea},
		{"split crate by its modules", payments, IntentInput{Areas: []Area{{Crate: "router", Module: "src/core/refunds.rs", Files: 1}}, SplitCrates: []string{"router"}}, "refund", SourceArea},
		{"unsplit crate is the area", payments, IntentInput{Areas: []Area{{Crate: "router", Module: "src/core/refunds.rs", Files: 1}}}, "router", SourceArea},
		{"the project's crate by its modules", d, IntentInput{Project: "axum", Areas: []Area{{Crate: "axum", Module: "src/extract/path.rs", Files: 1}}}, "extract", SourceArea},
		{"generic names fall back to the layer", d, IntentInput{Areas: []Area{{Module: "src/lib.rs", Layer: "macros", Files: 1}}}, "macros", SourceArea},
		{"scope of a split crate gives way to its modules", payments, IntentInput{Title: "fix(router): x", SplitCrates: []string{"router"},
			Areas: []Area{{Crate: "router", Module: "src/core/payouts.rs", Files: 1}}}, "payout", SourceArea},
		{"scope beats area", d, IntentInput{Title: "fix(pool): x", Areas: []Area{{Crate: "ide", Module: "src/a.rs", Files: 1}}}, "pool", SourceConventional},
		{"area label beats scope", d, IntentInput{Title: "fix(pool): x", Labels: []string{"A-parser"}}, "parser", SourceLabel},
		{"box before areas", d, IntentInput{Body: "## Type of change\n- [x] Documentation\n", Areas: []Area{{Crate: "ide", Module: "src/a.rs", Files: 1}}}, "documentation", SourceTemplate},
		{"keywords last", d, IntentInput{Title: "Clarify the readme"}, "documentation", SourceKeyword},
		{"numbers and notes are no scopes", d, IntentInput{Title: "Note: 2024 changes"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := tt.d.Detect(tt.in)
			assert.Equal(t, tt.want, it.FeatureType)
			assert.Equal(t, tt.from, it.FeatureTypeSource)
		})
	}
}

func TestTaxonomyPreset(t *testing.T) {
	for _, name := range []string{"", "generic", "default"} {
		tax, err := TaxonomyPreset(name)
		assert.NoError(t, err)
		assert.Equal(t, DefaultTaxonomy(), tax, name)
	}
	tax, err := TaxonomyPreset("Payments")
	assert.NoError(t, err)
	assert.Equal(t, PaymentsTaxonomy(), tax)
	_, err = TaxonomyPreset("crypto")
	assert.ErrorContains(t, err, `unknown taxonomy preset "crypto"`)
	// A SQL toolkit's VOID type is no payment without the payments preset.
	assert.NotEqual(t, "payment", DetectIntent(IntentInput{Title: "Support the VOID type"}).FeatureType)
	assert.Equal(t, "payment", PaymentsTaxonomy().DetectIntent(IntentInput{Title: "Support the VOID type"}).FeatureType)
}
