package archmap

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// RuleSet is the archmap part of a rules file: layers to add or override,
// glob rules that take precedence over the classifier's own, and taxonomy
// entries that extend intent detection. Load it with [LoadRules] or
// [LoadRulesFile]; use it with [Classifier.Apply] and [Taxonomy.Extend].
//
// The file is YAML. archmap owns four top-level keys (layers, rules,
// keywords, taxonomy); the other sections it accepts, and skips, are those
// of [OtherRulesFileSections] (redact's `redact:`). Any other top-level key,
// and an unknown key inside archmap's sections, is an error naming the file,
// line and key, so that a misspelt section (`redaction:` for `redact:`) is
// never silently ignored:
//
//	layers:                 # added, or replacing a layer with the same id
//	  - id: payouts
//	    title: Payouts
//	    order: 35
//	rules:                  # tried in file order, before the built-in rules
//	  - glob: "crates/router/src/core/payouts/**"
//	    layer: payouts
//	keywords:               # words for the layout heuristics, before the built-in ones
//	  - layer: payouts
//	    words: [payout, payouts, disbursement]
//	taxonomy:               # merged into the intent taxonomy by id
//	  preset: payments      # the base taxonomy: generic (default) or payments
//	  feature_types:
//	    - id: payouts
//	      names: [payout, payouts]
//	      keywords: [payout]
//	  actions:
//	    - id: deps
//	      verbs: [vendor]   # a title starting with it is this action
//	  entities: []
//	  entities: []
type RuleSet struct {
	// Source names the file, for error messages.
	Source string
	// Layers are added to the classifier or replace layers with equal IDs.
	Layers []Layer
	// Rules are placed, in order, before the classifier's rules.
	Rules []GlobRule
	// Keywords are placed before the word table of every [LayoutRule] of
	// the classifier.
	Keywords []KeywordLayer
	// Taxonomy extends the intent taxonomy.
	Taxonomy Taxonomy
	// TaxonomyPreset names the taxonomy that Taxonomy extends (see
	// [TaxonomyPreset]); "" leaves the choice to the caller.
	TaxonomyPreset string
	// ruleLines and keywordLines hold the line of each rule and keyword
	// entry, for errors found by Apply.
	ruleLines, keywordLines []int
}

// yamlShape describes the keys allowed in a section of the rules file.
type yamlShape struct {
	fields map[string]*yamlShape // for a mapping
	items  *yamlShape            // for a sequence
}

var (
	categoryShape = &yamlShape{items: &yamlShape{fields: map[string]*yamlShape{"id": nil, "names": nil, "keywords": nil, "verbs": nil, "objects": nil}}}
	rulesFileKeys = map[string]*yamlShape{
		"layers":   {items: &yamlShape{fields: map[string]*yamlShape{"id": nil, "title": nil, "order": nil}}},
		"rules":    {items: &yamlShape{fields: map[string]*yamlShape{"glob": nil, "layer": nil}}},
		"keywords": {items: &yamlShape{fields: map[string]*yamlShape{"layer": nil, "words": nil}}},
		"taxonomy": {fields: map[string]*yamlShape{"preset": nil, "feature_types": categoryShape, "actions": categoryShape, "entities": categoryShape}},
	}
)

// OtherRulesFileSections are the top-level keys of a rules file that belong
// to other packages: LoadRules accepts and skips them (redact's `redact:`,
// dataset's `bots:`). The redact package keeps the mirror list for its own
// loader.
var OtherRulesFileSections = []string{"redact", "bots"}

// rulesFileKeyList lists every top-level key a rules file may have, for
// error messages.
func rulesFileKeyList() string {
	return "layers, rules, keywords, taxonomy, " + strings.Join(OtherRulesFileSections, ", ")
}

// LoadRulesFile reads a rules file from disk; see [RuleSet] for the format.
func LoadRulesFile(path string) (*RuleSet, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("archmap: rules file: %w", err)
	}
	return LoadRules(path, bytes.NewReader(data))
}

