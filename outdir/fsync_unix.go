//go:build !windows

package outdir

import "os"

// fsyncDir flushes a directory's entries to disk.
func fsyncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
