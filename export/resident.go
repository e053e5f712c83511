package export

import (
	"container/list"

	"github.com/sftforge/sftforge/lang"
)

// fileState is a worker's knowledge of one file path: the differ that holds
// the file's last parse, and which version it holds.
type fileState struct {
	path   string
	differ lang.Differ
	hash   string // blob hash of the version last fed
	size   int64  // bytes of that version
}

// A ReleasingDiffer can drop its heavy parse state (a parse tree) while
// keeping what it needs to diff the next version (the last items). The
// export calls Release on the least recently changed files when the
// workers' memory budget is exceeded; the next Next then parses from
// scratch instead of incrementally.
type ReleasingDiffer interface {
	lang.Differ
	Release()
}

// residentFiles keeps a worker's file states within a memory budget,
// measured in source bytes of the versions whose parse trees are held:
// trees cost a roughly constant multiple of their source. When the budget
// is exceeded, the least recently used files are released (their trees
// freed, their items kept) or, for differs that cannot release, closed and
// forgotten; a forgotten file seen again is re-parsed from its old
// version. The budget trades memory for time and never changes the output.
type residentFiles struct {
	budget   int64 // 0 means no limit
	bytes    int64
	byPath   map[string]*list.Element
	lru      list.List             // front: most recently used; values are *fileState
	released map[string]*fileState // states whose trees were freed
}

func newResidentFiles(budget int64) *residentFiles {
	return &residentFiles{budget: budget, byPath: map[string]*list.Element{}, released: map[string]*fileState{}}
}

// take removes and returns the state of path, or nil.
func (r *residentFiles) take(path string) *fileState {
	if st, ok := r.released[path]; ok {
		delete(r.released, path)
		return st
	}
	e, ok := r.byPath[path]
	if !ok {
		return nil
	}
	delete(r.byPath, path)
	st := r.lru.Remove(e).(*fileState)
	r.bytes -= st.size
	return st
}

// put stores st as the most recently used file and frees the least
// recently used others while the budget is exceeded.
func (r *residentFiles) put(st *fileState) {
	r.byPath[st.path] = r.lru.PushFront(st)
	r.bytes += st.size
	for r.budget > 0 && r.bytes > r.budget && r.lru.Len() > 1 {
		old := r.take(r.lru.Back().Value.(*fileState).path)
		if rd, ok := old.differ.(ReleasingDiffer); ok {
			rd.Release()
			r.released[old.path] = old
		} else {
			old.differ.Close()
		}
	}
}

// closeAll closes every differ.
func (r *residentFiles) closeAll() {
	for e := r.lru.Front(); e != nil; e = e.Next() {
		e.Value.(*fileState).differ.Close()
	}
	for _, st := range r.released {
		st.differ.Close()
	}
	r.lru.Init()
	r.byPath = map[string]*list.Element{}
	r.released = map[string]*fileState{}
	r.bytes = 0
}
