package gitlog

import (
	"bytes"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/linediff"
)

// Commits walks the history selected by opts and yields each commit with its
// changed files, newest first (oldest first with opts.Reverse). Commits are
// diffed by opts.Workers goroutines and yielded in order; breaking out of
// the loop stops them. A bad option or revision, or a cancelled context,
// yields one error and ends the walk; problems with single objects are
// reported in [Commit.Err] and [FileChange.Err] instead. When more than
// half of the selected commits could not be read (a commit error, or an
// error on every selected file), the walk ends with an error after the
// last commit, naming how many and the first: the history is broken, not
// missing an object or two. A shallow clone's or graft's boundary commits
// are yielded with [Commit.Boundary] set and no files. With opts.Watch,
// each commit also lists its changed paths that match it, and the
// commits that change only such paths are yielded too, marked
// [Commit.WatchOnly]: one walk for the selected files and, say, the
// manifests.
func (r *Repository) Commits(ctx context.Context, opts WalkOptions) iter.Seq2[*Commit, error] {
	return func(yield func(*Commit, error) bool) {
		if err := opts.Validate(); err != nil {
			yield(nil, err)
			return
		}
		o := opts.withDefaults()
		jobs, err := r.selectCommits(ctx, &o)
		if err != nil {
			yield(nil, err)
			return
		}
		if o.Reverse {
			slices.Reverse(jobs)
		}
		w := &walker{repo: r, opts: &o}
		for c := range w.run(ctx, jobs) {
			if c.err != nil {
				yield(nil, c.err)
				return
			}
			if !yield(c.commit, nil) {
				return
			}
		}
	}
}

// commitJob is one selected commit, decoded during selection.
type commitJob struct {
	commit   *object.Commit
	boundary bool // a shallow or grafted boundary: its parents are not known
}

// selectCommits resolves opts.Rev and returns the selected commits, newest
// first.
func (r *Repository) selectCommits(ctx context.Context, o *WalkOptions) ([]commitJob, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.main == nil {
		return nil, fmt.Errorf("gitlog: walk %s: repository is closed", r.path)
	}
	shallow, err := r.boundaries()
	if err != nil {
		return nil, fmt.Errorf("gitlog: walk %s: %w", r.path, err)
	}
	start, ok := r.resolveRef(o.Rev)
	if !ok {
		h, err := r.repo.ResolveRevision(plumbing.Revision(o.Rev))
		if err != nil {
			return nil, r.revisionError(o.Rev, shallow, err)
		}
		start = *h
	}
	first, err := r.readCommit(start)
	if err != nil {
		return nil, fmt.Errorf("gitlog: walk %s: revision %q: commit %s: %w", r.path, o.Rev, shortHash(start.String()), err)
	}

	var jobs []commitJob
	oldStreak := 0 // consecutive commits older than Since
	// visit applies the filters to c and reports whether the walk goes on.
	visit := func(c *object.Commit) bool {
		when := c.Committer.When
		if !o.Since.IsZero() && when.Before(o.Since) {
			// Dates are not monotonic; stop after a few old commits in a
			// row, as git does.
			oldStreak++
			return oldStreak < 5
		}
		oldStreak = 0
		if (!o.Until.IsZero() && when.After(o.Until)) || (o.SkipMerges && c.NumParents() > 1) {
			return true
		}
		// A root commit listed as a boundary still has known changes.
		jobs = append(jobs, commitJob{commit: c, boundary: shallow[c.Hash] && c.NumParents() > 0})
		return o.MaxCommits == 0 || len(jobs) < o.MaxCommits
	}
	// parent loads a parent commit; a missing one ends that line of history
	// with a warning (the child's diff reports the error).
	parent := func(child *object.Commit, h plumbing.Hash) *object.Commit {
		if shallow[child.Hash] {
			return nil
		}
		p, err := r.readCommit(h)
		if err != nil {
			r.log.Warn("gitlog: history ends at an unreadable commit", "repo", r.path,
				"commit", h.String(), "child", child.Hash.String(), "err", err)
			return nil
		}
		return p
	}

	if !o.AllParents {
		for c := first; c != nil; {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("gitlog: walk %s: %w", r.path, err)
			}
			if !visit(c) || c.NumParents() == 0 {
				break
			}
			c = parent(c, c.ParentHashes[0])
		}
		return jobs, nil
	}
	queue := &commitQueue{first}
	seen := map[plumbing.Hash]bool{first.Hash: true}
	for queue.Len() > 0 {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("gitlog: walk %s: %w", r.path, err)
		}
		c := heap.Pop(queue).(*object.Commit)
		if !visit(c) {
			break
		}
		for _, h := range c.ParentHashes {
			if seen[h] {
				continue
			}
			seen[h] = true
			if p := parent(c, h); p != nil {
				heap.Push(queue, p)
			}
		}
	}
	return jobs, nil
}

