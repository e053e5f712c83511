package github

import (
	"encoding/json"
	"fmt"
	"os"
)

// appendFile appends whole JSON lines to a file whose valid length the
// checkpoint knows.
type appendFile struct {
	f    *os.File
	path string
}

// openAppend opens path for appending after cutting it back to size bytes,
// the length the checkpoint vouches for: anything a killed run wrote after
// its last checkpoint (a half line, or whole lines the checkpoint does not
// count) is dropped and fetched again.
func openAppend(path string, size int64) (*appendFile, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("github: %w", err)
	}
	st, err := f.Stat()
	if err == nil && st.Size() < size {
		err = fmt.Errorf("%s is %d bytes, shorter than the %d its checkpoint counts: the output was changed; delete the directory to start over", path, st.Size(), size)
	}
	if err == nil {
		err = f.Truncate(size)
	}
	if err == nil {
		_, err = f.Seek(size, 0)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("github: %w", err)
	}
	return &appendFile{f: f, path: path}, nil
}

// appendJSON writes v as one line with a single write and returns the
// bytes written. A killed process cannot tear the line's bytes that reached
// the kernel; the checkpoint decides whether they count.
func (a *appendFile) appendJSON(v any) (int64, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return 0, err
	}
	b = append(b, '\n')
	if _, err := a.f.Write(b); err != nil {
		return 0, fmt.Errorf("write %s: %w", a.path, err)
	}
	return int64(len(b)), nil
}

// Sync flushes the file to disk.
func (a *appendFile) Sync() error {
	if err := a.f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", a.path, err)
	}
	return nil
}

// Close closes the file.
func (a *appendFile) Close() error { return a.f.Close() }
