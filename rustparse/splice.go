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
// too deep, is not trusted: the whole version is then parsed in full, as
// is a version whose predecessor had errors.
//
// Splicing needs no C memory between versions (a tree costs 15 to 30
// times its source) and parses only the changed items, not the file.

// spliceCheck, set by tests, makes every spliced version be compared with
// a full parse; a difference panics.
var spliceCheck = false

// spliceStats counts spliced versions and full parses (for tests and
// benchmarks).
type spliceStats struct{ spliced, full int }

// canSplice reports whether the next version may be spliced onto the
// previous one.
func (t *Tracker) canSplice() bool {
	return t.tree == nil && t.src != nil && t.file != nil && len(t.file.Errors) == 0 && t.file.cut == 0 && t.groups != nil
}

// spliceRegion is a region of the previous version replaced by the parse of
// a region of the new one: the top-level groups tops[a:b] are replaced.
type spliceRegion struct {
	oldStart, oldEnd int
	newStart, newEnd int
	a, b             int
	lineDelta        int // lines added before oldEnd, cumulative (new - old)
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
	// The regions, merged where they overlap or touch.
	var regions []spliceRegion
	byteDelta, lineDelta := 0, 0
	for _, h := range hunks {
		cs, ce := lineStart(old, oldLines, h.OldStart), lineStart(old, oldLines, h.OldStart+h.OldLines)
		ns, ne := lineStart(src, lines, h.NewStart), lineStart(src, lines, h.NewStart+h.NewLines)
		// a: the first top-level group ending at or after cs; b: the first
		// starting after ce.
		a, _ := slices.BinarySearchFunc(tops, cs, func(gi, pos int) int { return cmpInt(int(t.groups[gi].end), pos) })
		b, _ := slices.BinarySearchFunc(tops, ce+1, func(gi, pos int) int { return cmpInt(int(t.groups[gi].start), pos) })
		b = max(a, b)
		r := spliceRegion{a: a, b: b, oldStart: 0, oldEnd: len(old)}
		if a > 0 {
			r.oldStart = int(t.groups[tops[a-1]].end)
		}
		if b < len(tops) {
			r.oldEnd = int(t.groups[tops[b]].start)
		}
		r.newStart = r.oldStart + byteDelta
		byteDelta += (ne - ns) - (ce - cs)
		lineDelta += h.NewLines - h.OldLines
		r.newEnd = r.oldEnd + byteDelta
		r.lineDelta = lineDelta
		if n := len(regions); n > 0 && r.oldStart <= regions[n-1].oldEnd {
			last := &regions[n-1]
			last.oldEnd, last.newEnd, last.b, last.lineDelta = r.oldEnd, r.newEnd, max(last.b, r.b), r.lineDelta
			last.a = min(last.a, r.a)
			continue
		}
		regions = append(regions, r)
	}
	if len(regions) == 1 && regions[0].newStart == 0 && regions[0].newEnd == len(src) {
		return nil, nil, false // the whole file: parse it in full
	}

	items := make([]Item, 0, len(t.file.Items)+len(t.file.Items)/8+8)
	groups := make([]itemGroup, 0, len(t.groups)+len(t.groups)/8+8)
	// copyTops appends the previous version's top-level groups tops[from:to]
	// and their items, moved by bd bytes and ld lines.
	copyTops := func(from, to, bd, ld int) {
		for _, gi := range tops[from:to] {
			og := t.groups[gi]
			itemsDelta := int32(len(items)) - og.first
			groupsDelta := int32(len(groups) - gi)
			for _, it := range t.file.Items[og.first:og.last] {
				it.Line += ld
				it.EndLine += ld
				items = append(items, it)
			}
			for _, g := range t.groups[gi:og.inner] {
				g.id = 0
				g.start = uint32(int(g.start) + bd)
				g.end = uint32(int(g.end) + bd)
				g.line += ld
				g.first += itemsDelta
				g.last += itemsDelta
				g.inner += groupsDelta
				groups = append(groups, g)
			}
		}
	}
	next, bd, ld := 0, 0, 0
	for i := 0; i < len(regions); i++ {
		r := regions[i]
		copyTops(next, r.a, bd, ld)
		for {
			n, m := len(items), len(groups)
			var res spliceResult
			items, groups, res = p.spliceRegion(src, lines, r.newStart, r.newEnd, items, groups)
			if res == spliced {
				break
			}
			items, groups = items[:n], groups[:m]
			if res == spliceFailed || r.b == len(tops) {
				return nil, nil, false
			}
			// The region ends with attributes that belong to the next
			// top-level item: take that item in, and the next region if
			// they now touch.
			r.b++
			end := len(old)
			if r.b < len(tops) {
				end = int(t.groups[tops[r.b]].start)
			}
			r.newEnd += end - r.oldEnd
			r.oldEnd = end
			if i+1 < len(regions) && regions[i+1].oldStart <= r.oldEnd {
				i++
				r.oldEnd, r.newEnd, r.b, r.lineDelta = regions[i].oldEnd, regions[i].newEnd, max(r.b, regions[i].b), regions[i].lineDelta
			}
		}
		next = r.b
		bd, ld = r.newEnd-r.oldEnd, r.lineDelta
	}
	copyTops(next, len(tops), bd, ld)
	if len(items) == 0 {
		items = nil // as Parse returns it
	}
	file := &File{Items: items}
	if spliceCheck {
		want, err := Parse(src)
		if err != nil || !reflect.DeepEqual(want, file) {
			panic(fmt.Sprintf("rustparse: spliced version differs from Parse (err %v)\nold:\n%s\nnew:\n%s\nspliced:\n%+v\nparsed:\n%+v",
				err, old, src, file, want))
		}
	}
	return file, groups, true
}