// resolveRef resolves a revision that names a reference (HEAD, a branch,
// a tag, refs/remotes/origin/main…) to the commit it points to, as
// go-git's ResolveRevision does, but reading the commit with the pack
// reader: go-git's reader indexes every pack by offset on its first read
// (memory held for the run). It reports false for any other revision (a
// hash or what may be one, ~ and ^ steps, …) and when the reference is
// missing or names no commit (an annotated tag), which ResolveRevision
// then answers. The caller holds r.mu.
func (r *Repository) resolveRef(rev string) (plumbing.Hash, bool) {
	if rev == "" || strings.Trim(rev, "0123456789abcdefABCDEF") == "" || strings.Contains(rev, "..") ||
		strings.TrimFunc(rev, isRefNameRune) != "" {
		return plumbing.ZeroHash, false
	}
	for _, rule := range plumbing.RefRevParseRules {
		ref, err := storer.ResolveReference(r.main, plumbing.ReferenceName(fmt.Sprintf(rule, rev)))
		if err != nil {
			continue
		}
		if _, err := r.readCommit(ref.Hash()); err != nil {
			return plumbing.ZeroHash, false
		}
		return ref.Hash(), true
	}
	return plumbing.ZeroHash, false
}

// isRefNameRune reports whether c may be part of a revision resolveRef
// takes: letters, digits, '/', '.', '_' and '-'.
func isRefNameRune(c rune) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("/._-", c)
}

// commitQueue orders commits newest committer date first, then by hash.
type commitQueue []*object.Commit

func (q commitQueue) Len() int { return len(q) }
func (q commitQueue) Less(i, j int) bool {
	a, b := q[i].Committer.When, q[j].Committer.When
	if !a.Equal(b) {
		return a.After(b)
	}
	return bytes.Compare(q[i].Hash[:], q[j].Hash[:]) < 0
}
func (q commitQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)   { *q = append(*q, x.(*object.Commit)) }
func (q *commitQueue) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}

// walker diffs selected commits with a pool of workers.
type walker struct {
	repo  *Repository
	opts  *WalkOptions
	rules skipRules
	// matched memoizes match: a history changes the same paths again and
	// again, and matching one against every glob (the selected languages',
	// the watched manifests and licences') costs more than finding it.
	matched     sync.Map // path -> pathMatch
	matchedSize atomic.Int64
}

// pathMatch is what the globs say of a path.
type pathMatch uint8

const (
	pathKept pathMatch = 1 << iota
	pathWatched
)

// maxMatched bounds the paths walker.matched remembers.
const maxMatched = 1 << 17

// match reports whether a changed path is selected (Include, Exclude) and
// whether it is watched (Watch).
func (w *walker) match(path string) (keep, watch bool) {
	var m pathMatch
	if v, ok := w.matched.Load(path); ok {
		m = v.(pathMatch)
	} else {
		if w.opts.selects(path) {
			m |= pathKept
		}
		if len(w.opts.Watch) > 0 && w.opts.watches(path) {
			m |= pathWatched
		}
		if w.matchedSize.Add(1) <= maxMatched {
			w.matched.Store(path, m)
		}
	}
	return m&pathKept != 0, m&pathWatched != 0
}

// batch is a run of consecutive commits handled by one worker, which keeps
// the delta base cache of its reader warm.
type batch struct {
	jobs   []commitJob
	out    []*Commit // nil where a commit was filtered out
	failed []error   // why a commit could not be read, nil if it could
	done   chan struct{}
}

