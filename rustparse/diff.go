package rustparse

import (
	"hash/maphash"
	"slices"
	"sync"

	"github.com/sftforge/sftforge/change"
)

func changeOf(op change.Op, it *Item) change.Identifier {
	return change.Identifier{Op: op, Kind: it.Kind, Name: it.Name, Owner: it.Owner, Visibility: it.Visibility,
		Cfg: it.Cfg, Line: it.Line, Test: IsTestItem(it)}
}

// Diff returns the items added, removed and modified from old to new; a
// nil File is an empty file. Items are matched by Key; items sharing a key
// are matched in source order. The order is deterministic: added and
// modified items in new-file order, then removed items in old-file order.
// When either file was cut at [MaxNesting], the items at or below the cut
// are left out on both sides: their changes are unknown, not removals.
//
// Diff is safe for concurrent use.
func Diff(old, new *File) []change.Identifier {
	var oldItems, newItems []Item
	if old != nil {
		oldItems = old.Items
	}
	if new != nil {
		newItems = new.Items
	}
	if cut := diffCut(old, new); cut > 0 {
		// One version was cut at nesting level cut (MaxNesting): what lies
		// at or below it is unknown there, so it is compared on neither
		// side.
		oldItems, newItems = above(oldItems, cut), above(newItems, cut)
	}
	s := diffScratchPool.Get().(*diffScratch)
	defer diffScratchPool.Put(s)
	return s.diff(oldItems, newItems, ^uint64(0))
}

// diffCut returns the nesting level from which Diff leaves items out: the
// lower cut of the two files, or 0 when neither was cut.
func diffCut(old, new *File) int {
	cut := 0
	for _, f := range []*File{old, new} {
		if f != nil && f.cut > 0 && (cut == 0 || f.cut < cut) {
			cut = f.cut
		}
	}
	return cut
}

// above returns the items nested less deeply than level cut.
func above(items []Item, cut int) []Item {
	out := make([]Item, 0, len(items))
	for i := range items {
		if int(items[i].depth) < cut {
			out = append(out, items[i])
		}
	}
	return out
}

// How Diff matches without building key strings. "By key, in source
// order" means each new item, in order, takes the first old item of its
// key not taken yet.
//
// The leading items whose key fields (Kind, Owner, Name, Cfg) are equal
// pair up one by one: for new[i] every earlier old item with its key is
// already taken by an earlier new item, so old[i] is the first one left.
// Most versions of a file share a long such prefix. (A common suffix
// cannot be skipped that way: an earlier new item with a duplicate key may
// take an old item of the suffix.)
//
// The rest of the old items are chained by a hash of their key bytes
// (Item.appendKey, the bytes of Item.Key), in source order, and each new
// item takes the first untaken one whose key bytes are equal (sameKey), so
// items whose different fields spell the same key, such as owner "a" and
// name "b::c" against owner "a::b" and name "c", match as they do by Key.

// diffScratch is the reusable memory of one Diff call.
type diffScratch struct {
	partner []int32          // per new item: its old item, or -1 (added)
	taken   []bool           // per old item after the prefix
	heads   map[uint64]int32 // key hash → first old item left with it
	next    []int32          // per old item after the prefix: the next with its hash
	buf     []byte           // key bytes
	cmp     []byte           // key bytes for sameKey
}

var diffScratchPool = sync.Pool{New: func() any { return &diffScratch{heads: map[uint64]int32{}} }}

// diff is Diff of two item lists; hashMask is ANDed to the key hashes
// (tests force hash collisions with it).
func (s *diffScratch) diff(oldItems, newItems []Item, hashMask uint64) []change.Identifier {
	s.partner = slices.Grow(s.partner[:0], len(newItems))[:len(newItems)]
	prefix := 0
	for prefix < len(oldItems) && prefix < len(newItems) && keyFieldsEqual(&oldItems[prefix], &newItems[prefix]) {
		s.partner[prefix] = int32(prefix)
		prefix++
	}
	rest := oldItems[prefix:]
	s.taken = slices.Grow(s.taken[:0], len(rest))[:len(rest)]
	clear(s.taken)
	if prefix < len(newItems) && len(rest) > 0 {
		// Chain the old items left by key hash, last first so that each
		// chain runs in source order.
		clear(s.heads)
		s.next = slices.Grow(s.next[:0], len(rest))[:len(rest)]
		for k := len(rest) - 1; k >= 0; k-- {
			s.buf = rest[k].appendKey(s.buf[:0])
			h := maphash.Bytes(diffSeed, s.buf) & hashMask
			if head, ok := s.heads[h]; ok {
				s.next[k] = head
			} else {
				s.next[k] = -1
			}
			s.heads[h] = int32(k)
		}
	}
	for j := prefix; j < len(newItems); j++ {
		s.partner[j] = -1
		if len(rest) == 0 {
			continue
		}
		n := &newItems[j]
		s.buf = n.appendKey(s.buf[:0])
		h := maphash.Bytes(diffSeed, s.buf) & hashMask
		head, ok := s.heads[h]
		if !ok {
			continue
		}
		prev := int32(-1)
		for k := head; k >= 0; prev, k = k, s.next[k] {
			if !sameKey(&rest[k], n, &s.cmp) {
				continue // a hash collision
			}
			// Unlink k: the chain keeps only untaken items.
			switch {
			case prev >= 0:
				s.next[prev] = s.next[k]
			case s.next[k] >= 0:
				s.heads[h] = s.next[k]
			default:
				delete(s.heads, h)
			}
			s.taken[k] = true
			s.partner[j] = int32(prefix + int(k))
			break
		}
	}
	var changes []change.Identifier
	for j, p := range s.partner {
		n := &newItems[j]
		if p < 0 {
			changes = append(changes, changeOf(change.OpAdded, n))
		} else if detail := compareItems(&oldItems[p], n); len(detail) > 0 {
			c := changeOf(change.OpModified, n)
			c.Detail = detail
			changes = append(changes, c)
		}
	}
	for k, t := range s.taken {
		if !t {
			changes = append(changes, changeOf(change.OpRemoved, &rest[k]))
		}
	}
	return changes
}

// diffSeed seeds the key hashes; it is never written after init.
var diffSeed = maphash.MakeSeed()

// keyFieldsEqual reports whether a and b have the same Kind, Owner, Name
// and Cfg, and so the same key.
func keyFieldsEqual(a, b *Item) bool {
	return a.Name == b.Name && a.Kind == b.Kind && a.Owner == b.Owner && slices.Equal(a.Cfg, b.Cfg)
}

// sameKey reports whether a.Key() == b.Key() without building the
// strings; *buf is scratch memory.
func sameKey(a, b *Item, buf *[]byte) bool {
	if keyFieldsEqual(a, b) {
		return true
	}
	// Different fields can still spell the same key; compare the bytes.
	if a.keyLen() != b.keyLen() {
		return false
	}
	ab := a.appendKey((*buf)[:0])
	k := len(ab)
	ab = b.appendKey(ab)
	*buf = ab
	return string(ab[:k]) == string(ab[k:])
}

// compareItems lists what differs between two items with the same key.
func compareItems(o, n *Item) []string {
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

// DiffSource parses two versions of a file and diffs them; nil or empty
// input is an empty file.
func DiffSource(old, new []byte) ([]change.Identifier, error) {
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
