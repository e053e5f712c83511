//go:build !linux

package outdir

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// flushesWhole says syncTree flushes a whole file system in one call.
const flushesWhole = false

// syncTree flushes every file and directory under dir to disk.
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return fsyncDir(path)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

// syncDir flushes a directory's entries (after a rename) to disk.
func syncDir(dir string) error { return fsyncDir(dir) }

// errNoExchange says the system cannot swap two paths atomically.
var errNoExchange = errors.New("no atomic exchange of paths on " + runtime.GOOS)

// exchange is not available: the caller renames aside and back.
func exchange(a, b string) error { return errNoExchange }