// result is a yielded commit or the error that ends the walk.
type result struct {
	commit *Commit
	err    error
}

// run diffs jobs in parallel and returns them in order. At most 2×Workers
// batches are in flight, so memory stays bounded however slow the consumer.
func (w *walker) run(ctx context.Context, jobs []commitJob) iter.Seq[result] {
	return func(yield func(result) bool) {
		ctx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		defer wg.Wait()
		defer cancel()

		// Commits that could not be read, in walk order: when they are
		// most of the selection, the walk ends with an error.
		failed := 0
		var firstFailure error

		workers := w.opts.Workers
		size := min(max(len(jobs)/(workers*8), 1), 16)
		var batches []*batch
		for lo := 0; lo < len(jobs); lo += size {
			hi := min(lo+size, len(jobs))
			batches = append(batches, &batch{jobs: jobs[lo:hi], out: make([]*Commit, hi-lo),
				failed: make([]error, hi-lo), done: make(chan struct{})})
		}
		window := make(chan struct{}, 2*workers)
		work := make(chan *batch)
		wg.Go(func() {
			defer close(work)
			for _, b := range batches {
				select {
				case window <- struct{}{}:
				case <-ctx.Done():
					return
				}
				select {
				case work <- b:
				case <-ctx.Done():
					return
				}
			}
		})
		for range min(workers, len(batches)) {
			wg.Go(func() {
				for b := range work {
					w.processBatch(ctx, b)
				}
			})
		}
		for i, b := range batches {
			select {
			case <-b.done:
			case <-ctx.Done():
			}
			if err := ctx.Err(); err != nil {
				yield(result{err: fmt.Errorf("gitlog: walk %s: %w", w.repo.path, err)})
				return
			}
			for k, c := range b.out {
				if err := b.failed[k]; err != nil {
					failed++
					if firstFailure == nil {
						firstFailure = err
					}
				}
				if c != nil && !yield(result{commit: c}) {
					return
				}
			}
			batches[i] = nil
			<-window
		}
		if failed > 0 && 2*failed > len(jobs) {
			yield(result{err: fmt.Errorf("gitlog: walk %s: most of the history is unreadable: %d of %d selected commits could not be read; the first: %w",
				w.repo.path, failed, len(jobs), firstFailure)})
		}
	}
}

func (w *walker) processBatch(ctx context.Context, b *batch) {
	defer close(b.done)
	for i, job := range b.jobs {
		if ctx.Err() != nil {
			return
		}
		c := w.process(job)
		b.failed[i] = unreadable(c)
		switch {
		case w.keep(c):
			b.out[i] = c
		case len(c.Watched) > 0:
			c.Files, c.WatchOnly = nil, true
			b.out[i] = c
		}
	}
}

// newCommit copies a commit's metadata.
func (w *walker) newCommit(job commitJob) *Commit {
	c := job.commit
	subject, body := splitMessage(c.Message)
	parents := make([]string, len(c.ParentHashes))
	for i, p := range c.ParentHashes {
		parents[i] = p.String()
	}
	out := &Commit{
		Hash:      c.Hash.String(),
		Parents:   parents,
		Author:    Signature{Name: c.Author.Name, Email: c.Author.Email, When: c.Author.When},
		Committer: Signature{Name: c.Committer.Name, Email: c.Committer.Email, When: c.Committer.When},
		Subject:   subject,
		Body:      body,
		Message:   c.Message,
		PRNumber:  ParsePRNumber(subject, body),
	}
	if len(c.ParentHashes) > 1 && !job.boundary {
		out.MergeAuthor, _ = w.repo.commitAuthor(c.ParentHashes[1]) // unreadable: left zero
	}
	return out
}

