package rustparse

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/sftforge/sftforge/change"
)

// extractor turns the records of a shallow walk into items. Its buffers
// are reused from one file to the next.
type extractor struct {
	g       *grammar
	src     []byte
	recs    []record
	next    []int32 // next[i]: index of the record after the subtree of recs[i]
	lines   []int   // byte offset of each line start (lineBuf or borrowed)
	lineBuf []int   // the extractor's own line starts buffer
	items   []Item
	scratch []byte
	// reuse, when set, holds the previous version's item groups, whose
	// items the extraction copies instead of extracting them again.
	reuse *groupReuse
	// truncs are the places where items nested too deeply were not
	// extracted, in source order.
	truncs []truncation
}

// MaxNesting is the deepest item nesting extracted: top-level items are at
// level 1, the items of a top-level `mod m { }` (or the methods of a
// top-level impl, the fields of a top-level struct) at level 2, and so on.
// Items deeper than MaxNesting are not extracted; the file gets a
// [ParseError] "nesting deeper than 256 items" at the innermost container
// extracted, and [Diff] leaves every item at or below the cut out of the
// comparison on both sides, so that a too-deep version reports no bogus
// removals (or additions) of the items it could not see. Real code nests
// items a few levels deep: of the 9,340 .rs files at the HEADs of eight
// large repositories (hyperswitch, rust-analyzer, embassy, greptimedb,
// meilisearch, sqlx, axum, ripgrep) the deepest item is at level 5
// (rust-analyzer's minicore.rs). 256 leaves fifty times that as headroom
// and bounds the owner paths, the records and the extractor's recursion,
// whatever the input.
const MaxNesting = 256

// truncation is a place where nested items were not extracted.
type truncation struct {
	start uint32 // byte offset of the container whose members were left out
	level int    // nesting level of the first items left out
}

// scopeKind is the kind of body the members being extracted sit in.
type scopeKind uint8

const (
	scopeModule scopeKind = iota
	scopeForeign
	scopeImpl
	scopeTraitImpl
	scopeTrait
)

// scope is the context of the members being extracted.
type scope struct {
	kind    scopeKind
	depth   int      // nesting level of the members (1: top level)
	modPath string   // qualified path of the enclosing inline module
	owner   string   // Owner of the members
	cfg     []string // cfg attributes inherited from enclosing items
}

// nested returns the scope of the members of an item extracted in sc.
func (sc scope) nested(kind scopeKind, modPath, owner string, cfg []string) scope {
	return scope{kind: kind, depth: sc.depth + 1, modPath: modPath, owner: owner, cfg: cfg}
}

// reset prepares x for the walk recs of src. lines are the line starts of
// src (as appendLineStarts returns them), borrowed until the next reset, or
// nil to compute them.
func (x *extractor) reset(g *grammar, src []byte, recs []record, lines []int) {
	x.g, x.src, x.recs = g, src, recs
	x.items = nil
	x.truncs = x.truncs[:0]
	x.next = x.next[:0]
	if lines == nil {
		x.lineBuf = appendLineStarts(x.lineBuf[:0], src)
		lines = x.lineBuf
	}
	x.lines = lines
	x.computeNext()
}

// appendLineStarts appends to dst the byte offset of each line start of
// src: 0, then the offset after every newline.
func appendLineStarts(dst []int, src []byte) []int {
	dst = append(dst, 0)
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return dst
		}
		off += i + 1
		dst = append(dst, off)
	}
}

// computeNext fills x.next from the record depths.
func (x *extractor) computeNext() {
	n := len(x.recs)
	x.next = slices.Grow(x.next[:0], n)[:n]
	// stack of open record indices
	var stackBuf [64]int32
	stack := stackBuf[:0]
	for i := range x.recs {
		d := int(x.recs[i].depth)
		for len(stack) > 0 && int(x.recs[stack[len(stack)-1]].depth) >= d {
			x.next[stack[len(stack)-1]] = int32(i)
			stack = stack[:len(stack)-1]
		}
		stack = append(stack, int32(i))
	}
	for _, j := range stack {
		x.next[j] = int32(n)
	}
}

