// Package linediff computes line-level differences between two texts.
//
// It implements Myers' O(ND) algorithm in linear space (the "middle snake"
// refinement), the same family of algorithm as git's default diff, so the
// added and deleted line counts it reports match `git diff --numstat` for
// ordinary inputs. Lines are compared byte for byte including their line
// terminator, so a final line without a newline differs from the same line
// with one, as in git.
//
// Before running Myers it trims the common prefix and suffix and sets aside
// lines that occur on only one side (they can never be part of a common
// subsequence); this keeps typical source-file edits close to linear time.
//
// [GitHunks] gives the hunks exactly where `git diff` prints them: the same
// preparation, then xdiff's own search and its sliding of hunks ([Slide]),
// for renderers that must reproduce git's patches byte for byte.
package linediff

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math"
	"math/bits"
	"sync"
)

// Hunk is one run of changed lines: OldLines lines starting at OldStart in
// the old text were replaced by NewLines lines starting at NewStart in the
// new text. Starts are 0-based line indices; a pure insertion has OldLines
// 0 and OldStart at the line before which the new lines go, a pure deletion
// has NewLines 0.
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
}

// SplitLines splits b into lines, each keeping its trailing "\n". A final
// line without a newline is returned as is; an empty input has no lines.
func SplitLines(b []byte) [][]byte {
	if len(b) == 0 {
		return nil
	}
	lines := make([][]byte, 0, bytes.Count(b, []byte{'\n'})+1)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			lines = append(lines, b)
			break
		}
		lines = append(lines, b[:i+1:i+1])
		b = b[i+1:]
	}
	return lines
}

// LineStarts returns the byte offset at which each line of b starts, plus a
// final entry equal to len(b), so line i spans [starts[i], starts[i+1]).
func LineStarts(b []byte) []int {
	starts := make([]int, 0, bytes.Count(b, []byte{'\n'})+2)
	off := 0
	for off < len(b) {
		starts = append(starts, off)
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			off = len(b)
			break
		}
		off += i + 1
	}
	return append(starts, len(b))
}

// Lines returns the hunks that turn old into new, in order, as git's diff
// finds them: like git's xdiff, it sets aside lines that occur very often
// in the other text (closing braces, blank lines) when they sit in runs of
// lines that have no match at all, so its counts follow `git diff
// --numstat` rather than the strictly minimal diff. Equal inputs give no
// hunks.
func Lines(old, new []byte) []Hunk { return lines(old, new, false, false) }

// LinesMinimal returns the hunks of a minimal diff: the fewest added plus
// deleted lines (a longest common subsequence of lines).
func LinesMinimal(old, new []byte) []Hunk { return lines(old, new, true, false) }

