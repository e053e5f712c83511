//go:build windows

package outdir

// fsyncDir does nothing: Windows cannot open a directory to flush it, and
// its renames are journaled by NTFS.
func fsyncDir(string) error { return nil }
