package rustparse

import (
	"hash/maphash"
	"math/bits"
	"slices"
	"strings"
	"sync"
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
//
// Diff is safe for concurrent use.
func Diff(old, new *File) []Change {
	var oldItems, newItems []Item
	if old != nil {
		oldItems = old.Items
	}
	if new != nil {
		newItems = new.Items
	}
	if len(oldItems) == 0 || len(newItems) == 0 {
		return unmatched(oldItems, newItems)
	}
	s := getDiffScratch(len(newItems))
	defer putDiffScratch(s)
	return s.diff(oldItems, newItems, ^uint64(0))
}

// diff is Diff of two non-empty item lists; hashMask is ANDed to the key
// hashes (tests force hash collisions with it).
func (s *diffScratch) diff(oldItems, newItems []Item, hashMask uint64) []Change {
	s.align(oldItems, newItems)
	s.matchSkipped(oldItems, newItems, hashMask)
	return s.changes(oldItems, newItems)
}

// How Diff works. Matching items "by key, in source order" pairs, for
// every key k, the r-th old item with key k with the r-th new item with key
// k: each new item takes the first old item of its key not taken yet. Call
// r the rank of the item. Diff builds no key strings (Item.Key); it finds
// the pairs in two steps.
//
// align walks both item lists in step, as most items of two versions of a
// file are the same items in the same order. It pairs old[i] with new[j]
// when they have equal Kind, Owner, Name and Cfg (so equal keys) and equal
// ranks; every other item it skips (with a short look-ahead to resync after
// insertions and deletions). Every item before i and j is either paired,
// with a partner of the same key, or skipped, so the rank of old[i] minus
// the rank of new[j] is the number of skipped old items with key k minus
// that of skipped new items with key k: align keeps these balances, for
// the few keys where they are not zero, in a short list (compared by exact
// key bytes, see sameKey), and pairs only when the key's balance is zero.
// Pairs made so are exactly pairs of the reference matching. A common
// prefix is the simplest case: while nothing is skipped, every balance is
// zero and old[i] is paired with new[i] when their key fields are equal,
// as the reference does, every earlier old item of the key being taken.
//
// matchSkipped then matches the skipped old items with the skipped new
// items by key in source order. This yields the remaining reference pairs:
// for a key k, the paired ranks are the same on both sides, so the ranks
// left are {0..c-1} minus the paired ones on each side (c the count of k
// on that side), and the s-th rank left on one side equals the s-th left on
// the other wherever both exist. Keys are compared exactly (sameKey), so
// two items whose different fields spell the same key string (owner "a",
// name "b::c" and owner "a::b", name "c") match as they do by Key.
//
// (Skipping a common suffix of identical items the way a common prefix is
// skipped would be wrong: an earlier new item with a duplicate key can take
// the old item of the suffix. align only pairs items whose ranks agree.)

// unmatched is Diff when one side has no items: every new item is added,
// every old one removed.
func unmatched(oldItems, newItems []Item) []Change {
	if len(oldItems)+len(newItems) == 0 {
		return nil
	}
	changes := make([]Change, 0, len(oldItems)+len(newItems))
	for i := range newItems {
		changes = append(changes, changeOf(OpAdded, &newItems[i]))
	}
	for i := range oldItems {
		changes = append(changes, changeOf(OpRemoved, &oldItems[i]))
	}
	return changes
}

// keyFieldsEqual reports whether a and b have the same Kind, Owner, Name
// and Cfg, and so the same key.
func keyFieldsEqual(a, b *Item) bool {
	return a.Name == b.Name && a.Kind == b.Kind && a.Owner == b.Owner && slices.Equal(a.Cfg, b.Cfg)
}

// sameDetails reports whether compareItems(o, n) lists nothing.
func sameDetails(o, n *Item) bool {
	return o.BodyHash == n.BodyHash && o.members == n.members && o.Signature == n.Signature &&
		o.Visibility == n.Visibility && slices.Equal(o.Attrs, n.Attrs)
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

// Values of diffScratch.partner other than an old item's index.
const (
	partnerNone      = -1 // unmatched: added
	partnerIdentical = -2 // matched to an old item with the same details
)

// Limits of align, for speed only: how far it looks ahead to resync, how
// many keys may have a nonzero balance, and how many look-ahead comparisons
// it may make (so many per item, and a constant), before it gives the rest
// of the items up to matchSkipped.
const (
	alignLookahead  = 128
	alignMaxKeys    = 128
	alignBudgetItem = 8
	alignBudget     = 4096
)

// diffScratch is the reusable memory of one Diff call.
type diffScratch struct {
	// partner[j] is the old item new item j is matched to, or partnerNone
	// or partnerIdentical.
	partner []int32
	// skippedOld and skippedNew list the items align left to matchSkipped,
	// in source order; takenOld[k] tells skippedOld[k] was matched.
	skippedOld, skippedNew []int32
	takenOld               []bool
	// balance lists the keys whose skipped old and new items do not
	// cancel; filter has bit sig%256 set for the sig of each.
	balance []keyBalance
	filter  [4]uint64
	// modified counts the pairs with different details (an upper bound
	// of the modified items).
	modified int
	matched  int // skipped old items matched by matchSkipped

	// matchSkipped's hash table: slots from key hashes to chains of
	// skipped old items (positions in skippedOld) linked through next in
	// source order; taken items are unlinked.
	slots []diffSlot
	gen   uint32 // slots of another generation are empty
	mask  uint64
	next  []int32
	buf   []byte // key bytes
	cmp   []byte // key bytes for sameKey
}

type keyBalance struct {
	item   *Item // an item with the key
	keyLen int
	sig    uint32 // see keySig
	n      int    // skipped old minus skipped new items with the key
}

// keySig returns the length of it's key and a signature of the key made of
// its length and last byte: a function of the key string alone, so items
// with equal keys have equal signatures whatever fields spell them.
func keySig(it *Item) (keyLen int, sig uint32) {
	keyLen = it.keyLen()
	last := byte(':') // the key ends with "kind:" or "owner::"
	if len(it.Cfg) > 0 {
		last = ']'
	} else if it.Name != "" {
		last = it.Name[len(it.Name)-1]
	}
	return keyLen, (uint32(keyLen)*0x9e3779b1 ^ uint32(last)*0x85ebca77) >> 24
}

type diffSlot struct {
	hash uint64
	head int32 // first item left in the chain, -1 when none
	gen  uint32
}

var diffScratchPool = sync.Pool{New: func() any { return new(diffScratch) }}

// getDiffScratch returns scratch memory for a Diff of nNew new items.
func getDiffScratch(nNew int) *diffScratch {
	s := diffScratchPool.Get().(*diffScratch)
	s.reset(nNew)
	return s
}

// putDiffScratch returns s to the pool, holding no pointer to items.
func putDiffScratch(s *diffScratch) {
	clear(s.balance[:cap(s.balance)])
	diffScratchPool.Put(s)
}

// reset prepares s for a Diff of nNew new items.
func (s *diffScratch) reset(nNew int) {
	if cap(s.partner) < nNew {
		s.partner = make([]int32, nNew)
	}
	s.partner = s.partner[:nNew]
	s.skippedOld, s.skippedNew, s.balance = s.skippedOld[:0], s.skippedNew[:0], s.balance[:0]
	s.filter = [4]uint64{}
	s.modified, s.matched = 0, 0
}

// balanceOf returns the balance of it's key.
func (s *diffScratch) balanceOf(it *Item) int {
	n, sig := keySig(it)
	if s.filter[sig/64]&(1<<(sig%64)) == 0 {
		return 0
	}
	for k := range s.balance {
		if b := &s.balance[k]; b.sig == sig && b.keyLen == n && sameKey(b.item, it, &s.cmp) {
			return b.n
		}
	}
	return 0
}

// addBalance adds d to the balance of it's key.
func (s *diffScratch) addBalance(it *Item, d int) {
	n, sig := keySig(it)
	for k := range s.balance {
		if b := &s.balance[k]; b.sig == sig && b.keyLen == n && sameKey(b.item, it, &s.cmp) {
			if b.n += d; b.n == 0 {
				s.balance[k] = s.balance[len(s.balance)-1]
				s.balance = s.balance[:len(s.balance)-1]
				s.filter = [4]uint64{}
				for _, b := range s.balance {
					s.filter[b.sig/64] |= 1 << (b.sig % 64)
				}
			}
			return
		}
	}
	s.balance = append(s.balance, keyBalance{item: it, keyLen: n, sig: sig, n: d})
	s.filter[sig/64] |= 1 << (sig % 64)
}

func (s *diffScratch) skipOld(oldItems []Item, i int) {
	s.skippedOld = append(s.skippedOld, int32(i))
	s.addBalance(&oldItems[i], 1)
}

func (s *diffScratch) skipNew(newItems []Item, j int) {
	s.skippedNew = append(s.skippedNew, int32(j))
	s.partner[j] = partnerNone
	s.addBalance(&newItems[j], -1)
}

// align pairs the items it can while walking both lists in step and skips
// the others (see "How Diff works").
func (s *diffScratch) align(oldItems, newItems []Item) {
	budget := alignBudget + alignBudgetItem*(len(oldItems)+len(newItems))
	i, j := 0, 0
	for i < len(oldItems) && j < len(newItems) {
		o, n := &oldItems[i], &newItems[j]
		if keyFieldsEqual(o, n) {
			if len(s.balance) == 0 || s.balanceOf(n) == 0 {
				if sameDetails(o, n) {
					s.partner[j] = partnerIdentical
				} else {
					s.partner[j] = int32(i)
					s.modified++
				}
				i++
				j++
				continue
			}
			s.skipOld(oldItems, i)
			s.skipNew(newItems, j)
			i++
			j++
		} else {
			// Resync: skip the fewest items on one side that bring the
			// same key fields face to face, or one item on each side.
			di, dj := 1, 1
			for d := 1; d <= alignLookahead; d++ {
				budget -= 2
				if j+d < len(newItems) && keyFieldsEqual(o, &newItems[j+d]) {
					di, dj = 0, d
					break
				}
				if i+d < len(oldItems) && keyFieldsEqual(&oldItems[i+d], n) {
					di, dj = d, 0
					break
				}
			}
			for range di {
				s.skipOld(oldItems, i)
				i++
			}
			for range dj {
				s.skipNew(newItems, j)
				j++
			}
		}
		if len(s.balance) > alignMaxKeys || budget < 0 {
			break
		}
	}
	for ; i < len(oldItems); i++ {
		s.skippedOld = append(s.skippedOld, int32(i))
	}
	for ; j < len(newItems); j++ {
		s.skippedNew = append(s.skippedNew, int32(j))
		s.partner[j] = partnerNone
	}
}

// pair records the match of the skipped old item at position k of
// skippedOld with new item j.
func (s *diffScratch) pair(oldItems, newItems []Item, k int, j int32) {
	s.takenOld[k] = true
	s.matched++
	i := s.skippedOld[k]
	if sameDetails(&oldItems[i], &newItems[j]) {
		s.partner[j] = partnerIdentical
	} else {
		s.partner[j] = i
		s.modified++
	}
}

// matchSkipped matches the skipped new items, in source order, each with
// the first skipped old item of its key not taken yet.
func (s *diffScratch) matchSkipped(oldItems, newItems []Item, hashMask uint64) {
	a, b := len(s.skippedOld), len(s.skippedNew)
	if cap(s.takenOld) < a {
		s.takenOld = make([]bool, a)
	}
	s.takenOld = s.takenOld[:a]
	clear(s.takenOld)
	if a == 0 || b == 0 {
		return
	}
	if a*b <= 256 {
		for _, j := range s.skippedNew {
			n := &newItems[j]
			for k, i := range s.skippedOld {
				if !s.takenOld[k] && sameKey(&oldItems[i], n, &s.cmp) {
					s.pair(oldItems, newItems, k, j)
					break
				}
			}
		}
		return
	}
	s.index(oldItems, hashMask)
	buf := s.buf
	for _, j := range s.skippedNew {
		n := &newItems[j]
		buf = n.appendKey(buf[:0])
		if k := s.take(oldItems, n, maphash.Bytes(diffSeed, buf)&hashMask); k >= 0 {
			s.pair(oldItems, newItems, k, j)
		}
	}
	s.buf = buf
}

// changes lists the changes in Diff's order.
func (s *diffScratch) changes(oldItems, newItems []Item) []Change {
	removed := len(s.skippedOld) - s.matched
	// Exactly this many: the pairs counted in modified are those
	// sameDetails finds different, for which compareItems lists something.
	n := len(s.skippedNew) - s.matched + s.modified + removed
	if n == 0 {
		return nil
	}
	changes := make([]Change, 0, n)
	for j, p := range s.partner {
		switch {
		case p == partnerIdentical:
		case p == partnerNone:
			changes = append(changes, changeOf(OpAdded, &newItems[j]))
		default:
			if detail := compareItems(&oldItems[p], &newItems[j]); len(detail) > 0 {
				c := changeOf(OpModified, &newItems[j])
				c.Detail = detail
				changes = append(changes, c)
			}
		}
	}
	if removed > 0 {
		for k, i := range s.skippedOld {
			if !s.takenOld[k] {
				changes = append(changes, changeOf(OpRemoved, &oldItems[i]))
			}
		}
	}
	return changes
}

// diffSeed seeds the key hashes; it is never written after init.
var diffSeed = maphash.MakeSeed()

// index links the skipped old items into chains by key hash, in source
// order.
func (s *diffScratch) index(oldItems []Item, hashMask uint64) {
	a := len(s.skippedOld)
	size := max(1<<bits.Len(uint(2*a-1)), 16) // at most half full
	if len(s.slots) < size {
		s.slots = make([]diffSlot, size)
		s.gen = 0
	}
	s.mask = uint64(size - 1)
	if s.gen++; s.gen == 0 { // wrapped: forget every old generation
		clear(s.slots)
		s.gen = 1
	}
	if cap(s.next) < a {
		s.next = make([]int32, a)
	}
	s.next = s.next[:a]
	buf := s.buf
	for k := a - 1; k >= 0; k-- {
		buf = oldItems[s.skippedOld[k]].appendKey(buf[:0])
		sl := s.slot(maphash.Bytes(diffSeed, buf) & hashMask)
		s.next[k] = sl.head
		sl.head = int32(k)
	}
	s.buf = buf
}

// slot returns the slot of hash h, claiming an empty one if there is none.
func (s *diffScratch) slot(h uint64) *diffSlot {
	for i := h & s.mask; ; i = (i + 1) & s.mask {
		sl := &s.slots[i]
		if sl.gen != s.gen {
			*sl = diffSlot{hash: h, head: -1, gen: s.gen}
			return sl
		}
		if sl.hash == h {
			return sl
		}
	}
}

// take unlinks and returns the position in skippedOld of the first
// skipped old item left whose key equals n's (h is its hash), or -1.
func (s *diffScratch) take(oldItems []Item, n *Item, h uint64) int {
	for i := h & s.mask; ; i = (i + 1) & s.mask {
		sl := &s.slots[i]
		if sl.gen != s.gen {
			return -1
		}
		if sl.hash != h {
			continue
		}
		prev := int32(-1)
		for k := sl.head; k >= 0; prev, k = k, s.next[k] {
			if !sameKey(&oldItems[s.skippedOld[k]], n, &s.cmp) {
				continue // a hash collision
			}
			if prev < 0 {
				sl.head = s.next[k]
			} else {
				s.next[prev] = s.next[k]
			}
			return int(k)
		}
		return -1
	}
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