// process diffs one commit against its first parent. A boundary commit is not diffed: its parents
// are not in the repository, so what it changed is unknown.
func (w *walker) process(job commitJob) *Commit {
	c := w.newCommit(job)
	if job.boundary {
		c.Boundary = true
		return c
	}
	var oldTree plumbing.Hash
	if len(job.commit.ParentHashes) > 0 {
		p := job.commit.ParentHashes[0]
		t, err := w.repo.parentTree(p)
		if err != nil {
			c.Err = fmt.Errorf("gitlog: commit %s: read parent %s: %w", c.ShortHash(), shortHash(p.String()), err)
			return c
		}
		oldTree = t
	}
	d := treeDiff{repo: w.repo, match: w.match}
	if err := d.diff("", oldTree, job.commit.TreeHash); err != nil {
		c.Err = fmt.Errorf("gitlog: commit %s: diff trees: %w", c.ShortHash(), err)
		return c
	}
	for _, rc := range d.watched {
		c.Watched = append(c.Watched, rc.path)
		if rc.newHash.IsZero() {
			c.WatchedDeleted = append(c.WatchedDeleted, rc.path)
		}
	}
	c.Files = w.fileChanges(c, job.commit.TreeHash, d.out)
	return c
}

// keep applies the filters that need the diff: empty commits and
// MinChangedLines. Commits with an error and boundary commits are kept.
func (w *walker) keep(c *Commit) bool {
	if c.Err != nil || c.Boundary {
		return true
	}
	if len(c.Files) == 0 && !w.opts.KeepEmpty {
		return false
	}
	return w.opts.MinChangedLines == 0 || c.Additions()+c.Deletions() >= w.opts.MinChangedLines
}

// unreadable returns why commit c could not be read, or nil: a commit-level
// error, or an error on every one of its selected files.
func unreadable(c *Commit) error {
	if c.Err != nil {
		return c.Err
	}
	if len(c.Files) == 0 {
		return nil
	}
	for i := range c.Files {
		if c.Files[i].Err == nil {
			return nil
		}
	}
	return c.Files[0].Err
}

// parentTree returns the tree of commit h, read from its raw object.
func (r *Repository) parentTree(h plumbing.Hash) (plumbing.Hash, error) {
	raw, err := r.readObject(plumbing.CommitObject, h, 0)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	line, _, _ := bytes.Cut(raw, []byte{'\n'})
	hexHash, ok := bytes.CutPrefix(line, []byte("tree "))
	if !ok || !plumbing.IsHash(string(hexHash)) {
		return plumbing.ZeroHash, fmt.Errorf("commit %s: corrupt object: no tree line", h)
	}
	return plumbing.NewHash(string(hexHash)), nil
}

// fileChanges turns the tree diff of commit c into its file list: skip
// rules (with the .gitattributes of tree), blob loading, renames and line
// counts.
func (w *walker) fileChanges(c *Commit, tree plumbing.Hash, raw []rawChange) []FileChange {
	files := make([]FileChange, len(raw))
	for i, rc := range raw {
		f := &files[i]
		*f = FileChange{File: change.File{Path: rc.path}, OldMode: rc.oldMode, NewMode: rc.newMode, repo: w.repo}
		switch {
		case rc.oldHash.IsZero():
			f.Status = change.StatusAdded
		case rc.newHash.IsZero():
			f.Status = change.StatusDeleted
		default:
			f.Status = change.StatusModified
		}
		if !rc.oldHash.IsZero() {
			f.OldHash = rc.oldHash.String()
		}
		if !rc.newHash.IsZero() {
			f.NewHash = rc.newHash.String()
		}
		v := fileVerdict{checkContent: true}
		if !w.opts.KeepVendored {
			v = w.rules.check(w.repo, tree, f.Path)
		}
		if v.skip != "" {
			f.Skipped = v.skip
			continue
		}
		if w.opts.LoadFilter != nil && !w.opts.DetectRenames && w.opts.MinChangedLines == 0 && !w.opts.LoadFilter(f.Path) {
			f.unloaded = true
			continue
		}
		w.load(c, f, rc, v.checkContent)
	}
	if w.opts.DetectRenames {
		files = w.pairRenames(files)
	}
	for i := range files {
		f := &files[i]
		if f.Err == nil && f.Skipped == "" && !f.Binary && !f.unloaded {
			f.Hunks, f.Additions, f.Deletions = diffLines(f.oldContent, f.newContent)
			f.PatchHash = patchHash(f.oldContent, f.newContent, f.Hunks)
		}
		if !w.opts.KeepContent || f.Err != nil || f.Skipped != "" {
			f.ReleaseContent()
		}
	}
	slices.SortFunc(files, func(a, b FileChange) int { return strings.Compare(a.Path, b.Path) })
	return files
}

