package rustparse

import "container/list"

// Trackers holds a Tracker per file path, for feeding a whole history
// through incremental parsing with bounded memory: when the sources whose
// trees are held exceed the budget, the least recently updated Trackers
// are released (they keep their last File, so diffs stay right, and parse
// from scratch next time). Not safe for concurrent use: give each worker
// its own Trackers and split the files between workers by path.
type Trackers struct {
	budget, held int
	byPath       map[string]*list.Element // values: *pathTracker
	lru          list.List                // front: most recently updated
}

type pathTracker struct {
	path string
	t    Tracker
	held int // bytes counted in Trackers.held
}

// NewTrackers returns an empty set that keeps the trees of at most
// budgetBytes of source (a tree costs about 40 bytes per source byte, so
// 64 MiB of source is about 2.5 GiB of trees). At least the tree of the
// file just updated is always kept.
func NewTrackers(budgetBytes int) *Trackers {
	return &Trackers{budget: budgetBytes, byPath: map[string]*list.Element{}}
}

// Changes parses the next version of the file at path and returns its
// changes against the previous version (an empty file if none). The set
// may keep src until the file's next version: do not modify it.
func (s *Trackers) Changes(path string, src []byte) ([]Change, *File, error) {
	e, ok := s.byPath[path]
	if !ok {
		e = s.lru.PushFront(&pathTracker{path: path})
		s.byPath[path] = e
	} else {
		s.lru.MoveToFront(e)
	}
	pt := e.Value.(*pathTracker)
	changes, f, err := pt.t.Changes(src)
	s.account(pt)
	s.evict()
	return changes, f, err
}

// account updates the held bytes after pt changed.
func (s *Trackers) account(pt *pathTracker) {
	s.held -= pt.held
	pt.held = pt.t.heldBytes()
	s.held += pt.held
}

// evict releases the least recently updated trees until the budget holds,
// never the most recent one.
func (s *Trackers) evict() {
	for e := s.lru.Back(); s.held > s.budget && e != nil && e != s.lru.Front(); e = e.Prev() {
		pt := e.Value.(*pathTracker)
		if pt.held > 0 {
			pt.t.Release()
			s.account(pt)
		}
	}
}

// Remove drops the file at path (it was deleted or renamed away).
func (s *Trackers) Remove(path string) {
	if e, ok := s.byPath[path]; ok {
		pt := e.Value.(*pathTracker)
		pt.t.Close()
		s.account(pt)
		s.lru.Remove(e)
		delete(s.byPath, path)
	}
}

// Rename moves the state of oldPath to newPath, so the next version of
// a renamed file is diffed against its last version under the old name.
// An existing state for newPath is dropped.
func (s *Trackers) Rename(oldPath, newPath string) {
	e, ok := s.byPath[oldPath]
	if !ok || oldPath == newPath {
		return
	}
	s.Remove(newPath)
	delete(s.byPath, oldPath)
	e.Value.(*pathTracker).path = newPath
	s.byPath[newPath] = e
}

// HeldBytes returns the size of the sources whose trees are held.
func (s *Trackers) HeldBytes() int { return s.held }

// Close frees every tree. The set may be used again.
func (s *Trackers) Close() {
	for e := s.lru.Front(); e != nil; e = e.Next() {
		e.Value.(*pathTracker).t.Close()
	}
	s.byPath = map[string]*list.Element{}
	s.lru.Init()
	s.held = 0
}
