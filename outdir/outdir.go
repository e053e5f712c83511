// Package outdir owns a tool's output directory, so that a run never
// destroys data that is not its own and never leaves a half-written output
// behind.
//
// [Stage] checks the path, takes an exclusive lock beside it, and returns a
// [Dir] whose [Dir.Path] is a temporary sibling directory: the run writes
// every file there, and [Dir.Commit] flushes it to disk and swaps it in
// place of the old output as a whole. [InPlace] is the same check and lock
// for an output that its writer keeps consistent itself (an append-only
// file with a checkpoint).
//
// The rules:
//   - Only a directory that a tool of this project created (it holds
//     [MarkerFile]), an empty directory or a path that does not exist is
//     replaced. With [Options.Force], a directory without the marker that
//     holds nothing but the names in [Options.Known] (the output of a
//     version that wrote no marker) is replaced too. Anything else, and a
//     regular file, is an error naming the path and what to do.
//   - Never an input (a path in [Options.Inputs]), a directory inside one
//     or one that contains one; never the file system's root, the user's
//     home directory or the working directory, nor a directory holding
//     them.
//   - One run at a time: the lock file .NAME.lock beside the output is
//     held (flock, LockFileEx on Windows) from Stage to Commit or Close;
//     a second run fails at once with an error that names the first one's
//     process id.
//   - The temporary directory .NAME.sftforge-stage of a run that died is
//     removed (or, with [Options.Keep], partly kept for a resuming run)
//     only by a run that holds the lock.
//
// Files are created 0644 and directories 0755, less the umask.
package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// MarkerFile is the file that marks a directory as an output of this
// project: a directory holding it may be replaced by the next run.
const MarkerFile = ".sftforge-output"

// Suffixes of the siblings of an output directory named NAME: the stage
// (.NAME.sftforge-stage), the old output during a swap (.NAME.sftforge-old)
// and the lock file (.NAME.lock). legacyTmp is what earlier versions
// staged into (.NAME.sftforge-tmp-*).
const (
	stageSuffix = ".sftforge-stage"
	oldSuffix   = ".sftforge-old"
	lockSuffix  = ".lock"
	legacyTmp   = ".sftforge-tmp-"
)

// Options says what an output directory may replace and protect.
type Options struct {
	// Tool names the program in the marker and in errors (default
	// "sftforge").
	Tool string
	// Inputs are the paths the run reads (a repository, a directory of
	// fetched PRs): the output may not be one of them, lie inside one or
	// contain one. Empty strings and URLs are ignored.
	Inputs []string
	// Force replaces a directory without the marker that holds only
	// names listed in Known: the output of an earlier version. A
	// directory holding anything else is never replaced.
	Force bool
	// Known lists the names an output of this kind holds, as
	// filepath.Match patterns (e.g. "commits_export", "train.jsonl",
	// "[0-9][0-9][0-9][0-9][0-9]*_*.jsonl"), for Force.
	Known []string
	// Keep lists entries of the stage of an unfinished run that a new run
	// keeps, to resume from them (e.g. the PR data a killed run had
	// fetched). Without Keep, a failed run's stage is removed; with it,
	// the stage is kept after a failure (pruned to these entries) and
	// found again by the next run.
	Keep []string
}

func (o *Options) tool() string {
	if o.Tool == "" {
		return "sftforge"
	}
	return o.Tool
}

// Dir is an output directory being written by one run: it holds the lock
// until [Dir.Commit] or [Dir.Close].
type Dir struct {
	final, stage string
	inPlace      bool
	opts         Options
	lock         *lockFile
	done         bool
	flushing     chan struct{} // closed when the Flush in progress is over; nil when none was started
}

// Stage checks that path may be replaced (see the package rules), locks
// it, removes what dead runs left beside it and creates the temporary
// directory the run writes into ([Dir.Path]), with the marker in it.
// Close the Dir when done; Commit it to put it in place.
func Stage(path string, opts Options) (*Dir, error) {
	d, err := open(path, opts, false)
	if err != nil {
		return nil, err
	}
	if err := d.makeStage(); err != nil {
		d.lock.release()
		return nil, err
	}
	return d, nil
}

