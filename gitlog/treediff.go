package gitlog

import (
	"cmp"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// rawChange is one changed path found by the tree diff, before rename
// detection and blob loading. A zero hash means the side is absent.
type rawChange struct {
	path             string
	oldHash, newHash plumbing.Hash
	oldMode, newMode uint32
}

// treeDiff compares two trees recursively, descending only into subtrees
// whose hashes differ, and collects the changed files match keeps in out
// and those it watches in watched.
// Submodule entries (gitlinks) are not files of this repository and are left
// out. Changes come out in git's tree order, which is path order.
type treeDiff struct {
	repo    *Repository
	match   func(path string) (keep, watch bool)
	out     []rawChange
	watched []rawChange
}

// keepAll is the match of a diff of every path.
func keepAll(string) (keep, watch bool) { return true, false }

func (d *treeDiff) diff(prefix string, oldTree, newTree plumbing.Hash) error {
	if oldTree == newTree {
		return nil
	}
	oldEntries, err := d.repo.tree(oldTree)
	if err != nil {
		return err
	}
	newEntries, err := d.repo.tree(newTree)
	if err != nil {
		return err
	}
	i, j := 0, 0
	for i < len(oldEntries) || j < len(newEntries) {
		var o, n *treeEntry
		switch {
		case i == len(oldEntries):
			n = &newEntries[j]
		case j == len(newEntries):
			o = &oldEntries[i]
		default:
			switch c := compareEntries(&oldEntries[i], &newEntries[j]); {
			case c < 0:
				o = &oldEntries[i]
			case c > 0:
				n = &newEntries[j]
			default:
				o, n = &oldEntries[i], &newEntries[j]
			}
		}
		if o != nil {
			i++
		}
		if n != nil {
			j++
		}
		if err := d.entry(prefix, o, n); err != nil {
			return err
		}
	}
	return nil
}

// entry handles one name present in the old tree (o), the new tree (n) or
// both; with both, they are of the same kind (both directories or neither).
func (d *treeDiff) entry(prefix string, o, n *treeEntry) error {
	if o != nil && n != nil && o.hash == n.hash && o.mode == n.mode {
		return nil
	}
	var e *treeEntry
	if e = n; e == nil {
		e = o
	}
	path := prefix + e.name
	if e.isDir() {
		var oh, nh plumbing.Hash
		if o != nil {
			oh = o.hash
		}
		if n != nil {
			nh = n.hash
		}
		return d.diff(path+"/", oh, nh)
	}
	if o != nil && o.isGitlink() {
		o = nil
	}
	if n != nil && n.isGitlink() {
		n = nil
	}
	if o == nil && n == nil {
		return nil
	}
	keep, watch := d.match(path)
	if !keep && !watch {
		return nil
	}
	c := rawChange{path: path}
	if o != nil {
		c.oldHash, c.oldMode = o.hash, o.mode
	}
	if n != nil {
		c.newHash, c.newMode = n.hash, n.mode
	}
	if keep {
		d.out = append(d.out, c)
	}
	if watch {
		d.watched = append(d.watched, c)
	}
	return nil
}

// compareEntries orders tree entries as git does: by name, where a
// directory's name is compared as if it ended in "/".
func compareEntries(a, b *treeEntry) int {
	n := min(len(a.name), len(b.name))
	if c := strings.Compare(a.name[:n], b.name[:n]); c != 0 {
		return c
	}
	// Names contain no "/", so the keys differ at byte n unless they are
	// equal.
	return cmp.Compare(sortKeyByte(a, n), sortKeyByte(b, n))
}

func sortKeyByte(e *treeEntry, k int) int {
	switch {
	case k < len(e.name):
		return int(e.name[k])
	case k == len(e.name) && e.isDir():
		return '/'
	default:
		return -1
	}
}
