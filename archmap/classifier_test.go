package archmap

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(file, got, 0o644))
		return
	}
	want, err := os.ReadFile(file)
	require.NoError(t, err, "run go test -update to create %s", file)
	assert.Equal(t, string(want), string(got), "golden file %s differs; run go test -update if the change is intended", file)
}

// readCases reads a YAML list of test cases from testdata/name.
func readCases[T any](t *testing.T, name string) []T {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	var cases []T
	require.NoError(t, yaml.Unmarshal(data, &cases), name)
	require.NotEmpty(t, cases, name)
	return cases
}

// classifyCase is one path and the layer ID it must land in ("" = none).
type classifyCase struct {
	path, layer string
}

func runClassify(t *testing.T, c *Classifier, cases []classifyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			l, ok := c.Classify(tc.path)
			if tc.layer == "" {
				assert.False(t, ok, "want unclassified, got %q", l.ID)
				return
			}
			require.True(t, ok, "want %q, got unclassified", tc.layer)
			assert.Equal(t, tc.layer, l.ID)
		})
	}
}

func TestHyperswitchPreset(t *testing.T) {
	runClassify(t, Hyperswitch(), []classifyCase{
		{"crates/api_models/src/payments.rs", LayerAPIModels},
		{"crates/diesel_models/src/query/payment_attempt.rs", LayerDatabase},
		{"crates/storage_models/src/schema.rs", LayerDatabase},
		{"crates/data_models/src/payments/payment_intent.rs", LayerDomainModels},
		{"crates/hyperswitch_domain_models/src/router_request_types.rs", LayerDomainModels},
		{"crates/router/src/connector/adyen.rs", "router_connectors"},
		{"crates/router/src/connector/adyen/transformers.rs", "router_connectors"},
		{"crates/router/src/connector.rs", "router_connectors"},
		{"crates/hyperswitch_connectors/src/connectors/adyen.rs", LayerConnectors},
		{"crates/router/src/core/payments/helpers.rs", LayerCore},
		{"crates/router/src/core.rs", LayerCore},
		{"crates/router/src/routes/payments.rs", LayerRoutes},
		{"crates/router/src/routes.rs", LayerRoutes},
		{"crates/router/src/types/api/payments.rs", "router_api_types"},
		{"crates/router/src/types/domain/customer.rs", "router_domain_types"},
		{"crates/router/src/types/storage/payment_attempt.rs", "router_db"},
		{"crates/router/src/types/transformers.rs", "router_shared"},
		{"crates/router/src/types.rs", "router_shared"},
		{"crates/router/src/db/address.rs", "router_db"},
		{"crates/router/src/services/api.rs", "router_services"},
		{"crates/router/src/configs/settings.rs", "router_configuration"},
		{"crates/router/src/lib.rs", "router"},
		{"crates/router/tests/connectors/adyen.rs", "router"},
		{"crates/router/Cargo.toml", "router"},
		{"crates/storage_impl/src/redis/cache.rs", LayerStorage},
		{"crates/common_utils/src/ext_traits.rs", LayerShared},
		{"crates/router_derive/src/macros/operation.rs", LayerMacros},
		{"crates/test_utils/src/connector_auth.rs", LayerTestSupport},
		{"crates/openapi/src/openapi.rs", "openapi"},
		{"crates/connector_configs/toml/development.toml", "routing_wasm"},
		{"migrations/2023-01-01-000000_add_refund/up.sql", LayerMigrations},
		{"v2_migrations/2024-08-28-081721_add_v2_columns/up.sql", LayerMigrations},
		{"config/development.toml", LayerConfiguration},
		{"postman/collection-dir/adyen/event.test.js", LayerTests},
		{"cypress-tests/cypress/e2e/spec/Payment/00000-AccountCreate.cy.js", LayerTests},
		{"api-reference/openapi_spec.json", LayerDocumentation},
		{".github/workflows/CI-pr.yml", LayerCI},
		{"CHANGELOG.md", LayerDocumentation},
		{"Cargo.lock", LayerBuild},
		{"crates/brand_new_crate/src/lib.rs", "brand_new_crate"}, // a crate the preset does not know
		{"some/unknown/thing.bin", LayerAssets},
		{"some/unknown/thing", ""},
	})
	// The layers follow the crate dependency order: models before the
	// domain, the domain before the connectors, the router's routes last.
	c := Hyperswitch()
	order := func(id string) int {
		l, ok := c.Layer(id)
		require.True(t, ok, id)
		return l.Order
	}
	ids := []string{LayerShared, LayerAPIModels, LayerDatabase, LayerDomainModels, LayerConnectors, LayerStorage,
		"router_db", LayerCore, LayerRoutes}
	for i := 1; i < len(ids); i++ {
		assert.Less(t, order(ids[i-1]), order(ids[i]), "%s before %s", ids[i-1], ids[i])
	}
}

