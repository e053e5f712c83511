package dataset

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// dirWriter writes a directory of output files into a temporary sibling
// and replaces the final directory only when everything was written, so an
// interrupted run never leaves a half-written export behind.
type dirWriter struct {
	final, tmp string
	open       []*os.File
	done       bool
}

// tmpMarker marks temporary directories of interrupted runs.
const tmpMarker = ".sftforge-tmp-"

func newDirWriter(final string) (*dirWriter, error) {
	final = filepath.Clean(final)
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("dataset: create %s: %w", parent, err)
	}
	// Remove what interrupted runs into the same directory left behind.
	stale, _ := filepath.Glob(filepath.Join(parent, "."+filepath.Base(final)+tmpMarker+"*"))
	for _, s := range stale {
		os.RemoveAll(s)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(final)+tmpMarker)
	if err != nil {
		return nil, fmt.Errorf("dataset: create temporary directory beside %s: %w", final, err)
	}
	return &dirWriter{final: final, tmp: tmp}, nil
}

// create opens a new file in the temporary directory; it is closed by
// commit or abort.
func (d *dirWriter) create(name string) (*os.File, error) {
	f, err := os.Create(filepath.Join(d.tmp, name))
	if err != nil {
		return nil, fmt.Errorf("dataset: create %s: %w", filepath.Join(d.final, name), err)
	}
	d.open = append(d.open, f)
	return f, nil
}

// writeFile writes a whole file into the temporary directory and closes
// it (an export has one file per commit: none is kept open).
func (d *dirWriter) writeFile(name string, data []byte) error {
	if err := os.WriteFile(filepath.Join(d.tmp, name), data, 0o644); err != nil {
		return fmt.Errorf("dataset: write %s: %w", filepath.Join(d.final, name), err)
	}
	return nil
}

// commit closes the files still open, flushes the temporary directory's
// file system to disk (one syncfs instead of an fsync per file) and puts
// the directory in place of the final one, atomically where the system can
// exchange two paths.
func (d *dirWriter) commit() error {
	for _, f := range d.open {
		if err := f.Close(); err != nil {
			return fmt.Errorf("dataset: close %s: %w", f.Name(), err)
		}
	}
	d.open = nil
	if err := syncFS(d.tmp); err != nil {
		return fmt.Errorf("dataset: sync %s: %w", d.tmp, err)
	}
	if err := replaceDir(d.tmp, d.final); err != nil {
		return err
	}
	d.done = true
	return nil
}

// syncFS flushes the file system holding dir to disk.
func syncFS(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}

// abort removes the temporary directory unless commit succeeded.
func (d *dirWriter) abort() {
	for _, f := range d.open {
		f.Close()
	}
	d.open = nil
	if !d.done {
		os.RemoveAll(d.tmp)
	}
}

// replaceDir puts directory src at dst, replacing dst if it exists. On
// Linux the two are exchanged atomically (renameat2 RENAME_EXCHANGE) and
// the old one removed; elsewhere the old one is moved aside first.
func replaceDir(src, dst string) error {
	if _, err := os.Lstat(dst); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(src, dst); err != nil {
			return fmt.Errorf("dataset: move output into %s: %w", dst, err)
		}
		return nil
	}
	if err := unix.Renameat2(unix.AT_FDCWD, src, unix.AT_FDCWD, dst, unix.RENAME_EXCHANGE); err == nil {
		return os.RemoveAll(src) // src now holds the old directory
	}
	old := src + ".old"
	if err := os.Rename(dst, old); err != nil {
		return fmt.Errorf("dataset: replace %s: %w", dst, err)
	}
	if err := os.Rename(src, dst); err != nil {
		os.Rename(old, dst)
		return fmt.Errorf("dataset: replace %s: %w", dst, err)
	}
	return os.RemoveAll(old)
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory and a rename, so readers see the old or the new file, never a
// partial one. It refuses to replace anything but a regular file (a
// device such as /dev/null, a directory, a symlink).
func WriteFileAtomic(path string, data []byte) error {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("dataset: write %s: not a regular file (%s); refusing to replace it", path, fi.Mode().Type())
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("dataset: create %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+tmpMarker)
	if err != nil {
		return fmt.Errorf("dataset: write %s: %w", path, err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		os.Remove(tmp)
		return fmt.Errorf("dataset: write %s: %w", path, werr)
	}
	return nil
}
