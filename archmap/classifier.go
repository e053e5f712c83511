package archmap

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Classifier maps repository-relative paths to layers with ordered rules;
// the first rule that matches wins. A Classifier is immutable after
// construction and safe for concurrent use; [Classifier.With] and
// [Classifier.Apply] return modified copies.
type Classifier struct {
	layers   map[string]Layer
	rules    []Rule
	ws       *Workspace // the crates, when built by Infer
	warnings []Warning
	langs    Languages // nil: Rust's (see WithLanguages)
}

// validator is implemented by rules that can check themselves, such as
// [GlobRule].
type validator interface{ Validate() error }

// New returns a classifier over layers with rules tried in order. It reports
// duplicate or empty layer IDs, invalid rules (any rule with a Validate()
// error method is validated) and glob rules naming an unknown layer. A
// custom rule that returns an unknown layer ID at match time yields a layer
// whose title is its ID, ordered after every known layer.
func New(layers []Layer, rules ...Rule) (*Classifier, error) {
	c := &Classifier{layers: make(map[string]Layer, len(layers))}
	for _, l := range layers {
		if l.ID == "" {
			return nil, fmt.Errorf("archmap: layer %q: empty ID", l.Title)
		}
		if _, dup := c.layers[l.ID]; dup {
			return nil, fmt.Errorf("archmap: layer %q: defined twice", l.ID)
		}
		c.layers[l.ID] = l
	}
	if err := c.addRules(false, rules); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Classifier) addRules(prepend bool, rules []Rule) error {
	var errs []error
	for i, r := range rules {
		if p, isPtr := r.(*GlobRule); r == nil || (isPtr && p == nil) {
			errs = append(errs, fmt.Errorf("archmap: rule %d: nil", i))
			continue
		}
		if v, ok := r.(validator); ok {
			if err := v.Validate(); err != nil {
				errs = append(errs, fmt.Errorf("archmap: rule %d: %w", i, err))
				continue
			}
		}
		g, isGlob := r.(GlobRule)
		if p, ok := r.(*GlobRule); ok && p != nil {
			g, isGlob = *p, true
		}
		if isGlob {
			if _, known := c.layers[g.Layer]; !known {
				errs = append(errs, fmt.Errorf("archmap: rule %d: glob %q: unknown layer %q", i, g.Pattern, g.Layer))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if prepend {
		c.rules = append(slices.Clone(rules), c.rules...)
	} else {
		c.rules = append(c.rules, rules...)
	}
	return nil
}

func (c *Classifier) clone() *Classifier {
	d := &Classifier{layers: make(map[string]Layer, len(c.layers)), rules: slices.Clone(c.rules), ws: c.ws,
		warnings: c.warnings, langs: c.langs}
	for id, l := range c.layers {
		d.layers[id] = l
	}
	return d
}

// With returns a copy of c with layers added (or replacing layers with the
// same ID) and rules placed before c's rules, so that they override them.
func (c *Classifier) With(layers []Layer, rules ...Rule) (*Classifier, error) {
	d := c.clone()
	for _, l := range layers {
		if l.ID == "" {
			return nil, fmt.Errorf("archmap: layer %q: empty ID", l.Title)
		}
		d.layers[l.ID] = l
	}
	if err := d.addRules(true, rules); err != nil {
		return nil, err
	}
	return d, nil
}

// Layers returns the classifier's layers in architectural order (by Order,
// then ID).
func (c *Classifier) Layers() []Layer {
	out := make([]Layer, 0, len(c.layers))
	for _, l := range c.layers {
		out = append(out, l)
	}
	slices.SortFunc(out, compareLayers)
	return out
}

// Rules returns a copy of the classifier's rules in the order they are tried.
func (c *Classifier) Rules() []Rule { return slices.Clone(c.rules) }

// Layer returns the layer with the given ID.
func (c *Classifier) Layer(id string) (Layer, bool) {
	l, ok := c.layers[id]
	return l, ok
}

// unknownLayerOrder places layers only a custom rule knows after all others.
const unknownLayerOrder = 1 << 30

// Classify returns the layer of the first rule matching path, after
// [NormalizePath]. It returns false when no rule matches; such paths are
// what [Classifier.Group] reports as unclassified.
func (c *Classifier) Classify(path string) (Layer, bool) {
	p := NormalizePath(path)
	if p == "" {
		return Layer{}, false
	}
	for _, r := range c.rules {
		id, ok := r.Match(p)
		if !ok || id == "" {
			continue
		}
		if l, known := c.layers[id]; known {
			return l, true
		}
		return Layer{ID: id, Title: id, Order: unknownLayerOrder}, true
	}
	return Layer{}, false
}

// LayerFiles is one layer with the paths classified into it.
type LayerFiles struct {
	Layer Layer    `json:"layer"`
	Files []string `json:"files"`
	// Crates are the crates, among the layer's own ([Layer.Crates]), that
	// hold some of Files, sorted. A layer that declares no crates and is
	// no role layer (a rules file's layer) lists the crates of its files.
	Crates []string `json:"crates"`
}

// Warnings returns the problems met while reading the workspace the
// classifier was inferred from (see [Infer]).
func (c *Classifier) Warnings() []Warning { return slices.Clone(c.warnings) }

// Workspace returns the workspace the classifier was inferred from, or nil.
func (c *Classifier) Workspace() *Workspace { return c.ws }

// CrateOf returns the crate of the classifier's workspace holding a path.
func (c *Classifier) CrateOf(p string) (Crate, bool) { return c.ws.CrateOf(p) }

// Group classifies paths and returns the layers in architectural order, each
// with its files in input order (duplicates removed), and the paths that
// matched no rule, also in input order.
func (c *Classifier) Group(paths []string) (groups []LayerFiles, unclassified []string) {
	index := map[string]int{}
	seen := make(map[string]bool, len(paths))
	for _, p := range paths {
		if seen[p] {
			continue
		}
		seen[p] = true
		l, ok := c.Classify(p)
		if !ok {
			unclassified = append(unclassified, p)
			continue
		}
		i, found := index[l.ID]
		if !found {
			i = len(groups)
			index[l.ID] = i
			groups = append(groups, LayerFiles{Layer: l})
		}
		groups[i].Files = append(groups[i].Files, p)
		if cr, ok := c.ws.CrateOf(p); ok && c.listsCrate(l, cr.Name) && !slices.Contains(groups[i].Crates, cr.Name) {
			groups[i].Crates = append(groups[i].Crates, cr.Name)
		}
	}
	for i := range groups {
		slices.Sort(groups[i].Crates)
		if groups[i].Crates == nil {
			groups[i].Crates = []string{}
		}
	}
	slices.SortStableFunc(groups, func(a, b LayerFiles) int { return compareLayers(a.Layer, b.Layer) })
	return groups, unclassified
}

// listsCrate reports whether layer l may list crate in a change: one of its
// own crates, or any crate for a layer that declares none and is not a role.
func (c *Classifier) listsCrate(l Layer, crate string) bool {
	if len(l.Crates) > 0 {
		return slices.Contains(l.Crates, crate)
	}
	return !isRoleLayer(l.ID)
}

func isRoleLayer(id string) bool {
	for _, l := range roleLayers {
		if l.ID == id {
			return true
		}
	}
	return false
}

func compareLayers(a, b Layer) int {
	return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.ID, b.ID))
}
