package outdir

import (
	"errors"
	"fmt"
	"os"
	"strconv"
)

// errLocked is returned by tryLock when another process holds the lock.
var errLocked = errors.New("locked")

// lockFile is a held lock: an open lock file with an exclusive lock on it.
type lockFile struct {
	path string
	f    *os.File
}

// acquire takes the exclusive lock on the file at path without waiting,
// and writes the process id into it for the error of a second run. It
// returns errLocked when another process holds it. The file is removed on
// release; a run that opened the file before it was removed and locked it
// after sees that the path now names another file, and tries again.
func acquire(path string) (*lockFile, error) {
	for range 100 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		if err := tryLock(f); err != nil {
			f.Close()
			return nil, err
		}
		fi, ferr := f.Stat()
		pi, perr := os.Stat(path)
		if ferr != nil || perr != nil || !os.SameFile(fi, pi) {
			unlock(f)
			f.Close()
			continue
		}
		if err := f.Truncate(0); err == nil {
			f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
		}
		return &lockFile{path: path, f: f}, nil
	}
	return nil, fmt.Errorf("%s keeps changing", path)
}

// release removes the lock file and unlocks it. Where an open file cannot
// be removed (Windows), the file stays, unlocked.
func (l *lockFile) release() {
	if l == nil || l.f == nil {
		return
	}
	os.Remove(l.path)
	unlock(l.f)
	l.f.Close()
	l.f = nil
}