// lines computes Lines (minimal false) or LinesMinimal (minimal true);
// with gitSplit the search is xdiff's own (see [GitHunks]).
//
// Only cheap, vectorized passes (comparing bytes, counting newlines) run
// over the whole inputs: the common leading and trailing lines are found by
// comparing bytes, without splitting the texts into lines. Only the lines
// in between (the middle parts) are interned; the common lines are merely
// looked up, to count how often each middle line occurs in the whole
// texts, which is what git's setting aside of frequent lines depends on.
func lines(old, new []byte, minimal, gitSplit bool) []Hunk {
	preBytes := commonPrefixLines(old, new)
	if preBytes == len(old) && preBytes == len(new) {
		return nil // equal inputs
	}
	sufBytes := commonSuffixLines(old[preBytes:], new[preBytes:])
	prefix, suffix := old[:preBytes], old[len(old)-sufBytes:]
	oldMid, newMid := old[preBytes:len(old)-sufBytes], new[preBytes:len(new)-sufBytes]
	// The common prefix ends with a newline (else it would cover the whole,
	// equal, inputs), so its newlines count its lines.
	pre := bytes.Count(prefix, newline)
	na, nb := countLines(oldMid), countLines(newMid)
	if na == 0 || nb == 0 {
		// Nothing can match: one hunk (the middle parts are not both
		// empty, else the inputs would be equal).
		return []Hunk{{OldStart: pre, OldLines: na, NewStart: pre, NewLines: nb}}
	}
	if na+nb > math.MaxInt32 {
		// Line IDs and indexes are int32 to halve the memory traffic.
		panic("linediff: more than 2^31-1 differing lines")
	}

	s := statePool.Get().(*state)
	defer s.release()
	t := &s.table
	t.reset(na + nb)

	// All the int32 slices share one reused backing array; none needs
	// zeroing, as each is written before it is read.
	if need := 3*(na+nb) + na; cap(s.ints) < need {
		s.ints = make([]int32, need)
	}
	arena := s.ints
	carve := func(k int) []int32 {
		c := arena[:k:k]
		arena = arena[k:]
		return c
	}
	a, b := carve(na), carve(nb) // the IDs of the middle lines
	t.internOld(oldMid, a)
	t.internNew(newMid, b, a)

	// The lines of a and b that take part in the search (fa, fb) and their
	// indexes in a and b (ia, ib).
	fa, ia, fb, ib := carve(na)[:0], carve(na)[:0], carve(nb)[:0], carve(nb)[:0]
	if minimal {
		// Keep the lines that occur on both sides: the others can never
		// match.
		for i, v := range a {
			if t.countB[v] > 0 {
				fa = append(fa, v)
				ia = append(ia, int32(i))
			}
		}
		for j, v := range b {
			if t.countA[v] > 0 {
				fb = append(fb, v)
				ib = append(ib, int32(j))
			}
		}
	} else {
		// git counts occurrences over the whole texts: add the common
		// leading and trailing lines (the same in both texts) to the counts
		// of the middle lines they equal. Common lines equal to no middle
		// line need no counting: they are not in a or b.
		t.buildFilter()
		t.countCommon(prefix)
		t.countCommon(suffix)
		suf := countLines(suffix)
		if cap(s.dis) < max(na, nb) {
			s.dis = make([]uint8, max(na, nb))
		}
		fa, ia = keepLines(a, pre+na+suf, t.countB, s.dis, fa, ia)
		fb, ib = keepLines(b, pre+nb+suf, t.countA, s.dis, fb, ib)
	}

	// mj[k] is the index in fb of the line matched with fa[k], or -1.
	mj := carve(len(fa))
	for k := range mj {
		mj[k] = -1
	}
	if gitSplit {
		xdiffCompare(fa, fb, mj)
	} else if len(fa) > 0 && len(fb) > 0 {
		m := &s.myers
		m.a, m.b, m.mj = fa, fb, mj
		m.compare(0, len(fa), 0, len(fb))
	}

	// The hunks are the runs of unmatched lines between matched ones.
	var out []Hunk
	i, j := 0, 0 // the next middle lines not yet covered
	emit := func(ni, nj int) {
		if ni > i || nj > j {
			out = append(out, Hunk{OldStart: pre + i, OldLines: ni - i, NewStart: pre + j, NewLines: nj - j})
		}
	}
	for k, jk := range mj {
		if jk >= 0 {
			mi, mjj := int(ia[k]), int(ib[jk])
			emit(mi, mjj)
			i, j = mi+1, mjj+1
		}
	}
	emit(na, nb)
	return out
}

// Stat returns the number of lines added and deleted between old and new,
// as `git diff --numstat` counts them.
func Stat(old, new []byte) (added, deleted int) {
	for _, h := range Lines(old, new) {
		added += h.NewLines
		deleted += h.OldLines
	}
	return added, deleted
}

// state is the working memory of one diff. It is reused across calls
// through statePool: the diff of two large files needs a few hundred
// kilobytes, and allocating and zeroing them anew for every pair of files
// cost a tenth of the time.
type state struct {
	ints  []int32 // the backing array of the int32 slices of lines
	dis   []uint8 // scratch space for keepLines
	table lineTable
	myers myers
}

var statePool = sync.Pool{New: func() any { return new(state) }}

