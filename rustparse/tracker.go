package rustparse

import (
	"bytes"
	"slices"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/linediff"
)

// Tracker parses the successive versions of ONE file and re-extracts only
// what changed. Its output equals Parse's exactly.
//
// A Tracker from [NewTracker] keeps the last source and items (Go memory,
// about the size of the source) and no parse tree: the next version is
// spliced, parsing only the top-level items the line diff touches (see
// splice.go). One from [NewTreeTracker] keeps the last syntax tree (C
// memory, 15 to 30 times the source), turns the line diff into tree edits
// and re-parses incrementally, re-extracting only the items whose node the
// re-parse did not keep (at any depth: a changed impl block reuses its
// unchanged methods). Both fall back to a full parse when the previous
// version had syntax errors.
//
// Call Close when done. A Tracker is not safe for concurrent use; Trackers
// of different files may be used from different goroutines.
type Tracker struct {
	tree   *sitter.Tree
	src    []byte
	lines  []int // line starts of src
	spare  []int // buffer for the next version's line starts
	file   *File
	groups []itemGroup // of the last version, in source order
	reused int         // item groups the last Update reused (for tests)
	// keepTree keeps the last tree for an incremental re-parse; without
	// it the next version is spliced (see splice.go).
	keepTree    bool
	splicedLast bool // the last version was spliced (since the last Release)
	stats       spliceStats
}

// NewTracker returns an empty Tracker that splices versions and holds no
// parse tree between them. It borrows a pooled parser for each Update, so
// idle Trackers hold no parser.
func NewTracker() *Tracker { return &Tracker{} }

// NewTreeTracker returns an empty Tracker that keeps the last parse tree
// and re-parses incrementally. It parses less than a splicing Tracker when
// one file changes in many small edits inside large items (a long function,
// an impl block of many methods), at the cost of the tree's C memory; the
// commit export uses NewTracker, which measured as fast on whole histories
// with a third less memory.
func NewTreeTracker() *Tracker { return &Tracker{keepTree: true} }

// File returns the summary of the last version (nil before the first
// Update or after Reset).
func (t *Tracker) File() *File { return t.file }

// Update parses the next version of the file. The Tracker keeps src until
// the next Update: the caller must not modify it.
func (t *Tracker) Update(src []byte) (*File, error) { return t.update(src, nil, false) }

// UpdateHunks is Update for a caller that already has the line diff from
// the previous version to src, as [linediff.Lines] returns it (any correct
// line diff will do; it need not be minimal): the Tracker then skips
// diffing the two versions itself. Hunks that do not turn the previous
// version into src are detected and ignored, so a stale diff costs time,
// never correctness.
func (t *Tracker) UpdateHunks(src []byte, hunks []linediff.Hunk) (*File, error) {
	return t.update(src, hunks, true)
}

func (t *Tracker) update(src []byte, hunks []linediff.Hunk, haveHunks bool) (*File, error) {
	p := getParser()
	defer putParser(p)
	lines := appendLineStarts(t.spare[:0], src)
	// A tree Tracker whose tree was released splices the next version; if
	// the file changes again before the next release, it parses in full to
	// have a tree again.
	if t.canSplice() && !(t.keepTree && t.splicedLast) {
		if file, groups, ok := t.splice(p, src, lines, hunks, haveHunks); ok {
			t.stats.spliced++
			t.splicedLast = true
			spare := t.lines
			t.src, t.file, t.groups = src, file, groups
			t.lines, t.spare = lines, spare[:0]
			return file, nil
		}
	}
	t.stats.full++
	t.splicedLast = false
	var tree *sitter.Tree
	var err error
	errsKnown := false // p.errs holds tree's error nodes
	if t.tree == nil {
		// Nothing of the previous version can be reused by node.
		t.groups = nil
	}
	if t.tree != nil {
		edited, ok := []byteRange(nil), false
		if haveHunks {
			edited, ok = editTreeHunks(t.tree, t.src, src, t.lines, lines, hunks)
		}
		if !ok {
			edited = editTree(t.tree, t.src, src, t.lines, lines)
		}
		tree, err = p.parseTree(t.tree, src)
		if err == nil && tree.RootNode().HasError() {
			errsKnown = true
			if p.errorsTouch(tree, edited) {
				// Error recovery around an edit may differ from a fresh
				// parse's: redo it so the result is exactly Parse's.
				// Errors away from the edits sit in reused subtrees and
				// are kept.
				tree.Close()
				tree, err = p.parseTree(nil, src)
				errsKnown = false
			}
		}
	} else {
		tree, err = p.parseTree(nil, src)
	}
	if err != nil {
		t.Reset()
		return nil, err
	}
	// Do not enter the items that may be reused; if one turns out not to
	// be, walk again entering everything.
	p.walk(tree, src, t.reusableIDs(), lines)
	file, groups, ok := t.extract(p, src)
	if !ok {
		p.walk(tree, src, nil, lines)
		file, groups, _ = t.extract(p, src)
	}
	if errsKnown {
		file.Errors = p.errorList()
	} else {
		file.Errors = p.parseErrors(tree)
	}
	p.x.addDepthError(file)
	p.x.src, p.x.lines = nil, nil
	spare := t.lines
	t.closeTree()
	t.tree, t.src, t.file, t.groups = tree, src, file, groups
	t.lines, t.spare = lines, spare[:0]
	if !t.keepTree {
		t.closeTree()
	}
	return file, nil
}

