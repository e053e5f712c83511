package rustparse

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"

	"github.com/sftforge/sftforge/linediff"
)

// Splicing: a Tracker that holds no parse tree (released, or never kept)
// still has the previous version's source, items and item groups. When
// that version parsed without errors, the next version is parsed region by
// region: each run of changed lines is widened to the top-level items it
// touches (attributes included), bounded on both sides by unchanged
// top-level items, and only that region of the new source is parsed, on
// its own, as a file. The items outside the regions are the previous
// version's, moved by the lines inserted or deleted before them.
//
// This equals a full parse because a Rust file is a sequence of top-level
// items and statements: the unchanged text before a region ends with a
// complete item, the text after it starts with one, and both parsed
// without errors before, so the parser is in its start state at both
// boundaries. A region whose own parse has any error, or whose items nest
// too deep, is not trusted: the whole version is then parsed in full.
//
// A previous version with syntax errors is spliced too when each error
// lies inside a top-level item and no region replaces or borders such an
// item: tree-sitter's error recovery may reach across the items next to
// an error, but the parse of the items beyond them is the same. The
// errors are then the previous version's, moved by the lines added
// before them. Large files with a construct tree-sitter cannot parse (a
// macro's own syntax) change often, and were parsed in full at every
// version: on hyperswitch's newest 2,000 commits, 120 MB of the 290 MB
// parsed.
//
// Splicing needs no C memory between versions (a tree costs 15 to 30
// times its source) and parses only the changed items, not the file.

// spliceCheck, set by tests, makes every spliced version be compared with
// a full parse; a difference panics.
var spliceCheck = false

// spliceStats counts spliced versions, full parses and regions spliced
// inside an impl or module body (for tests and benchmarks).
type spliceStats struct{ spliced, full, nested int }

// canSplice reports whether the next version may be spliced onto the
// previous one.
func (t *Tracker) canSplice() bool {
	return t.tree == nil && t.src != nil && t.file != nil && t.file.cut == 0 && t.groups != nil
}

// spliceHunk is a changed range: old[oldStart:oldEnd] became
// new[newStart:newEnd], and lines is the number of lines added (negative:
// removed).
type spliceHunk struct {
	oldStart, oldEnd, newStart, newEnd, lines int
}

// spliceRegion is a region of the previous version replaced by the parse of
// a region of the new one: the sibling groups sibs[a:b] are replaced; the
// region holds hunks[h0:h1]. bd and ld are the bytes and lines added before
// its end.
type spliceRegion struct {
	oldStart, oldEnd int
	newStart, newEnd int
	a, b, h0, h1     int
	bd, ld           int
}

// splicer builds the new version's items and groups.
type splicer struct {
	t      *Tracker
	p      *Parser
	src    []byte // the new version
	lines  []int  // its line starts
	items  []Item
	groups []itemGroup
	hunks  []spliceHunk
	// dirty marks the top-level groups (by their index among the top-level
	// siblings) that hold a syntax error of the previous version; nil when
	// it had none.
	dirty []bool
}

