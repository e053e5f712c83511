package rustparse

import "sort"

// Splicing by statements: an edit inside a large function body would make
// the splicing Tracker parse the whole function again (a body of a few
// thousand lines is common: a connector's request builder, a long match
// over every variant). Instead the walk records, for each function body of
// at least statementsMinBody bytes, its statements, and inside a large
// statement that is a match (or a let or a tail expression whose value is
// one) the match arms, and inside a large arm whose value is a block that
// block's statements, and so on down. An edit inside the body is then
// parsed from the statements (or arms) it touches on, wrapped in a
// function of their own, and the function's item is the previous one with
// its body hash and end line updated: a body's items are not extracted.
//
// This equals a full parse when the wrapped text parses without errors
// and neither edge of the region can join what ends before it with what
// starts after it into one statement or arm (see stmtEdge.joinsNot).

// statementsMinBody is the size from which a function body, a match's
// arms or an arm's block have their statements or arms recorded
// (variable for tests).
var statementsMinBody uint32 = 1024

// Wrappers for statements and arms parsed on their own.
const (
	stmtPrefix, stmtSuffix = "fn f(){", "\n}"
	armPrefix, armSuffix   = "fn f(){match x{", "\n}}"
)

// stmtList is the recorded statements of a block, or the arms of a match.
// Offsets in it are from its own "{", which lies open bytes after the
// start of what holds it (the function's group, or the statement or arm).
type stmtList struct {
	arms  bool   // match arms; else statements
	open  uint32 // the "{", from the start of what holds the list
	close uint32 // the "}", from the "{"
	kids  []stmtKid
}

// stmtKid is a statement or an arm, comments aside.
type stmtKid struct {
	start, end uint32 // from the list's "{"
	// bare is set for a statement that is an expression (a block's tail)
	// and for an arm that has no "," and whose value is not a block-like
	// expression: neither may be followed by another.
	bare bool
	sub  *stmtList // the arms or statements recorded inside it, or nil
}

// stmtList records the statements (arms: the match arms) of the block
// (match block) record b, with its "{" counted from base; nil when the
// walk did not enter it, or it holds an error.
func (x *extractor) stmtList(b int, base uint32, arms bool) *stmtList {
	body := &x.recs[b]
	end := int(x.next[b])
	if end <= b+2 || body.flag&flagHasError != 0 || body.end-body.start < 2 ||
		x.src[body.start] != '{' || x.src[body.end-1] != '}' {
		return nil
	}
	// The first child is the "{", the last the "}".
	if first := &x.recs[b+1]; first.start != body.start || first.end != body.start+1 {
		return nil
	}
	last := -1
	for k := b + 1; k < end; k = int(x.next[k]) {
		last = k
	}
	if r := &x.recs[last]; r.start != body.end-1 || r.end != body.end {
		return nil
	}
	l := &stmtList{arms: arms, open: body.start - base, close: body.end - 1 - body.start}
	for k := int(x.next[b+1]); k < last; k = int(x.next[k]) {
		r := &x.recs[k]
		if x.g.classOf(r.kind) == classComment {
			continue
		}
		kid := stmtKid{start: r.start - body.start, end: r.end - body.start}
		if arms {
			if r.kind != x.g.kindMatchArm {
				return nil
			}
			kid.bare, kid.sub = x.armParts(k, int(x.next[k]) == last)
		} else {
			kid.bare = !x.g.isStatement(r.kind)
			kid.sub = x.stmtMatch(k)
		}
		l.kids = append(l.kids, kid)
	}
	return l
}

// stmtMatch returns the recorded arms of the match that statement record k
// is, or whose value it is (a let, an expression statement), or nil.
func (x *extractor) stmtMatch(k int) *stmtList {
	r := &x.recs[k]
	m := -1
	switch r.kind {
	case x.g.kindMatch:
		m = k
	case x.g.kindExprStmt:
		if c := k + 1; c < int(x.next[k]) && x.recs[c].kind == x.g.kindMatch {
			m = c
		}
	case x.g.kindLet:
		if v := x.partsOf(k).value; v >= 0 && x.recs[v].kind == x.g.kindMatch {
			m = v
		}
	}
	if m < 0 {
		return nil
	}
	mb := x.partsOf(m).body
	if mb < 0 || x.recs[mb].kind != x.g.kindMatchBlock {
		return nil
	}
	return x.stmtList(mb, r.start, true)
}

// armParts returns, for the match arm record k (lastArm: the list's last),
// whether it is bare (see stmtKid) and the recorded statements of its
// value when that is a block. Only the last arm can be bare: in a version
// without errors the others end with "," or a block-like value. When the
// walk did not enter the last arm its value is unknown, and one without
// "," counts as bare.
func (x *extractor) armParts(k int, lastArm bool) (bare bool, sub *stmtList) {
	r := &x.recs[k]
	comma := x.src[r.end-1] == ','
	v := -1
	if int(x.next[k]) > k+1 {
		v = x.partsOf(k).value
	}
	if v < 0 {
		return lastArm && !comma, nil
	}
	vk := x.recs[v].kind
	bare = lastArm && !comma && !x.g.isBlockLike(vk)
	if vk == x.g.kindBlock {
		sub = x.stmtList(v, r.start, false)
	}
	return bare, sub
}

