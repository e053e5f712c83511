package filetree_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/sftforge/sftforge/internal/filetree"
)

func ExampleRead() {
	dir, _ := os.MkdirTemp("", "filetree-example-")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("one"), 0o644)
	before := filetree.Read(&testing.T{}, dir)
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("two"), 0o644)
	after := filetree.Read(&testing.T{}, dir)
	fmt.Println(len(before), before[filepath.Join(dir, "a.txt")], after[filepath.Join(dir, "a.txt")])
	// Output: 1 one two
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
		want int
	}{
		{"missing path", filepath.Join(dir, "missing"), 0},
		{"empty directory", dir, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := filetree.Read(t, tt.path); len(got) != tt.want {
				t.Errorf("Read(%s) = %v, want %d files", tt.path, got, tt.want)
			}
		})
	}
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "f"), []byte("x"), 0o644)
	if got := filetree.Read(t, dir); got[filepath.Join(dir, "sub", "f")] != "x" || len(got) != 1 {
		t.Errorf("Read = %v, want the one nested file", got)
	}
	if got := filetree.Read(t, filepath.Join(dir, "sub", "f")); got[filepath.Join(dir, "sub", "f")] != "x" {
		t.Errorf("Read of a file = %v", got)
	}
}