// load reads both blobs of f and applies the size, generated and binary
// rules; checkGenerated says whether the contents are checked for a
// generated-code header.
func (w *walker) load(c *Commit, f *FileChange, rc rawChange, checkGenerated bool) {
	limit := max(w.opts.MaxBlobSize, 0)
	for _, side := range []struct {
		hash    plumbing.Hash
		content *[]byte
		loaded  *bool
	}{{rc.oldHash, &f.oldContent, &f.oldLoaded}, {rc.newHash, &f.newContent, &f.newLoaded}} {
		if side.hash.IsZero() {
			continue
		}
		b, err := w.repo.readBlob(side.hash, limit)
		switch {
		case errors.Is(err, errTooLarge):
			f.Skipped = SkipTooLarge
			f.ReleaseContent()
			return
		case err != nil:
			f.Err = fmt.Errorf("gitlog: commit %s: read blob %s: %w", c.ShortHash(), f.Path, err)
			f.ReleaseContent()
			return
		}
		*side.content, *side.loaded = b, true
	}
	content := f.newContent
	if rc.newHash.IsZero() {
		content = f.oldContent
	}
	if !w.opts.KeepVendored && checkGenerated && w.rules.generated(f.Path, content) {
		f.Skipped = SkipGenerated
		f.ReleaseContent()
		return
	}
	f.Binary = isBinary(f.oldContent) || isBinary(f.newContent)
}

// pairRenames merges deleted and added files that are renames of each other
// into one renamed entry.
func (w *walker) pairRenames(files []FileChange) []FileChange {
	var sources, destinations []renameSide
	for i := range files {
		f := &files[i]
		if f.Skipped == SkipVendored || f.Skipped == SkipGenerated || f.Skipped == SkipGitattributes {
			continue
		}
		switch f.Status {
		case change.StatusDeleted:
			sources = append(sources, renameSide{index: i, path: f.Path, hash: f.OldHash, content: f.oldContent})
		case change.StatusAdded:
			destinations = append(destinations, renameSide{index: i, path: f.Path, hash: f.NewHash, content: f.newContent})
		}
	}
	if len(sources) == 0 || len(destinations) == 0 {
		return files
	}
	pairs := findRenames(sources, destinations, w.opts.RenameLimit)
	if len(pairs) == 0 {
		return files
	}
	drop := make(map[int]bool, len(pairs))
	for _, p := range pairs {
		src, dst := &files[sources[p.src].index], &files[destinations[p.dst].index]
		dst.Status = change.StatusRenamed
		dst.OldPath, dst.OldHash, dst.OldMode = src.Path, src.OldHash, src.OldMode
		dst.oldContent, dst.oldLoaded = src.oldContent, src.oldLoaded
		dst.Binary = dst.Binary || src.Binary
		if dst.Err == nil {
			dst.Err = src.Err
		}
		if dst.Skipped == "" {
			dst.Skipped = src.Skipped
		}
		drop[sources[p.src].index] = true
	}
	kept := files[:0]
	for i := range files {
		if !drop[i] {
			kept = append(kept, files[i])
		}
	}
	return kept
}

// diffLines returns the line diff between two contents in whole-file line
// numbers, and the added and deleted lines as `git diff --numstat` counts
// them.
func diffLines(old, new []byte) (hunks []linediff.Hunk, added, deleted int) {
	hunks = linediff.Lines(old, new)
	for _, h := range hunks {
		added += h.NewLines
		deleted += h.OldLines
	}
	return hunks, added, deleted
}

// binarySniffLen is how much of a blob git inspects for NUL bytes.
const binarySniffLen = 8000

// isBinary applies git's rule: a NUL byte in the first 8,000 bytes.
func isBinary(b []byte) bool {
	return bytes.IndexByte(b[:min(len(b), binarySniffLen)], 0) >= 0
}