// splice parses src, the next version, by regions (see above). lines are
// src's line starts. It reports false when the version must be parsed in
// full instead.
func (t *Tracker) splice(p *Parser, src []byte, lines []int, hunks []linediff.Hunk, haveHunks bool) (*File, []itemGroup, bool) {
	old, oldLines := t.src, t.lines
	if !haveHunks || !hunksValid(old, src, oldLines, lines, hunks) {
		hunks = linediff.Lines(old, src)
	}
	if len(hunks) == 0 {
		if len(old) != len(src) {
			return nil, nil, false
		}
		// The same text: the same items.
		return t.file, t.groups, true
	}
	// The top-level groups, in source order; they must cover every item.
	tops := make([]int, 0, 64)
	covered := 0
	for gi := 0; gi < len(t.groups); gi = int(t.groups[gi].inner) {
		g := &t.groups[gi]
		if g.sc.depth != 1 || int(g.inner) <= gi {
			return nil, nil, false
		}
		tops = append(tops, gi)
		covered += int(g.last - g.first)
	}
	if covered != len(t.file.Items) {
		return nil, nil, false
	}
	lineStart := func(src []byte, starts []int, line int) int {
		if line < len(starts) {
			return starts[line]
		}
		return len(src)
	}
	s := &splicer{t: t, p: p, src: src, lines: lines, hunks: make([]spliceHunk, len(hunks)),
		items:  make([]Item, 0, len(t.file.Items)+len(t.file.Items)/8+8),
		groups: make([]itemGroup, 0, len(t.groups)+len(t.groups)/8+8)}
	for i, h := range hunks {
		s.hunks[i] = spliceHunk{
			oldStart: lineStart(old, oldLines, h.OldStart), oldEnd: lineStart(old, oldLines, h.OldStart+h.OldLines),
			newStart: lineStart(src, lines, h.NewStart), newEnd: lineStart(src, lines, h.NewStart+h.NewLines),
			lines: h.NewLines - h.OldLines,
		}
	}
	var errOffsets []int
	if len(t.file.Errors) > 0 {
		var ok bool
		if errOffsets, s.dirty, ok = t.errorGroups(tops); !ok {
			return nil, nil, false
		}
	}
	if !s.level(tops, 0, len(old), 0, len(s.hunks), 0, 0, scope{depth: 1}, true) {
		return nil, nil, false
	}
	items := s.items
	if len(items) == 0 {
		items = nil // as Parse returns it
	}
	file := &File{Items: items, Errors: s.movedErrors(errOffsets)}
	if spliceCheck {
		want, err := Parse(src)
		if err != nil || !reflect.DeepEqual(want, file) {
			panic(fmt.Sprintf("rustparse: spliced version differs from Parse (err %v)\nold:\n%s\nnew:\n%s\nspliced:\n%+v\nparsed:\n%+v",
				err, old, src, file, want))
		}
	}
	return file, s.groups, true
}

// level splices the sibling groups sibs (indices of the previous version's
// groups, in source order), which lie in old[lo:hi] with the hunks
// hunks[h0:h1], all inside (lo, hi) unless top. bd and ld are the bytes
// and lines added before lo; sc is the siblings' scope. top is set for
// the top level, where a region that is the whole file is refused.
func (s *splicer) level(sibs []int, lo, hi, h0, h1, bd, ld int, sc scope, top bool) bool {
	t := s.t
	var regions []spliceRegion
	for hi0 := h0; hi0 < h1; hi0++ {
		h := s.hunks[hi0]
		// a: the first sibling ending at or after the change; b: the first
		// starting after it.
		a, _ := slices.BinarySearchFunc(sibs, h.oldStart, func(gi, pos int) int { return cmpInt(int(t.groups[gi].end), pos) })
		b, _ := slices.BinarySearchFunc(sibs, h.oldEnd+1, func(gi, pos int) int { return cmpInt(int(t.groups[gi].start), pos) })
		b = max(a, b)
		r := spliceRegion{a: a, b: b, h0: hi0, h1: hi0 + 1, oldStart: lo, oldEnd: hi}
		if a > 0 {
			r.oldStart = int(t.groups[sibs[a-1]].end)
		}
		if b < len(sibs) {
			r.oldEnd = int(t.groups[sibs[b]].start)
		}
		r.newStart = r.oldStart + bd
		bd += (h.newEnd - h.newStart) - (h.oldEnd - h.oldStart)
		ld += h.lines
		r.newEnd = r.oldEnd + bd
		r.bd, r.ld = bd, ld
		if n := len(regions); n > 0 && r.oldStart <= regions[n-1].oldEnd {
			last := &regions[n-1]
			last.oldEnd, last.newEnd, last.b, last.h1, last.bd, last.ld = r.oldEnd, r.newEnd, max(last.b, r.b), r.h1, r.bd, r.ld
			continue
		}
		regions = append(regions, r)
	}
	if top && len(regions) == 1 && regions[0].newStart == 0 && regions[0].newEnd == len(s.src) {
		return false // the whole file: parse it in full
	}
	if top {
		for _, r := range regions {
			if s.nearError(r.a, r.b) {
				return false
			}
		}
	}
	next := 0
	for i := 0; i < len(regions); i++ {
		r := regions[i]
		before, linesBefore := r.newStart-r.oldStart, s.linesBefore(r)
		s.copySiblings(sibs[next:r.a], before, linesBefore)
		if r.b-r.a == 1 && s.nested(sibs[r.a], r, before, linesBefore) {
			next = r.b
			continue
		}
		for {
			n, m := len(s.items), len(s.groups)
			res := s.region(r.newStart, r.newEnd, sc)
			if res == spliced {
				break
			}
			s.items, s.groups = s.items[:n], s.groups[:m]
			if res == spliceFailed || r.b == len(sibs) {
				return false
			}
			// The region ends with attributes that belong to the next
			// sibling: take that sibling in, and the next region if they
			// now touch.
			r.b++
			end := hi
			if r.b < len(sibs) {
				end = int(t.groups[sibs[r.b]].start)
			}
			r.newEnd += end - r.oldEnd
			r.oldEnd = end
			if i+1 < len(regions) && regions[i+1].oldStart <= r.oldEnd {
				i++
				r.oldEnd, r.newEnd, r.b, r.h1, r.bd, r.ld = regions[i].oldEnd, regions[i].newEnd, max(r.b, regions[i].b), regions[i].h1, regions[i].bd, regions[i].ld
			}
			if top && s.nearError(r.a, r.b) {
				return false
			}
		}
		next = r.b
	}
	last := spliceRegion{bd: bd, ld: ld}
	if n := len(regions); n > 0 {
		last = regions[n-1]
	}
	s.copySiblings(sibs[next:], last.bd, last.ld)
	return true
}

