package dedup

import (
	"fmt"

	"github.com/sftforge/sftforge/change"
)

type syntheticChange struct {
	files  []change.File
	idents []change.Identifier
}

func syntheticChanges(n int) []syntheticChange {
	out := make([]syntheticChange, n)
	for i := range out {
		for f := range 5 {
			path := fmt.Sprintf("crates/c%d/src/m%d.rs", i%40, f)
			out[i].files = append(out[i].files, change.File{Path: path, Status: change.StatusModified, Additions: i % 17, Deletions: f})
			for k := range 4 {
				out[i].idents = append(out[i].idents, change.Identifier{File: path, Op: change.OpModified,
					Kind: change.KindFunction, Name: fmt.Sprintf("f%d_%d", i, k), Visibility: "pub", Detail: []string{"body"}})
			}
		}
	}
	return out
}