// stmtEdge is an edge of a region of statements or arms: what ends before
// it and what starts after it.
type stmtEdge struct {
	last byte // the last byte of the statement or arm before; '{': none
	bare bool // that one is bare (see stmtKid)
	next byte // the first byte after; '}': the list's end
}

// joinsNot reports whether the edge e cannot join what ends before it
// with what starts after it: the list's ends, a statement ending with ";"
// or an arm with ",", or one ending with "}" before a token that cannot
// continue an expression (a letter, digit, "_", "#", "'", '"' or "{").
func (e stmtEdge) joinsNot() bool {
	switch {
	case e.next == '}' || e.last == '{':
		return true
	case e.bare:
		return false
	case e.last == ';' || e.last == ',':
		return true
	case e.last == '}':
		c := e.next
		return c == '_' || c == '#' || c == '\'' || c == '"' || c == '{' ||
			'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= 0x80
	}
	return false
}

// statements splices region r, which touches only the sibling group gi, a
// function whose recorded body holds every hunk of r (see above). bd and
// ld are the bytes and lines added before r. It reports false, having
// added nothing, when it cannot.
func (s *splicer) statements(gi int, r spliceRegion, bd, ld int) bool {
	t := s.t
	g := t.groups[gi]
	if g.stmts == nil || int(g.inner) != gi+1 || g.last-g.first != 1 {
		return false
	}
	open := int(g.start) + int(g.stmts.open)
	// The previous version's errors in the function must lie in its
	// header (a where clause bounding `dyn Trait`), which is copied.
	for _, off := range s.oldErrs {
		if off >= open && off < int(g.end) {
			return false
		}
	}
	hs := s.hunks[r.h0:r.h1]
	added := r.bd - bd
	body := s.spliceList(g.stmts, open, open+bd, hs, added)
	if body == nil {
		return false
	}
	ng := g
	ng.id = 0
	ng.start = uint32(int(g.start) + bd)
	ng.end = uint32(int(g.end) + r.bd)
	ng.line += ld
	ng.first = int32(len(s.items))
	ng.last = ng.first + 1
	ng.inner = int32(len(s.groups) + 1)
	ng.stmts = body
	it := t.file.Items[g.first]
	it.Line += ld
	it.EndLine += r.ld
	x := &s.p.x
	x.scratch = appendNormalized(x.scratch[:0], s.src[open+bd:int(ng.end)])
	it.BodyHash = 0
	if len(x.scratch) > 0 {
		it.BodyHash = fnv64(x.scratch)
	}
	s.items = append(s.items, it)
	s.groups = append(s.groups, ng)
	s.copied = append(s.copied, copiedSpan{start: int(g.start), end: open, bd: bd, ld: ld})
	t.stats.statements++
	return true
}

