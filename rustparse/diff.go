package rustparse

import (
	"slices"
	"strings"
)

// Op says what happened to an item between two versions of a file.
type Op string

// The change operations.
const (
	OpAdded    Op = "added"
	OpRemoved  Op = "removed"
	OpModified Op = "modified"
)

// The aspects of an item a modification can touch, as listed in
// Change.Detail, in this order.
const (
	DetailSignature  = "signature"
	DetailBody       = "body"
	DetailVisibility = "visibility"
	DetailAttributes = "attributes"
	DetailFields     = "fields"
	DetailVariants   = "variants"
)

// Change is one item added, removed or modified between two versions.
type Change struct {
	Op   Op
	Kind Kind
	Name string
	// Owner is the qualified owner, as in Item.
	Owner string
	// Visibility is the new one (the old one for removed items).
	Visibility string
	// Cfg is the item's cfg attributes, as in Item.
	Cfg []string
	// Detail lists what changed for OpModified: signature, body,
	// visibility, attributes, fields (a struct's or union's field names),
	// variants (an enum's variant names). For structs, unions and enums
	// "body" is reported only when the fields/variants did not change.
	Detail []string
	// Line is the item's line in the new version (the old one for removed).
	Line int
}

// String renders the change in the seed's line format,
// `function: pub::validate_capture_method`.
func (c Change) String() string {
	return string(c.Kind) + ": " + c.Visibility + "::" + c.Name
}

// Rich renders the change with its owner, cfg and detail, e.g.
// `method: pub(crate) PaymentIntent::update (body)`.
func (c Change) Rich() string {
	var b strings.Builder
	b.WriteString(string(c.Kind))
	b.WriteString(": ")
	b.WriteString(c.Visibility)
	b.WriteByte(' ')
	writeQualifiedName(&b, c.Owner, c.Name, c.Cfg, " ")
	if len(c.Detail) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(c.Detail, ", "))
		b.WriteByte(')')
	}
	return b.String()
}

func changeOf(op Op, it *Item) Change {
	return Change{Op: op, Kind: it.Kind, Name: it.Name, Owner: it.Owner, Visibility: it.Visibility,
		Cfg: it.Cfg, Line: it.Line}
}

// Diff returns the items added, removed and modified from old to new; a
// nil File is an empty file. Items are matched by Key; items sharing a key
// are matched in source order. The order is deterministic: added and
// modified items in new-file order, then removed items in old-file order.
func Diff(old, new *File) []Change {
	var oldItems, newItems []Item
	if old != nil {
		oldItems = old.Items
	}
	if new != nil {
		newItems = new.Items
	}
	oldByKey := make(map[string][]int, len(oldItems))
	for i := range oldItems {
		k := oldItems[i].Key()
		oldByKey[k] = append(oldByKey[k], i)
	}
	matched := make([]bool, len(oldItems))
	var changes []Change
	for i := range newItems {
		n := &newItems[i]
		k := n.Key()
		cands := oldByKey[k]
		if len(cands) == 0 {
			changes = append(changes, changeOf(OpAdded, n))
			continue
		}
		o := &oldItems[cands[0]]
		matched[cands[0]] = true
		oldByKey[k] = cands[1:]
		if detail := compareItems(o, n); len(detail) > 0 {
			c := changeOf(OpModified, n)
			c.Detail = detail
			changes = append(changes, c)
		}
	}
	for i := range oldItems {
		if !matched[i] {
			changes = append(changes, changeOf(OpRemoved, &oldItems[i]))
		}
	}
	return changes
}

// compareItems lists what differs between two items with the same key.
func compareItems(o, n *Item) []string {
	var d []string
	if o.Signature != n.Signature {
		d = append(d, DetailSignature)
	}
	membersChanged := o.members != n.members
	if o.BodyHash != n.BodyHash && !membersChanged {
		d = append(d, DetailBody)
	}
	if o.Visibility != n.Visibility {
		d = append(d, DetailVisibility)
	}
	if !slices.Equal(o.Attrs, n.Attrs) {
		d = append(d, DetailAttributes)
	}
	if membersChanged {
		if n.Kind == KindEnum {
			d = append(d, DetailVariants)
		} else {
			d = append(d, DetailFields)
		}
	}
	return d
}

// DiffSource parses two versions of a file and diffs them; nil or empty
// input is an empty file.
func DiffSource(old, new []byte) ([]Change, error) {
	p := getParser()
	defer putParser(p)
	of, err := p.Parse(old)
	if err != nil {
		return nil, err
	}
	nf, err := p.Parse(new)
	if err != nil {
		return nil, err
	}
	return Diff(of, nf), nil
}
