package linediff

// Slide moves hunks to the positions git's diff prints them at. A run of
// added or deleted lines can often sit at several places with the same
// result (an inserted function between two others that end alike); git
// slides each run as far down as it goes, lines it up with a change on the
// other side when it can, and otherwise picks the place its indent
// heuristic scores best (git's xdl_change_compact with
// XDF_INDENT_HEURISTIC, the default since git 2.14). Runs that touch after
// sliding are merged, so the result may have fewer hunks. The line counts
// are unchanged. old and new are the texts split by [SplitLines]; hunks are
// what [Lines] or [LinesMinimal] returned for them.
func Slide(old, new [][]byte, hunks []Hunk) []Hunk {
	if len(hunks) == 0 {
		return hunks
	}
	a := newSlideFile(old)
	b := newSlideFile(new)
	for _, h := range hunks {
		for i := h.OldStart; i < h.OldStart+h.OldLines; i++ {
			a.chg[i+1] = true
		}
		for i := h.NewStart; i < h.NewStart+h.NewLines; i++ {
			b.chg[i+1] = true
		}
	}
	compact(a, b)
	compact(b, a)
	var out []Hunk
	i, j := 0, 0
	for i < a.n || j < b.n {
		if !a.changed(i) && !b.changed(j) {
			i++
			j++
			continue
		}
		h := Hunk{OldStart: i, NewStart: j}
		for a.changed(i) {
			i++
		}
		for b.changed(j) {
			j++
		}
		h.OldLines, h.NewLines = i-h.OldStart, j-h.NewStart
		out = append(out, h)
	}
	return out
}

// slideFile is one side of a diff: its lines and which of them changed.
// chg has a false sentinel before the first and after the last line, as
// xdiff's rchg does, so chg[i+1] is line i.
type slideFile struct {
	recs [][]byte
	chg  []bool
	n    int
}

func newSlideFile(lines [][]byte) *slideFile {
	return &slideFile{recs: lines, chg: make([]bool, len(lines)+2), n: len(lines)}
}

func (f *slideFile) changed(i int) bool { return f.chg[i+1] }

// group is a run of changed lines [start, end); an empty run (start ==
// end) stands between two unchanged lines.
type group struct{ start, end int }

func (f *slideFile) groupInit() group {
	g := group{}
	for f.changed(g.end) {
		g.end++
	}
	return g
}

// next moves g to the next group; false at the end of the file.
func (f *slideFile) next(g *group) bool {
	if g.end == f.n {
		return false
	}
	g.start = g.end + 1
	g.end = g.start
	for f.changed(g.end) {
		g.end++
	}
	return true
}

// previous moves g to the previous group; false at the start of the file.
func (f *slideFile) previous(g *group) bool {
	if g.start == 0 {
		return false
	}
	g.end = g.start - 1
	g.start = g.end
	for f.changed(g.start - 1) {
		g.start--
	}
	return true
}

// slideDown shifts g down by one line when the line after it equals its
// first line, merging with a group it reaches.
func (f *slideFile) slideDown(g *group) bool {
	if g.end < f.n && string(f.recs[g.start]) == string(f.recs[g.end]) {
		f.chg[g.start+1] = false
		f.chg[g.end+1] = true
		g.start++
		g.end++
		for f.changed(g.end) {
			g.end++
		}
		return true
	}
	return false
}

// slideUp shifts g up by one line when the line before it equals its last
// line, merging with a group it reaches.
func (f *slideFile) slideUp(g *group) bool {
	if g.start > 0 && string(f.recs[g.start-1]) == string(f.recs[g.end-1]) {
		g.start--
		g.end--
		f.chg[g.start+1] = true
		f.chg[g.end+1] = false
		for f.changed(g.start - 1) {
			g.start--
		}
		return true
	}
	return false
}

// indentMaxSliding bounds how far the indent heuristic looks, as in git.
const indentMaxSliding = 100

