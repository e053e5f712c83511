package rustparse

import (
	"slices"

	"github.com/sftforge/sftforge/change"
)

// refDiff is a frozen copy of the original Diff (map of Item.Key strings to
// source-ordered index lists), kept as the reference the optimized Diff
// must match exactly.
func refDiff(old, new *File) []change.Identifier {
	var oldItems, newItems []Item
	if old != nil {
		oldItems = old.Items
	}
	if new != nil {
		newItems = new.Items
	}
	if cut := diffCut(old, new); cut > 0 { // not part of the frozen matching
		oldItems, newItems = above(oldItems, cut), above(newItems, cut)
	}
	oldByKey := make(map[string][]int, len(oldItems))
	for i := range oldItems {
		k := oldItems[i].Key()
		oldByKey[k] = append(oldByKey[k], i)
	}
	matched := make([]bool, len(oldItems))
	var changes []change.Identifier
	for i := range newItems {
		n := &newItems[i]
		k := n.Key()
		cands := oldByKey[k]
		if len(cands) == 0 {
			changes = append(changes, refChangeOf(change.OpAdded, n))
			continue
		}
		o := &oldItems[cands[0]]
		matched[cands[0]] = true
		oldByKey[k] = cands[1:]
		if detail := refCompareItems(o, n); len(detail) > 0 {
			c := refChangeOf(change.OpModified, n)
			c.Detail = detail
			changes = append(changes, c)
		}
	}
	for i := range oldItems {
		if !matched[i] {
			changes = append(changes, refChangeOf(change.OpRemoved, &oldItems[i]))
		}
	}
	return changes
}

func refChangeOf(op change.Op, it *Item) change.Identifier {
	return change.Identifier{Op: op, Kind: it.Kind, Name: it.Name, Owner: it.Owner, Visibility: it.Visibility,
		Cfg: it.Cfg, Line: it.Line, Test: IsTestItem(it)}
}

func refCompareItems(o, n *Item) []string {
	var d []string
	if o.Signature != n.Signature {
		d = append(d, change.DetailSignature)
	}
	membersChanged := o.members != n.members
	if o.BodyHash != n.BodyHash && !membersChanged {
		d = append(d, change.DetailBody)
	}
	if o.Visibility != n.Visibility {
		d = append(d, change.DetailVisibility)
	}
	if !slices.Equal(o.Attrs, n.Attrs) {
		d = append(d, change.DetailAttributes)
	}
	if membersChanged {
		if n.Kind == change.KindEnum {
			d = append(d, change.DetailVariants)
		} else {
			d = append(d, change.DetailFields)
		}
	}
	return d
}