// Changes parses the next version and returns its changes against the
// previous one (an empty file before the first Update).
func (t *Tracker) Changes(src []byte) ([]change.Identifier, *File, error) {
	old := t.file
	f, err := t.Update(src)
	if err != nil {
		return nil, nil, err
	}
	return Diff(old, f), f, nil
}

// reusableIDs returns the sorted node ids of the previous version's items.
func (t *Tracker) reusableIDs() []uintptr {
	ids := make([]uintptr, 0, len(t.groups))
	for _, g := range t.groups {
		if g.id != 0 {
			ids = append(ids, g.id)
		}
	}
	slices.Sort(ids)
	return ids
}

// extract builds the items of the walk p has just made of src, reusing the
// items of the previous version's items whose node the re-parse kept, at
// any depth (a changed impl still reuses its unchanged methods). It fails
// (ok false) if an item the walk did not enter must be extracted.
func (t *Tracker) extract(p *Parser, src []byte) (file *File, groups []itemGroup, ok bool) {
	x := &p.x
	u := &groupReuse{oldSrc: t.src, old: t.groups, byID: make(map[uintptr]int32, len(t.groups)),
		groups: make([]itemGroup, 0, len(t.groups)+len(t.groups)/8+8)}
	if t.file != nil {
		u.oldItems = t.file.Items
	}
	for i, g := range t.groups {
		if g.id != 0 {
			u.byID[g.id] = int32(i)
		}
	}
	// Most items are reused: size the new list like the old one.
	x.items = make([]Item, 0, len(u.oldItems)+len(u.oldItems)/8+8)
	x.reuse = u
	x.members(0, len(x.recs), scope{depth: 1})
	x.reuse = nil
	t.reused = u.reused
	if len(x.items) == 0 {
		x.items = nil // as Parse returns it
	}
	return &File{Items: x.items}, u.groups, !u.skipped
}

// Reset forgets the previous version (the file was deleted): the next
// Update parses from scratch and Changes reports every item as added.
func (t *Tracker) Reset() {
	t.closeTree()
	t.src, t.groups, t.lines, t.spare, t.file = nil, nil, nil, nil, nil
}

// Release frees the tree of a [NewTreeTracker] but keeps the last source
// and items, so Changes still diffs against them and the next Update
// splices (see splice.go). A tree takes 15 to 30 bytes of C memory per
// source byte: release the Trackers of files not expected to change soon.
func (t *Tracker) Release() {
	t.closeTree()
	t.splicedLast = false
}

// closeTree frees the tree, if any.
func (t *Tracker) closeTree() {
	if t.tree != nil {
		t.tree.Close()
		t.tree = nil
	}
}

// Close frees the Tracker's tree. The Tracker may be used again: Update
// then starts from scratch.
func (t *Tracker) Close() { t.Reset() }

// singleEdit makes editTree describe the change as one edit spanning the
// common prefix and suffix instead of one edit per line-diff hunk.
var singleEdit = false

// byteRange is a range of bytes [start, end).
type byteRange struct{ start, end int }