func TestDefaultSmallWorkspace(t *testing.T) {
	// A single crate with everything under src/.
	runClassify(t, Default(), []classifyCase{
		{"src/main.rs", LayerCore},
		{"src/lib.rs", LayerCore},
		{"src/api/models.rs", LayerAPIModels},
		{"src/handlers/users.rs", LayerRoutes},
		{"src/db/schema.rs", LayerDatabase},
		{"src/domain/order.rs", LayerDomainModels},
		{"src/cache.rs", LayerStorage},
		{"src/config.rs", LayerConfiguration},
		{"src/utils.rs", LayerShared},
		{"src/client/http.rs", LayerConnectors},
		{"src/address.rs", ""}, // "add" must not match "address"
		{"src/score.rs", ""},   // "core" must not match "score"
		{"tests/integration.rs", LayerTests},
		{"benches/throughput.rs", LayerTests},
		{"examples/demo.rs", LayerTests},
		{"src/payments_test.rs", LayerTests},
		{"README.md", LayerDocumentation},
		{"Cargo.toml", LayerBuild},
		{"build.rs", LayerBuild},
		{"Dockerfile", LayerCI},
		{"scripts/release.sh", LayerCI},
	})
}

// prefixRule is a custom Rule: a struct value, not a glob.
type prefixRule struct{ prefix, layer string }

func (r prefixRule) Match(p string) (string, bool) {
	if strings.HasPrefix(p, r.prefix) {
		return r.layer, true
	}
	return "", false
}

func TestCustomRule(t *testing.T) {
	base := Default()
	c, err := base.With([]Layer{{ID: "payouts", Title: "Payouts", Order: 35}},
		prefixRule{"src/payouts/", "payouts"},
		RuleFunc(func(p string) (string, bool) { return "generated", strings.HasSuffix(p, ".pb.rs") }),
	)
	require.NoError(t, err)
	runClassify(t, c, []classifyCase{
		{"src/payouts/db.rs", "payouts"}, // the custom rule overrides the heuristics
		{"src/db.rs", LayerDatabase},
		{"src/api/v1.pb.rs", "generated"},
	})
	l, ok := c.Classify("src/api/v1.pb.rs")
	require.True(t, ok)
	assert.Equal(t, Layer{ID: "generated", Title: "generated", Order: unknownLayerOrder}, l)

	// The base classifier is unchanged.
	l, ok = base.Classify("src/payouts/db.rs")
	require.True(t, ok)
	assert.Equal(t, LayerDatabase, l.ID)
}

