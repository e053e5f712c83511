//go:build linux

package outdir

import (
	"os"

	"golang.org/x/sys/unix"
)

// flushesWhole says syncTree flushes a whole file system in one call.
const flushesWhole = true

// syncTree flushes the file system holding dir to disk: one syncfs instead
// of an fsync per file.
func syncTree(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}

// syncDir flushes a directory's entries (after a rename) to disk.
func syncDir(dir string) error { return fsyncDir(dir) }

// exchange swaps the directories at a and b atomically (renameat2
// RENAME_EXCHANGE).
func exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
