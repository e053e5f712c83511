package export

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"iter"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/lang"
	"github.com/sftforge/sftforge/rustparse"
)

// Options configure [Commits] and [Shard].
type Options struct {
	// Walk selects the commits and files; Reverse and KeepContent are set
	// by the engine, and an empty Include means every language's globs.
	Walk gitlog.WalkOptions
	// Workers is the number of parsing workers; default runtime.NumCPU().
	// Files are split between workers by path, so each file's versions are
	// parsed incrementally by one worker.
	Workers int
	// Languages chooses each file's differ (the first language whose
	// globs match its path); default DefaultLanguages(). Selected files of
	// no language are listed with no identifier changes.
	Languages lang.Registry
	// ResidentBytes bounds the source bytes of the files whose differs
	// keep heavy parse state between versions (a [ReleasingDiffer]: a
	// tree-sitter tree costs 15 to 30 times its source in C memory); the
	// least recently changed files are released first. Rust's differ
	// keeps no tree (it splices, see rustparse.NewTracker), so for Rust the
	// budget only counts. 0 means DefaultResidentBytes, a negative value
	// means no bound. The output does not depend on it.
	ResidentBytes int64
	// ShardPaths, for [Shard], gives the shard of each path (e.g. from
	// [BalancedShards]); a path not in it, or renamed from one not in it,
	// goes by a hash of the path. Every shard of a run must be given the
	// same. Commits ignores it.
	ShardPaths map[string]int
	// Watched, when set, is called with each commit of the walk, in walk
	// order (oldest first) and before its files are diffed, so that a
	// caller learns what Walk.Watch asks for ([gitlog.Commit.Watched])
	// from the walk the export makes anyway. It is called from the walk's
	// goroutine, so it must be quick; the commit's Files are the
	// engine's. The commits the walk yields only for a watched path
	// ([gitlog.Commit.WatchOnly]) are passed to it and are not yielded:
	// Walk.Watch changes nothing else.
	Watched func(c *gitlog.Commit)
}

// SkipParseError is the cause of a skipped file the differ could not parse
// at all, in [Commit.Skipped].
const SkipParseError = "parse error"

// DefaultResidentBytes is the default [Options.ResidentBytes]: 24 MiB of
// source, 400 to 700 MiB of parse trees for differs that keep them.
const DefaultResidentBytes = 24 << 20

// DefaultLanguages returns the languages sftforge ships, the one place
// they are registered: Rust (rustparse.Language). A caller adds a language
// by passing a registry with one more entry as [Options.Languages] (and
// the dataset's export and merge options); nothing else changes (see
// lang's package example).
func DefaultLanguages() lang.Registry {
	return lang.Registry{rustparse.Language()}
}

// Commit is one commit of the walk with the diffs of its files.
type Commit struct {
	*gitlog.Commit
	// Diffs holds the diff of each of Commit.Files (same index): its
	// identifier changes (File set to the file's path, Line 0, Cfg and
	// Detail never nil) and parse errors. A skipped file has no changes
	// and one error, "skipped: " and why.
	Diffs []lang.FileDiff
	// Skipped holds, for each file, why it was not diffed: a gitlog skip
	// cause ([gitlog.FileChange.SkipCause]) or [SkipParseError]; "" when
	// it was diffed.
	Skipped []string
	// Owned is, for a [Shard], which files the shard diffed (the others
	// have empty Diffs and Skipped); nil from [Commits], which diffs
	// every file.
	Owned []bool
}

// Times says where the time of a run went.
type Times struct {
	// Walk is the wall time spent inside the gitlog walk (tree diffs, blob
	// reads, line counts), excluding waits for the parsers; 0 for a Shard.
	Walk time.Duration
	// Parse is the time spent in the differs (parse, item extraction,
	// identifier diff), summed over workers.
	Parse time.Duration
	// Read is the time spent loading blobs the walk had not kept, summed
	// over workers.
	Read time.Duration
}

// errStop is returned by the emit function of the iterators when the
// consumer stops early.
var errStop = errors.New("export: iteration stopped")

// Commits walks repo oldest first and yields every commit of the walk, in
// commit order, with the diffs of its selected files (a commit with no
// selected files has none). Each file's versions go to one worker (split
// by path, renames followed) that keeps the file's previous parse tree and
// re-parses incrementally; the walk runs ahead of the parsers within a
// bound on the file contents in flight. A walk or parse failure is
// yielded once as the error, and ends the sequence. When the sequence
// ends, whether run to the end or stopped early, *times (when not nil)
// says where the time went (zero when it did not run to the end). The
// yielded commits are the consumer's: their file contents are released.
// Commits the walk yields only for opts.Walk.Watch go to opts.Watched,
// not to the sequence.
func Commits(ctx context.Context, repo *gitlog.Repository, opts Options, times *Times) iter.Seq2[*Commit, error] {
	return sequence(times, func(emit func(*Commit) error) (Times, error) {
		return run(ctx, repo, opts, emit)
	})
}