// InPlace checks path like [Stage] and locks it, but the run writes into
// path itself ([Dir.Path] is path): for outputs that their writer keeps
// consistent by itself, such as files appended to with a checkpoint. The
// directory and its marker are created if missing.
func InPlace(path string, opts Options) (*Dir, error) {
	d, err := open(path, opts, true)
	if err != nil {
		return nil, err
	}
	d.stage = d.final
	if err := os.MkdirAll(d.final, 0o755); err != nil {
		d.lock.release()
		return nil, fmt.Errorf("outdir: create %s: %w", d.final, err)
	}
	if err := d.writeMarker(d.final); err != nil {
		d.lock.release()
		return nil, err
	}
	return d, nil
}

// Check tells whether path may be written under opts, without locking
// or changing anything: for a command that would otherwise find out only
// after a long computation. Stage checks again.
func Check(path string, opts Options) error {
	if path == "" {
		return errors.New("outdir: no output directory given")
	}
	final, err := resolve(path)
	if err != nil {
		return err
	}
	if err := checkPlace(final, opts); err != nil {
		return err
	}
	return checkContent(final, opts)
}

// open resolves and checks path and takes the lock.
func open(path string, opts Options, inPlace bool) (*Dir, error) {
	if path == "" {
		return nil, errors.New("outdir: no output directory given")
	}
	final, err := resolve(path)
	if err != nil {
		return nil, err
	}
	if err := checkPlace(final, opts); err != nil {
		return nil, err
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("outdir: create %s: %w", parent, err)
	}
	d := &Dir{final: final, opts: opts, inPlace: inPlace}
	d.lock, err = acquire(d.sibling(lockSuffix))
	if errors.Is(err, errLocked) {
		return nil, d.lockedError(d.sibling(lockSuffix))
	}
	if err != nil {
		return nil, fmt.Errorf("outdir: lock %s: %w", final, err)
	}
	if err := d.recover(); err != nil {
		d.lock.release()
		return nil, err
	}
	if err := checkContent(final, opts); err != nil {
		d.lock.release()
		return nil, err
	}
	return d, nil
}

// Path is the directory the run writes into: the stage, or the output
// itself for [InPlace].
func (d *Dir) Path() string { return d.stage }

// Final is the output directory (absolute, symbolic links resolved).
func (d *Dir) Final() string { return d.final }

// Commit flushes the run's files to disk, puts the stage in place of the
// old output (atomically on Linux; elsewhere the old one is renamed aside
// first and back if the second rename fails), removes the old output and
// releases the lock. All files in the stage must be closed.
func (d *Dir) Commit() error {
	if d.done {
		return fmt.Errorf("outdir: %s: already committed or closed", d.final)
	}
	d.done = true
	defer d.lock.release()
	d.waitFlush()
	if err := syncTree(d.stage); err != nil {
		return fmt.Errorf("outdir: sync %s: %w", d.stage, err)
	}
	if d.inPlace {
		return nil
	}
	return d.swap()
}

// Flush starts writing what the run has written so far to disk, in the
// background, and returns at once; the run goes on writing. Commit, which
// flushes the whole stage before the swap, then has only what was written
// since to wait for: a run that writes many files early (a commit export)
// and computes for a while before its last files has them flushed while
// it computes. A Flush in progress makes another a no-op; Commit and
// Close wait for it. Flush is only an early start: an error it meets is
// met again, and reported, by Commit. It does nothing where the stage is
// flushed file by file (not on Linux): Commit would flush every file a
// second time.
func (d *Dir) Flush() {
	if !flushesWhole || d.done || d.flushing != nil && !closed(d.flushing) {
		return
	}
	done := make(chan struct{})
	d.flushing = done
	go func() {
		defer close(done)
		_ = syncTree(d.stage) // Commit syncs again and reports
	}()
}

