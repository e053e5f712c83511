package gitlog

import (
	"bytes"
	"hash/fnv"

	"github.com/sftforge/sftforge/linediff"
)

// patchHash is [FileChange.PatchHash] of a line diff: FNV-1a over each
// hunk's removed lines ("-" and the line without white space) and added
// lines ("+" and the same), in order. Only the lines of the hunks are
// split, so the cost grows with the change, not the file. An empty diff
// (identical contents) hashes the empty input; callers store 0 only for
// files not compared.
func patchHash(old, new []byte, hunks []linediff.Hunk) uint64 {
	h := fnv.New64a()
	oldLines, newLines := lineStarts{data: old}, lineStarts{data: new}
	for _, hk := range hunks {
		for i := range hk.OldLines {
			h.Write([]byte{'-'})
			writeNoSpace(h, oldLines.line(hk.OldStart+i))
		}
		for i := range hk.NewLines {
			h.Write([]byte{'+'})
			writeNoSpace(h, newLines.line(hk.NewStart+i))
		}
	}
	if v := h.Sum64(); v != 0 {
		return v
	}
	return 1
}

// writeNoSpace writes line without its ASCII white space, then a newline.
func writeNoSpace(h interface{ Write([]byte) (int, error) }, line []byte) {
	start := -1
	for i, c := range line {
		space := c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
		switch {
		case space && start >= 0:
			h.Write(line[start:i])
			start = -1
		case !space && start < 0:
			start = i
		}
	}
	if start >= 0 {
		h.Write(line[start:])
	}
	h.Write([]byte{'\n'})
}

// lineStarts finds lines of data by 0-based number, indexing line starts
// only as far as asked (hunks come in increasing line order).
type lineStarts struct {
	data   []byte
	starts []int
}

// line returns line n (0-based) with its newline, or nil past the end.
func (l *lineStarts) line(n int) []byte {
	if l.starts == nil {
		l.starts = []int{0}
	}
	for len(l.starts) <= n+1 {
		last := l.starts[len(l.starts)-1]
		if last >= len(l.data) {
			break
		}
		i := bytes.IndexByte(l.data[last:], '\n')
		if i < 0 {
			l.starts = append(l.starts, len(l.data))
			break
		}
		l.starts = append(l.starts, last+i+1)
	}
	if n+1 >= len(l.starts) {
		return nil
	}
	return l.data[l.starts[n]:l.starts[n+1]]
}