// maxPooled bounds the size of state.ints (3 int32s per middle line, plus
// 1 per old one) for a state to go back to the pool, so that one huge diff
// does not pin its memory.
const maxPooled = 1 << 20

// release drops the references to the inputs and returns s to the pool.
func (s *state) release() {
	clear(s.table.lines)
	s.table.lines = s.table.lines[:0]
	s.myers.a, s.myers.b, s.myers.mj = nil, nil, nil
	if cap(s.ints) <= maxPooled {
		statePool.Put(s)
	}
}

var newline = []byte{'\n'}

// countLines returns the number of lines of b: its newlines, plus one for a
// final line without a newline.
func countLines(b []byte) int {
	n := bytes.Count(b, newline)
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}

// commonPrefixLines returns the length in bytes of the longest run of whole
// lines with which both a and b start: all of them when a and b are equal,
// else up to the last newline before their first difference.
func commonPrefixLines(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	// Skip equal blocks with the vectorized bytes.Equal, then find the
	// first differing byte eight at a time.
	const block = 256
	for i+block <= n && bytes.Equal(a[i:i+block], b[i:i+block]) {
		i += block
	}
	for ; i+8 <= n; i += 8 {
		if x := binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:]); x != 0 {
			i += bits.TrailingZeros64(x) / 8
			return bytes.LastIndexByte(a[:i], '\n') + 1
		}
	}
	for i < n && a[i] == b[i] {
		i++
	}
	if i == len(a) && i == len(b) {
		return i
	}
	return bytes.LastIndexByte(a[:i], '\n') + 1
}

// commonSuffixLines returns the length in bytes of the longest run of whole
// lines with which both a and b end. The line of a and the line of b that
// end where this run starts differ, but may end with the same bytes, which
// must not be counted: the run starts where both a and b start a line.
func commonSuffixLines(a, b []byte) int {
	la, lb := len(a), len(b)
	n := min(la, lb)
	s := 0 // the length of the common byte suffix
	const block = 256
	for s+block <= n && bytes.Equal(a[la-s-block:la-s], b[lb-s-block:lb-s]) {
		s += block
	}
	for s < n {
		if s+8 <= n {
			x := binary.BigEndian.Uint64(a[la-s-8:]) ^ binary.BigEndian.Uint64(b[lb-s-8:])
			if x == 0 {
				s += 8
				continue
			}
			s += bits.TrailingZeros64(x) / 8
			break
		}
		if a[la-s-1] != b[lb-s-1] {
			break
		}
		s++
	}
	// Inside the common suffix the line starts of a and b coincide; at its
	// start, a line starts in a (b) if a (b) starts there or a newline
	// precedes. Both can only hold when one of them is all suffix, as the
	// bytes before differ.
	if (s == la || a[la-s-1] == '\n') && (s == lb || b[lb-s-1] == '\n') {
		return s
	}
	// Else the run starts after the first newline of the common suffix.
	if i := bytes.IndexByte(a[la-s:], '\n'); i >= 0 {
		return s - i - 1
	}
	return 0
}

// lineTable interns lines: it gives each distinct line a dense ID, 0, 1,
// 2... in order of first appearance, so that the diff compares integers,
// and counts the occurrences of each. It is an open-addressing hash table
// with linear probing, kept at most half full. Lines are compared byte for
// byte on a hash match, so the IDs, and the diff, do not depend on the hash.
type lineTable struct {
	slots []slot
	mask  uint64
	// By ID: the line (aliasing the inputs, never copied), its number of
	// occurrences in the old and new texts, and the index in the old
	// middle part of its last occurrence there.
	lines          [][]byte
	countA, countB []int32
	last           []int32
	// filter is a bitmap with the bit sketch(line)>>filterShift set for
	// every interned line (see buildFilter), for lookups to pass over most
	// lines that are not there without hashing them.
	filter      []uint64
	filterShift uint
}

type slot struct {
	tag uint32 // the high half of the line's hash
	id  int32  // ID+1; 0 marks an empty slot
}