// errorGroups locates the previous version's syntax errors: their byte
// offsets, and for each top-level group of tops whether it holds one. It
// reports false when an error lies outside every top-level group (at a
// group's first or last byte included): such a version is not spliced.
func (t *Tracker) errorGroups(tops []int) (offsets []int, dirty []bool, ok bool) {
	offsets = make([]int, len(t.file.Errors))
	dirty = make([]bool, len(tops))
	for i, e := range t.file.Errors {
		if e.Line < 1 || e.Line > len(t.lines) || e.Column < 1 {
			return nil, nil, false
		}
		off := t.lines[e.Line-1] + e.Column - 1
		// k: the first top-level group ending after off.
		k, _ := slices.BinarySearchFunc(tops, off+1, func(gi, pos int) int { return cmpInt(int(t.groups[gi].end), pos) })
		if k == len(tops) || int(t.groups[tops[k]].start) >= off {
			return nil, nil, false
		}
		offsets[i], dirty[k] = off, true
	}
	return offsets, dirty, true
}

// nearError reports whether the top-level siblings a to b-1, which a
// region replaces, or the unchanged siblings a-1 and b bounding it hold an
// error of the previous version. Such a region is not spliced: error
// recovery may reach across the items next to an error, so the parser
// need not be in its start state at their ends.
func (s *splicer) nearError(a, b int) bool {
	for k := max(a-1, 0); k <= min(b, len(s.dirty)-1); k++ {
		if s.dirty[k] {
			return true
		}
	}
	return false
}

// movedErrors returns the previous version's errors, at byte offsets
// offsets, moved by the lines the hunks add before them. They all lie in
// unchanged groups away from every hunk (see [splicer.level]).
func (s *splicer) movedErrors(offsets []int) []ParseError {
	if len(offsets) == 0 {
		return nil
	}
	out := make([]ParseError, len(offsets))
	for i, e := range s.t.file.Errors {
		for _, h := range s.hunks {
			if h.oldEnd > offsets[i] {
				break
			}
			e.Line += h.lines
		}
		out[i] = e
	}
	return out
}

// linesBefore returns the lines added before r.
func (s *splicer) linesBefore(r spliceRegion) int {
	ld := r.ld
	for _, h := range s.hunks[r.h0:r.h1] {
		ld -= h.lines
	}
	return ld
}

// nested splices region r, which touches only the sibling group gi, inside
// gi's body when gi is an impl block or an inline module whose body holds
// every hunk of r and at least one member. bd and ld are the bytes and lines
// added before r. It reports false, having added nothing, when it cannot.
func (s *splicer) nested(gi int, r spliceRegion, bd, ld int) bool {
	t := s.t
	g := t.groups[gi]
	if g.body == 0 || int(g.end) < 2 || t.src[g.end-1] != '}' || int(g.inner) == gi+1 {
		return false
	}
	lo, hi := int(g.body)+1, int(g.end)-1
	for _, h := range s.hunks[r.h0:r.h1] {
		if h.oldStart < lo || h.oldEnd > hi {
			return false
		}
	}
	var members []int
	for k := gi + 1; k < int(g.inner); k = int(t.groups[k].inner) {
		members = append(members, k)
	}
	n, m := len(s.items), len(s.groups)
	// The container itself: its own item (first of its items), its group.
	ng := g
	ng.id = 0
	ng.start = uint32(int(g.start) + bd)
	ng.body = uint32(int(g.body) + bd)
	ng.line += ld
	ng.first = int32(n)
	s.groups = append(s.groups, ng)
	own := t.file.Items[g.first]
	own.Line += ld
	own.EndLine += r.ld
	s.items = append(s.items, own)
	if !s.level(members, lo, hi, r.h0, r.h1, bd, ld, t.groups[members[0]].sc, false) {
		s.items, s.groups = s.items[:n], s.groups[:m]
		return false
	}
	t.stats.nested++
	c := &s.groups[m]
	c.end = uint32(int(g.end) + r.bd)
	c.last = int32(len(s.items))
	c.inner = int32(len(s.groups))
	return true
}