// waitFlush waits for a Flush in progress.
func (d *Dir) waitFlush() {
	if d.flushing != nil {
		<-d.flushing
	}
}

func closed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// Close releases the lock of a Dir that was not committed and removes its
// stage (with [Options.Keep], keeps the listed entries for the next run).
// It does nothing after Commit, so it can be deferred.
func (d *Dir) Close() error {
	if d.done {
		return nil
	}
	d.done = true
	defer d.lock.release()
	d.waitFlush()
	if d.inPlace {
		return nil
	}
	if len(d.opts.Keep) > 0 {
		return prune(d.stage, d.opts.Keep)
	}
	return os.RemoveAll(d.stage)
}

// Seed puts a copy of the current output's entry name (a path relative
// to the output, e.g. "github_data/.gather/http-cache") into the stage,
// unless the stage has it already or the output lacks it. Files are hard
// links where the file system allows, so the entry must be one whose files
// the run only replaces (write a new file and rename it), never writes in
// place: a cache, for instance.
func (d *Dir) Seed(name string) error {
	if d.inPlace {
		return nil
	}
	src, dst := filepath.Join(d.final, name), filepath.Join(d.stage, name)
	if _, err := os.Lstat(dst); err == nil {
		return nil
	}
	if _, err := os.Lstat(src); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	err := filepath.WalkDir(src, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		switch {
		case e.IsDir():
			return os.MkdirAll(to, 0o755)
		case !e.Type().IsRegular():
			return nil
		}
		if os.Link(p, to) == nil {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
	if err != nil {
		return fmt.Errorf("outdir: copy %s into the new output: %w", src, err)
	}
	return nil
}

// sibling returns the path .NAME+suffix beside the output.
func (d *Dir) sibling(suffix string) string {
	return filepath.Join(filepath.Dir(d.final), "."+filepath.Base(d.final)+suffix)
}

// lockedError says who holds the lock.
func (d *Dir) lockedError(lockPath string) error {
	who := "another " + d.opts.tool() + " run"
	if b, err := os.ReadFile(lockPath); err == nil {
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
			who += fmt.Sprintf(" (pid %d)", pid)
		}
	}
	return fmt.Errorf("outdir: %s is writing %s (lock file %s); wait for it to finish or choose another output directory", who, d.final, lockPath)
}

// recover repairs what a run killed during its swap left (the old output
// renamed aside but the new one not yet in place) and removes the old
// output and the temporary directories of dead runs. The lock is held.
func (d *Dir) recover() error {
	old := d.sibling(oldSuffix)
	if _, err := os.Lstat(old); err == nil {
		if _, err := os.Lstat(d.final); errors.Is(err, fs.ErrNotExist) {
			if err := os.Rename(old, d.final); err != nil {
				return fmt.Errorf("outdir: put back the previous output %s: %w", old, err)
			}
		} else if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("outdir: remove %s: %w", old, err)
		}
	}
	legacy, _ := filepath.Glob(d.sibling(legacyTmp + "*"))
	for _, p := range legacy {
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("outdir: remove %s: %w", p, err)
		}
	}
	if d.inPlace || len(d.opts.Keep) > 0 {
		return nil // the stage, if any, is reused by makeStage
	}
	if err := os.RemoveAll(d.sibling(stageSuffix)); err != nil {
		return fmt.Errorf("outdir: remove the stage of an earlier run %s: %w", d.sibling(stageSuffix), err)
	}
	return nil
}

// makeStage creates the stage (or prunes the one an unfinished run kept)
// and writes the marker into it.
func (d *Dir) makeStage() error {
	d.stage = d.sibling(stageSuffix)
	if fi, err := os.Lstat(d.stage); err == nil && fi.IsDir() {
		if err := prune(d.stage, d.opts.Keep); err != nil {
			return err
		}
	} else {
		if err == nil {
			if err := os.RemoveAll(d.stage); err != nil {
				return fmt.Errorf("outdir: remove %s: %w", d.stage, err)
			}
		}
		if err := os.Mkdir(d.stage, 0o755); err != nil {
			return fmt.Errorf("outdir: create a temporary directory beside %s: %w", d.final, err)
		}
	}
	return d.writeMarker(d.stage)
}