// spliceResult is the outcome of [Parser.spliceRegion].
type spliceResult uint8

const (
	spliced        spliceResult = iota
	spliceFailed                // a syntax error, or items nested too deep
	spliceTrailing              // the region ends with attributes of the item after it
)

// spliceRegion parses src[start:end] on its own and appends its items and
// groups, moved to their place in src (whose line starts are lines), to
// items and groups. It fails if the region has a syntax error or items
// nested too deep, or if its last top-level node (comments aside) is an
// attribute, which belongs to the item after the region.
func (p *Parser) spliceRegion(src []byte, lines []int, start, end int, items []Item, groups []itemGroup) ([]Item, []itemGroup, spliceResult) {
	frag := src[start:end]
	tree, err := p.parseTree(nil, frag)
	if err != nil {
		return items, groups, spliceFailed
	}
	defer tree.Close()
	if tree.RootNode().HasError() {
		return items, groups, spliceFailed
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
		return items, groups, spliceTrailing
	}
	u := &groupReuse{byID: map[uintptr]int32{}}
	x.items = nil
	x.reuse = u
	x.members(0, len(x.recs), scope{depth: 1})
	x.reuse = nil
	fragItems := x.items
	x.items, x.src = nil, nil
	if len(x.truncs) > 0 || u.skipped {
		return items, groups, spliceFailed
	}
	line, found := slices.BinarySearch(lines, start)
	if !found {
		line-- // start is inside line number line (0-based)
	}
	// line is now the 0-based line of start: fragment line k is line+k.
	itemsBase, groupsBase := int32(len(items)), int32(len(groups))
	for _, it := range fragItems {
		it.Line += line
		it.EndLine += line
		items = append(items, it)
	}
	for _, g := range u.groups {
		g.id = 0
		g.start += uint32(start)
		g.end += uint32(start)
		g.line += line
		g.first += itemsBase
		g.last += itemsBase
		g.inner += groupsBase
		groups = append(groups, g)
	}
	return items, groups, spliced
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
