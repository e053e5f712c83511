package rustparse

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/sftforge/sftforge/linediff"
)

// Splicing: a Tracker that holds no parse tree (released, or never kept)
// still has the previous version's source, items and item groups. The
// next version is parsed region by region: each run of changed lines is widened to the top-level items it
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
// Inside a large function body a region is narrowed further, to
// statements or match arms: see stmts.go. An insertion or deletion is first
// moved to where it touches the fewest items (slideHunks).
//
// Splicing needs no C memory between versions (a tree costs 15 to 30
// times its source) and parses only the changed items, not the file.

// spliceCheck, set by tests, makes every spliced version be compared with
// a full parse; a difference panics.
var spliceCheck = false

// spliceStats counts spliced versions, full parses, regions spliced
// inside an impl or module body, functions spliced by statements and
// regions spliced inside a statement's match or an arm's block (for tests
// and benchmarks).
type spliceStats struct{ spliced, full, nested, statements, inner, headers int }

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
	// oldErrs are the byte offsets of the previous version's errors
	// (t.file.Errors); copied are the spans of the previous version copied
	// unparsed, in source order; errs are the errors of the regions parsed.
	oldErrs []int
	copied  []copiedSpan
	errs    []placedError
}

// copiedSpan is a range of the previous version, old[start:end], copied
// into the new one moved by bd bytes and ld lines.
type copiedSpan struct{ start, end, bd, ld int }