// spliceList splices the hunks hs, which lie inside the braces of l (a
// list of the previous version whose "{" is at oldOpen; in the new version
// at newOpen) and add added bytes, and returns the new version's list, or
// nil when it cannot.
func (s *splicer) spliceList(l *stmtList, oldOpen, newOpen int, hs []spliceHunk, added int) *stmtList {
	old := s.t.src
	closeAt := oldOpen + int(l.close)
	if hs[0].oldStart <= oldOpen || hs[len(hs)-1].oldEnd > closeAt {
		return nil
	}
	n := len(l.kids)
	startOf := func(k int) int { return oldOpen + int(l.kids[k].start) }
	endOf := func(k int) int { return oldOpen + int(l.kids[k].end) }
	// a: the first kid ending at or after the first change; b: the first
	// starting at or after the end of the last change.
	a := sort.Search(n, func(k int) bool { return endOf(k) >= hs[0].oldStart })
	b := max(a, sort.Search(n, func(k int) bool { return startOf(k) >= hs[len(hs)-1].oldEnd }))
	shifted := func(k stmtKid) stmtKid {
		k.start, k.end = uint32(int(k.start)+added), uint32(int(k.end)+added)
		return k
	}
	// Inside one kid's own list: splice there.
	if b-a == 1 && l.kids[a].sub != nil {
		kid := l.kids[a]
		subOpen := startOf(a) + int(kid.sub.open)
		if sub := s.spliceList(kid.sub, subOpen, newOpen+(subOpen-oldOpen), hs, added); sub != nil {
			s.t.stats.inner++
			nl := &stmtList{arms: l.arms, open: l.open, close: uint32(int(l.close) + added), kids: make([]stmtKid, 0, n)}
			nl.kids = append(nl.kids, l.kids[:a]...)
			kid.end = uint32(int(kid.end) + added)
			kid.sub = sub
			nl.kids = append(nl.kids, kid)
			for _, k := range l.kids[b:] {
				nl.kids = append(nl.kids, shifted(k))
			}
			return nl
		}
	}
	lo, hi := oldOpen+1, closeAt
	if a > 0 {
		lo = endOf(a - 1)
	}
	if b < n {
		hi = startOf(b)
	}
	newLo, newHi := newOpen+(lo-oldOpen), newOpen+(hi-oldOpen)+added
	if newHi < newLo || newHi > len(s.src) {
		return nil
	}
	prefix, suffix := stmtPrefix, stmtSuffix
	if l.arms {
		prefix, suffix = armPrefix, armSuffix
	}
	frag := s.src[newLo:newHi]
	buf := make([]byte, 0, len(prefix)+len(frag)+len(suffix))
	buf = append(append(append(buf, prefix...), frag...), suffix...)
	fl := s.parseList(buf, len(prefix), l.arms)
	if fl == nil {
		return nil
	}
	// The edges: what ends before each and what starts after it.
	before := stmtEdge{last: '{'}
	if a > 0 {
		before = stmtEdge{last: old[endOf(a-1)-1], bare: l.kids[a-1].bare}
	}
	after := byte('}')
	if b < n {
		after = old[startOf(b)]
	}
	fopen := len(prefix) - 1 // the wrapper list's "{" in buf
	var edges []stmtEdge
	if len(fl.kids) == 0 {
		edges = []stmtEdge{{last: before.last, bare: before.bare, next: after}}
	} else {
		first, lastKid := fl.kids[0], fl.kids[len(fl.kids)-1]
		edges = []stmtEdge{
			{last: before.last, bare: before.bare, next: buf[fopen+int(first.start)]},
			{last: buf[fopen+int(lastKid.end)-1], bare: lastKid.bare, next: after},
		}
	}
	for _, e := range edges {
		if !e.joinsNot() {
			return nil
		}
	}
	// The new list: the kids before the region, the region's (moved from
	// the wrapper's "{" to the list's), the kids after it, moved.
	nl := &stmtList{arms: l.arms, open: l.open, close: uint32(int(l.close) + added), kids: make([]stmtKid, 0, n-(b-a)+len(fl.kids))}
	nl.kids = append(nl.kids, l.kids[:a]...)
	// A kid at k.start from the wrapper's "{" is at buf offset fopen+k.start,
	// in the new version at newLo+k.start-1.
	move := newLo - 1 - newOpen
	for _, k := range fl.kids {
		k.start, k.end = uint32(int(k.start)+move), uint32(int(k.end)+move)
		nl.kids = append(nl.kids, k)
	}
	for _, k := range l.kids[b:] {
		nl.kids = append(nl.kids, shifted(k))
	}
	return nl
}

// parseList parses buf, statements or arms wrapped in a function (and a
// match) whose list's "{" is at prefix-1, and returns that list as
// recorded (offsets from that "{"), or nil when it has an error or is not
// the wrapper's list end to end.
func (s *splicer) parseList(buf []byte, prefix int, arms bool) *stmtList {
	p := s.p
	tree, err := p.parseTree(nil, buf)
	if err != nil {
		return nil
	}
	defer tree.Close()
	if tree.RootNode().HasError() {
		return nil
	}
	p.walkBodies(tree, buf, nil, nil, 0)
	x := &p.x
	defer func() { x.src = nil }()
	if len(x.recs) == 0 || int(x.next[0]) != len(x.recs) || x.recs[0].start != 0 || int(x.recs[0].end) != len(buf) ||
		x.g.classOf(x.recs[0].kind) != classFunction {
		return nil
	}
	b := x.partsOf(0).body
	if b < 0 || int(x.recs[b].end) != len(buf) {
		return nil
	}
	var l *stmtList
	if arms {
		// The body holds one statement, the match (as its tail).
		m := -1
		for k := b + 1; k < int(x.next[b]); k = int(x.next[k]) {
			c := k
			if x.recs[k].kind == x.g.kindExprStmt && k+1 < int(x.next[k]) {
				c = k + 1
			}
			if x.recs[c].kind == x.g.kindMatch {
				if m >= 0 {
					return nil
				}
				m = c
			}
		}
		if m < 0 {
			return nil
		}
		mb := x.partsOf(m).body
		if mb < 0 || x.recs[mb].kind != x.g.kindMatchBlock || int(x.recs[mb].start) != prefix-1 || int(x.recs[mb].end) != len(buf)-1 {
			return nil
		}
		l = x.stmtList(mb, 0, true)
	} else {
		if int(x.recs[b].start) != prefix-1 {
			return nil
		}
		l = x.stmtList(b, 0, false)
	}
	if l == nil {
		return nil
	}
	// Lists inside the region's kids are kept only from statementsMinBody
	// bytes, as the walk of a whole file records them.
	for i := range l.kids {
		l.kids[i].sub = pruneSmall(l.kids[i].sub)
	}
	return l
}

// pruneSmall returns l without the lists under statementsMinBody bytes, at
// any depth.
func pruneSmall(l *stmtList) *stmtList {
	if l == nil || l.close+1 < statementsMinBody {
		return nil
	}
	for i := range l.kids {
		l.kids[i].sub = pruneSmall(l.kids[i].sub)
	}
	return l
}
