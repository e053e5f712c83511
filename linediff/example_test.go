package linediff_test

import (
	"fmt"

	"github.com/sftforge/sftforge/linediff"
)

func ExampleLines() {
	old := []byte("fn a() {}\nfn b() {}\nfn c() {}\n")
	new := []byte("fn a() {}\nfn b2() {}\nfn c() {}\nfn d() {}\n")
	for _, h := range linediff.Lines(old, new) {
		fmt.Printf("-%d,%d +%d,%d\n", h.OldStart, h.OldLines, h.NewStart, h.NewLines)
	}
	added, deleted := linediff.Stat(old, new)
	fmt.Println("added", added, "deleted", deleted)
	// Output:
	// -1,1 +1,1
	// -3,0 +3,1
	// added 2 deleted 1
}