// prune removes every entry of dir but those named in keep.
func prune(dir string, keep []string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("outdir: %w", err)
	}
	for _, e := range entries {
		if slices.Contains(keep, e.Name()) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("outdir: %w", err)
		}
	}
	return nil
}

// writeMarker writes MarkerFile into dir.
func (d *Dir) writeMarker(dir string) error {
	text := fmt.Sprintf("This directory was written by %s (https://github.com/sftforge/sftforge).\n"+
		"The next run into it replaces it as a whole: keep no files of your own here.\n", d.opts.tool())
	if err := os.WriteFile(filepath.Join(dir, MarkerFile), []byte(text), 0o644); err != nil {
		return fmt.Errorf("outdir: %w", err)
	}
	return nil
}

// swap puts the stage in place of the output.
func (d *Dir) swap() error {
	if _, err := os.Lstat(d.final); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(d.stage, d.final); err != nil {
			return fmt.Errorf("outdir: move the output into %s: %w", d.final, err)
		}
		return syncDir(filepath.Dir(d.final))
	}
	old := d.sibling(oldSuffix)
	if err := exchangeFunc(d.stage, d.final); err == nil {
		// The stage now holds the old output.
		if err := os.Rename(d.stage, old); err != nil {
			return fmt.Errorf("outdir: %w", err)
		}
	} else {
		if err := os.Rename(d.final, old); err != nil {
			return fmt.Errorf("outdir: move the previous output %s aside: %w", d.final, err)
		}
		if err := os.Rename(d.stage, d.final); err != nil {
			if rerr := os.Rename(old, d.final); rerr != nil {
				return fmt.Errorf("outdir: move the output into %s: %w (and the previous output is left in %s: %v)", d.final, err, old, rerr)
			}
			return fmt.Errorf("outdir: move the output into %s: %w", d.final, err)
		}
	}
	if err := syncDir(filepath.Dir(d.final)); err != nil {
		return err
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("outdir: remove the previous output %s: %w", old, err)
	}
	return nil
}

// resolve makes path absolute and resolves symbolic links in it, also in
// the parts that exist when the last ones do not.
func resolve(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("outdir: %s: %w", path, err)
	}
	rest := ""
	for p := abs; ; p = filepath.Dir(p) {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest), nil
		}
		if filepath.Dir(p) == p {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}

// checkPlace refuses outputs that are, hold or lie inside a protected
// path.
func checkPlace(final string, opts Options) error {
	if filepath.Dir(final) == final {
		return fmt.Errorf("outdir: refusing to write into %s, the root of a file system: choose an output directory of its own", final)
	}
	type protected struct {
		path, what string
		input      bool // nothing may be written inside it
	}
	var ps []protected
	if wd, err := os.Getwd(); err == nil {
		ps = append(ps, protected{wd, "the working directory", false})
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		ps = append(ps, protected{home, "your home directory", false})
	}
	for _, in := range opts.Inputs {
		if in == "" || strings.Contains(in, "://") || strings.HasPrefix(in, "git@") {
			continue
		}
		ps = append(ps, protected{in, "the input " + in, true})
	}
	for i := range ps {
		if r, err := resolve(ps[i].path); err == nil {
			ps[i].path = r
		}
	}
	// The most telling reason first: being a protected path, then lying
	// inside one, then holding one.
	for _, p := range ps {
		if same(final, p.path) {
			suggest := filepath.Join(filepath.Dir(final), "sftforge-out") // beside an input
			if !p.input {
				suggest = filepath.Join(final, "sftforge-out") // inside home or the working directory
			}
			return fmt.Errorf("outdir: refusing to write into %s: it is %s; choose an output directory of its own, e.g. %s", final, p.what, suggest)
		}
	}
	for _, p := range ps {
		if p.input && within(final, p.path) {
			return fmt.Errorf("outdir: refusing to write %s: it is inside %s; choose an output directory outside it", final, p.what)
		}
	}
	for _, p := range ps {
		if within(p.path, final) {
			return fmt.Errorf("outdir: refusing to replace %s: it holds %s (%s); choose an output directory of its own", final, p.what, p.path)
		}
	}
	return nil
}