// line returns the 1-based line of byte offset off.
func (x *extractor) line(off uint32) int {
	i, found := slices.BinarySearch(x.lines, int(off))
	if found {
		return i + 1
	}
	return i
}

// endLine returns the 1-based line of the last byte of [start, end).
func (x *extractor) endLine(start, end uint32) int {
	if end > start {
		end--
	}
	return x.line(end)
}

func (x *extractor) text(r *record) []byte { return x.src[r.start:r.end] }

// normalized returns the canonical text of src[start:end].
func (x *extractor) normalized(start, end uint32) string {
	if start >= end {
		return ""
	}
	x.scratch = appendNormalized(x.scratch[:0], x.src[start:end])
	return string(x.scratch)
}

// bodyHash hashes the canonical text of src[start:end]; 0 if it is empty.
func (x *extractor) bodyHash(start, end uint32) uint64 {
	if start >= end {
		return 0
	}
	x.scratch = appendNormalized(x.scratch[:0], x.src[start:end])
	if len(x.scratch) == 0 {
		return 0
	}
	return fnv64(x.scratch)
}

func qualify(path, name string) string {
	if path == "" {
		return name
	}
	return path + "::" + name
}

// extractAll extracts the items of the whole walk.
func (x *extractor) extractAll() []Item {
	x.members(0, len(x.recs), scope{depth: 1})
	return x.items
}

// truncate records that the members of the container starting at start,
// at nesting level level, are not extracted.
func (x *extractor) truncate(start uint32, level int) {
	x.truncs = append(x.truncs, truncation{start: start, level: level})
}

// tooDeep reports whether the members of body record b, at nesting level
// level, must be left out, recording the truncation if so: b was not
// entered by the walk, or level is past MaxNesting and b holds more than
// punctuation and comments.
func (x *extractor) tooDeep(b int, level int, start uint32) bool {
	if x.recs[b].flag&flagTooDeep != 0 {
		x.truncate(start, level)
		return true
	}
	if level <= MaxNesting {
		return false
	}
	for k := b + 1; k < int(x.next[b]); k = int(x.next[k]) {
		r := &x.recs[k]
		if x.g.classOf(r.kind) == classComment {
			continue
		}
		if t := x.text(r); len(t) == 1 && strings.IndexByte("{}();,", t[0]) >= 0 {
			continue
		}
		x.truncate(start, level)
		return true
	}
	return false
}