func TestGroup(t *testing.T) {
	groups, unclassified := Hyperswitch().Group([]string{
		"crates/router/tests/connectors/adyen.rs",
		"crates/router/src/core/refunds.rs",
		"mystery",
		"crates/api_models/src/refunds.rs",
		"crates/router/src/core/refunds.rs", // duplicate
		"crates/router/src/routes/refunds.rs",
		"crates/router/src/core/refunds/validator.rs",
	})
	var got []string
	for _, g := range groups {
		got = append(got, g.Layer.ID+": "+strings.Join(g.Files, ", "))
	}
	assert.Equal(t, []string{
		"api_models: crates/api_models/src/refunds.rs",
		"core: crates/router/src/core/refunds.rs, crates/router/src/core/refunds/validator.rs",
		"routes: crates/router/src/routes/refunds.rs",
		"router: crates/router/tests/connectors/adyen.rs",
	}, got)
	assert.Equal(t, []string{"mystery"}, unclassified)
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name   string
		layers []Layer
		rules  []Rule
		want   string
	}{
		{"duplicate layer", []Layer{{ID: "a"}, {ID: "a"}}, nil, `layer "a": defined twice`},
		{"empty id", []Layer{{Title: "A"}}, nil, "empty ID"},
		{"bad glob", []Layer{{ID: "a"}}, []Rule{GlobRule{Pattern: "src/[", Layer: "a"}}, "invalid pattern"},
		{"unknown layer", []Layer{{ID: "a"}}, []Rule{GlobRule{Pattern: "src/**", Layer: "b"}}, `unknown layer "b"`},
		{"nil rule", []Layer{{ID: "a"}}, []Rule{nil}, "rule 0: nil"},
		{"nil glob pointer", []Layer{{ID: "a"}}, []Rule{(*GlobRule)(nil)}, "rule 0: nil"},
		{"glob pointer unknown layer", []Layer{{ID: "a"}}, []Rule{&GlobRule{Pattern: "x", Layer: "b"}}, `unknown layer "b"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.layers, tc.rules...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestLayersOrder(t *testing.T) {
	var ids []string
	for _, l := range Default().Layers() {
		ids = append(ids, l.ID)
	}
	assert.Equal(t, []string{"api_models", "routes", "core", "domain_models", "database", "storage", "connectors",
		"shared", "macros", "configuration", "build", "tests", "documentation", "ci"}, ids)
}

func TestNormalizePath(t *testing.T) {
	for in, want := range map[string]string{
		"./src/lib.rs":     "src/lib.rs",
		"/src//lib.rs":     "src/lib.rs",
		`src\core\a.rs`:    "src/core/a.rs",
		"":                 "",
		"a/../b.rs":        "b.rs",
		"crates/x/src/..":  "crates/x",
		"../outside/a.rs":  "outside/a.rs",
		"src/./db/./q.rs":  "src/db/q.rs",
		"Cargo.toml":       "Cargo.toml",
		"dir/with space/x": "dir/with space/x",
	} {
		assert.Equal(t, want, NormalizePath(in), in)
	}
}

func TestSplitWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"api_models", []string{"api", "models"}},
		{"PaymentMethods.rs", []string{"payment", "methods", "rs"}},
		{"docker-compose.yml", []string{"docker", "compose", "yml"}},
		{"3DS", []string{"3ds"}},
		{"address", []string{"address"}},
		{"feat(connector): [Adyen] add", []string{"feat", "connector", "adyen", "add"}},
		{"", nil},
		{"__", nil},
		{"naïveCafé", []string{"naïve", "café"}},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, SplitWords(tc.in), tc.in)
	}
}

// FuzzGlobRule checks that the prefix/suffix shortcut of GlobRule.Match never
// disagrees with doublestar itself.
func FuzzGlobRule(f *testing.F) {
	for _, seed := range [][2]string{
		{"a/**", "a"}, {"**/b", "b"}, {"**/Cargo.toml", "Cargo.toml"}, {"crates/*/{tests,benches}/**", "crates/x/tests/a.rs"},
		{"a\\*b", "a*b"}, {"**/*.{md,mdx}", "x/README.md"}, {"{a,}/b", "/b"}, {"x/[ab]", "x/a"}, {"crates/router/src/core{,.rs}", "crates/router/src/core.rs"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, p string) {
		// doublestar treats every invalid UTF-8 byte as the same rune;
		// GlobRule compares literal bytes. Paths are UTF-8 in practice.
		if !doublestar.ValidatePattern(pattern) || !utf8.ValidString(pattern) || !utf8.ValidString(p) {
			return
		}
		_, got := GlobRule{Pattern: pattern, Layer: "x"}.Match(p)
		assert.Equal(t, doublestar.MatchUnvalidated(pattern, p), got, "pattern %q path %q", pattern, p)
	})
}

func TestConcurrentUse(t *testing.T) {
	c := Hyperswitch()
	d := NewIntentDetector(DefaultTaxonomy())
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for _, p := range []string{"crates/router/src/core/a.rs", "crates/api_models/src/b.rs", "x.bin"} {
				c.Classify(p)
			}
			d.Detect(IntentInput{Title: "feat(connector): add refunds"})
			DetectIntent(IntentInput{Title: "fix: x"})
		}()
	}
	for range 4 {
		<-done
	}
	l, ok := c.Classify("crates/router/src/core/a.rs")
	require.True(t, ok)
	assert.Equal(t, LayerCore, l.ID)
}

// The indexed default word table and an explicit copy of it agree.
func TestLayoutRuleDefaultIndex(t *testing.T) {
	indexed, scanned := LayoutRule{}, LayoutRule{Keywords: DefaultKeywords()}
	for _, p := range []string{
		"crates/api_models/src/payments.rs", "crates/diesel_models/src/query.rs", "src/db/cache.rs",
		"crates/router/src/core/api_keys.rs", "src/handlers/users.rs", "crates/common_utils/src/lib.rs",
		"config/development.toml", "crates/glue/src/refunds.rs", "src/score.rs", ".github/workflows/ci.yml",
		"crates/router_derive/src/lib.rs", "crates/external_services/src/email.rs", "locales/en.yml",
	} {
		a, aok := indexed.Match(p)
		b, bok := scanned.Match(p)
		assert.Equal(t, [2]any{b, bok}, [2]any{a, aok}, p)
	}
}
