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
package linediff

import (
	"bytes"
	"slices"
	"unsafe"
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
func Lines(old, new []byte) []Hunk { return lines(old, new, false) }

// LinesMinimal returns the hunks of a minimal diff: the fewest added plus
// deleted lines (a longest common subsequence of lines).
func LinesMinimal(old, new []byte) []Hunk { return lines(old, new, true) }

func lines(old, new []byte, minimal bool) []Hunk {
	ol, nl := SplitLines(old), SplitLines(new)
	// Common prefix and suffix lines need no interning.
	pre := 0
	for pre < len(ol) && pre < len(nl) && bytes.Equal(ol[pre], nl[pre]) {
		pre++
	}
	suf := 0
	for suf < len(ol)-pre && suf < len(nl)-pre && bytes.Equal(ol[len(ol)-1-suf], nl[len(nl)-1-suf]) {
		suf++
	}
	var ms []match
	if minimal {
		a, b := intern(ol[pre:len(ol)-suf], nl[pre:len(nl)-suf])
		ms = matches(a, b, nil, nil)
	} else {
		a, b, all1, all2 := internCounting(ol, nl, pre, suf)
		ms = matches(a, b, all1, all2)
	}
	for k := range ms {
		ms[k].i += pre
		ms[k].j += pre
	}
	return hunks(ms, pre, pre, len(ol)-suf, len(nl)-suf)
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

// intern maps every distinct line to a small integer so that comparisons in
// the diff are integer comparisons. The map keys alias the input bytes
// (nothing is copied): the inputs are not modified while a diff runs.
func intern(oldLines, newLines [][]byte) (a, b []int) {
	ids := make(map[string]int, len(oldLines)+len(newLines))
	id := func(l []byte) int {
		key := unsafe.String(unsafe.SliceData(l), len(l))
		if v, ok := ids[key]; ok {
			return v
		}
		v := len(ids)
		ids[key] = v
		return v
	}
	a = make([]int, len(oldLines))
	for i, l := range oldLines {
		a[i] = id(l)
	}
	b = make([]int, len(newLines))
	for i, l := range newLines {
		b[i] = id(l)
	}
	return a, b
}

// internCounting interns every line of both texts (git counts occurrences
// over whole files) and returns the IDs of the middle parts (without the
// pre common leading and suf common trailing lines) with the number of
// occurrences of each ID in the whole old and new texts.
func internCounting(ol, nl [][]byte, pre, suf int) (a, b []int, count1, count2 []int) {
	all1, all2 := intern(ol, nl)
	n := 0
	for _, v := range all1 {
		n = max(n, v+1)
	}
	for _, v := range all2 {
		n = max(n, v+1)
	}
	count1, count2 = make([]int, n), make([]int, n)
	for _, v := range all1 {
		count1[v]++
	}
	for _, v := range all2 {
		count2[v]++
	}
	return all1[pre : len(all1)-suf], all2[pre : len(all2)-suf], count1, count2
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

// keepLines marks which lines of a take part in the diff, as xdiff's
// xdl_cleanup_records does: a line with no occurrence in the other text is
// dropped; a line occurring at least min(sqrt(total), 1024) times there is
// dropped when it sits in a run of such lines and unmatched ones.
func keepLines(a []int, total int, otherCount []int) []bool {
	mlim := min(bogoSqrt(total), maxEqLimit)
	dis := make([]uint8, len(a))
	for i, v := range a {
		switch nm := otherCount[v]; {
		case nm == 0:
			dis[i] = 0
		case nm >= mlim:
			dis[i] = 2
		default:
			dis[i] = 1
		}
	}
	keep := make([]bool, len(a))
	for i := range a {
		keep[i] = dis[i] == 1 || dis[i] == 2 && !cleanMultiMatch(dis, i, 0, len(a)-1)
	}
	return keep
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

// match is a pair of equal lines: a[i] == b[j].
type match struct{ i, j int }

// matches returns a common subsequence of a and b as index pairs sorted by
// i (and j): a longest one when count1 and count2 are nil, else the one
// git finds after setting aside frequent lines (see keepLines); count1 and
// count2 count each line ID in the whole old and new texts.
func matches(a, b []int, count1, count2 []int) []match {
	var out []match
	// Common prefix and suffix.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		out = append(out, match{pre, pre})
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(ma) > 0 && len(mb) > 0 {
		// Lines present on one side only can never match: leave them out of
		// the search and map the indices back afterwards. Line IDs are
		// dense, so presence is a slice lookup.
		maxID := 0
		for _, v := range ma {
			maxID = max(maxID, v)
		}
		for _, v := range mb {
			maxID = max(maxID, v)
		}
		var keepA, keepB []bool
		if count1 != nil {
			keepA = keepLines(ma, sum(count1), count2)
			keepB = keepLines(mb, sum(count2), count1)
		} else {
			side := make([]uint8, maxID+1) // bit 1: in ma, bit 2: in mb
			for _, v := range ma {
				side[v] |= 1
			}
			for _, v := range mb {
				side[v] |= 2
			}
			keepA, keepB = make([]bool, len(ma)), make([]bool, len(mb))
			for i, v := range ma {
				keepA[i] = side[v] == 3
			}
			for j, v := range mb {
				keepB[j] = side[v] == 3
			}
		}
		fa, ia := make([]int, 0, len(ma)), make([]int, 0, len(ma))
		for i, v := range ma {
			if keepA[i] {
				fa = append(fa, v)
				ia = append(ia, i+pre)
			}
		}
		fb, ib := make([]int, 0, len(mb)), make([]int, 0, len(mb))
		for j, v := range mb {
			if keepB[j] {
				fb = append(fb, v)
				ib = append(ib, j+pre)
			}
		}
		if len(fa) > 0 && len(fb) > 0 {
			m := &myers{a: fa, b: fb}
			m.compare(0, len(fa), 0, len(fb))
			slices.SortFunc(m.out, func(x, y match) int { return x.i - y.i })
			for _, p := range m.out {
				out = append(out, match{ia[p.i], ib[p.j]})
			}
		}
	}
	for k := suf; k > 0; k-- {
		out = append(out, match{len(a) - k, len(b) - k})
	}
	return out
}

func sum(v []int) int {
	n := 0
	for _, x := range v {
		n += x
	}
	return n
}

// hunks turns the matched pairs into the runs of unmatched lines between
// them, from line (i, j) to line (n, m) of the old and new texts.
func hunks(ms []match, i, j, n, m int) []Hunk {
	var out []Hunk
	emit := func(ni, nj int) {
		if ni > i || nj > j {
			out = append(out, Hunk{OldStart: i, OldLines: ni - i, NewStart: j, NewLines: nj - j})
		}
	}
	for _, p := range ms {
		emit(p.i, p.j)
		i, j = p.i+1, p.j+1
	}
	emit(n, m)
	return out
}

// myers holds the state of one linear-space Myers diff.
type myers struct {
	a, b   []int
	vf, vb []int
	out    []match
}

// compare finds the matches of a[aLo:aHi] and b[bLo:bHi].
func (m *myers) compare(aLo, aHi, bLo, bHi int) {
	for {
		for aLo < aHi && bLo < bHi && m.a[aLo] == m.b[bLo] {
			m.out = append(m.out, match{aLo, bLo})
			aLo++
			bLo++
		}
		for aLo < aHi && bLo < bHi && m.a[aHi-1] == m.b[bHi-1] {
			aHi--
			bHi--
			m.out = append(m.out, match{aHi, bHi})
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
	off := maxD + 1
	if need := 2*maxD + 3; cap(m.vf) < need {
		m.vf = make([]int, need)
		m.vb = make([]int, need)
	}
	vf, vb := m.vf[:2*maxD+3], m.vb[:2*maxD+3]
	vf[off+1], vb[off+1] = 0, 0
	delta := n - mm
	odd := delta&1 != 0
	a, b := m.a, m.b
	for d := 0; d <= (maxD+1)/2; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && vf[off+k-1] < vf[off+k+1]) {
				x = vf[off+k+1]
			} else {
				x = vf[off+k-1] + 1
			}
			y := x - k
			for x < n && y < mm && a[aLo+x] == b[bLo+y] {
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
			for x < n && y < mm && a[aHi-1-x] == b[bHi-1-y] {
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
