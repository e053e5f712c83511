package gitlog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// readerCacheSize is the go-git object cache of each reader; it doubles as
// the delta base cache, so it decides how often delta chains are re-read.
const readerCacheSize = 32 * cache.MiByte

// objectReader reads objects through one go-git filesystem storage: the
// fallback for objects the pack reader does not serve. go-git's pack reader
// keeps a seek position and is not safe for concurrent use, so each
// goroutine borrows its own reader from a [readerPool].
type objectReader struct {
	st *filesystem.Storage
}

// errTooLarge is returned by read when an object exceeds the size limit.
var errTooLarge = errors.New("object too large")

// read returns the contents of object h of type t. When max > 0 and the
// object is larger, it returns errTooLarge without reading the contents.
func (o *objectReader) read(t plumbing.ObjectType, h plumbing.Hash, max int64) ([]byte, error) {
	obj, err := o.st.EncodedObject(t, h)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", t, h, err)
	}
	size := obj.Size()
	if max > 0 && size > max {
		return nil, fmt.Errorf("%s %s: %d bytes: %w", t, h, size, errTooLarge)
	}
	rc, err := obj.Reader()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", t, h, err)
	}
	defer rc.Close()
	buf := make([]byte, size)
	if _, err := io.ReadFull(rc, buf); err != nil {
		return nil, fmt.Errorf("%s %s: corrupt object: %w", t, h, err)
	}
	return buf, nil
}

// readerPool hands out object readers, creating one when none is idle, so
// that every concurrent walker worker or Blob call has its own.
type readerPool struct {
	fs     billy.Filesystem
	mu     sync.Mutex
	idle   []*objectReader
	all    []*objectReader
	closed bool
}

func newReaderPool(fs billy.Filesystem) *readerPool {
	return &readerPool{fs: fs}
}

func (p *readerPool) get() (*objectReader, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, errors.New("repository is closed")
	}
	if n := len(p.idle); n > 0 {
		r := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return r, nil
	}
	r := &objectReader{st: newStorage(p.fs, readerCacheSize)}
	p.all = append(p.all, r)
	return r, nil
}

func (p *readerPool) put(r *objectReader) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		_ = r.st.Close()
		return
	}
	p.idle = append(p.idle, r)
}

func (p *readerPool) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	var errs []error
	for _, r := range p.all {
		errs = append(errs, r.st.Close())
	}
	p.all, p.idle = nil, nil
	return errors.Join(errs...)
}

// generationCache is an approximate LRU: entries live in a young and an old
// map; when the young map's cost reaches half the budget it becomes the old
// one and the previous old map is dropped. A hit in the old map moves the
// entry to the young one. It is safe for concurrent use.
type generationCache[K comparable, V any] struct {
	mu         sync.Mutex
	young, old map[K]V
	youngCost  int64
	budget     int64
	cost       func(V) int64
}

func newGenerationCache[K comparable, V any](budget int64, cost func(V) int64) *generationCache[K, V] {
	return &generationCache[K, V]{
		young:  make(map[K]V),
		old:    make(map[K]V),
		budget: budget,
		cost:   cost,
	}
}

func (c *generationCache[K, V]) get(h K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.young[h]; ok {
		return v, true
	}
	v, ok := c.old[h]
	if ok {
		delete(c.old, h)
		c.addLocked(h, v)
	}
	return v, ok
}

func (c *generationCache[K, V]) add(h K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.young[h]; ok {
		return
	}
	c.addLocked(h, v)
}

func (c *generationCache[K, V]) addLocked(h K, v V) {
	cost := c.cost(v)
	if cost > c.budget/2 {
		return // would evict everything else
	}
	if c.youngCost+cost > c.budget/2 {
		c.old, c.young, c.youngCost = c.young, make(map[K]V, len(c.young)), 0
	}
	c.young[h] = v
	c.youngCost += cost
}

// clear drops every entry.
func (c *generationCache[K, V]) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.young, c.old, c.youngCost = make(map[K]V), make(map[K]V), 0
}

// treeCache keeps decoded trees; consecutive commits share most of them.
type treeCache = generationCache[plumbing.Hash, []treeEntry]

func newTreeCache(maxEntries int64) *treeCache {
	return newGenerationCache[plumbing.Hash](maxEntries, func(t []treeEntry) int64 { return int64(len(t)) + 1 })
}

// blobCache keeps recently read blob contents, so the new side of one
// commit serves as the old side of the next, and deduplicates concurrent
// reads of the same blob.
type blobCache struct {
	contents *generationCache[plumbing.Hash, []byte]
	mu       sync.Mutex
	inflight map[plumbing.Hash]*blobCall
}

type blobCall struct {
	done chan struct{}
	b    []byte
	err  error
}

func newBlobCache(budget int64) *blobCache {
	return &blobCache{
		contents: newGenerationCache[plumbing.Hash](budget, func(b []byte) int64 { return int64(len(b)) + 64 }),
		inflight: make(map[plumbing.Hash]*blobCall),
	}
}

// get returns blob h from the cache or loads it once with load, even when
// several goroutines ask for it at the same time. Errors are not cached.
func (c *blobCache) get(h plumbing.Hash, load func() ([]byte, error)) ([]byte, error) {
	if b, ok := c.contents.get(h); ok {
		return b, nil
	}
	c.mu.Lock()
	if call, ok := c.inflight[h]; ok {
		c.mu.Unlock()
		<-call.done
		return call.b, call.err
	}
	call := &blobCall{done: make(chan struct{})}
	c.inflight[h] = call
	c.mu.Unlock()

	call.b, call.err = load()
	if call.err == nil {
		c.contents.add(h, call.b)
	}
	c.mu.Lock()
	delete(c.inflight, h)
	c.mu.Unlock()
	close(call.done)
	return call.b, call.err
}