// hashSeed seeds the line hash. Any seed gives the same results.
var hashSeed = maphash.MakeSeed()

// reset empties t for interning n lines. The table starts with one slot
// per line (rounded up to a power of two), room for n/2 distinct lines:
// the middle parts of two versions of a file mostly repeat the same lines
// (typically 1 distinct line in 5), and a small table stays in the cache.
// It grows when needed.
func (t *lineTable) reset(n int) {
	size := 64
	for size < n {
		size <<= 1
	}
	if cap(t.slots) < size {
		t.slots = make([]slot, size)
	} else {
		t.slots = t.slots[:size]
		clear(t.slots)
	}
	t.mask = uint64(size - 1)
	t.lines = t.lines[:0]
	t.countA, t.countB, t.last = t.countA[:0], t.countB[:0], t.last[:0]
}

// intern returns the ID of line, adding it if it is new.
func (t *lineTable) intern(line []byte) int32 {
	h := maphash.Bytes(hashSeed, line)
	tag := uint32(h >> 32)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.id == 0 {
			id := int32(len(t.lines))
			s.tag, s.id = tag, id+1
			t.lines = append(t.lines, line)
			t.countA = append(t.countA, 0)
			t.countB = append(t.countB, 0)
			t.last = append(t.last, 0)
			if 2*len(t.lines) > len(t.slots) {
				t.grow()
			}
			return id
		}
		if s.tag == tag && bytes.Equal(t.lines[s.id-1], line) {
			return s.id - 1
		}
	}
}

// grow doubles the table.
func (t *lineTable) grow() {
	t.slots = make([]slot, 2*len(t.slots))
	t.mask = uint64(len(t.slots) - 1)
	for id, line := range t.lines {
		h := maphash.Bytes(hashSeed, line)
		i := h & t.mask
		for t.slots[i].id != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = slot{tag: uint32(h >> 32), id: int32(id) + 1}
	}
}

// sketch is a cheap hash of a line, from its length and three of its
// bytes: enough to tell apart most lines that differ, without reading them
// whole.
func sketch(line []byte) uint64 {
	n := len(line)
	x := uint64(n) ^ uint64(line[n/4])<<19 ^ uint64(line[n/2])<<11 ^ uint64(line[(3*n)/4])<<27
	return x * 0x9e3779b97f4a7c15
}

// buildFilter fills t.filter for the interned lines, with about 16 bits
// per line so that few bits are set.
func (t *lineTable) buildFilter() {
	logBits := uint(12)
	for logBits < 24 && 1<<logBits < 16*len(t.lines) {
		logBits++
	}
	words := 1 << (logBits - 6)
	if cap(t.filter) < words {
		t.filter = make([]uint64, words)
	} else {
		t.filter = t.filter[:words]
		clear(t.filter)
	}
	t.filterShift = 64 - logBits
	for _, line := range t.lines {
		x := sketch(line) >> t.filterShift
		t.filter[x/64] |= 1 << (x % 64)
	}
}

// lookup returns the ID of line, or -1 if it was never interned. It needs
// buildFilter after the last intern.
func (t *lineTable) lookup(line []byte) int32 {
	if x := sketch(line) >> t.filterShift; t.filter[x/64]&(1<<(x%64)) == 0 {
		return -1
	}
	h := maphash.Bytes(hashSeed, line)
	tag := uint32(h >> 32)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.id == 0 {
			return -1
		}
		if s.tag == tag && bytes.Equal(t.lines[s.id-1], line) {
			return s.id - 1
		}
	}
}

// nextLine splits the first line off text.
func nextLine(text []byte) (line, rest []byte) {
	if k := bytes.IndexByte(text, '\n'); k >= 0 {
		return text[:k+1], text[k+1:]
	}
	return text, nil
}