// editTree applies to tree the edits that turn old into new, found by a
// line diff, and returns the edited ranges in new, in order. oldLines and
// newLines are the line starts of old and new.
func editTree(tree *sitter.Tree, old, new []byte, oldLines, newLines []int) []byteRange {
	if singleEdit {
		prefix := commonPrefix(old, new)
		suffix := commonSuffix(old[prefix:], new[prefix:])
		start := pointAfter(sitter.Point{}, old[:prefix])
		applyEdit(tree, old, new, start, prefix, len(old)-suffix, prefix, len(new)-suffix)
		return []byteRange{{prefix, len(new) - suffix}}
	}
	edited, _ := editTreeHunks(tree, old, new, oldLines, newLines, linediff.Lines(old, new))
	return edited
}

// editTreeHunks applies to tree the edits of hunks, the line diff from old
// to new, and returns the edited ranges in new, in order. oldLines and
// newLines are the line starts of old and new. It reports false, editing
// nothing, when the hunks do not turn old into new.
func editTreeHunks(tree *sitter.Tree, old, new []byte, oldLines, newLines []int, hunks []linediff.Hunk) ([]byteRange, bool) {
	if !hunksValid(old, new, oldLines, newLines, hunks) {
		return nil, false
	}
	lineStart := func(src []byte, starts []int, line int) int {
		if line < len(starts) {
			return starts[line]
		}
		return len(src)
	}
	edited := make([]byteRange, len(hunks))
	// Last hunk first: the old coordinates of earlier hunks stay valid.
	for i := len(hunks) - 1; i >= 0; i-- {
		h := hunks[i]
		edited[i] = byteRange{lineStart(new, newLines, h.NewStart), lineStart(new, newLines, h.NewStart+h.NewLines)}
		applyEdit(tree, old, new, sitter.Point{Row: uint(h.OldStart)},
			lineStart(old, oldLines, h.OldStart), lineStart(old, oldLines, h.OldStart+h.OldLines),
			edited[i].start, edited[i].end)
	}
	return edited, true
}

// lineCount returns the number of lines of src, whose line starts are
// starts: a final line without a newline counts, an empty one does not.
func lineCount(src []byte, starts []int) int {
	if len(src) > 0 && src[len(src)-1] != '\n' {
		return len(starts)
	}
	return len(starts) - 1
}

// errorsTouch reports whether an ERROR or MISSING node of tree overlaps or
// touches one of the edited ranges (sorted). It leaves tree's error nodes
// in p.errs.
func (p *Parser) errorsTouch(tree *sitter.Tree, edited []byteRange) bool {
	p.errs = errorNodes(tree, p.errs)
	for i := range p.errs {
		start, end := int(p.errs[i].start), int(p.errs[i].end)
		for _, e := range edited {
			if e.start > end {
				break
			}
			if e.end >= start {
				return true
			}
		}
	}
	return false
}

// applyEdit edits tree for old[oldStart:oldEnd] replaced by
// new[newStart:newEnd]; start is the position of oldStart, and the text
// before it is the same in the tree as in old.
func applyEdit(tree *sitter.Tree, old, new []byte, start sitter.Point, oldStart, oldEnd, newStart, newEnd int) {
	if oldStart == oldEnd && newStart == newEnd {
		return
	}
	tree.Edit(&sitter.InputEdit{
		StartByte:      uint(oldStart),
		OldEndByte:     uint(oldEnd),
		NewEndByte:     uint(oldStart + newEnd - newStart),
		StartPosition:  start,
		OldEndPosition: pointAfter(start, old[oldStart:oldEnd]),
		NewEndPosition: pointAfter(start, new[newStart:newEnd]),
	})
}

// pointAfter returns the position reached from p after text.
func pointAfter(p sitter.Point, text []byte) sitter.Point {
	if n := bytes.Count(text, []byte{'\n'}); n > 0 {
		return sitter.Point{Row: p.Row + uint(n), Column: uint(len(text) - 1 - bytes.LastIndexByte(text, '\n'))}
	}
	return sitter.Point{Row: p.Row, Column: p.Column + uint(len(text))}
}

// commonPrefix returns the length of the common prefix of a and b,
// comparing 64-byte blocks with bytes.Equal (vectorized) first.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+64 <= n && bytes.Equal(a[i:i+64], b[i:i+64]) {
		i += 64
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// commonSuffix returns the length of the common suffix of a and b.
func commonSuffix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+64 <= n && bytes.Equal(a[len(a)-i-64:len(a)-i], b[len(b)-i-64:len(b)-i]) {
		i += 64
	}
	for i < n && a[len(a)-1-i] == b[len(b)-1-i] {
		i++
	}
	return i
}