// compact is xdiff's xdl_change_compact for the changes of f, keeping the
// groups of the other side o in step.
func compact(f, o *slideFile) {
	g, go_ := f.groupInit(), o.groupInit()
	for {
		if g.end != g.start {
			var earliestEnd, endMatchingOther, size int
			for {
				size = g.end - g.start
				endMatchingOther = -1
				for f.slideUp(&g) {
					o.previous(&go_)
				}
				earliestEnd = g.end
				if go_.end > go_.start {
					endMatchingOther = g.end
				}
				for f.slideDown(&g) {
					o.next(&go_)
					if go_.end > go_.start {
						endMatchingOther = g.end
					}
				}
				if size == g.end-g.start {
					break
				}
			}
			switch {
			case g.end == earliestEnd:
				// It cannot move.
			case endMatchingOther != -1:
				for go_.end == go_.start {
					f.slideUp(&g)
					o.previous(&go_)
				}
			default:
				shift := max(earliestEnd, g.end-size-1, g.end-indentMaxSliding)
				bestShift := -1
				var best splitScore
				for ; shift <= g.end; shift++ {
					var s splitScore
					s.add(f.measure(shift))
					s.add(f.measure(shift - size))
					if bestShift == -1 || s.cmp(best) <= 0 {
						best, bestShift = s, shift
					}
				}
				for g.end > bestShift {
					f.slideUp(&g)
					o.previous(&go_)
				}
			}
		}
		if !f.next(&g) {
			break
		}
		o.next(&go_)
	}
}

// The weights of git's indent heuristic (xdiff/xdiffi.c).
const (
	maxIndent                       = 200
	maxBlanks                       = 20
	startOfFilePenalty              = 1
	endOfFilePenalty                = 21
	totalBlankWeight                = -30
	postBlankWeight                 = 6
	relativeIndentPenalty           = -4
	relativeIndentWithBlankPenalty  = 10
	relativeOutdentPenalty          = 24
	relativeOutdentWithBlankPenalty = 17
	relativeDedentPenalty           = 23
	relativeDedentWithBlankPenalty  = 17
	indentWeight                    = 60
)

// splitMeasurement describes the lines around a split between two lines.
type splitMeasurement struct {
	endOfFile             bool
	indent                int
	preBlank, preIndent   int
	postBlank, postIndent int
}

// indentOf returns a line's indentation (tabs to multiples of 8), or -1
// for a line of only whitespace.
func indentOf(line []byte) int {
	n := 0
	for _, c := range line {
		switch c {
		case ' ':
			n++
		case '\t':
			n += 8 - n%8
		case '\n', '\r', '\v', '\f':
		default:
			return n
		}
		if n >= maxIndent {
			return maxIndent
		}
	}
	return -1
}

// measure measures the split before line split.
func (f *slideFile) measure(split int) splitMeasurement {
	var m splitMeasurement
	if split >= f.n {
		m.endOfFile, m.indent = true, -1
	} else {
		m.indent = indentOf(f.recs[split])
	}
	m.preIndent = -1
	for i := split - 1; i >= 0; i-- {
		if m.preIndent = indentOf(f.recs[i]); m.preIndent != -1 {
			break
		}
		if m.preBlank++; m.preBlank == maxBlanks {
			m.preIndent = 0
			break
		}
	}
	m.postIndent = -1
	for i := split + 1; i < f.n; i++ {
		if m.postIndent = indentOf(f.recs[i]); m.postIndent != -1 {
			break
		}
		if m.postBlank++; m.postBlank == maxBlanks {
			m.postIndent = 0
			break
		}
	}
	return m
}

type splitScore struct{ effectiveIndent, penalty int }

func (s *splitScore) add(m splitMeasurement) {
	if m.preIndent == -1 && m.preBlank == 0 {
		s.penalty += startOfFilePenalty
	}
	if m.endOfFile {
		s.penalty += endOfFilePenalty
	}
	postBlank := 0
	if m.indent == -1 {
		postBlank = 1 + m.postBlank
	}
	totalBlank := m.preBlank + postBlank
	s.penalty += totalBlankWeight*totalBlank + postBlankWeight*postBlank
	indent := m.indent
	if indent == -1 {
		indent = m.postIndent
	}
	anyBlanks := totalBlank != 0
	s.effectiveIndent += indent
	pick := func(withBlank, without int) int {
		if anyBlanks {
			return withBlank
		}
		return without
	}
	switch {
	case indent == -1, m.preIndent == -1, indent == m.preIndent:
	case indent > m.preIndent:
		s.penalty += pick(relativeIndentWithBlankPenalty, relativeIndentPenalty)
	case m.postIndent != -1 && m.postIndent > indent:
		s.penalty += pick(relativeOutdentWithBlankPenalty, relativeOutdentPenalty)
	default:
		s.penalty += pick(relativeDedentWithBlankPenalty, relativeDedentPenalty)
	}
}

func (s splitScore) cmp(t splitScore) int {
	c := 0
	switch {
	case s.effectiveIndent > t.effectiveIndent:
		c = 1
	case s.effectiveIndent < t.effectiveIndent:
		c = -1
	}
	return indentWeight*c + s.penalty - t.penalty
}
