package archmap

import (
	"fmt"
	"testing"

	"github.com/sftforge/sftforge/change"
)

// benchPaths are real-shaped hyperswitch paths across layers.
var benchPaths = []string{
	"crates/router/src/core/payments/helpers.rs",
	"crates/router/src/connector/adyen/transformers.rs",
	"crates/hyperswitch_connectors/src/connectors/stripe.rs",
	"crates/api_models/src/payments.rs",
	"crates/diesel_models/src/query/payment_attempt.rs",
	"crates/router/src/types/api/payments.rs",
	"crates/router/tests/connectors/adyen.rs",
	"postman/collection-dir/adyen/Flows/Payments/event.test.js",
	"crates/common_utils/src/ext_traits.rs",
	"crates/brand_new/src/engine/state.rs",
}

// BenchmarkClassify measures one Classify call per preset; the glob-only
// baseline (the file-shape doublestar globs) is the reference
// for the ratio reported by bench/archmap_coverage.sh.
func BenchmarkClassify(b *testing.B) {
	globOnly := func() *Classifier {
		var rules []Rule
		for _, r := range fileRules() {
			if g, ok := r.(GlobRule); ok {
				rules = append(rules, g)
			}
		}
		c, err := New(DefaultLayers(), rules...)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}()
	for _, bc := range []struct {
		name string
		c    *Classifier
	}{{"default", Default()}, {"hyperswitch", Hyperswitch()}, {"globs-only", globOnly}} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				bc.c.Classify(benchPaths[i%len(benchPaths)])
			}
		})
	}
}

// BenchmarkDetectIntent measures intent detection on a templated PR.
func BenchmarkDetectIntent(b *testing.B) {
	in := IntentInput{
		Title:    "feat(connector): [Adyen] add refund webhooks",
		Body:     "## Type of Change\n- [x] New feature\n- [ ] Bugfix\n## Description\nAdyen sends refund webhooks that we dropped; handle them and update the refund status.\n",
		Labels:   []string{"A-connector-integration", "C-feature"},
		Subjects: []string{"feat(connector): add webhooks", "fix: clippy"},
	}
	for b.Loop() {
		DetectIntent(in)
	}
}

// BenchmarkDetectPatterns measures the default detectors on a change of n
// identifier changes.
func BenchmarkDetectPatterns(b *testing.B) {
	c := Hyperswitch()
	for _, n := range []int{10, 1000} {
		var changes []change.Identifier
		var files []change.File
		for i := range n {
			f := benchPaths[i%len(benchPaths)]
			changes = append(changes, change.Identifier{File: f, Op: change.OpAdded, Kind: "field", Name: fmt.Sprint("f", i), Owner: "T", Visibility: "pub"})
			if i < len(benchPaths) {
				files = append(files, change.File{Path: f, Status: "modified", Additions: 1})
			}
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				DetectPatterns(files, changes, c)
			}
		})
	}
}
