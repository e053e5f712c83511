package rustparse

/*
#include <stdint.h>
#include <stdlib.h>
#include <stdbool.h>

// The few declarations of the tree-sitter C API (tree_sitter/api.h, ABI of
// go-tree-sitter v0.25.0) this file needs. The library itself is compiled
// and linked by github.com/tree-sitter/go-tree-sitter.
typedef struct TSTree TSTree;
typedef struct { uint32_t row, column; } TSPoint;
typedef struct { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;

void ts_set_allocator(void *(*m)(size_t), void *(*c)(size_t, size_t), void *(*r)(void *, size_t), void (*f)(void *));
TSNode ts_tree_root_node(const TSTree *self);
TSTreeCursor ts_tree_cursor_new(TSNode node);
void ts_tree_cursor_delete(TSTreeCursor *self);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *self);
uint16_t ts_tree_cursor_current_field_id(const TSTreeCursor *self);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *self);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *self);
bool ts_tree_cursor_goto_parent(TSTreeCursor *self);
uint16_t ts_node_symbol(TSNode self);
uint32_t ts_node_start_byte(TSNode self);
uint32_t ts_node_end_byte(TSNode self);
bool ts_node_has_error(TSNode self);
bool ts_node_is_missing(TSNode self);
uint32_t ts_node_child_count(TSNode self);

// Route tree-sitter's allocations straight to libc instead of through the
// binding's Go callbacks.
static void rp_install_c_allocator(void) { ts_set_allocator(malloc, calloc, realloc, free); }

enum { RP_MISSING = 1, RP_HAS_ERROR = 2, RP_SKIPPED = 4, RP_TOO_DEEP = 8 };

// One node of the shallow walk, in preorder.
typedef struct {
	uintptr_t id;
	uint32_t start, end;
	uint16_t kind, field, depth, flags;
} rp_rec;

static void rp_fill(rp_rec *r, TSTreeCursor *c, uint16_t depth) {
	TSNode n = ts_tree_cursor_current_node(c);
	r->id = (uintptr_t)n.id;
	r->start = ts_node_start_byte(n);
	r->end = ts_node_end_byte(n);
	r->kind = ts_node_symbol(n);
	r->field = ts_tree_cursor_current_field_id(c);
	r->depth = depth;
	r->flags = (ts_node_is_missing(n) ? RP_MISSING : 0) | (ts_node_has_error(n) ? RP_HAS_ERROR : 0);
}

// rp_skip reports whether id is in the sorted array skip[0:nskip].
static bool rp_skip(uintptr_t id, const uintptr_t *skip, int nskip) {
	int lo = 0, hi = nskip;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (skip[mid] < id) lo = mid + 1; else hi = mid;
	}
	return lo < nskip && skip[lo] == id;
}

// rp_walk records the descendants of the root of tree in preorder, entering
// only nodes whose kind is marked 1 in expand (kind 0xFFFF, ERROR, is always
// entered), except nodes whose id is in the sorted skip array (flagged
// RP_SKIPPED) and nodes at depth max_depth that have children (flagged
// RP_TOO_DEEP). Nodes whose kind is marked 2 are entered when they span
// at least min_span bytes and lie above max_depth (never flagged). It
// writes at most cap records and returns how many there are.
static int rp_walk(const TSTree *tree, const uint8_t *expand, uint32_t nkinds,
		const uintptr_t *skip, int nskip, uint16_t max_depth, uint32_t min_span, rp_rec *out, int cap) {
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
	int n = 0;
	uint16_t depth = 1;
	if (!ts_tree_cursor_goto_first_child(&c)) {
		ts_tree_cursor_delete(&c);
		return 0;
	}
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&c);
		uint16_t sym = ts_node_symbol(node);
		bool enter = sym == 0xFFFF || (sym < nkinds && expand[sym] == 1);
		if (sym < nkinds && expand[sym] == 2 && depth < max_depth &&
				ts_node_end_byte(node) - ts_node_start_byte(node) >= min_span) {
			enter = true;
		}
		if (enter && nskip > 0 && rp_skip((uintptr_t)node.id, skip, nskip)) {
			enter = false;
			if (n < cap) {
				rp_fill(&out[n], &c, depth);
				out[n].flags |= RP_SKIPPED;
			}
		} else if (n < cap) {
			rp_fill(&out[n], &c, depth);
		}
		if (enter && depth >= max_depth && ts_node_child_count(node) > 0) {
			enter = false;
			if (n < cap) out[n].flags |= RP_TOO_DEEP;
		}
		n++;
		if (enter && ts_tree_cursor_goto_first_child(&c)) {
			depth++;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (depth == 1) {
				ts_tree_cursor_delete(&c);
				return n;
			}
			ts_tree_cursor_goto_parent(&c);
			depth--;
		}
	}
}

// rp_errors records the outermost ERROR nodes and all MISSING nodes of tree,
// entering only subtrees that contain an error.
static int rp_errors(const TSTree *tree, rp_rec *out, int cap) {
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
	int n = 0;
	uint32_t depth = 0; // unbounded: this walk only follows error paths
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&c);
		uint16_t sym = ts_node_symbol(node);
		bool missing = ts_node_is_missing(node);
		if (sym == 0xFFFF || missing) {
			if (n < cap) rp_fill(&out[n], &c, (uint16_t)(depth > 0xFFFF ? 0xFFFF : depth));
			n++;
		} else if (ts_node_has_error(node) && ts_tree_cursor_goto_first_child(&c)) {
			depth++;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (depth == 0) {
				ts_tree_cursor_delete(&c);
				return n;
			}
			ts_tree_cursor_goto_parent(&c);
			depth--;
		}
	}
}
*/
import "C"