// sequence turns a run that calls emit with each commit into the sequence
// of [Commits] and [Shard]: a stop by the consumer ends the run, a failure
// is yielded once, and *times (when not nil) gets the run's times.
func sequence(times *Times, run func(emit func(*Commit) error) (Times, error)) iter.Seq2[*Commit, error] {
	return func(yield func(*Commit, error) bool) {
		t, err := run(func(c *Commit) error {
			if !yield(c, nil) {
				return errStop
			}
			return nil
		})
		if times != nil {
			*times = t
		}
		if err != nil && !errors.Is(err, errStop) {
			yield(nil, err)
		}
	}
}

// nonNil returns s, or an empty slice for nil, so that JSON has [] not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// fileJob is one changed file of one commit, sent to the worker that owns
// the file's path.
type fileJob struct {
	seq, idx int // commit sequence number, file index in the commit
	file     *gitlog.FileChange
	cost     int64 // bytes to parse, for balancing
}

// maxInFlightBytes bounds the contents of file changes queued for the
// workers.
const maxInFlightBytes = 64 << 20

// jobCost estimates the parsing work and the memory of a file change: the
// bytes of the versions the walk kept (at most maxInFlightBytes).
func jobCost(f *gitlog.FileChange) int64 {
	n := int64(1)
	if f.Err != nil || f.Skipped != "" {
		return n
	}
	if b, err := f.OldContent(); err == nil {
		n += int64(len(b))
	}
	if b, err := f.NewContent(); err == nil {
		n += int64(len(b))
	}
	return min(n, maxInFlightBytes)
}

// leastLoaded returns the worker with the least pending work.
func leastLoaded(pending []atomic.Int64) int {
	best := 0
	for w := range pending {
		if pending[w].Load() < pending[best].Load() {
			best = w
		}
	}
	return best
}

// fileResult is a worker's answer for a fileJob.
type fileResult struct {
	seq, idx int
	diff     lang.FileDiff
	skipped  string // why the file was not parsed, "" when it was
}

// pendingCommit is a commit whose files are being parsed.
type pendingCommit struct {
	commit    *gitlog.Commit
	diffs     []lang.FileDiff
	skipped   []string // per file: why it was not parsed, "" when it was
	remaining int
}

// walk sets the default languages and returns the walk the engine and a
// shard make: opts.Walk oldest first, contents kept, the languages' globs
// when it includes no paths.
func (opts *Options) walk() gitlog.WalkOptions {
	if opts.Languages == nil {
		opts.Languages = DefaultLanguages()
	}
	walk := opts.Walk
	walk.Reverse = true
	walk.KeepContent = true
	if len(walk.Include) == 0 {
		walk.Include = opts.Languages.Globs()
	}
	return walk
}