// internOld interns the lines of the old middle part text, storing their
// IDs in a (which has room for exactly these lines).
func (t *lineTable) internOld(text []byte, a []int32) {
	for i := range a {
		var line []byte
		line, text = nextLine(text)
		id := t.intern(line)
		a[i] = id
		t.countA[id]++
		t.last[id] = int32(i)
	}
}

// internNew interns the lines of the new middle part text, storing their
// IDs in b (which has room for exactly these lines), once the old middle
// part is interned in a.
//
// Most lines of the new text follow each other as in the old one, so it
// first tries the line that follows, in the old text, the one it last
// matched: comparing it with the text is cheaper than finding the end of
// the line, hashing it and probing the table. After a line that occurs
// once in the old text, it goes on after that occurrence. The IDs are the
// same as interning every line would give.
func (t *lineTable) internNew(text []byte, b, a []int32) {
	next := 0 // the index in a of the predicted line
	for j := range b {
		if next < len(a) {
			id := a[next]
			// A line without newline (the last one) is not predicted, as it
			// could be a prefix of a longer line of text.
			if l := t.lines[id]; l[len(l)-1] == '\n' && len(l) <= len(text) && bytes.Equal(text[:len(l)], l) {
				text = text[len(l):]
				b[j] = id
				t.countB[id]++
				next++
				continue
			}
		}
		var line []byte
		line, text = nextLine(text)
		id := t.intern(line)
		b[j] = id
		t.countB[id]++
		if t.countA[id] == 1 {
			next = int(t.last[id]) + 1
		} else {
			next++
		}
	}
}

// countCommon counts each line of text, a part common to both texts, in
// countA and countB if it was interned.
func (t *lineTable) countCommon(text []byte) {
	for len(text) > 0 {
		var line []byte
		line, text = nextLine(text)
		if id := t.lookup(line); id >= 0 {
			t.countA[id]++
			t.countB[id]++
		}
	}
}

// The constants of git's xdiff (xdiff/xprepare.c) for setting aside
// frequent lines.
const (
	maxEqLimit    = 1024 // XDL_MAX_EQLIMIT
	simScanWindow = 100  // XDL_SIMSCAN_WINDOW
	kpDisRun      = 4    // XDL_KPDIS_RUN
)

// bogoSqrt is xdiff's rough square root.
func bogoSqrt(n int) int {
	i := 1
	for ; n > 0; n >>= 2 {
		i <<= 1
	}
	return i
}

// keepLines appends to f the lines of a that take part in the diff, and to
// idx their indexes in a, as xdiff's xdl_cleanup_records selects them: a
// line with no occurrence in the other text is dropped; a line occurring at
// least min(sqrt(total), 1024) times there is dropped when it sits in a run
// of such lines and unmatched ones. total is the number of lines of a's
// whole text, otherCount[id] the occurrences of id in the other whole text;
// dis is scratch space of at least len(a).
func keepLines(a []int32, total int, otherCount []int32, dis []uint8, f, idx []int32) ([]int32, []int32) {
	mlim := int32(min(bogoSqrt(total), maxEqLimit))
	dis = dis[:len(a)]
	for i, v := range a {
		// 0: no match, 1: matched, 2: matched too often (mlim >= 1);
		// computed without branches, which mispredict a lot here.
		nm := otherCount[v]
		var d uint8
		if nm > 0 {
			d = 1
		}
		if nm >= mlim {
			d++
		}
		dis[i] = d
	}
	for i, v := range a {
		if dis[i] == 1 || dis[i] == 2 && !cleanMultiMatch(dis, i, 0, len(a)-1) {
			f = append(f, v)
			idx = append(idx, int32(i))
		}
	}
	return f, idx
}

