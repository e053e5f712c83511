package rustparse

import (
	"slices"
	"sort"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

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

// listKind is what a recorded list holds.
type listKind uint8

const (
	listNone       listKind = iota
	listStatements          // a block's statements
	listArms                // a match's arms
	listArgs                // a call's arguments
	listArray               // an array's elements
	listTuple               // a tuple's elements
	listFields              // a struct literal's field initializers
)

// elements reports whether the list's kids are separated by ",": the
// elements of a call's arguments, an array, a tuple or a struct literal.
func (k listKind) elements() bool { return k >= listArgs }

// listWrap is how a list's kids are parsed on their own: prefix, ending
// with the list's opening delimiter, the kids, then suffix, starting with
// a newline (which ends a line comment) and the closing delimiter. An
// element list's region that does not start the list is parsed after a
// dummy element, and one that does not end it before a dummy: each must
// come out as an element of its own.
type listWrap struct {
	prefix, suffix string
	open, close    byte
	dummy          string
}

// listWraps are the wrappers, by listKind.
var listWraps = [...]listWrap{
	listStatements: {prefix: "fn f(){", suffix: "\n}", open: '{', close: '}'},
	listArms:       {prefix: "fn f(){match x{", suffix: "\n}}", open: '{', close: '}'},
	listArgs:       {prefix: "fn f(){g(", suffix: "\n);}", open: '(', close: ')', dummy: "0"},
	listArray:      {prefix: "fn f(){[", suffix: "\n];}", open: '[', close: ']', dummy: "0"},
	listTuple:      {prefix: "fn f(){(", suffix: "\n);}", open: '(', close: ')', dummy: "0"},
	listFields:     {prefix: "fn f(){S{", suffix: "\n};}", open: '{', close: '}', dummy: "x:0"},
}

// stmtList is the recorded statements of a block, the arms of a match, or
// the elements of an argument list, array, tuple or struct literal.
// Offsets in it are from its own opening delimiter, which lies open bytes
// after the start of what holds it (the function's group, or the kid).
type stmtList struct {
	kind  listKind
	open  uint32 // the opening delimiter, from the start of what holds the list
	close uint32 // the closing delimiter, from the opening one
	kids  []stmtKid
}

// stmtKid is a statement, an arm or an element, comments aside.
type stmtKid struct {
	start, end uint32 // from the list's opening delimiter
	// bare is set for a statement that is an expression (a block's tail)
	// and for an arm that has no "," and whose value is not a block-like
	// expression: neither may be followed by another.
	bare bool
	subs []*stmtList // the lists recorded inside it, in source order (see listsIn)
}

// stmtList records the kids of the list record b of kind kind, with its
// opening delimiter counted from base; nil when the walk did not enter
// it, it holds an error, or it is not a list splicing can take apart (an
// array [x; n], attributes among elements).
func (x *extractor) stmtList(b int, base uint32, kind listKind) *stmtList {
	body := &x.recs[b]
	end := int(x.next[b])
	w := &listWraps[kind]
	if end <= b+2 || body.flag&flagHasError != 0 || body.end-body.start < 2 ||
		x.src[body.start] != w.open || x.src[body.end-1] != w.close {
		return nil
	}
	// The first child is the opening delimiter, the last the closing one.
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
	l := &stmtList{kind: kind, open: body.start - base, close: body.end - 1 - body.start}
	for k := int(x.next[b+1]); k < last; k = int(x.next[k]) {
		r := &x.recs[k]
		c := x.g.classOf(r.kind)
		if c == classComment {
			continue
		}
		kid := stmtKid{start: r.start - body.start, end: r.end - body.start}
		switch {
		case kind == listArms:
			if r.kind != x.g.kindMatchArm {
				return nil
			}
			kid.bare, kid.subs = x.armParts(k, int(x.next[k]) == last)
		case kind.elements():
			if p := x.g.punct[r.kind]; p == ',' {
				continue
			} else if p != 0 || c == classAttribute {
				return nil
			}
			kid.subs = x.listsIn(k, r.start, nil)
		default:
			kid.bare = !x.g.isStatement(r.kind)
			kid.subs = x.listsIn(k, r.start, nil)
		}
		l.kids = append(l.kids, kid)
	}
	return l
}

// listsIn appends to out the lists recorded inside record k (a statement,
// an arm's value or an element), their opening delimiters counted from
// base: k itself when k is a list; else the lists inside its children of
// at least statementsMinBody bytes, when k is a statement or an
// expression that can hold one (a call, a closure, an if, a struct
// literal, a reference...), in source order.
func (x *extractor) listsIn(k int, base uint32, out []*stmtList) []*stmtList {
	r := &x.recs[k]
	if lk := x.g.lists[r.kind]; lk != listNone {
		if l := x.stmtList(k, base, lk); l != nil {
			out = append(out, l)
		}
		return out
	}
	if !x.g.chain[r.kind] || r.flag&flagHasError != 0 {
		return out
	}
	for c := k + 1; c < int(x.next[k]); c = int(x.next[c]) {
		if x.recs[c].end-x.recs[c].start >= statementsMinBody {
			out = x.listsIn(c, base, out)
		}
	}
	return out
}

// armParts returns, for the match arm record k (lastArm: the list's last),
// whether it is bare (see stmtKid) and the lists recorded inside its value.
// Only the last arm can be bare: in a version without errors the others
// end with "," or a block-like value. When the walk did not enter the last
// arm its value is unknown, and one without "," counts as bare.
func (x *extractor) armParts(k int, lastArm bool) (bare bool, subs []*stmtList) {
	r := &x.recs[k]
	comma := x.src[r.end-1] == ','
	v := -1
	if int(x.next[k]) > k+1 {
		v = x.partsOf(k).value
	}
	if v < 0 {
		return lastArm && !comma, nil
	}
	bare = lastArm && !comma && !x.g.isBlockLike(x.recs[v].kind)
	return bare, x.listsIn(v, r.start, nil)
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
	if hs[0].oldStart <= open {
		return s.header(gi, r, bd)
	}
	inner := t.stats.inner
	body := s.spliceList(g.stmts, open, open+bd, hs)
	if body == nil {
		t.stats.inner = inner // what was spliced inside is not used
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

// header splices region r, which touches only the sibling group gi, a
// function whose body's statements are recorded, when its hunks change
// the function's header (up to its first statement) and perhaps
// statements: the header is parsed on its own, with the body's "{" closed
// right there, and the body is the previous one, spliced by statements
// where the other hunks lie (see statements). bd is the bytes added before
// r. It reports false, having added nothing, when it cannot: the header
// has an error or is not one function, a hunk runs from the header into
// the statements, or the function had an error.
func (s *splicer) header(gi int, r spliceRegion, bd int) bool {
	t := s.t
	g := t.groups[gi]
	l := g.stmts
	for _, off := range s.oldErrs {
		if off >= r.oldStart && off < r.oldEnd {
			return false
		}
	}
	open := int(g.start) + int(l.open)
	// cut: where the header ends, the first statement (or the "}").
	cut := open + int(l.close)
	if len(l.kids) > 0 {
		cut = open + int(l.kids[0].start)
	}
	hs := s.hunks[r.h0:r.h1]
	k, hd := 0, 0 // the hunks in the header, and the bytes they add
	for ; k < len(hs) && hs[k].oldStart < cut; k++ {
		if hs[k].oldEnd > cut {
			return false
		}
		hd += (hs[k].newEnd - hs[k].newStart) - (hs[k].oldEnd - hs[k].oldStart)
	}
	start, newCut := r.oldStart+bd, cut+bd+hd
	buf := make([]byte, 0, newCut-start+1)
	buf = append(append(buf, s.src[start:newCut]...), '}')
	p := s.p
	tree := p.parseWrapped(buf, statementsMinBody)
	if tree == nil {
		return false
	}
	defer tree.Close()
	x := &p.x
	defer func() { x.src = nil }()
	// The function, last and ending at the "}" added (what comes before
	// it may be anything but items: see below), and its body's "{".
	fn := -1
	for j := 0; j < len(x.recs); j = int(x.next[j]) {
		if x.g.classOf(x.recs[j].kind) != classComment {
			fn = j
		}
	}
	if fn < 0 || x.g.classOf(x.recs[fn].kind) != classFunction || int(x.recs[fn].end) != len(buf) {
		return false
	}
	b := x.partsOf(fn).body
	if b < 0 || int(x.recs[b].end) != len(buf) {
		return false
	}
	newOpen := start + int(x.recs[b].start)
	u := &groupReuse{byID: map[uintptr]int32{}}
	x.items = nil
	x.reuse = u
	x.members(0, len(x.recs), g.sc)
	x.reuse = nil
	items := x.items
	x.items = nil
	if len(x.truncs) > 0 || u.skipped || len(items) != 1 || len(u.groups) != 1 {
		return false
	}
	// The body: the previous statements, moved (the header may have
	// changed the space between its "{" and the first statement), and
	// spliced where the other hunks lie.
	shift := (newCut - newOpen) - (cut - open)
	var body *stmtList
	if k == len(hs) {
		body = &stmtList{kind: l.kind, close: uint32(int(l.close) + shift), kids: make([]stmtKid, len(l.kids))}
		for i, kid := range l.kids {
			body.kids[i] = kid.shifted(shift)
		}
	} else {
		inner := t.stats.inner
		if body = s.spliceList(l, open, newOpen+shift, hs[k:]); body == nil {
			t.stats.inner = inner // what was spliced inside is not used
			return false
		}
		body.close = uint32(int(body.close) + shift)
		for i := range body.kids {
			body.kids[i] = body.kids[i].shifted(shift)
		}
	}
	line, found := slices.BinarySearch(s.lines, start)
	if !found {
		line-- // start is inside line number line (0-based)
	}
	ng := u.groups[0].moved(int64(start), line, int32(len(s.items)), int32(len(s.groups)))
	ng.id = 0
	ng.end = uint32(int(g.end) + r.bd)
	body.open = uint32(newOpen - int(ng.start))
	ng.stmts = body
	it := items[0]
	it.Line += line
	it.EndLine = t.file.Items[g.first].EndLine + r.ld
	x.scratch = appendNormalized(x.scratch[:0], s.src[newOpen:int(ng.end)])
	it.BodyHash = 0
	if len(x.scratch) > 0 {
		it.BodyHash = fnv64(x.scratch)
	}
	s.items = append(s.items, it)
	s.groups = append(s.groups, ng)
	t.stats.statements++
	t.stats.headers++
	return true
}

// spliceList splices the hunks hs, which lie inside the delimiters of l
// (a list of the previous version whose opening delimiter is at oldOpen;
// in the new version at newOpen), and returns the new version's list, or
// nil when it cannot. The hunks are taken in clusters, each touching its
// own kids: a cluster inside one kid is spliced inside that kid's lists
// when it can be; the others are parsed as regions of kids, one region
// for clusters that touch.
func (s *splicer) spliceList(l *stmtList, oldOpen, newOpen int, hs []spliceHunk) *stmtList {
	closeAt := oldOpen + int(l.close)
	if hs[0].oldStart <= oldOpen || hs[len(hs)-1].oldEnd > closeAt {
		return nil
	}
	n := len(l.kids)
	startOf := func(k int) int { return oldOpen + int(l.kids[k].start) }
	endOf := func(k int) int { return oldOpen + int(l.kids[k].end) }
	// touched returns, for hunk h, the first kid ending at or after its
	// start and the first starting at or after its end: h touches the
	// kids [a, b), or only the space before kid a when a == b.
	touched := func(h spliceHunk) (a, b int) {
		a = sort.Search(n, func(k int) bool { return endOf(k) >= h.oldStart })
		return a, max(a, sort.Search(n, func(k int) bool { return startOf(k) >= h.oldEnd }))
	}
	type cluster struct {
		a, b         int       // the kids touched
		added, delta int       // bytes added before the cluster, and by it
		kids         []stmtKid // spliced inside kid a, or nil
	}
	var cs []cluster
	added := 0
	for h0 := 0; h0 < len(hs); {
		a, b := touched(hs[h0])
		h1 := h0 + 1
		for ; h1 < len(hs); h1++ {
			a2, b2 := touched(hs[h1])
			if a2 >= b && (a != b || a2 != b2 || a2 != a) { // apart, or not both in one space
				break
			}
			b = max(b, b2)
		}
		c := cluster{a: a, b: b, added: added}
		for _, h := range hs[h0:h1] {
			c.delta += (h.newEnd - h.newStart) - (h.oldEnd - h.oldStart)
		}
		if b-a == 1 {
			c.kids = s.spliceInside(l, a, oldOpen, newOpen, hs[h0:h1], added, c.delta)
		}
		cs = append(cs, c)
		added += c.delta
		h0 = h1
	}
	nl := &stmtList{kind: l.kind, open: l.open, close: uint32(int(l.close) + added), kids: make([]stmtKid, 0, n)}
	next := 0 // the kids done
	for i := 0; i < len(cs); {
		c := cs[i]
		for _, k := range l.kids[next:c.a] {
			nl.kids = append(nl.kids, k.shifted(c.added))
		}
		if c.kids != nil {
			nl.kids = append(nl.kids, c.kids...)
			next, i = c.b, i+1
			continue
		}
		// A region: this cluster and the next ones not spliced inside
		// that touch it.
		b, delta := c.b, c.delta
		for i++; i < len(cs) && cs[i].kids == nil && cs[i].a <= b; i++ {
			b, delta = max(b, cs[i].b), delta+cs[i].delta
		}
		kids, ok := s.regionKids(l, c.a, b, oldOpen, newOpen, c.added, delta)
		if !ok {
			return nil
		}
		nl.kids = append(nl.kids, kids...)
		next = b
	}
	for _, k := range l.kids[next:] {
		nl.kids = append(nl.kids, k.shifted(added))
	}
	return nl
}

// shifted returns k moved by n bytes.
func (k stmtKid) shifted(n int) stmtKid {
	k.start, k.end = uint32(int(k.start)+n), uint32(int(k.end)+n)
	return k
}

// spliceInside splices the hunks hs, which touch only kid a of l (see
// spliceList) and add delta bytes after added bytes added before them,
// inside one of that kid's lists, and returns the kid as it is in the new
// version (offsets from the new list's opening delimiter), or nil.
func (s *splicer) spliceInside(l *stmtList, a, oldOpen, newOpen int, hs []spliceHunk, added, delta int) []stmtKid {
	kid := l.kids[a]
	for j, sl := range kid.subs {
		subOpen := oldOpen + int(kid.start) + int(sl.open)
		sub := s.spliceList(sl, subOpen, newOpen+(subOpen-oldOpen)+added, hs)
		if sub == nil {
			continue
		}
		s.t.stats.inner++
		kid = kid.shifted(added)
		kid.end = uint32(int(kid.end) + delta)
		// The lists after the spliced one move by delta bytes (the lists
		// are shared: copied, not changed).
		subs := make([]*stmtList, len(kid.subs))
		copy(subs, kid.subs)
		subs[j] = sub
		for i := j + 1; i < len(subs); i++ {
			moved := *subs[i]
			moved.open = uint32(int(moved.open) + delta)
			subs[i] = &moved
		}
		kid.subs = subs
		return []stmtKid{kid}
	}
	return nil
}

// regionKids parses the kids [a, b) of l (see spliceList) as they are in
// the new version, with the space around them up to the kids before and
// after (delta bytes added there, after added bytes added before), and
// returns them (offsets from the new list's opening delimiter), or false
// when the region has an error or could join a kid around it.
func (s *splicer) regionKids(l *stmtList, a, b, oldOpen, newOpen, added, delta int) ([]stmtKid, bool) {
	old := s.t.src
	n := len(l.kids)
	startOf := func(k int) int { return oldOpen + int(l.kids[k].start) }
	endOf := func(k int) int { return oldOpen + int(l.kids[k].end) }
	lo, hi := oldOpen+1, oldOpen+int(l.close)
	if a > 0 {
		lo = endOf(a - 1)
	}
	if b < n {
		hi = startOf(b)
	}
	newLo, newHi := newOpen+(lo-oldOpen)+added, newOpen+(hi-oldOpen)+added+delta
	if newHi < newLo || newHi > len(s.src) {
		return nil, false
	}
	w := &listWraps[l.kind]
	lead, trail := "", ""
	if l.kind.elements() {
		if a > 0 {
			lead = w.dummy
		}
		if b < n {
			trail = w.dummy
		}
	}
	frag := s.src[newLo:newHi]
	buf := make([]byte, 0, len(w.prefix)+len(lead)+len(frag)+len(trail)+len(w.suffix))
	buf = append(append(append(append(append(buf, w.prefix...), lead...), frag...), trail...), w.suffix...)
	fragAt := len(w.prefix) + len(lead)
	fl := s.parseList(buf, l.kind, fragAt, len(frag), lead != "", trail != "")
	if fl == nil {
		return nil, false
	}
	if !l.kind.elements() {
		// The edges: what ends before each and what starts after it.
		before := stmtEdge{last: '{'}
		if a > 0 {
			before = stmtEdge{last: old[endOf(a-1)-1], bare: l.kids[a-1].bare}
		}
		after := byte('}')
		if b < n {
			after = old[startOf(b)]
		}
		// A kid at k.start from the region's start - 1 is at buf offset
		// fragAt-1+k.start.
		var edges []stmtEdge
		if len(fl.kids) == 0 {
			edges = []stmtEdge{{last: before.last, bare: before.bare, next: after}}
		} else {
			first, lastKid := fl.kids[0], fl.kids[len(fl.kids)-1]
			edges = []stmtEdge{
				{last: before.last, bare: before.bare, next: buf[fragAt-1+int(first.start)]},
				{last: buf[fragAt-1+int(lastKid.end)-1], bare: lastKid.bare, next: after},
			}
		}
		for _, e := range edges {
			if !e.joinsNot() {
				return nil, false
			}
		}
	}
	// A kid at k.start from the region's start - 1 is in the new version
	// at newLo-1+k.start.
	move := newLo - 1 - newOpen
	for i := range fl.kids {
		fl.kids[i] = fl.kids[i].shifted(move)
	}
	return fl.kids, true
}

// parseList parses buf, kids of a list of kind kind wrapped as listWraps
// says, the region's text (n bytes) at fragAt, after a dummy element when
// lead is set and before one when trail is. It returns the region's kids
// as recorded, with offsets from fragAt-1, or nil when buf has an error,
// the wrapper's list is not the list end to end, or a dummy is not an
// element of its own (the region would join its neighbour).
func (s *splicer) parseList(buf []byte, kind listKind, fragAt, n int, lead, trail bool) *stmtList {
	p := s.p
	w := &listWraps[kind]
	tree := p.parseWrapped(buf, 0)
	if tree == nil {
		return nil
	}
	defer tree.Close()
	x := &p.x
	defer func() { x.src = nil }()
	if len(x.recs) == 0 || int(x.next[0]) != len(x.recs) || x.recs[0].start != 0 || int(x.recs[0].end) != len(buf) ||
		x.g.classOf(x.recs[0].kind) != classFunction {
		return nil
	}
	// The wrapper's list: from the last byte of the prefix to the closing
	// delimiter in the suffix.
	openAt := uint32(len(w.prefix) - 1)
	closeAt := uint32(len(buf) - len(w.suffix) + strings.IndexByte(w.suffix, w.close))
	lr := -1
	for k := 1; k < len(x.recs); k++ {
		if r := &x.recs[k]; r.start == openAt && r.end == closeAt+1 && x.g.lists[r.kind] == kind {
			lr = k
			break
		}
	}
	if lr < 0 {
		return nil
	}
	if kind == listArms {
		// The match must be the body's one statement.
		b := x.partsOf(0).body
		if b < 0 || int(x.recs[b].end) != len(buf) {
			return nil
		}
		var m []int
		for k := b + 1; k < int(x.next[b]); k = int(x.next[k]) {
			c := k
			if x.recs[k].kind == x.g.kindExprStmt && k+1 < int(x.next[k]) {
				c = k + 1
			}
			if x.recs[c].kind == x.g.kindMatch {
				m = append(m, c)
			}
		}
		if len(m) != 1 || x.partsOf(m[0]).body != lr {
			return nil
		}
	}
	l := x.stmtList(lr, 0, kind)
	if l == nil {
		return nil
	}
	// The dummies: each an element of its own, exactly.
	dn := uint32(len(w.dummy))
	from := uint32(fragAt) - openAt // the region's start, from the list's opening delimiter
	if lead {
		if len(l.kids) == 0 || l.kids[0].start != 1 || l.kids[0].end != 1+dn {
			return nil
		}
		l.kids = l.kids[1:]
	}
	if trail {
		k := len(l.kids) - 1
		if k < 0 || l.kids[k].start != from+uint32(n) || l.kids[k].end != from+uint32(n)+dn {
			return nil
		}
		l.kids = l.kids[:k]
	}
	// Kids inside the region (the rest of the list is the wrapper's),
	// from its start - 1; lists inside them are kept only from
	// statementsMinBody bytes, as the walk of a whole file records them.
	for i := range l.kids {
		k := &l.kids[i]
		if k.start < from || k.end > from+uint32(n) {
			return nil
		}
		k.start, k.end = k.start-from+1, k.end-from+1
		k.subs = pruneSmall(k.subs)
	}
	return l
}

// parseWrapped parses buf, text wrapped for splicing, and walks it,
// entering the bodies and lists of at least minBody bytes; it returns the
// tree, for the caller to close, or nil when buf does not parse or has a
// syntax error.
func (p *Parser) parseWrapped(buf []byte, minBody uint32) *sitter.Tree {
	tree, err := p.parseTree(nil, buf)
	if err != nil {
		return nil
	}
	if tree.RootNode().HasError() {
		tree.Close()
		return nil
	}
	p.walkBodies(tree, buf, nil, nil, minBody)
	return tree
}

// pruneSmall returns ls without the lists under statementsMinBody bytes,
// at any depth (in place).
func pruneSmall(ls []*stmtList) []*stmtList {
	out := ls[:0]
	for _, l := range ls {
		if l.close+1 < statementsMinBody {
			continue
		}
		for i := range l.kids {
			l.kids[i].subs = pruneSmall(l.kids[i].subs)
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
