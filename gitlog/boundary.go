package gitlog

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// This file handles histories that end before their root commits (shallow
// clones and grafts) and histories that cannot be read.

// boundaries returns the commits whose parents the repository does not
// hold by design: those of the shallow file (`git clone --depth`) and those
// info/grafts rewrites (git's deprecated grafts, which this package does
// not follow). The first time a walk meets any, it logs a warning.
func (r *Repository) boundaries() (map[plumbing.Hash]bool, error) {
	set := map[plumbing.Hash]bool{}
	shallow, err := r.main.Shallow()
	if err != nil {
		return nil, fmt.Errorf("read shallow file: %w", err)
	}
	for _, h := range shallow {
		if !h.IsZero() {
			set[h] = true
		}
	}
	grafted, err := r.grafts()
	if err != nil {
		return nil, err
	}
	for _, h := range grafted {
		set[h] = true
	}
	if remote := r.partialClone(); remote != "" {
		r.partialWarning.Do(func() {
			r.log.Warn("gitlog: a partial clone (git clone --filter): the blobs it lacks are skipped as missing objects and their files' changes are unknown; clone without --filter for complete data",
				"repo", r.path, "promisor", remote)
		})
	}
	if len(shallow) > 0 || len(grafted) > 0 {
		r.boundaryWarning.Do(func() {
			r.log.Warn("gitlog: the history is incomplete (a shallow clone or grafts): its boundary commits are marked as boundaries, their changes unknown",
				"repo", r.path, "shallow", len(shallow), "grafted", len(grafted))
		})
	}
	return set, nil
}

// partialClone returns the promisor remote of a partial clone (`git clone
// --filter`: a remote with promisor = true), "" for a complete clone or a
// configuration that cannot be read. (Older git also set
// extensions.partialClone, which go-git refuses to open.) Such a
// clone lacks blobs by design; git fetches them on demand, this package
// does not (it never touches the network while walking).
func (r *Repository) partialClone() string {
	cfg, err := r.main.Config()
	if err != nil || cfg.Raw == nil {
		return ""
	}
	for _, s := range cfg.Raw.Section("remote").Subsections {
		if strings.EqualFold(s.Option("promisor"), "true") {
			return s.Name
		}
	}
	return ""
}

// grafts reads info/grafts: one commit per line, followed by the parents
// git substitutes for its own ("<commit> [<parent>...]"); "#" starts a
// comment.
func (r *Repository) grafts() ([]plumbing.Hash, error) {
	f, err := r.fs.Open("info/grafts")
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read info/grafts: %w", err)
	}
	defer f.Close()
	var out []plumbing.Hash
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		h, err := parseHash(fields[0])
		if err != nil {
			return nil, fmt.Errorf("info/grafts:%d: %q: %w", line, fields[0], err)
		}
		out = append(out, h)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read info/grafts: %w", err)
	}
	return out, nil
}

// firstParentSteps matches a revision ending in first-parent steps
// ("main~3", "HEAD^^", "v1.0~2^"): the base and the steps.
var firstParentSteps = regexp.MustCompile(`^(.+?)((?:~[0-9]*|\^1?)+)$`)

// revisionError explains why rev could not be resolved. go-git answers a
// revision that walks past the root ("HEAD~99999") with a bare EOF; when
// rev is a base plus first-parent steps and the base resolves, the error
// says how long the history is instead.
func (r *Repository) revisionError(rev string, boundaries map[plumbing.Hash]bool, err error) error {
	if m := firstParentSteps.FindStringSubmatch(rev); m != nil {
		steps, ok := countSteps(m[2])
		base, berr := r.repo.ResolveRevision(plumbing.Revision(m[1]))
		if ok && berr == nil {
			n, end := r.firstParentLength(*base, steps+1, boundaries)
			if n <= steps {
				return fmt.Errorf("gitlog: revision %q cannot be resolved: history has only %d first-parent commits from %s%s", rev, n, m[1], end)
			}
		}
	}
	if errors.Is(err, io.EOF) {
		err = errors.New("no such commit")
	}
	// An unborn HEAD: `git init` without a commit, or a bare clone whose
	// HEAD names a branch it lacks.
	if rev == "" || rev == "HEAD" {
		if head, herr := r.repo.Storer.Reference(plumbing.HEAD); herr == nil && head.Type() == plumbing.SymbolicReference {
			if _, terr := r.repo.Storer.Reference(head.Target()); errors.Is(terr, plumbing.ErrReferenceNotFound) {
				return fmt.Errorf("gitlog: walk %s: HEAD names %s, which does not exist (a repository without commits, or a clone whose HEAD names a missing branch)",
					r.path, head.Target())
			}
		}
	}
	return fmt.Errorf("gitlog: walk %s: revision %q cannot be resolved: %w", r.path, rev, err)
}

// countSteps adds up first-parent steps such as "~3^^~" (3+1+1+1).
func countSteps(s string) (int, bool) {
	n := 0
	for s != "" {
		op := s[0]
		s = s[1:]
		digits := len(s) - len(strings.TrimLeft(s, "0123456789"))
		k := 1
		if digits > 0 {
			v, err := strconv.Atoi(s[:digits])
			if err != nil {
				return 0, false
			}
			if op == '~' {
				k = v
			}
			s = s[digits:]
		}
		n += k
		if n < 0 || n > 1<<30 {
			return 0, false
		}
	}
	return n, true
}

// firstParentLength counts the commits on the first-parent line from h, up
// to limit, and says why the line ended before it: at a root commit, at the
// boundary of a shallow clone, or at an unreadable commit.
func (r *Repository) firstParentLength(h plumbing.Hash, limit int, boundaries map[plumbing.Hash]bool) (int, string) {
	n := 0
	for n < limit {
		c, err := object.GetCommit(r.main, h)
		if err != nil {
			return n, fmt.Sprintf(" (commit %s cannot be read: %v)", shortHash(h.String()), err)
		}
		n++
		switch {
		case boundaries[h]:
			return n, " (the history is shallow or grafted: it ends at " + shortHash(h.String()) + ")"
		case c.NumParents() == 0:
			return n, ""
		}
		h = c.ParentHashes[0]
	}
	return n, ""
}
