package dataset

import "container/list"

// fileState is a worker's knowledge of one file path: the differ that holds
// the file's last parse, and which version it holds.
type fileState struct {
	path   string
	differ FileDiffer
	hash   string // blob hash of the version last fed
	size   int64  // bytes of that version
}

// residentFiles keeps a worker's file states within a memory budget,
// measured in source bytes of the versions held: parse trees cost a
// roughly constant multiple of their source. When the budget is exceeded
// the least recently used files are closed; a file seen again after that
// is re-parsed from its old version (a cold parse), so the budget trades
// memory for time and never changes the output.
type residentFiles struct {
	budget int64 // 0 means no limit
	bytes  int64
	byPath map[string]*list.Element
	lru    list.List // front: most recently used; values are *fileState
}

func newResidentFiles(budget int64) *residentFiles {
	return &residentFiles{budget: budget, byPath: map[string]*list.Element{}}
}

// take removes and returns the state of path, or nil.
func (r *residentFiles) take(path string) *fileState {
	e, ok := r.byPath[path]
	if !ok {
		return nil
	}
	delete(r.byPath, path)
	st := r.lru.Remove(e).(*fileState)
	r.bytes -= st.size
	return st
}

// put stores st as the most recently used file and closes the least
// recently used others while the budget is exceeded.
func (r *residentFiles) put(st *fileState) {
	r.byPath[st.path] = r.lru.PushFront(st)
	r.bytes += st.size
	for r.budget > 0 && r.bytes > r.budget && r.lru.Len() > 1 {
		old := r.lru.Back().Value.(*fileState)
		r.take(old.path).differ.Close()
	}
}

// closeAll closes every differ.
func (r *residentFiles) closeAll() {
	for e := r.lru.Front(); e != nil; e = e.Next() {
		e.Value.(*fileState).differ.Close()
	}
	r.lru.Init()
	r.byPath = map[string]*list.Element{}
	r.bytes = 0
}