// LoadRules reads a rules file; name labels errors ("rules.yaml:12: …").
// It checks the keys of archmap's sections, that each rule has a valid glob
// and a layer, and that each layer and taxonomy entry has an id. Whether a
// rule's layer exists is checked by [Classifier.Apply], which knows the
// classifier's layers.
func LoadRules(name string, r io.Reader) (*RuleSet, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("archmap: %s: %w", name, err)
	}
	rs := &RuleSet{Source: name}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("archmap: %s: %w", name, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return rs, nil // empty file
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("archmap: %s:%d: expected a mapping at the top level", name, top.Line)
	}
	var errs []error
	for i := 0; i+1 < len(top.Content); i += 2 {
		key, val := top.Content[i], top.Content[i+1]
		shape, ours := rulesFileKeys[key.Value]
		if !ours {
			if !slices.Contains(OtherRulesFileSections, key.Value) {
				errs = append(errs, fmt.Errorf("archmap: %s:%d: unknown top-level key %q (known: %s)",
					name, key.Line, key.Value, rulesFileKeyList()))
			}
			continue // another tool's section
		}
		if err := checkYAMLKeys(val, shape, key.Value); err != nil {
			errs = append(errs, fmt.Errorf("archmap: %s:%w", name, err))
			continue
		}
		if err := rs.decodeSection(key.Value, val); err != nil {
			errs = append(errs, fmt.Errorf("archmap: %s:%w", name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return rs, nil
}

// yamlLineError is an error at a line of the rules file.
type yamlLineError struct {
	line int
	msg  string
}

func (e *yamlLineError) Error() string { return fmt.Sprintf("%d: %s", e.line, e.msg) }

func lineErr(n *yaml.Node, format string, args ...any) error {
	return &yamlLineError{line: n.Line, msg: fmt.Sprintf(format, args...)}
}

// checkYAMLKeys reports the first key not allowed by shape, or a node of the
// wrong kind.
func checkYAMLKeys(n *yaml.Node, shape *yamlShape, where string) error {
	switch {
	case shape == nil:
		return nil
	case n.Kind == yaml.ScalarNode && n.Tag == "!!null":
		return nil
	case shape.fields != nil:
		if n.Kind != yaml.MappingNode {
			return lineErr(n, "%s: expected a mapping", where)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			sub, ok := shape.fields[k.Value]
			if !ok {
				return lineErr(k, "%s: unknown key %q", where, k.Value)
			}
			if err := checkYAMLKeys(n.Content[i+1], sub, where+"."+k.Value); err != nil {
				return err
			}
		}
	case shape.items != nil:
		if n.Kind != yaml.SequenceNode {
			return lineErr(n, "%s: expected a list", where)
		}
		for _, item := range n.Content {
			if err := checkYAMLKeys(item, shape.items, where); err != nil {
				return err
			}
		}
	}
	return nil
}

// decodeYAML decodes n into v. yaml's type errors already start with
// "line N:"; they are reshaped to "N: …" to follow the file name.
func decodeYAML(n *yaml.Node, v any) error {
	err := n.Decode(v)
	if err == nil {
		return nil
	}
	const prefix = "yaml: unmarshal errors:\n  line "
	if msg, ok := strings.CutPrefix(err.Error(), prefix); ok {
		return errors.New(msg)
	}
	return lineErr(n, "%v", err)
}

func (rs *RuleSet) decodeSection(key string, val *yaml.Node) error {
	switch key {
	case "layers":
		for _, item := range val.Content {
			var l Layer
			if err := decodeYAML(item, &l); err != nil {
				return err
			}
			if l.ID == "" {
				return lineErr(item, "layers: missing id")
			}
			if l.Title == "" {
				l.Title = l.ID
			}
			rs.Layers = append(rs.Layers, l)
		}
	case "rules":
		for _, item := range val.Content {
			var g GlobRule
			if err := decodeYAML(item, &g); err != nil {
				return err
			}
			if err := g.Validate(); err != nil {
				return lineErr(item, "rules: %v", err)
			}
			rs.Rules = append(rs.Rules, g)
			rs.ruleLines = append(rs.ruleLines, item.Line)
		}
	case "keywords":
		for _, item := range val.Content {
			var kw KeywordLayer
			if err := decodeYAML(item, &kw); err != nil {
				return err
			}
			if kw.Layer == "" || len(kw.Words) == 0 {
				return lineErr(item, "keywords: need a layer and words")
			}
			for i, w := range kw.Words {
				kw.Words[i] = strings.ToLower(w)
			}
			rs.Keywords = append(rs.Keywords, kw)
			rs.keywordLines = append(rs.keywordLines, item.Line)
		}
	case "taxonomy":
		var sec struct {
			Preset   string `yaml:"preset"`
			Taxonomy `yaml:",inline"`
		}
		if err := decodeYAML(val, &sec); err != nil {
			return err
		}
		if _, err := TaxonomyPreset(sec.Preset); err != nil {
			return lineErr(val, "taxonomy: unknown preset %q (want generic or payments)", sec.Preset)
		}
		rs.Taxonomy, rs.TaxonomyPreset = sec.Taxonomy, sec.Preset
		for _, cats := range [][]Category{rs.Taxonomy.FeatureTypes, rs.Taxonomy.Actions, rs.Taxonomy.Entities} {
			for _, c := range cats {
				if c.ID == "" {
					return lineErr(val, "taxonomy: entry without id")
				}
			}
		}
	}
	return nil
}

// Apply returns a copy of c with the rule set's layers added or replaced, its
// rules placed before c's rules and its keywords placed before the word table
// of c's [LayoutRule] values (for a classifier from [Infer], which has none,
// the keywords classify the paths outside its crates). A rule or keyword entry naming a layer that
// neither c nor the rule set defines is an error with its file and line.
func (c *Classifier) Apply(rs *RuleSet) (*Classifier, error) {
	if rs == nil {
		return c, nil
	}
	known := map[string]bool{}
	for id := range c.layers {
		known[id] = true
	}
	for _, l := range rs.Layers {
		known[l.ID] = true
	}
	var errs []error
	unknown := func(lines []int, i int, what, layer string) {
		if known[layer] {
			return
		}
		where := rs.Source
		if i < len(lines) {
			where = fmt.Sprintf("%s:%d", rs.Source, lines[i])
		}
		errs = append(errs, fmt.Errorf("archmap: %s: %s: unknown layer %q", where, what, layer))
	}
	rules := make([]Rule, len(rs.Rules))
	for i, g := range rs.Rules {
		unknown(rs.ruleLines, i, fmt.Sprintf("rule %q", g.Pattern), g.Layer)
		rules[i] = g
	}
	for i, kw := range rs.Keywords {
		unknown(rs.keywordLines, i, fmt.Sprintf("keywords %v", kw.Words), kw.Layer)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	d, err := c.With(rs.Layers, rules...)
	if err != nil || len(rs.Keywords) == 0 {
		return d, err
	}
	layout := false
	for i, r := range d.rules {
		if lr, ok := r.(LayoutRule); ok {
			layout = true
			base := lr.Keywords
			if base == nil {
				base = DefaultKeywords()
			}
			lr.Keywords = append(slices.Clone(rs.Keywords), base...)
			d.rules[i] = lr
		}
	}
	if !layout {
		// An inferred classifier has no word table: the keywords name the
		// paths outside the workspace's crates, right after the crates.
		i := slices.IndexFunc(d.rules, func(r Rule) bool { _, ok := r.(workspaceRule); return ok })
		d.rules = slices.Insert(d.rules, i+1, Rule(LayoutRule{Keywords: slices.Clone(rs.Keywords)}))
	}
	return d, nil
}
