package linediff

// GitHunks returns the hunks `git diff` prints for old and new: the same
// preparation as [Lines] (common ends trimmed, lines git sets aside set
// aside), then the search of git's xdiff itself (xdl_recs_cmp and
// xdl_split with their cost heuristics), whose choice among equally short
// diffs is git's, then [Slide]. The counts are those of Lines for ordinary
// inputs; only where several diffs are equally short may the hunks sit
// elsewhere.
func GitHunks(old, new []byte) []Hunk {
	hunks := lines(old, new, false, true)
	if len(hunks) == 0 {
		return hunks
	}
	return Slide(SplitLines(old), SplitLines(new), hunks)
}

// The constants of xdiff's search (xdiff/xdiffi.c).
const (
	xdlMaxCostMin  = 256
	xdlHeurMinCost = 256
	xdlSnakeCnt    = 20
	xdlKHeur       = 4
	xdlLineMax     = int(^uint(0) >> 1)
)

// xdiffCompare records in mj the matches xdiff finds between a and b.
func xdiffCompare(a, b, mj []int32) {
	if len(a) == 0 || len(b) == 0 {
		return
	}
	ndiags := len(a) + len(b) + 3
	kvd := make([]int, 2*ndiags+2)
	x := &xdiffEnv{
		a: a, b: b, mj: mj,
		kvdf: kvd[:ndiags], kvdb: kvd[ndiags:],
		koff:   len(b) + 1,
		mxcost: max(bogoSqrt(ndiags), xdlMaxCostMin),
	}
	x.recsCmp(0, len(a), 0, len(b), false)
}

type xdiffEnv struct {
	a, b       []int32
	mj         []int32
	kvdf, kvdb []int // diagonal d at index koff+d
	koff       int
	mxcost     int
}

func (x *xdiffEnv) recsCmp(off1, lim1, off2, lim2 int, needMin bool) {
	a, b := x.a, x.b
	for off1 < lim1 && off2 < lim2 && a[off1] == b[off2] {
		x.mj[off1] = int32(off2)
		off1++
		off2++
	}
	for off1 < lim1 && off2 < lim2 && a[lim1-1] == b[lim2-1] {
		lim1--
		lim2--
		x.mj[lim1] = int32(lim2)
	}
	if off1 == lim1 || off2 == lim2 {
		return
	}
	i1, i2, minLo, minHi := x.split(off1, lim1, off2, lim2, needMin)
	x.recsCmp(off1, i1, off2, i2, minLo)
	x.recsCmp(i1, lim1, i2, lim2, minHi)
}

// split is xdl_split: a point on a (near) shortest edit path through the
// box, and whether each half must be searched for the shortest path.
func (x *xdiffEnv) split(off1, lim1, off2, lim2 int, needMin bool) (int, int, bool, bool) {
	a, b := x.a, x.b
	kf := func(d int) *int { return &x.kvdf[x.koff+d] }
	kb := func(d int) *int { return &x.kvdb[x.koff+d] }
	dmin, dmax := off1-lim2, lim1-off2
	fmid, bmid := off1-off2, lim1-lim2
	odd := (fmid-bmid)&1 != 0
	fmin, fmax := fmid, fmid
	bmin, bmax := bmid, bmid
	*kf(fmid) = off1
	*kb(bmid) = lim1
	for ec := 1; ; ec++ {
		gotSnake := false
		if fmin > dmin {
			fmin--
			*kf(fmin - 1) = -1
		} else {
			fmin++
		}
		if fmax < dmax {
			fmax++
			*kf(fmax + 1) = -1
		} else {
			fmax--
		}
		for d := fmax; d >= fmin; d -= 2 {
			var i1 int
			if *kf(d - 1) >= *kf(d + 1) {
				i1 = *kf(d - 1) + 1
			} else {
				i1 = *kf(d + 1)
			}
			prev1 := i1
			i2 := i1 - d
			for i1 < lim1 && i2 < lim2 && a[i1] == b[i2] {
				i1++
				i2++
			}
			if i1-prev1 > xdlSnakeCnt {
				gotSnake = true
			}
			*kf(d) = i1
			if odd && bmin <= d && d <= bmax && *kb(d) <= i1 {
				return i1, i2, true, true
			}
		}
		if bmin > dmin {
			bmin--
			*kb(bmin - 1) = xdlLineMax
		} else {
			bmin++
		}
		if bmax < dmax {
			bmax++
			*kb(bmax + 1) = xdlLineMax
		} else {
			bmax--
		}
		for d := bmax; d >= bmin; d -= 2 {
			var i1 int
			if *kb(d - 1) < *kb(d + 1) {
				i1 = *kb(d - 1)
			} else {
				i1 = *kb(d + 1) - 1
			}
			prev1 := i1
			i2 := i1 - d
			for i1 > off1 && i2 > off2 && a[i1-1] == b[i2-1] {
				i1--
				i2--
			}
			if prev1-i1 > xdlSnakeCnt {
				gotSnake = true
			}
			*kb(d) = i1
			if !odd && fmin <= d && d <= fmax && i1 <= *kf(d) {
				return i1, i2, true, true
			}
		}
		if needMin {
			continue
		}
		if gotSnake && ec > xdlHeurMinCost {
			best, s1, s2 := 0, 0, 0
			for d := fmax; d >= fmin; d -= 2 {
				dd := d - fmid
				if dd < 0 {
					dd = -dd
				}
				i1 := *kf(d)
				i2 := i1 - d
				v := (i1 - off1) + (i2 - off2) - dd
				if v > xdlKHeur*ec && v > best && off1+xdlSnakeCnt <= i1 && i1 < lim1 && off2+xdlSnakeCnt <= i2 && i2 < lim2 {
					for k := 1; a[i1-k] == b[i2-k]; k++ {
						if k == xdlSnakeCnt {
							best, s1, s2 = v, i1, i2
							break
						}
					}
				}
			}
			if best > 0 {
				return s1, s2, true, false
			}
			best = 0
			for d := bmax; d >= bmin; d -= 2 {
				dd := d - bmid
				if dd < 0 {
					dd = -dd
				}
				i1 := *kb(d)
				i2 := i1 - d
				v := (lim1 - i1) + (lim2 - i2) - dd
				if v > xdlKHeur*ec && v > best && off1 < i1 && i1 <= lim1-xdlSnakeCnt && off2 < i2 && i2 <= lim2-xdlSnakeCnt {
					for k := 0; a[i1+k] == b[i2+k]; k++ {
						if k == xdlSnakeCnt-1 {
							best, s1, s2 = v, i1, i2
							break
						}
					}
				}
			}
			if best > 0 {
				return s1, s2, false, true
			}
		}
		if ec >= x.mxcost {
			fbest, fbest1 := -1, -1
			for d := fmax; d >= fmin; d -= 2 {
				i1 := min(*kf(d), lim1)
				i2 := i1 - d
				if lim2 < i2 {
					i1, i2 = lim2+d, lim2
				}
				if fbest < i1+i2 {
					fbest, fbest1 = i1+i2, i1
				}
			}
			bbest, bbest1 := xdlLineMax, xdlLineMax
			for d := bmax; d >= bmin; d -= 2 {
				i1 := max(off1, *kb(d))
				i2 := i1 - d
				if i2 < off2 {
					i1, i2 = off2+d, off2
				}
				if i1+i2 < bbest {
					bbest, bbest1 = i1+i2, i1
				}
			}
			if (lim1+lim2)-bbest < fbest-(off1+off2) {
				return fbest1, fbest - fbest1, true, false
			}
			return bbest1, bbest - bbest1, false, true
		}
	}
}