// within reports whether path is dir or lies inside it, comparing the
// directories themselves (os.SameFile) where they exist, so that case-
// insensitive file systems and hard-linked paths are seen through.
func within(path, dir string) bool {
	for p := path; ; p = filepath.Dir(p) {
		if same(p, dir) {
			return true
		}
		if filepath.Dir(p) == p {
			return false
		}
	}
}

// same reports whether a and b name the same file.
func same(a, b string) bool {
	if a == b {
		return true
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// checkContent refuses to replace what is at final unless it is missing,
// an empty directory, a directory with the marker, or (with Force) an old
// output of known names.
func checkContent(final string, opts Options) error {
	fi, err := os.Lstat(final)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("outdir: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("outdir: %s is a file, not a directory: %s writes only into a directory it created or an empty one; remove the file or choose another output directory", final, opts.tool())
	}
	entries, err := os.ReadDir(final)
	if err != nil {
		return fmt.Errorf("outdir: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	var foreign []string
	for _, e := range entries {
		if e.Name() == MarkerFile && e.Type().IsRegular() {
			return nil
		}
		if !known(e.Name(), opts.Known) {
			foreign = append(foreign, e.Name())
		}
	}
	if len(foreign) == 0 {
		if opts.Force {
			return nil
		}
		return fmt.Errorf("outdir: %s looks like the output of an earlier %s version (it has no %s marker): pass --force to replace it, or choose another output directory", final, opts.tool(), MarkerFile)
	}
	return fmt.Errorf("outdir: refusing to replace %s: it is not empty and was not written by %s (it has no %s marker and holds %s); choose another output directory, or empty it yourself (--force does not replace files %s did not write)",
		final, opts.tool(), MarkerFile, sample(foreign), opts.tool())
}

// known reports whether name matches one of the patterns.
func known(name string, patterns []string) bool {
	for _, p := range patterns {
		if ok, _ := filepath.Match(p, name); ok {
			return true
		}
	}
	return false
}

// sample names a few entries.
func sample(names []string) string {
	const n = 3
	q := make([]string, 0, n)
	for _, s := range names[:min(n, len(names))] {
		q = append(q, strconv.Quote(s))
	}
	s := strings.Join(q, ", ")
	if len(names) > n {
		s += fmt.Sprintf(" and %d more", len(names)-n)
	}
	return s
}

// WriteFile writes data to path through a temporary file in the same
// directory and a rename, so readers see the old or the new file, never a
// partial one; the file is synced first. It refuses to replace anything
// but a regular file (a device such as /dev/null, a directory, a symbolic
// link). The file is created 0644 less the umask.
func WriteFile(path string, data []byte) error {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("outdir: write %s: not a regular file (%s); refusing to replace it", path, fi.Mode().Type())
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("outdir: create %s: %w", dir, err)
	}
	f, err := CreateTemp(dir, "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return fmt.Errorf("outdir: write %s: %w", path, err)
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
		return fmt.Errorf("outdir: write %s: %w", path, werr)
	}
	return nil
}

// CreateTemp is os.CreateTemp with the mode of an ordinary file (0644 less
// the umask) instead of 0600.
func CreateTemp(dir, prefix string) (*os.File, error) {
	for i := 0; ; i++ {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) && i < 100 {
			continue
		}
		return f, err
	}
}

// exchangeFunc is exchange, replaced in tests to take the other path.
var exchangeFunc = exchange
