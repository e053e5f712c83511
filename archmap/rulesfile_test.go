package archmap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadRulesFile(t *testing.T) {
	rs, err := LoadRulesFile(filepath.Join("testdata", "rules.yaml"))
	require.NoError(t, err)
	assert.Len(t, rs.Layers, 2)
	assert.Len(t, rs.Rules, 3)
	assert.Equal(t, []KeywordLayer{{Layer: "payouts", Words: []string{"payout", "payouts", "disbursement"}}}, rs.Keywords)

	c, err := Hyperswitch().Apply(rs)
	require.NoError(t, err)
	runClassify(t, c, []classifyCase{
		{"crates/router/src/core/payouts/helpers.rs", "payouts"},
		{"crates/payouts/src/lib.rs", "payouts"},
		{"crates/router/src/address.rs", LayerDomainModels},
		{"crates/router/src/core/payments.rs", LayerCore},
		{"crates/disbursement/src/lib.rs", "payouts"}, // by the file's keywords
		{"crates/api_models/src/payouts.rs", LayerAPIModels},
	})
	l, ok := c.Layer(LayerCore)
	require.True(t, ok)
	assert.Equal(t, "Core Logic (renamed)", l.Title, "a file layer with a known id overrides it")
	groups, _ := c.Group([]string{"crates/payouts/src/lib.rs", "crates/router/src/core/payments.rs", "crates/api_models/src/payouts.rs"})
	var order []string
	for _, g := range groups {
		order = append(order, g.Layer.ID)
	}
	// The file's orders (core 30, payouts 35) come before the preset's.
	assert.Equal(t, []string{LayerCore, "payouts", LayerAPIModels}, order)

	tax := PaymentsTaxonomy().Extend(rs.Taxonomy)
	assert.Equal(t, "payouts_v2", tax.FeatureTypes[0].ID, "new categories come first")
	it := tax.DetectIntent(IntentInput{Title: "Handle card reversal for a beneficiary"})
	assert.Equal(t, "refund", it.FeatureType)
	assert.Equal(t, []string{"beneficiary", "card"}, it.Entities, "new entities come first")
	it = tax.DetectIntent(IntentInput{Title: "feat(payouts-v2): add payout link"})
	assert.Equal(t, "payouts_v2", it.FeatureType)
	assert.Equal(t, SourceConventional, it.FeatureTypeSource)
}

func TestLoadRulesErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown rule key", "rules:\n  - glob: a/**\n    layr: core\n", "rules.yaml:3: rules: unknown key \"layr\""},
		{"unknown layer key", "layers:\n  - id: x\n    colour: red\n", "rules.yaml:3: layers: unknown key \"colour\""},
		{"unknown taxonomy key", "taxonomy:\n  features: []\n", "rules.yaml:2: taxonomy: unknown key \"features\""},
		{"unknown category key", "taxonomy:\n  actions:\n    - id: x\n      words: [a]\n", "rules.yaml:4: taxonomy.actions: unknown key \"words\""},
		{"rules not a list", "rules:\n  glob: a\n", "rules.yaml:2: rules: expected a list"},
		{"bad glob", "rules:\n  - glob: \"a/[\"\n    layer: core\n", "rules.yaml:2: rules: glob \"a/[\": invalid pattern"},
		{"missing layer", "rules:\n  - glob: a/**\n", "rules.yaml:2: rules: glob \"a/**\": empty layer"},
		{"missing id", "layers:\n  - title: X\n", "rules.yaml:2: layers: missing id"},
		{"order not a number", "layers:\n  - id: x\n    order: first\n", "rules.yaml:3: cannot unmarshal"},
		{"not yaml", "rules: [\n", "rules.yaml: yaml:"},
		{"top-level list", "- a\n", "rules.yaml:1: expected a mapping at the top level"},
		{"unknown keyword key", "keywords:\n  - layer: core\n    word: [x]\n", "rules.yaml:3: keywords: unknown key \"word\""},
		{"keywords without words", "keywords:\n  - layer: core\n", "rules.yaml:2: keywords: need a layer and words"},
		{"unknown taxonomy preset", "taxonomy:\n  preset: crypto\n", "rules.yaml:2: taxonomy: unknown preset \"crypto\" (want generic or payments)"},
		{"misspelt redact section", "rules: []\nredaction:\n  allow_patterns: [x]\n",
			`rules.yaml:2: unknown top-level key "redaction" (known: layers, rules, keywords, taxonomy, redact, bots)`},
		{"unknown top-level key", "other: 1\n", `rules.yaml:1: unknown top-level key "other"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadRules("rules.yaml", strings.NewReader(tc.src))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestLoadRulesTolerance(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "redact:\n  allow: [x]\nrules:\n", "redact: 1\n"} {
		rs, err := LoadRules("rules.yaml", strings.NewReader(src))
		require.NoError(t, err, src)
		assert.Empty(t, rs.Rules)
	}
}

func TestApplyUnknownLayer(t *testing.T) {
	rs, err := LoadRules("rules.yaml", strings.NewReader("rules:\n  - glob: a/**\n    layer: core\n  - glob: b/**\n    layer: nowhere\n"))
	require.NoError(t, err)
	_, err = Default().Apply(rs)
	require.Error(t, err)
	assert.Equal(t, `archmap: rules.yaml:4: rule "b/**": unknown layer "nowhere"`, err.Error())

	rs, err = LoadRules("rules.yaml", strings.NewReader("keywords:\n  - layer: nowhere\n    words: [x]\n"))
	require.NoError(t, err)
	_, err = Default().Apply(rs)
	require.Error(t, err)
	assert.Equal(t, `archmap: rules.yaml:2: keywords [x]: unknown layer "nowhere"`, err.Error())

	// A rule set built in Go has no lines; errors name the source only.
	_, err = Default().Apply(&RuleSet{Source: "inline", Rules: []GlobRule{{Pattern: "x/**", Layer: "nowhere"}}})
	require.Error(t, err)
	assert.Equal(t, `archmap: inline: rule "x/**": unknown layer "nowhere"`, err.Error())
}

func TestLoadRulesFileMissing(t *testing.T) {
	_, err := LoadRulesFile(filepath.Join(t.TempDir(), "absent.yaml"))
	require.ErrorIs(t, err, os.ErrNotExist)
	assert.Contains(t, err.Error(), "absent.yaml")
}

func FuzzLoadRules(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "rules.yaml"))
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte("rules:\n  - glob: \"**/*.rs\"\n    layer: core\n"))
	f.Add([]byte("taxonomy:\n  actions:\n    - id: x\n      names: [a, b]\n"))
	f.Add([]byte("layers: ~\nrules: []\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := LoadRules("rules.yaml", strings.NewReader(string(data)))
		if err != nil {
			assert.Contains(t, err.Error(), "rules.yaml")
			return
		}
		for _, r := range rs.Rules {
			require.NoError(t, r.Validate())
		}
		// Applying either works or names the file.
		if _, err := Default().Apply(rs); err != nil {
			assert.Contains(t, err.Error(), "rules.yaml")
		}
	})
}

func TestLoadRulesTaxonomyPreset(t *testing.T) {
	src := "taxonomy:\n  preset: payments\n  actions:\n    - id: deps\n      verbs: [vendor]\n      objects: [crates]\n"
	rs, err := LoadRules("rules.yaml", strings.NewReader(src))
	require.NoError(t, err)
	assert.Equal(t, "payments", rs.TaxonomyPreset)
	base, err := TaxonomyPreset(rs.TaxonomyPreset)
	require.NoError(t, err)
	d := NewIntentDetector(base.Extend(rs.Taxonomy))
	assert.Equal(t, "deps", d.Detect(IntentInput{Title: "Vendor the parser"}).Action)
	assert.Equal(t, "deps", d.Detect(IntentInput{Title: "Update crates"}).Action)
	assert.Equal(t, "refund", d.Detect(IntentInput{Title: "Update refunds"}).FeatureType)
}