import (
	"sync"
	"unsafe"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// installCAllocator makes tree-sitter allocate with libc directly (the
// binding's Go-callback allocator costs ~30% of parse speed). It runs once,
// when the first Parser is made, not at import: importing rustparse has no
// global effect. Memory from either allocator may be freed by the other,
// so trees made before it runs stay valid.
var installCAllocator = sync.OnceFunc(func() { C.rp_install_c_allocator() })

// useCAllocator switches tree-sitter between libc (true, the default) and
// the binding's Go callbacks (false, which also end in libc), for
// benchmarks. Memory from either may be freed by the other.
func useCAllocator(c bool) {
	installCAllocator()
	if c {
		C.rp_install_c_allocator()
	} else {
		sitter.SetAllocator(nil, nil, nil, nil)
	}
}

// rawTree returns the C tree inside a go-tree-sitter Tree, whose only field
// is that pointer (checked by TestRawTreeLayout).
func rawTree(t *sitter.Tree) *C.TSTree { return *(**C.TSTree)(unsafe.Pointer(t)) }

// record is one node of a shallow walk: the Go twin of rp_rec.
type record struct {
	id                       uintptr
	start, end               uint32
	kind, field, depth, flag uint16
}

// The layouts of record and rp_rec must agree.
var _ = [1]struct{}{}[unsafe.Sizeof(record{})-uintptr(C.sizeof_rp_rec)]
var _ = [1]struct{}{}[unsafe.Offsetof(record{}.flag)-uintptr(unsafe.Offsetof(C.rp_rec{}.flags))]

const (
	flagMissing  = C.RP_MISSING
	flagHasError = C.RP_HAS_ERROR
	flagSkipped  = C.RP_SKIPPED
	flagTooDeep  = C.RP_TOO_DEEP
	kindError    = 0xFFFF
)

// maxWalkDepth bounds the depth of the shallow walk in tree levels. Item
// nesting (MaxNesting) takes two levels per item (the item and its body),
// so this is reached first only where ERROR nodes nest deeply; it keeps
// record depths far below the uint16 limit and the extractor's recursion
// bounded.
const maxWalkDepth = 4*MaxNesting + 64

// walkTree appends the shallow walk of tree to buf[:0], growing it as
// needed. Nodes whose id is in skip (sorted) are not entered; nodes of
// the kinds expand marks 2 (function bodies) are entered when they span
// at least minSpan bytes.
func walkTree(tree *sitter.Tree, expand []uint8, skip []uintptr, minSpan uint32, buf []record) []record {
	var skipPtr *C.uintptr_t
	if len(skip) > 0 {
		skipPtr = (*C.uintptr_t)(unsafe.Pointer(&skip[0]))
	}
	for {
		n := int(C.rp_walk(rawTree(tree), (*C.uint8_t)(unsafe.Pointer(&expand[0])), C.uint32_t(len(expand)),
			skipPtr, C.int(len(skip)), C.uint16_t(maxWalkDepth), C.uint32_t(minSpan), recordPtr(buf), C.int(cap(buf))))
		if n <= cap(buf) {
			return buf[:n]
		}
		buf = make([]record, 0, n+n/4)
	}
}

// errorNodes returns the ERROR and MISSING nodes of tree.
func errorNodes(tree *sitter.Tree, buf []record) []record {
	for {
		n := int(C.rp_errors(rawTree(tree), recordPtr(buf), C.int(cap(buf))))
		if n <= cap(buf) {
			return buf[:n]
		}
		buf = make([]record, 0, n+n/4)
	}
}

func recordPtr(buf []record) *C.rp_rec {
	if cap(buf) == 0 {
		return nil
	}
	return (*C.rp_rec)(unsafe.Pointer(&buf[:1][0]))
}