// addDepthError adds to f the truncation cut and, at its first place, the
// parse error "nesting deeper than ...", keeping f.Errors in position order.
func (x *extractor) addDepthError(f *File) {
	if len(x.truncs) == 0 {
		return
	}
	first := x.truncs[0]
	f.cut = first.level
	for _, t := range x.truncs[1:] {
		f.cut = min(f.cut, t.level)
		if t.start < first.start {
			first = t
		}
	}
	line := x.line(first.start)
	e := ParseError{Line: line, Column: int(first.start) - x.lines[line-1] + 1,
		Message: "nesting deeper than " + strconv.Itoa(MaxNesting) + " items: the items below are not extracted"}
	if n := len(x.truncs); n > 1 {
		e.Message += " (" + strconv.Itoa(n) + " places)"
	}
	i, _ := slices.BinarySearchFunc(f.Errors, e, func(a, b ParseError) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	f.Errors = slices.Insert(f.Errors, i, e)
}

// members extracts the items among the sibling records [from, to).
func (x *extractor) members(from, to int, sc scope) {
	x.groups(from, to, itemClasses, func(j, firstAttr int, c nodeClass) {
		if x.recs[j].flag&flagTooDeep != 0 {
			// The walk's depth bound (deeply nested ERROR nodes).
			x.truncate(x.recs[j].start, sc.depth)
			return
		}
		if c == classError {
			x.members(j+1, int(x.next[j]), sc)
			return
		}
		if x.reuse != nil {
			x.reuse.item(x, j, firstAttr, c, sc)
			return
		}
		x.item(j, c, firstAttr, sc)
	})
}

// equal reports whether two scopes give a member the same items.
func (sc scope) equal(o scope) bool {
	return sc.kind == o.kind && sc.depth == o.depth && sc.modPath == o.modPath && sc.owner == o.owner && slices.Equal(sc.cfg, o.cfg)
}

// itemGroup is an item (at any depth) with its attributes, as extracted
// from one version of a file: what a later version needs to reuse its
// items when the re-parse kept its node.
type itemGroup struct {
	id          uintptr // tree-sitter node id of the item; 0: not reusable
	start, end  uint32  // byte range, attributes included
	body        uint32  // an impl's or inline module's body (its "{"); 0: none
	line        int     // line of start
	first, last int32   // its items, nested ones included: File.Items[first:last]
	inner       int32   // the groups nested in it: groups[index+1:inner]
	sc          scope   // the scope it was extracted in
	// stmts are, for a function whose body the walk entered (see
	// [statementsMinBody]), its body's statements, recorded for splicing.
	// Shared, never modified.
	stmts *stmtList
}

// groupReuse lets an extraction reuse the items of the previous version's
// groups whose node the incremental re-parse kept (same node id), whose
// text is the same and whose scope (owner, module, cfg) has not changed;
// it records the groups of the new version for the next one.
type groupReuse struct {
	oldSrc   []byte
	oldItems []Item
	old      []itemGroup
	byID     map[uintptr]int32 // node id → index in old
	groups   []itemGroup       // the new version's groups, in source order
	// skipped is set when an item the walk did not enter (expecting its
	// reuse) has to be extracted: the caller must walk again, entering
	// everything.
	skipped bool
	reused  int // groups whose items were copied (for tests)
}

// item extracts (or reuses) the item record j of class c whose attribute
// records start at firstAttr, and records its group.
func (u *groupReuse) item(x *extractor, j, firstAttr int, c nodeClass, sc scope) {
	r := &x.recs[j]
	g := itemGroup{id: r.id, start: x.recs[firstAttr].start, end: r.end, first: int32(len(x.items)), sc: sc}
	g.line = x.line(g.start)
	switch c {
	case classImpl, classMod:
		if b := x.partsOf(j).body; b >= 0 {
			g.body = x.recs[b].start
		}
	case classFunction:
		if b := x.partsOf(j).body; b >= 0 {
			g.stmts = x.stmtList(b, g.start, listStatements)
		}
	}
	if groupHasError(x.recs[firstAttr : j+1]) {
		// Never reused (error recovery may differ around the next edit),
		// so never skipped by the next walk either.
		g.id = 0
	}
	at := len(u.groups)
	u.groups = append(u.groups, g)
	if oi, found := u.byID[r.id]; found && g.id != 0 {
		og := &u.old[oi]
		if og.sc.equal(sc) && bytes.Equal(u.oldSrc[og.start:og.end], x.src[g.start:g.end]) {
			lines := g.line - og.line
			x.items = appendMovedItems(x.items, u.oldItems[og.first:og.last], lines)
			// Carry the nested groups over, so that a later version can
			// reuse them one by one.
			bytesDelta := int64(g.start) - int64(og.start)
			itemsDelta := g.first - og.first
			groupsDelta := int32(at) - oi
			for _, ng := range u.old[oi+1 : og.inner] {
				u.groups = append(u.groups, ng.moved(bytesDelta, lines, itemsDelta, groupsDelta))
			}
			u.groups[at].last = int32(len(x.items))
			u.groups[at].inner = int32(len(u.groups))
			if u.groups[at].stmts == nil {
				u.groups[at].stmts = og.stmts // the same text
			}
			u.reused++
			return
		}
	}
	if r.flag&flagSkipped != 0 {
		u.skipped = true
		return
	}
	truncs := len(x.truncs)
	x.item(j, c, firstAttr, sc)
	u.groups[at].last = int32(len(x.items))
	u.groups[at].inner = int32(len(u.groups))
	if len(x.truncs) > truncs {
		// Too deep inside: never reused, so that every version walks it
		// and reports the truncation.
		u.groups[at].id = 0
	}
}

// moved returns g moved by bytes and lines, with its items and nested
// groups moved by items and groups places.
func (g itemGroup) moved(bytes int64, lines int, items, groups int32) itemGroup {
	g.start = uint32(int64(g.start) + bytes)
	g.end = uint32(int64(g.end) + bytes)
	if g.body != 0 {
		g.body = uint32(int64(g.body) + bytes)
	}
	g.line += lines
	g.first += items
	g.last += items
	g.inner += groups
	return g
}

// appendMovedItems appends items to dst, moved by lines.
func appendMovedItems(dst, items []Item, lines int) []Item {
	for _, it := range items {
		it.Line += lines
		it.EndLine += lines
		dst = append(dst, it)
	}
	return dst
}

func groupHasError(recs []record) bool {
	for i := range recs {
		if recs[i].flag&flagHasError != 0 {
			return true
		}
	}
	return false
}

// classSet is a set of node classes.
type classSet uint64

func classesOf(cs ...nodeClass) classSet {
	var s classSet
	for _, c := range cs {
		s |= 1 << c
	}
	return s
}

func (s classSet) has(c nodeClass) bool { return s&(1<<c) != 0 }

var (
	// itemClasses are the items of a module, impl, trait or extern block
	// (ERROR nodes are visited too, to find the items they contain).
	itemClasses = classesOf(classFunction, classFunctionSig, classStruct, classEnum, classUnion, classTrait,
		classImpl, classConst, classStatic, classTypeItem, classAssocType, classMacroDef, classMod,
		classForeignMod, classError)
	// memberClasses are the fields and variants of a field or variant list.
	memberClasses = classesOf(classFieldDecl, classVariant)
)

// groups calls fn for each record of a class in want among the siblings
// [from, to), with the index of its first attribute record (j if none;
// ERROR records never have attributes).
func (x *extractor) groups(from, to int, want classSet, fn func(j, firstAttr int, c nodeClass)) {
	firstAttr := -1
	for j := from; j < to; j = int(x.next[j]) {
		switch c := x.g.classOf(x.recs[j].kind); {
		case c == classAttribute:
			if firstAttr < 0 {
				firstAttr = j
			}
		case c == classComment:
		case want.has(c):
			if firstAttr < 0 || c == classError {
				firstAttr = j
			}
			fn(j, firstAttr, c)
			firstAttr = -1
		default:
			firstAttr = -1
		}
	}
}

// parts are the children of an item record the extractor looks at.
type parts struct {
	vis, name, body, typ, trait, value int
}

func (x *extractor) partsOf(j int) parts {
	p := parts{-1, -1, -1, -1, -1, -1}
	g := x.g
	for k := j + 1; k < int(x.next[j]); k = int(x.next[k]) {
		r := &x.recs[k]
		switch r.field {
		case g.fieldName:
			p.name = k
		case g.fieldBody:
			p.body = k
		case g.fieldType:
			p.typ = k
		case g.fieldTrait:
			p.trait = k
		case g.fieldValue:
			p.value = k
		default:
			if p.vis < 0 && g.classOf(r.kind) == classVisibility {
				p.vis = k
			}
		}
	}
	return p
}

// attributes reads the attribute records among the siblings [from, to),
// splitting them into cfg (appended to inherited) and other attributes,
// and dropping doc attributes.
func (x *extractor) attributes(from, to int, inherited []string) (cfg, attrs []string) {
	cfg = inherited
	for j := from; j < to; j = int(x.next[j]) {
		r := &x.recs[j]
		if x.g.classOf(r.kind) != classAttribute {
			continue
		}
		t := x.normalized(r.start, r.end)
		t = strings.TrimPrefix(t, "#[")
		t = strings.TrimSuffix(t, "]")
		switch {
		case t == "doc" || strings.HasPrefix(t, "doc=") || strings.HasPrefix(t, "doc("):
		case strings.HasPrefix(t, "cfg(") || t == "cfg":
			if len(cfg) == len(inherited) {
				cfg = append(slices.Clip(inherited), t)
			} else {
				cfg = append(cfg, t)
			}
		default:
			attrs = append(attrs, t)
		}
	}
	return slices.Clip(cfg), attrs
}

// visibility returns the written visibility of record vis (-1: none).
func (x *extractor) visibility(vis int, none string) string {
	if vis < 0 {
		return none
	}
	r := &x.recs[vis]
	v := x.normalized(r.start, r.end)
	if v == "crate" {
		return "pub(crate)"
	}
	return v
}

// signature returns the canonical text of the item record j without its
// visibility and the record body (-1: none), and without a final ';'.
func (x *extractor) signature(j, vis, body int) string {
	r := &x.recs[j]
	start, end := r.start, r.end
	if vis >= 0 {
		start = x.recs[vis].end
	}
	if body < 0 {
		return strings.TrimSuffix(x.normalized(start, end), ";")
	}
	head := x.normalized(start, x.recs[body].start)
	tail := strings.TrimSuffix(x.normalized(x.recs[body].end, end), ";")
	if tail != "" {
		return head + " " + tail
	}
	return head
}

func (x *extractor) nameOf(k int) string {
	if k < 0 {
		return ""
	}
	return string(x.text(&x.recs[k]))
}

// item extracts the item record j of class c whose attribute records
// start at firstAttr.
func (x *extractor) item(j int, c nodeClass, firstAttr int, sc scope) {
	r := &x.recs[j]
	p := x.partsOf(j)
	cfg, attrs := x.attributes(firstAttr, j, sc.cfg)
	if c == classForeignMod {
		x.bodyMembers(p.body, r.start, sc.nested(scopeForeign, sc.modPath, sc.owner, cfg))
		return
	}
	it := Item{
		Name:    x.nameOf(p.name),
		Owner:   sc.owner,
		Cfg:     cfg,
		Attrs:   attrs,
		Line:    x.line(r.start),
		EndLine: x.endLine(r.start, r.end),
		depth:   uint16(sc.depth),
	}
	inherentDefault := change.VisibilityPrivate
	if sc.kind == scopeTrait || sc.kind == scopeTraitImpl {
		inherentDefault = change.VisibilityInherited
	}
	it.Visibility = x.visibility(p.vis, inherentDefault)
	member := sc.kind == scopeImpl || sc.kind == scopeTraitImpl || sc.kind == scopeTrait
	switch c {
	case classFunction, classFunctionSig:
		it.Kind = change.KindFunction
		if member {
			it.Kind = change.KindMethod
		}
		it.Signature = x.signature(j, p.vis, p.body)
		if p.body >= 0 {
			b := &x.recs[p.body]
			it.BodyHash = x.bodyHash(b.start, b.end)
		}
	case classConst, classStatic:
		it.Kind = change.KindConst
		if c == classStatic {
			it.Kind = change.KindStatic
		} else if member {
			it.Kind = change.KindAssocConst
		}
		if p.value >= 0 {
			v := &x.recs[p.value]
			it.Signature = strings.TrimSuffix(x.normalized(x.sigStart(j, p.vis), v.start), "=")
			it.BodyHash = x.bodyHash(v.start, v.end)
		} else {
			it.Signature = x.signature(j, p.vis, -1)
		}
	case classTypeItem, classAssocType:
		it.Kind = change.KindType
		if member || c == classAssocType {
			it.Kind = change.KindAssocType
		}
		it.Signature = x.signature(j, p.vis, -1)
	case classMacroDef:
		it.Kind = change.KindMacro
		it.Signature = "macro_rules!" + it.Name
		if p.name >= 0 {
			it.BodyHash = x.bodyHash(x.recs[p.name].end, r.end)
		}
	case classStruct, classUnion, classEnum:
		it.Kind = change.KindStruct
		switch c {
		case classUnion:
			it.Kind = change.KindUnion
		case classEnum:
			it.Kind = change.KindEnum
		}
		it.Signature = x.signature(j, p.vis, p.body)
		if p.body >= 0 {
			b := &x.recs[p.body]
			it.BodyHash = x.bodyHash(b.start, b.end)
		}
		idx := len(x.items)
		x.items = append(x.items, it)
		if inner := sc.nested(sc.kind, sc.modPath, qualify(sc.modPath, it.Name), cfg); p.body >= 0 && !x.tooDeep(p.body, inner.depth, r.start) {
			x.items[idx].members = x.fields(p.body, inner)
		}
		return
	case classTrait:
		it.Kind = change.KindTrait
		it.Signature = x.signature(j, p.vis, p.body)
		x.items = append(x.items, it)
		x.bodyMembers(p.body, r.start, sc.nested(scopeTrait, sc.modPath, qualify(sc.modPath, it.Name), cfg))
		return
	case classImpl:
		it.Kind = change.KindImpl
		it.Visibility = change.VisibilityInherited
		name := ""
		if p.typ >= 0 {
			t := &x.recs[p.typ]
			name = x.normalized(t.start, t.end)
		}
		kind := scopeImpl
		if p.trait >= 0 {
			t := &x.recs[p.trait]
			name = x.normalized(t.start, t.end) + " for " + name
			kind = scopeTraitImpl
		}
		it.Name = name
		it.Signature = x.signature(j, -1, p.body)
		x.items = append(x.items, it)
		x.bodyMembers(p.body, r.start, sc.nested(kind, sc.modPath, qualify(sc.modPath, name), cfg))
		return
	case classMod:
		it.Kind = change.KindMod
		it.Signature = x.signature(j, p.vis, p.body)
		x.items = append(x.items, it)
		path := qualify(sc.modPath, it.Name)
		x.bodyMembers(p.body, r.start, sc.nested(scopeModule, path, path, cfg))
		return
	}
	x.items = append(x.items, it)
}

// bodyMembers extracts the members of the body record (-1: none) in sc,
// unless they are nested too deeply; start is where their container starts.
func (x *extractor) bodyMembers(body int, start uint32, sc scope) {
	if body >= 0 && !x.tooDeep(body, sc.depth, start) {
		x.members(body+1, int(x.next[body]), sc)
	}
}

// sigStart is where the signature of item record j starts.
func (x *extractor) sigStart(j, vis int) uint32 {
	if vis >= 0 {
		return x.recs[vis].end
	}
	return x.recs[j].start
}

// fields extracts the fields or variants in the body record b and returns
// a hash of their identities, independent of their order.
func (x *extractor) fields(b int, sc scope) uint64 {
	var members uint64
	add := func(it Item) {
		x.items = append(x.items, it)
		members += fnv64([]byte(it.Key()))
	}
	switch x.g.classOf(x.recs[b].kind) {
	case classFieldList, classVariantList:
		x.groups(b+1, int(x.next[b]), memberClasses, func(j, firstAttr int, c nodeClass) {
			r := &x.recs[j]
			p := x.partsOf(j)
			cfg, other := x.attributes(firstAttr, j, sc.cfg)
			it := Item{
				Kind: change.KindField, Name: x.nameOf(p.name), Owner: sc.owner,
				Visibility: x.visibility(p.vis, change.VisibilityPrivate),
				Cfg:        cfg, Attrs: other,
				Line: x.line(r.start), EndLine: x.endLine(r.start, r.end),
				depth: uint16(sc.depth),
			}
			if c == classVariant {
				it.Kind = change.KindVariant
				it.Visibility = change.VisibilityInherited
				if p.name >= 0 {
					it.BodyHash = x.bodyHash(x.recs[p.name].end, r.end)
				}
			} else if p.typ >= 0 {
				t := &x.recs[p.typ]
				it.Signature = x.normalized(t.start, t.end)
			}
			add(it)
		})
	case classOrderedFieldList:
		index, vis, firstAttr := 0, -1, -1
		for j := b + 1; j < int(x.next[b]); j = int(x.next[j]) {
			r := &x.recs[j]
			c := x.g.classOf(r.kind)
			switch {
			case c == classAttribute:
				if firstAttr < 0 {
					firstAttr = j
				}
			case c == classVisibility:
				vis = j
			case c == classComment:
			case r.field == x.g.fieldType:
				if firstAttr < 0 {
					firstAttr = j
				}
				cfg, other := x.attributes(firstAttr, j, sc.cfg)
				start := r.start
				if vis >= 0 {
					start = x.recs[vis].start
				}
				add(Item{
					Kind: change.KindField, Name: strconv.Itoa(index), Owner: sc.owner,
					Visibility: x.visibility(vis, change.VisibilityPrivate),
					Cfg:        cfg, Attrs: other,
					Signature: x.normalized(r.start, r.end),
					Line:      x.line(start), EndLine: x.endLine(start, r.end),
					depth: uint16(sc.depth),
				})
				index++
				vis, firstAttr = -1, -1
			}
		}
	}
	return members
}