// placedError is a syntax error of the new version and its byte offset.
type placedError struct {
	off int
	err ParseError
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
	hunks = t.slideHunks(src, lines, hunks)
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
	if len(t.file.Errors) > 0 {
		// Only syntax errors inside items: a missing token may be an
		// unclosed delimiter whose recovery depends on the text after it.
		for _, e := range t.file.Errors {
			if !isSyntaxError(e) {
				return nil, nil, false
			}
		}
		var ok bool
		if s.oldErrs, ok = errorOffsets(t.file.Errors, oldLines, t.groups, tops); !ok {
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
	file := &File{Items: items, Errors: s.errors()}
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
		// starting at or after its end. (Text inserted right before b that
		// belongs to it can only be attributes: see spliceTrailing.)
		a, _ := slices.BinarySearchFunc(sibs, h.oldStart, func(gi, pos int) int { return cmpInt(int(t.groups[gi].end), pos) })
		b, _ := slices.BinarySearchFunc(sibs, h.oldEnd, func(gi, pos int) int { return cmpInt(int(t.groups[gi].start), pos) })
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
		// Hunks touching the same sibling (or the same space between two)
		// are one region; hunks in siblings next to each other are
		// regions of their own, each spliced inside its sibling, until
		// one of them cannot be (below).
		if n := len(regions); n > 0 {
			last := &regions[n-1]
			if r.a < last.b || r.a == r.b && last.a == last.b && r.a == last.a {
				last.oldEnd, last.newEnd, last.b, last.h1, last.bd, last.ld = r.oldEnd, r.newEnd, max(last.b, r.b), r.h1, r.bd, r.ld
				continue
			}
		}
		regions = append(regions, r)
	}
	if top && len(regions) == 1 && regions[0].newStart == 0 && regions[0].newEnd == len(s.src) {
		return false // the whole file: parse it in full
	}
	next := 0
	for i := 0; i < len(regions); i++ {
		r := regions[i]
		before, linesBefore := r.newStart-r.oldStart, s.linesBefore(r)
		s.copySiblings(sibs[next:r.a], before, linesBefore)
		if r.b-r.a == 1 && (s.nested(sibs[r.a], r, before, linesBefore) || s.statements(sibs[r.a], r, before, linesBefore)) {
			next = r.b
			continue
		}
		// Parsed as a region: it takes in the regions after it that it
		// touches (their spaces between siblings overlap), unless the
		// next one lies inside its one sibling, right after this region:
		// then this region is parsed up to that sibling, which is spliced
		// inside on its own.
		alone := false
		for i+1 < len(regions) && regions[i+1].oldStart < r.oldEnd {
			if nx := regions[i+1]; nx.a == r.b && s.regionThenInside(r, nx, sibs, sc) {
				i++
				next, alone = nx.b, true
				break
			}
			i++
			r.oldEnd, r.newEnd, r.b, r.h1, r.bd, r.ld = regions[i].oldEnd, regions[i].newEnd, max(r.b, regions[i].b), regions[i].h1, regions[i].bd, regions[i].ld
		}
		if alone {
			continue
		}
		for {
			n, m := len(s.items), len(s.groups)
			res := s.region(r.newStart, r.newEnd, r.oldStart, r.oldEnd, sc)
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
			for i+1 < len(regions) && regions[i+1].oldStart <= r.oldEnd {
				i++
				r.oldEnd, r.newEnd, r.b, r.h1, r.bd, r.ld = regions[i].oldEnd, regions[i].newEnd, max(r.b, regions[i].b), regions[i].h1, regions[i].bd, regions[i].ld
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

// regionThenInside parses region r on its own and splices region nx, which
// starts at r's end and lies inside its one sibling, inside that sibling
// (see nested and statements). It reports false, having added nothing,
// when either cannot be done.
func (s *splicer) regionThenInside(r, nx spliceRegion, sibs []int, sc scope) bool {
	t := s.t
	if nx.b-nx.a != 1 {
		return false
	}
	// Only when nx's hunks lie inside the sibling's body, where nested
	// or statements may splice them: else parsing r alone is wasted.
	g := t.groups[sibs[nx.a]]
	open := int(g.body)
	if g.stmts != nil {
		open = int(g.start) + int(g.stmts.open)
	}
	hs := s.hunks[nx.h0:nx.h1]
	if open == 0 || hs[0].oldStart <= open || hs[len(hs)-1].oldEnd >= int(g.end) {
		return false
	}
	n, m, nc, ne := len(s.items), len(s.groups), len(s.copied), len(s.errs)
	if s.region(r.newStart, r.newEnd, r.oldStart, r.oldEnd, sc) == spliced {
		before, lines := nx.newStart-nx.oldStart, s.linesBefore(nx)
		if s.nested(sibs[nx.a], nx, before, lines) || s.statements(sibs[nx.a], nx, before, lines) {
			return true
		}
	}
	s.items, s.groups, s.copied, s.errs = s.items[:n], s.groups[:m], s.copied[:nc], s.errs[:ne]
	return false
}

// maxSlide bounds how many lines slideHunks moves a hunk.
const maxSlide = 64

// slideHunks returns hunks, a line diff from the previous version to src
// (whose line starts are lines), with each insertion or deletion that the
// diff could place as well a few lines up or down moved to where it
// touches the fewest bytes of the previous version's items. A function
// added between two is often diffed as starting inside the one before,
// with that one's closing "}" (and a blank line) taken as the new one's:
// moved below that "}", the change touches neither. hunks is not
// modified.
func (t *Tracker) slideHunks(src []byte, lines []int, hunks []linediff.Hunk) []linediff.Hunk {
	old, oldLines := t.src, t.lines
	oldCount, newCount := lineCount(old, oldLines), lineCount(src, lines)
	line := func(b []byte, starts []int, i int) []byte {
		end := len(b)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		return b[starts[i]:end]
	}
	oldAt := func(i int) int {
		if i < len(oldLines) {
			return oldLines[i]
		}
		return len(old)
	}
	// cost is the size of the groups the old range [start, end) touches,
	// as level counts them.
	cost := func(start, end int) int {
		c := 0
		for i := range t.groups {
			g := &t.groups[i]
			if int(g.start) >= end && int(g.start) > start {
				break // groups are in source order
			}
			if int(g.start) < end && int(g.end) >= start {
				c += int(g.end - g.start)
			}
		}
		return c
	}
	var out []linediff.Hunk
	for i, h := range hunks {
		ins, del := h.OldLines == 0 && h.NewLines > 0, h.NewLines == 0 && h.OldLines > 0
		if !ins && !del {
			continue
		}
		prevEnd, nextStart := 0, oldCount
		if i > 0 {
			if out != nil {
				prevEnd = out[i-1].OldStart + out[i-1].OldLines
			} else {
				prevEnd = hunks[i-1].OldStart + hunks[i-1].OldLines
			}
		}
		if i+1 < len(hunks) {
			nextStart = hunks[i+1].OldStart
		}
		// The first and last lines of the change (in the new version for
		// an insertion, the old one for a deletion) and the lines around
		// it.
		k := h.NewLines
		changed, at := func(j int) []byte { return line(src, lines, h.NewStart+j) }, h.OldStart
		if del {
			k = h.OldLines
			changed = func(j int) []byte { return line(old, oldLines, h.OldStart+j) }
		}
		// down: how far it can move down; each step the unchanged line after
		// the change must equal its first line.
		down := 0
		for down < maxSlide && at+k*b2i(del)+down < nextStart && at+k*b2i(del)+down < oldCount &&
			h.NewStart+k*b2i(ins)+down < newCount+b2i(del) &&
			bytes.Equal(line(old, oldLines, at+k*b2i(del)+down), changed(down%k)) {
			down++
		}
		up := 0
		for up < maxSlide && at-up-1 >= prevEnd && bytes.Equal(line(old, oldLines, at-up-1), changed(k-1-(up%k))) {
			up++
		}
		if down == 0 && up == 0 {
			continue
		}
		best, bestCost := 0, cost(oldAt(at), oldAt(at+k*b2i(del)))
		for d := -up; d <= down; d++ {
			if d == 0 {
				continue
			}
			if c := cost(oldAt(at+d), oldAt(at+d+k*b2i(del))); c < bestCost || c == bestCost && abs(d) < abs(best) {
				best, bestCost = d, c
			}
		}
		if best == 0 {
			continue
		}
		if out == nil {
			out = slices.Clone(hunks)
		}
		out[i].OldStart += best
		out[i].NewStart += best
	}
	if out == nil {
		return hunks
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// errorOffsets returns the byte offsets of errors, the syntax errors of
// a version whose line starts are lines. It reports false unless each
// lies inside one of the groups at indices tops (top-level groups, in
// source order), after its first byte and before its last: an error
// between items, or at an item's edge, may change how the parser goes on
// after it, so the version is not spliced.
func errorOffsets(errors []ParseError, lines []int, groups []itemGroup, tops []int) ([]int, bool) {
	offsets := make([]int, len(errors))
	for i, e := range errors {
		if e.Line < 1 || e.Line > len(lines) || e.Column < 1 {
			return nil, false
		}
		off := lines[e.Line-1] + e.Column - 1
		if !insideOne(groups, tops, off) {
			return nil, false
		}
		offsets[i] = off
	}
	return offsets, true
}

// insideOne reports whether byte offset off lies inside one of the groups
// at indices sibs (siblings, in source order), after its first byte and
// before its last.
func insideOne(groups []itemGroup, sibs []int, off int) bool {
	// k: the first sibling ending after off+1.
	k, _ := slices.BinarySearchFunc(sibs, off+2, func(gi, pos int) int { return cmpInt(int(groups[gi].end), pos) })
	return k < len(sibs) && int(groups[sibs[k]].start) < off
}

// sameErrors reports whether errs, the errors of a region parsed on its
// own, are the previous version's errors in the range it replaces,
// old[oldStart:oldEnd], message for message, and all of them syntax errors
// (ERROR nodes) rather than missing tokens. An error the version brings,
// or one the region's own end caused (an unclosed delimiter is closed
// there by a missing token), is not trusted: the version is then parsed
// in full. What passes is an item tree-sitter cannot parse, such as a
// where clause bounding `dyn Trait`, edited elsewhere.
func (s *splicer) sameErrors(errs []ParseError, oldStart, oldEnd int) bool {
	k := 0
	for i, off := range s.oldErrs {
		if off < oldStart || off >= oldEnd {
			continue
		}
		if k == len(errs) || errs[k].Message != s.t.file.Errors[i].Message || !isSyntaxError(errs[k]) {
			return false
		}
		k++
	}
	return k == len(errs)
}

// isSyntaxError reports whether e is an ERROR node's, not a missing
// token's.
func isSyntaxError(e ParseError) bool { return strings.HasPrefix(e.Message, syntaxErrorPrefix) }

// errors returns the new version's syntax errors in source order: the
// previous version's that lie in copied spans, moved with them, and those
// of the regions parsed.
func (s *splicer) errors() []ParseError {
	all := s.errs
	for i, off := range s.oldErrs {
		k, _ := slices.BinarySearchFunc(s.copied, off+1, func(c copiedSpan, pos int) int { return cmpInt(c.end, pos) })
		if k == len(s.copied) || s.copied[k].start > off {
			continue // in a region: parsed again
		}
		e := s.t.file.Errors[i]
		e.Line += s.copied[k].ld
		all = append(all, placedError{off: off + s.copied[k].bd, err: e})
	}
	if len(all) == 0 {
		return nil
	}
	slices.SortStableFunc(all, func(a, b placedError) int { return cmpInt(a.off, b.off) })
	out := make([]ParseError, len(all))
	for i, e := range all {
		out[i] = e.err
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
	// The previous version's errors in the container's body must lie
	// inside its members: one between members would be lost. One in its
	// header is copied with the header.
	for _, off := range s.oldErrs {
		if off <= int(g.body) || off >= int(g.end) {
			continue
		}
		if !insideOne(t.groups, members, off) {
			return false
		}
	}
	n, m, nc, ne := len(s.items), len(s.groups), len(s.copied), len(s.errs)
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
	s.copied = append(s.copied, copiedSpan{start: int(g.start), end: int(g.body), bd: bd, ld: ld})
	if !s.level(members, lo, hi, r.h0, r.h1, bd, ld, t.groups[members[0]].sc, false) {
		s.items, s.groups, s.copied, s.errs = s.items[:n], s.groups[:m], s.copied[:nc], s.errs[:ne]
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
		s.copied = append(s.copied, copiedSpan{start: int(og.start), end: int(og.end), bd: bd, ld: ld})
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
func (s *splicer) region(start, end, oldStart, oldEnd int, sc scope) spliceResult {
	p, src, lines := s.p, s.src, s.lines
	frag := src[start:end]
	tree, err := p.parseTree(nil, frag)
	if err != nil {
		return spliceFailed
	}
	defer tree.Close()
	p.walk(tree, frag, nil, nil)
	x := &p.x
	var errs []ParseError
	if tree.RootNode().HasError() {
		errs = p.parseErrors(tree)
	}
	fragLines := x.lines
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
	var errOffsets []int
	if len(errs) > 0 {
		var tops []int
		for gi := 0; gi < len(u.groups); gi = int(u.groups[gi].inner) {
			if int(u.groups[gi].inner) <= gi {
				return spliceFailed
			}
			tops = append(tops, gi)
		}
		var ok bool
		if errOffsets, ok = errorOffsets(errs, fragLines, u.groups, tops); !ok || !s.sameErrors(errs, oldStart, oldEnd) {
			return spliceFailed
		}
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
	for _, off := range errOffsets {
		off += start
		l, found := slices.BinarySearch(lines, off)
		if !found {
			l--
		}
		e := errs[0]
		errs = errs[1:]
		e.Line, e.Column = l+1, off-lines[l]+1
		s.errs = append(s.errs, placedError{off: off, err: e})
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
