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
	"sort"
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

// Lines returns the hunks that turn old into new, in order. Equal inputs
// give no hunks.
func Lines(old, new []byte) []Hunk {
	a, b := intern(SplitLines(old), SplitLines(new))
	return hunks(matches(a, b), len(a), len(b))
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
// the diff are integer comparisons.
func intern(oldLines, newLines [][]byte) (a, b []int) {
	ids := make(map[string]int, len(oldLines))
	id := func(l []byte) int {
		if v, ok := ids[string(l)]; ok {
			return v
		}
		v := len(ids)
		ids[string(l)] = v
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

// match is a pair of equal lines: a[i] == b[j].
type match struct{ i, j int }

// matches returns a longest common subsequence of a and b as index pairs
// sorted by i (and j).
func matches(a, b []int) []match {
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
		// the search and map the indices back afterwards.
		inA := make(map[int]struct{}, len(ma))
		for _, v := range ma {
			inA[v] = struct{}{}
		}
		inB := make(map[int]struct{}, len(mb))
		for _, v := range mb {
			inB[v] = struct{}{}
		}
		var fa, fb, ia, ib []int
		for i, v := range ma {
			if _, ok := inB[v]; ok {
				fa = append(fa, v)
				ia = append(ia, i+pre)
			}
		}
		for j, v := range mb {
			if _, ok := inA[v]; ok {
				fb = append(fb, v)
				ib = append(ib, j+pre)
			}
		}
		if len(fa) > 0 && len(fb) > 0 {
			m := &myers{a: fa, b: fb}
			m.compare(0, len(fa), 0, len(fb))
			sort.Slice(m.out, func(x, y int) bool { return m.out[x].i < m.out[y].i })
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

// hunks turns the matched pairs into the runs of unmatched lines between them.
func hunks(ms []match, n, m int) []Hunk {
	var out []Hunk
	i, j := 0, 0
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