// run is the engine: it walks repo, diffs the selected files in parallel
// and calls emit with each commit, in commit order, once all its files are
// diffed. An error from emit stops the run and is returned.
func run(ctx context.Context, repo *gitlog.Repository, opts Options, emit func(*Commit) error) (Times, error) {
	var times Times
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	walk := opts.walk()
	if err := walk.Validate(); err != nil {
		return times, fmt.Errorf("export: %w", err)
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var walkNanos, parseNanos, readNanos atomic.Int64
	budget := opts.ResidentBytes / int64(opts.Workers)
	if opts.ResidentBytes == 0 {
		budget = DefaultResidentBytes / int64(opts.Workers)
	} else if opts.ResidentBytes < 0 {
		budget = 0
	}
	jobs := make([]chan fileJob, opts.Workers)
	// pending is each worker's queued work in source bytes: a path seen
	// for the first time goes to the least loaded worker, and stays there.
	pending := make([]atomic.Int64, opts.Workers)
	// inFlight bounds the file contents handed to workers and not yet
	// parsed, so the fast walk cannot fill memory ahead of the parsers.
	inFlight := semaphore.NewWeighted(maxInFlightBytes)
	results := make(chan fileResult, 256)
	workerErr := make(chan error, opts.Workers)
	// Each worker frees its parse trees after reporting that it is done,
	// so that the frees overlap the final writes; run returns only once
	// they are over.
	var freed sync.WaitGroup
	defer freed.Wait()
	for w := range jobs {
		jobs[w] = make(chan fileJob, 256)
		states := newResidentFiles(budget)
		freed.Go(func() {
			workerErr <- runWorker(ctx, jobs[w], results, opts.Languages, states, &parseNanos, &readNanos, &pending[w], inFlight)
			states.closeAll()
		})
	}

	// The walker goroutine dispatches files to workers and announces each
	// commit (in order) to the collector below.
	commits := make(chan *pendingCommit, 256)
	walkErr := make(chan error, 1)
	go func() {
		defer func() {
			for _, ch := range jobs {
				close(ch)
			}
			close(commits)
		}()
		owners := pathOwners{} // file path -> worker, following renames
		seq := 0
		var walkTime time.Duration
		defer func() { walkNanos.Store(int64(walkTime)) }()
		mark := time.Now()
		for c, err := range repo.Commits(ctx, walk) {
			walkTime += time.Since(mark)
			if err != nil {
				walkErr <- err
				return
			}
			if opts.Watched != nil {
				opts.Watched(c)
			}
			if c.WatchOnly {
				mark = time.Now()
				continue
			}
			p := &pendingCommit{commit: c, diffs: make([]lang.FileDiff, len(c.Files)), skipped: make([]string, len(c.Files)), remaining: len(c.Files)}
			select {
			case commits <- p:
			case <-ctx.Done():
				walkErr <- ctx.Err()
				return
			}
			for i := range c.Files {
				f := &c.Files[i]
				w := owners.next(f, func(string) int { return leastLoaded(pending) })
				cost := jobCost(f)
				if err := inFlight.Acquire(ctx, cost); err != nil {
					walkErr <- err
					return
				}
				pending[w].Add(cost)
				select {
				case jobs[w] <- fileJob{seq: seq, idx: i, file: f, cost: cost}:
				case <-ctx.Done():
					walkErr <- ctx.Err()
					return
				}
			}
			seq++
			mark = time.Now()
		}
		walkErr <- nil
	}()

	// Collector: fill pending commits with results and pass them on in
	// order.
	var queue []*pendingCommit // queue[0] has sequence number base
	base := 0
	flush := func() error {
		for len(queue) > 0 && queue[0].remaining == 0 {
			p := queue[0]
			queue = queue[1:]
			base++
			if err := emit(&Commit{Commit: p.commit, Diffs: p.diffs, Skipped: p.skipped}); err != nil {
				return err
			}
		}
		return nil
	}
	// A result can arrive before the collector has taken its commit from
	// the channel (the walker announces a commit before dispatching its
	// files, so the commit is there to take).
	addResult := func(r fileResult) error {
		for r.seq-base >= len(queue) {
			p, ok := <-commits
			if !ok {
				return fmt.Errorf("export: internal error: result for unknown commit %d", r.seq)
			}
			queue = append(queue, p)
		}
		p := queue[r.seq-base]
		p.diffs[r.idx] = r.diff
		p.skipped[r.idx] = r.skipped
		p.remaining--
		return flush()
	}
	workersLeft := opts.Workers
	var firstErr error
	fail := func(err error) {
		if firstErr == nil && err != nil {
			firstErr = err
			cancel()
		}
	}
	for workersLeft > 0 && firstErr == nil {
		select {
		case p, ok := <-commits:
			if !ok {
				commits = nil
				continue
			}
			queue = append(queue, p)
			fail(flush())
		case r := <-results:
			fail(addResult(r))
		case err := <-workerErr:
			workersLeft--
			fail(err)
		}
	}
	// All workers are done: take the results still buffered and the
	// commits still announced.
	for firstErr == nil && len(results) > 0 {
		fail(addResult(<-results))
	}
	for firstErr == nil && commits != nil {
		p, ok := <-commits
		if !ok {
			break
		}
		queue = append(queue, p)
		fail(flush())
	}
	if firstErr == nil {
		fail(<-walkErr)
	}
	if firstErr != nil {
		for workersLeft > 0 {
			select {
			case <-workerErr:
				workersLeft--
			case <-results:
			}
		}
		return times, firstErr
	}
	if len(queue) > 0 {
		return times, fmt.Errorf("export: internal error: %d commits left unassembled", len(queue))
	}
	times.Walk = time.Duration(walkNanos.Load())
	times.Parse = time.Duration(parseNanos.Load())
	times.Read = time.Duration(readNanos.Load())
	return times, nil
}

// workerFor picks the worker of a path that has not been seen before.
func workerFor(path string, workers int) int {
	h := fnv.New32a()
	io.WriteString(h, path)
	return int(h.Sum32() % uint32(workers))
}

// runWorker parses the files sent to it, keeping per-path differs in
// states (the caller closes them).
func runWorker(ctx context.Context, in <-chan fileJob, out chan<- fileResult, langs lang.Registry, states *residentFiles,
	parseNanos, readNanos, pending *atomic.Int64, inFlight *semaphore.Weighted) error {
	for job := range in {
		res := processFile(states, job, langs, parseNanos, readNanos)
		pending.Add(-job.cost)
		inFlight.Release(job.cost)
		select {
		case out <- res:
		case <-ctx.Done():
			for range in {
			}
			// The result is lost: the run must end with an error,
			// also when the walk was already over.
			return fmt.Errorf("export: %w", ctx.Err())
		}
	}
	return nil
}

// processFile feeds one changed file to the differ of its path.
func processFile(states *residentFiles, job fileJob, langs lang.Registry, parseNanos, readNanos *atomic.Int64) fileResult {
	f := job.file
	res := fileResult{seq: job.seq, idx: job.idx}
	defer f.ReleaseContent()
	key := f.Path
	if f.Status == change.StatusRenamed && f.OldPath != "" {
		key = f.OldPath
	}
	st := states.take(key)
	drop := func() {
		if st != nil {
			st.differ.Close()
			st = nil
		}
	}
	var newDiffer func() lang.Differ
	testPath := false
	if l := langs.For(f.Path); l != nil {
		newDiffer = l.NewDiffer
		testPath = l.IsTestPath(f.Path)
	}
	if cause := f.SkipCause(); cause != "" {
		msg := f.Skipped
		switch {
		case f.Err != nil:
			msg = f.Err.Error()
		case f.Binary:
			msg = "binary file"
		}
		res.diff.Errors = []change.ParseError{{File: f.Path, Message: "skipped: " + msg}}
		res.skipped = cause
		drop()
		return res
	}
	if newDiffer == nil {
		drop()
		return res
	}
	fail := func(what, cause string, err error) fileResult {
		res.diff = lang.FileDiff{Errors: []change.ParseError{{File: f.Path, Message: what + ": " + err.Error()}}}
		res.skipped = cause
		drop()
		return res
	}
	if st == nil {
		st = &fileState{path: f.Path, differ: newDiffer()}
	}
	// Resynchronise when the previous version we fed is not this change's
	// old side (the first time we see the path, or commits in between were
	// not selected).
	timed := func(n *atomic.Int64, start time.Time) { n.Add(int64(time.Since(start))) }
	if st.hash != f.OldHash {
		t0 := time.Now()
		old, err := f.OldContent()
		timed(readNanos, t0)
		if err != nil {
			return fail("read old blob", gitlog.ObjectErrorCause(err), err)
		}
		t0 = time.Now()
		_, err = st.differ.Next(old)
		timed(parseNanos, t0)
		if err != nil {
			return fail("parse old version", SkipParseError, err)
		}
		st.hash = f.OldHash
	}
	var src []byte
	if f.Status != change.StatusDeleted {
		t0 := time.Now()
		b, err := f.NewContent()
		timed(readNanos, t0)
		if err != nil {
			return fail("read new blob", gitlog.ObjectErrorCause(err), err)
		}
		src = b
		if src == nil {
			src = []byte{}
		}
	}
	t0 := time.Now()
	var d lang.FileDiff
	var err error
	if hd, ok := st.differ.(lang.HunkDiffer); ok && src != nil && (f.Hunks != nil || f.OldHash == f.NewHash) {
		// The walker's line diff runs from the old side, which the differ
		// now holds.
		d, err = hd.NextHunks(src, f.Hunks)
	} else {
		d, err = st.differ.Next(src)
	}
	timed(parseNanos, t0)
	if err != nil {
		return fail("parse", SkipParseError, err)
	}
	for i := range d.Changes {
		c := &d.Changes[i]
		c.File = f.Path
		c.Test = c.Test || testPath
		c.Cfg, c.Detail = nonNil(c.Cfg), nonNil(c.Detail)
		c.Line = 0 // records do not keep it: equal to a record read back
	}
	for i := range d.Errors {
		d.Errors[i].File = f.Path
	}
	res.diff = d
	if f.Status == change.StatusDeleted {
		drop()
	} else {
		st.path, st.hash, st.size = f.Path, f.NewHash, int64(len(src))
		states.put(st)
	}
	return res
}
