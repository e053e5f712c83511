package rustparse

/*
#include <stdint.h>

typedef struct TSParser TSParser;
typedef struct TSTree TSTree;
TSTree *ts_parser_parse_string(TSParser *self, const TSTree *old_tree, const char *string, uint32_t length);
*/
import "C"

import (
	"unsafe"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// parseZeroCopy parses src with ts_parser_parse_string, reading the Go
// bytes in place, for BenchmarkRatio's comparison with the binding's
// copying Parse (which measured as fast or faster, so Parse uses that).
// The binding's Parser and Tree are one-pointer structs.
func parseZeroCopy(p *sitter.Parser, src []byte) *sitter.Tree {
	raw := *(**C.TSParser)(unsafe.Pointer(p))
	var ptr *C.char
	if len(src) > 0 {
		ptr = (*C.char)(unsafe.Pointer(&src[0]))
	}
	t := C.ts_parser_parse_string(raw, nil, ptr, C.uint32_t(len(src)))
	tree := &sitter.Tree{}
	*(**C.TSTree)(unsafe.Pointer(tree)) = (*C.TSTree)(unsafe.Pointer(t))
	return tree
}