// cleanMultiMatch is xdiff's xdl_clean_mmatch: whether the frequent line i
// should be dropped because the runs around it are mostly unmatched lines.
func cleanMultiMatch(dis []uint8, i, s, e int) bool {
	if i-s > simScanWindow {
		s = i - simScanWindow
	}
	if e-i > simScanWindow {
		e = i + simScanWindow
	}
	rdis0, rpdis0 := 0, 1
	for r := 1; i-r >= s; r++ {
		if dis[i-r] == 0 {
			rdis0++
		} else if dis[i-r] == 2 {
			rpdis0++
		} else {
			break
		}
	}
	if rdis0 == 0 {
		return false
	}
	rdis1, rpdis1 := 0, 1
	for r := 1; i+r <= e; r++ {
		if dis[i+r] == 0 {
			rdis1++
		} else if dis[i+r] == 2 {
			rpdis1++
		} else {
			break
		}
	}
	if rdis1 == 0 {
		return false
	}
	rdis1 += rdis0
	rpdis1 += rpdis0
	return rpdis1*kpDisRun < rpdis1+rdis1
}

// myers holds the state of one linear-space Myers diff of a and b.
type myers struct {
	a, b []int32
	// mj[i] is set to j when a[i] is matched with b[j]. Recording matches
	// by index keeps them in order without sorting.
	mj     []int32
	vf, vb []int
}

// compare finds the matches of a[aLo:aHi] and b[bLo:bHi].
func (m *myers) compare(aLo, aHi, bLo, bHi int) {
	for {
		for aLo < aHi && bLo < bHi && m.a[aLo] == m.b[bLo] {
			m.mj[aLo] = int32(bLo)
			aLo++
			bLo++
		}
		for aLo < aHi && bLo < bHi && m.a[aHi-1] == m.b[bHi-1] {
			aHi--
			bHi--
			m.mj[aHi] = int32(bHi)
		}
		if aLo == aHi || bLo == bHi {
			return
		}
		x, y := m.split(aLo, aHi, bLo, bHi)
		if (x == aLo && y == bLo) || (x == aHi && y == bHi) {
			return // cannot happen for trimmed inputs; never loop forever
		}
		// Recurse on the smaller half, loop on the other.
		if (x-aLo)+(y-bLo) < (aHi-x)+(bHi-y) {
			m.compare(aLo, x, bLo, y)
			aLo, bLo = x, y
		} else {
			m.compare(x, aHi, y, bHi)
			aHi, bHi = x, y
		}
	}
}

// split returns a point (x, y) on an optimal edit path from (aLo, bLo) to
// (aHi, bHi), found where the forward and backward searches meet.
func (m *myers) split(aLo, aHi, bLo, bHi int) (int, int) {
	n, mm := aHi-aLo, bHi-bLo
	maxD := n + mm
	// The searches go up to d = (maxD+1)/2 and read and write diagonals k
	// in [-d-1, d+1], at index off+k.
	off := (maxD+1)/2 + 1
	need := 2*off + 1
	if cap(m.vf) < need {
		m.vf = make([]int, need)
		m.vb = make([]int, need)
	}
	vf, vb := m.vf[:need], m.vb[:need]
	vf[off+1], vb[off+1] = 0, 0
	delta := n - mm
	odd := delta&1 != 0
	a, b := m.a[aLo:aHi], m.b[bLo:bHi]
	for d := 0; d <= (maxD+1)/2; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && vf[off+k-1] < vf[off+k+1]) {
				x = vf[off+k+1]
			} else {
				x = vf[off+k-1] + 1
			}
			y := x - k
			for x < n && y < mm && a[x] == b[y] {
				x++
				y++
			}
			vf[off+k] = x
			if odd {
				if kb := delta - k; kb >= -(d-1) && kb <= d-1 && x+vb[off+kb] >= n {
					return aLo + x, bLo + y
				}
			}
		}
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && vb[off+k-1] < vb[off+k+1]) {
				x = vb[off+k+1]
			} else {
				x = vb[off+k-1] + 1
			}
			y := x - k
			for x < n && y < mm && a[n-1-x] == b[mm-1-y] {
				x++
				y++
			}
			vb[off+k] = x
			if !odd {
				if kf := delta - k; kf >= -d && kf <= d && x+vf[off+kf] >= n {
					return aHi - x, bHi - y
				}
			}
		}
	}
	return aLo, bLo
}
