package gitlog

import (
	"bytes"

	"github.com/sftforge/sftforge/linediff"
)

// patchHash is [FileChange.PatchHash] of a line diff: FNV-1a over each
// hunk's removed lines ("-" and the line without white space) and added
// lines ("+" and the same), in order. Only the lines of the hunks are
// split, so the cost grows with the change, not the file. An empty diff
// (identical contents) hashes the empty input; callers store 0 only for
// files not compared.
func patchHash(old, new []byte, hunks []linediff.Hunk) uint64 {
	h := fnv64a(fnvOffset64)
	oldLines, newLines := lineCursor{data: old}, lineCursor{data: new}
	for _, hk := range hunks {
		for i := range hk.OldLines {
			h.byte('-')
			h.noSpace(oldLines.line(hk.OldStart + i))
		}
		for i := range hk.NewLines {
			h.byte('+')
			h.noSpace(newLines.line(hk.NewStart + i))
		}
	}
	if h != 0 {
		return uint64(h)
	}
	return 1
}

// FNV-1a, 64 bits (hash/fnv's New64a, without its interface calls).
const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// fnv64a is an FNV-1a hash being computed.
type fnv64a uint64

func (h *fnv64a) byte(c byte) { *h = (*h ^ fnv64a(c)) * fnvPrime64 }

// noSpace hashes line without its ASCII white space, then a newline.
func (h *fnv64a) noSpace(line []byte) {
	v := *h
	for _, c := range line {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
			continue
		}
		v = (v ^ fnv64a(c)) * fnvPrime64
	}
	*h = (v ^ '\n') * fnvPrime64
}

// lineCursor finds lines of data by 0-based number, moving forward only
// (hunks come in increasing line order): it keeps where the line after
// the last one asked for starts, so a diff's lines are found in one pass over the
// contents, without an index of every line.
type lineCursor struct {
	data []byte
	n    int // the number of the line that starts at off
	off  int
}

// skipBlockBytes and skipBlockLines: lineCursor skips blocks of up to
// skipBlockBytes bytes while line n is more than skipBlockLines lines on.
const (
	skipBlockBytes = 4096
	skipBlockLines = 16
)

var newline = []byte{'\n'}

// line returns line n (0-based) with its newline, or nil past the end. n
// must be greater than the line asked for before.
func (l *lineCursor) line(n int) []byte {
	for l.n < n && l.off < len(l.data) {
		// Far from line n: skip a block of lines at once, counting its
		// newlines (vectorized) instead of finding them one by one.
		if n-l.n > skipBlockLines {
			block := l.data[l.off:min(l.off+skipBlockBytes, len(l.data))]
			if c := bytes.Count(block, newline); c > 0 && l.n+c < n {
				l.off += bytes.LastIndexByte(block, '\n') + 1
				l.n += c
				continue
			}
		}
		i := bytes.IndexByte(l.data[l.off:], '\n')
		if i < 0 {
			l.off = len(l.data)
		} else {
			l.off += i + 1
		}
		l.n++
	}
	if l.n != n || l.off >= len(l.data) {
		return nil
	}
	start, end := l.off, len(l.data)
	if i := bytes.IndexByte(l.data[start:], '\n'); i >= 0 {
		end = start + i + 1
	}
	l.n, l.off = n+1, end
	return l.data[start:end]
}