// copySiblings appends the previous version's sibling groups sibs and
// their items, moved by bd bytes and ld lines.
func (s *splicer) copySiblings(sibs []int, bd, ld int) {
	t := s.t
	for _, gi := range sibs {
		og := t.groups[gi]
		itemsDelta := int32(len(s.items)) - og.first
		groupsDelta := int32(len(s.groups) - gi)
		s.items = appendMovedItems(s.items, t.file.Items[og.first:og.last], ld)
		for _, g := range t.groups[gi:og.inner] {
			g.id = 0
			s.groups = append(s.groups, g.moved(int64(bd), ld, itemsDelta, groupsDelta))
		}
	}
}

// spliceResult is the outcome of [Parser.spliceRegion].
type spliceResult uint8

const (
	spliced        spliceResult = iota
	spliceFailed                // a syntax error, or items nested too deep
	spliceTrailing              // the region ends with attributes of the item after it
)

// region parses src[start:end] on its own and appends its items and
// groups, extracted in scope sc and moved to their place in src, to the
// splicer's. It fails if the region has a syntax error or items nested
// too deep, or if its last node (comments aside) is an attribute, which
// belongs to the item after the region.
func (s *splicer) region(start, end int, sc scope) spliceResult {
	p, src, lines := s.p, s.src, s.lines
	frag := src[start:end]
	tree, err := p.parseTree(nil, frag)
	if err != nil {
		return spliceFailed
	}
	defer tree.Close()
	if tree.RootNode().HasError() {
		return spliceFailed
	}
	p.walk(tree, frag, nil, nil)
	x := &p.x
	last := classComment
	for j := 0; j < len(x.recs); j = int(x.next[j]) {
		if c := x.g.classOf(x.recs[j].kind); c != classComment {
			last = c
		}
	}
	if last == classAttribute {
		x.src = nil
		return spliceTrailing
	}
	u := &groupReuse{byID: map[uintptr]int32{}}
	x.items = nil
	x.reuse = u
	x.members(0, len(x.recs), sc)
	x.reuse = nil
	fragItems := x.items
	x.items, x.src = nil, nil
	if len(x.truncs) > 0 || u.skipped {
		return spliceFailed
	}
	line, found := slices.BinarySearch(lines, start)
	if !found {
		line-- // start is inside line number line (0-based)
	}
	// line is now the 0-based line of start: fragment line k is line+k.
	itemsBase, groupsBase := int32(len(s.items)), int32(len(s.groups))
	s.items = appendMovedItems(s.items, fragItems, line)
	for _, g := range u.groups {
		g.id = 0
		s.groups = append(s.groups, g.moved(int64(start), line, itemsBase, groupsBase))
	}
	return spliced
}

// hunksValid reports whether hunks, a line diff, turn old into new (whose
// line starts are oldLines and newLines): the lines between hunks must be
// the same on both sides.
func hunksValid(old, new []byte, oldLines, newLines []int, hunks []linediff.Hunk) bool {
	oldCount, newCount := lineCount(old, oldLines), lineCount(new, newLines)
	lineStart := func(src []byte, starts []int, line int) int {
		if line < len(starts) {
			return starts[line]
		}
		return len(src)
	}
	o, n := 0, 0 // first line after the previous hunk
	for _, h := range hunks {
		if h.OldStart < o || h.OldLines < 0 || h.NewLines < 0 || h.OldStart-o != h.NewStart-n ||
			h.OldStart+h.OldLines > oldCount || h.NewStart+h.NewLines > newCount {
			return false
		}
		if !bytes.Equal(old[lineStart(old, oldLines, o):lineStart(old, oldLines, h.OldStart)],
			new[lineStart(new, newLines, n):lineStart(new, newLines, h.NewStart)]) {
			return false
		}
		o, n = h.OldStart+h.OldLines, h.NewStart+h.NewLines
	}
	return oldCount-o == newCount-n && bytes.Equal(old[lineStart(old, oldLines, o):], new[lineStart(new, newLines, n):])
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