// Blob returns the contents of the blob with the given hex hash. It is safe
// for concurrent use; recently read blobs come from a cache, so callers must
// not modify the returned slice.
func (r *Repository) Blob(hash string) ([]byte, error) {
	h, err := parseHash(hash)
	if err != nil {
		return nil, fmt.Errorf("gitlog: blob %q: %w", hash, err)
	}
	b, err := r.readBlob(h, 0)
	if err != nil {
		return nil, fmt.Errorf("gitlog: %w", err)
	}
	return b, nil
}

// readBlob reads blob h through the blob cache.
func (r *Repository) readBlob(h plumbing.Hash, max int64) ([]byte, error) {
	if max > 0 {
		if b, ok := r.blobs.contents.get(h); ok {
			if int64(len(b)) > max {
				return nil, fmt.Errorf("blob %s: %d bytes: %w", h, len(b), errTooLarge)
			}
			return b, nil
		}
	}
	return r.blobs.get(h, func() ([]byte, error) {
		return r.readObject(plumbing.BlobObject, h, max)
	})
}

// readObject reads object h of type t from the packs, or else through a
// go-git storage borrowed from the pool (loose objects, alternates).
func (r *Repository) readObject(t plumbing.ObjectType, h plumbing.Hash, max int64) ([]byte, error) {
	if r.packs != nil {
		b, err := r.packs.read(t, h, max)
		if !errors.Is(err, errNotPacked) {
			return b, err
		}
	}
	rd, err := r.readers.get()
	if err != nil {
		return nil, err
	}
	defer r.readers.put(rd)
	return rd.read(t, h, max)
}

// parseHash parses a 40-character hex object hash.
func parseHash(s string) (plumbing.Hash, error) {
	var h plumbing.Hash
	if len(s) != 2*len(h) {
		return h, fmt.Errorf("not a %d-character hex object hash", 2*len(h))
	}
	if !plumbing.IsHash(s) {
		return h, errors.New("not a hex object hash")
	}
	return plumbing.NewHash(s), nil
}

// treeEntry is one entry of a decoded tree object.
type treeEntry struct {
	name string
	mode uint32
	hash plumbing.Hash
}

const (
	modeTypeMask = 0o170000
	modeDir      = 0o040000
	modeGitlink  = 0o160000
)

func (e *treeEntry) isDir() bool     { return e.mode&modeTypeMask == modeDir }
func (e *treeEntry) isGitlink() bool { return e.mode&modeTypeMask == modeGitlink }

// parseTree decodes a raw tree object: entries "<octal mode> <name>\x00<20
// byte hash>", in git's order.
func parseTree(raw []byte) ([]treeEntry, error) {
	hashLen := len(plumbing.ZeroHash)
	// Trees are kept in the tree cache: allocate the entries there are
	// (counted first), not what append's doubling would leave spare.
	n := 0
	for off := 0; off < len(raw); n++ {
		nul := bytes.IndexByte(raw[off:], 0)
		if nul < 0 {
			break // corrupt: the loop below says how
		}
		off += nul + 1 + hashLen
	}
	entries := make([]treeEntry, 0, n)
	// The names are substrings of one copy of the object: one allocation
	// per tree rather than one per entry.
	text := string(raw)
	for off := 0; off < len(raw); {
		sp := bytes.IndexByte(raw[off:], ' ')
		if sp <= 0 {
			return nil, fmt.Errorf("corrupt tree: entry at byte %d has no mode", off)
		}
		var mode uint32
		for _, c := range raw[off : off+sp] {
			if c < '0' || c > '7' || mode > 0o7777777 {
				return nil, fmt.Errorf("corrupt tree: entry at byte %d has bad mode %q", off, raw[off:off+sp])
			}
			mode = mode<<3 | uint32(c-'0')
		}
		nameStart := off + sp + 1
		nul := bytes.IndexByte(raw[nameStart:], 0)
		if nul <= 0 {
			return nil, fmt.Errorf("corrupt tree: entry at byte %d has no name", off)
		}
		hashStart := nameStart + nul + 1
		if hashStart+hashLen > len(raw) {
			return nil, fmt.Errorf("corrupt tree: entry at byte %d is truncated", off)
		}
		e := treeEntry{name: text[nameStart : nameStart+nul], mode: mode}
		copy(e.hash[:], raw[hashStart:hashStart+hashLen])
		entries = append(entries, e)
		off = hashStart + hashLen
	}
	return entries, nil
}

// tree returns the decoded tree h (nil for the zero hash) from the cache or
// the object store.
func (r *Repository) tree(h plumbing.Hash) ([]treeEntry, error) {
	if h.IsZero() {
		return nil, nil
	}
	if t, ok := r.trees.get(h); ok {
		return t, nil
	}
	raw, err := r.readObject(plumbing.TreeObject, h, 0)
	if err != nil {
		return nil, err
	}
	t, err := parseTree(raw)
	if err != nil {
		return nil, fmt.Errorf("tree %s: %w", h, err)
	}
	r.trees.add(h, t)
	return t, nil
}
