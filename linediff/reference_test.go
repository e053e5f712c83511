package linediff

// This file keeps a verbatim copy (identifiers prefixed "ref") of the
// implementation of lines() as of commit f599b4c, before it was rewritten
// for speed. The tests check that Lines and LinesMinimal return exactly the
// hunks this reference returns, and the benchmarks compare against it.

import (
	"bytes"
	"slices"
	"unsafe"
)

// refSplitLines is SplitLines as of f599b4c.
func refSplitLines(b []byte) [][]byte {
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

// refLines is lines as of f599b4c.
func refLines(old, new []byte, minimal bool) []Hunk {
	ol, nl := refSplitLines(old), refSplitLines(new)
	// Common prefix and suffix lines need no interning.
	pre := 0
	for pre < len(ol) && pre < len(nl) && bytes.Equal(ol[pre], nl[pre]) {
		pre++
	}
	suf := 0
	for suf < len(ol)-pre && suf < len(nl)-pre && bytes.Equal(ol[len(ol)-1-suf], nl[len(nl)-1-suf]) {
		suf++
	}
	var ms []refMatch
	if minimal {
		a, b := refIntern(ol[pre:len(ol)-suf], nl[pre:len(nl)-suf])
		ms = refMatches(a, b, nil, nil)
	} else {
		a, b, all1, all2 := refInternCounting(ol, nl, pre, suf)
		ms = refMatches(a, b, all1, all2)
	}
	for k := range ms {
		ms[k].i += pre
		ms[k].j += pre
	}
	return refHunks(ms, pre, pre, len(ol)-suf, len(nl)-suf)
}

// refIntern maps every distinct line to a small integer so that comparisons in
// the diff are integer comparisons. The map keys alias the input bytes
// (nothing is copied): the inputs are not modified while a diff runs.
func refIntern(oldLines, newLines [][]byte) (a, b []int) {
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

// refInternCounting interns every line of both texts (git counts occurrences
// over whole files) and returns the IDs of the middle parts (without the
// pre common leading and suf common trailing lines) with the number of
// occurrences of each ID in the whole old and new texts.
func refInternCounting(ol, nl [][]byte, pre, suf int) (a, b []int, count1, count2 []int) {
	all1, all2 := refIntern(ol, nl)
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
	refMaxEqLimit    = 1024 // XDL_MAX_EQLIMIT
	refSimScanWindow = 100  // XDL_SIMSCAN_WINDOW
	refKpDisRun      = 4    // XDL_KPDIS_RUN
)

// refBogoSqrt is xdiff's rough square root.
func refBogoSqrt(n int) int {
	i := 1
	for ; n > 0; n >>= 2 {
		i <<= 1
	}
	return i
}

// refKeepLines marks which lines of a take part in the diff, as xdiff's
// xdl_cleanup_records does: a line with no occurrence in the other text is
// dropped; a line occurring at least min(sqrt(total), 1024) times there is
// dropped when it sits in a run of such lines and unmatched ones.
func refKeepLines(a []int, total int, otherCount []int) []bool {
	mlim := min(refBogoSqrt(total), refMaxEqLimit)
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
		keep[i] = dis[i] == 1 || dis[i] == 2 && !refCleanMultiMatch(dis, i, 0, len(a)-1)
	}
	return keep
}

// refCleanMultiMatch is xdiff's xdl_clean_mmatch: whether the frequent line i
// should be dropped because the runs around it are mostly unmatched lines.
func refCleanMultiMatch(dis []uint8, i, s, e int) bool {
	if i-s > refSimScanWindow {
		s = i - refSimScanWindow
	}
	if e-i > refSimScanWindow {
		e = i + refSimScanWindow
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
	return rpdis1*refKpDisRun < rpdis1+rdis1
}

// refMatch is a pair of equal lines: a[i] == b[j].
type refMatch struct{ i, j int }

// refMatches returns a common subsequence of a and b as index pairs sorted by
// i (and j): a longest one when count1 and count2 are nil, else the one
// git finds after setting aside frequent lines (see refKeepLines); count1 and
// count2 count each line ID in the whole old and new texts.
func refMatches(a, b []int, count1, count2 []int) []refMatch {
	var out []refMatch
	// Common prefix and suffix.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		out = append(out, refMatch{pre, pre})
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
			keepA = refKeepLines(ma, refSum(count1), count2)
			keepB = refKeepLines(mb, refSum(count2), count1)
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
			m := &refMyers{a: fa, b: fb}
			m.compare(0, len(fa), 0, len(fb))
			slices.SortFunc(m.out, func(x, y refMatch) int { return x.i - y.i })
			for _, p := range m.out {
				out = append(out, refMatch{ia[p.i], ib[p.j]})
			}
		}
	}
	for k := suf; k > 0; k-- {
		out = append(out, refMatch{len(a) - k, len(b) - k})
	}
	return out
}

func refSum(v []int) int {
	n := 0
	for _, x := range v {
		n += x
	}
	return n
}

// refHunks turns the matched pairs into the runs of unmatched lines between
// them, from line (i, j) to line (n, m) of the old and new texts.
func refHunks(ms []refMatch, i, j, n, m int) []Hunk {
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

// refMyers holds the state of one linear-space Myers diff.
type refMyers struct {
	a, b   []int
	vf, vb []int
	out    []refMatch
}

// compare finds the matches of a[aLo:aHi] and b[bLo:bHi].
func (m *refMyers) compare(aLo, aHi, bLo, bHi int) {
	for {
		for aLo < aHi && bLo < bHi && m.a[aLo] == m.b[bLo] {
			m.out = append(m.out, refMatch{aLo, bLo})
			aLo++
			bLo++
		}
		for aLo < aHi && bLo < bHi && m.a[aHi-1] == m.b[bHi-1] {
			aHi--
			bHi--
			m.out = append(m.out, refMatch{aHi, bHi})
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
func (m *refMyers) split(aLo, aHi, bLo, bHi int) (int, int) {
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
