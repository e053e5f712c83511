// Package dedup finds duplicate training records beyond identical text:
// the same change made twice ([ChangeID], like `git patch-id`: a
// cherry-pick, a backport, a revert and its reapply) and near-duplicate
// texts ([NearOptions.Find]: MinHash signatures over word shingles,
// locality-sensitive hashing in bands for candidates, and the exact
// Jaccard similarity of each candidate pair).
//
// The package works on small inputs (a change's files and identifier
// changes, texts) and knows nothing of records or files: the dataset
// stage decides what to compare and which record to keep. Everything is
// deterministic: the hashes have fixed seeds, so a run over the same
// input finds the same duplicates on any machine, and the distributed
// pipeline (which buckets texts by [Sketch.Bands]) finds the same pairs as
// one process.
package dedup

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/sftforge/sftforge/change"
)

// ChangeID identifies a change by what it does, not by where or when it
// was made: a hash of the set of its identifier changes (file, operation,
// kind, owner, name, visibility, cfg and what changed), of its files
// (path, old path, status, and the added and deleted line counts summed
// per path) and of patches, the hashes of its changed lines (such as
// `git patch-id`'s, or the commit export's patch_id; "" values are left
// out). Commit SHAs, dates, messages and the order of files, changes and
// patches play no part, so a cherry-pick, a backport that applied cleanly
// or a reapplied revert has the ID of the original change, as `git
// patch-id` gives them the same ID. Without patches, two different edits
// of one function body with the same line counts (a one-line fix and
// another) have one ID, and so do a signature change and its revert: give
// the patches whenever the lines were compared. Identifier changes listed
// twice (a pull request of several commits touching one function) count
// once.
//
// The ID is 32 lowercase hex digits (128 bits of SHA-256), or "" when the
// change has neither files nor identifier changes nor patches.
// Identifier.Line is not part of it.
func ChangeID(files []change.File, idents []change.Identifier, patches ...string) string {
	if len(files) == 0 && len(idents) == 0 && !slices.ContainsFunc(patches, func(p string) bool { return p != "" }) {
		return ""
	}
	type fileSum struct {
		statuses, oldPaths []string
		adds, dels         int
	}
	byPath := map[string]*fileSum{}
	for _, f := range files {
		s := byPath[f.Path]
		if s == nil {
			s = &fileSum{}
			byPath[f.Path] = s
		}
		if !slices.Contains(s.statuses, string(f.Status)) {
			s.statuses = append(s.statuses, string(f.Status))
		}
		if f.OldPath != "" && !slices.Contains(s.oldPaths, f.OldPath) {
			s.oldPaths = append(s.oldPaths, f.OldPath)
		}
		s.adds += f.Additions
		s.dels += f.Deletions
	}
	// The lines are written one after the other into one buffer and
	// sorted as strings would be, by their spans.
	// The lines' buffers come from a pool: a merge makes many change IDs.
	lines := lineBufs.Get().(*lineBuf)
	defer lineBufs.Put(lines)
	lines.reset()
	lines.spans = slices.Grow(lines.spans, len(byPath)+len(idents)+len(patches))
	size := 0 // about the buffer's: the fields and separators
	for p, s := range byPath {
		size += len(p) + 40 + len(s.oldPaths)*len(p)
	}
	for i := range idents {
		id := &idents[i]
		size += len(id.File) + len(id.Op) + len(id.Kind) + len(id.Owner) + len(id.Name) + len(id.Visibility) + 16
		for _, v := range id.Cfg {
			size += len(v) + 1
		}
		for _, v := range id.Detail {
			size += len(v) + 1
		}
	}
	for _, p := range patches {
		size += len(p) + 3
	}
	lines.buf = slices.Grow(lines.buf, size)
	for p, s := range byPath {
		slices.Sort(s.statuses)
		slices.Sort(s.oldPaths)
		lines.field("F")
		lines.field(p)
		lines.list(s.oldPaths)
		lines.list(s.statuses)
		lines.buf = strconv.AppendInt(append(lines.buf, 0), int64(s.adds), 10)
		lines.buf = strconv.AppendInt(append(lines.buf, 0), int64(s.dels), 10)
		lines.end()
	}
	for i := range idents {
		id := &idents[i]
		lines.field("I")
		lines.field(id.File)
		lines.field(string(id.Op))
		lines.field(string(id.Kind))
		lines.field(id.Owner)
		lines.field(id.Name)
		lines.field(id.Visibility)
		lines.list(id.Cfg)
		lines.list(id.Detail)
		lines.end()
	}
	for _, p := range patches {
		if p != "" {
			lines.field("P")
			lines.field(p)
			lines.end()
		}
	}
	line := func(l lineSpan) []byte { return lines.buf[l.start:l.end] }
	slices.SortFunc(lines.spans, func(a, b lineSpan) int { return bytes.Compare(line(a), line(b)) })
	lines.spans = slices.CompactFunc(lines.spans, func(a, b lineSpan) bool { return bytes.Equal(line(a), line(b)) })
	h := sha256.New()
	for _, l := range lines.spans {
		h.Write(line(l))
		h.Write([]byte{'\n'})
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return hex.EncodeToString(sum[:16])
}

// join joins fields with NUL, which no path, name or status holds.
// lineBuf holds the lines of a change ID: fields joined by NUL, lists
// of values within a field by \x01 (what join and strings.Join make).
type lineBuf struct {
	buf   []byte
	spans []lineSpan
	start int  // of the line being written
	open  bool // a field of it is written
}

// lineBufs holds the lineBufs of ChangeID.
var lineBufs = sync.Pool{New: func() any { return new(lineBuf) }}

// reset empties l, keeping its buffers.
func (l *lineBuf) reset() {
	l.buf, l.spans, l.start, l.open = l.buf[:0], l.spans[:0], 0, false
}

// lineSpan is where a line is in lineBuf.buf.
type lineSpan struct{ start, end int }

// field appends a field to the line being written.
func (l *lineBuf) field(s string) {
	if l.open {
		l.buf = append(l.buf, 0)
	}
	l.buf, l.open = append(l.buf, s...), true
}

// list appends a field of values joined by \x01.
func (l *lineBuf) list(values []string) {
	if l.open {
		l.buf = append(l.buf, 0)
	}
	for i, v := range values {
		if i > 0 {
			l.buf = append(l.buf, 1)
		}
		l.buf = append(l.buf, v...)
	}
	l.open = true
}

// end ends the line being written.
func (l *lineBuf) end() {
	l.spans = append(l.spans, lineSpan{l.start, len(l.buf)})
	l.start, l.open = len(l.buf), false
}

func join(fields ...string) string { return strings.Join(fields, "\x00") }

// Opposite reports whether two changes undo each other in part: an
// identifier (file, kind, owner, name, cfg) that one adds the other
// removes. A change and its revert read alike (the same files, the same
// identifiers, "modify" lines that do not say which way), so their texts
// can be near-duplicates; they are still different changes.
func Opposite(a, b []change.Identifier) bool {
	key := func(id change.Identifier) string {
		return join(id.File, string(id.Kind), id.Owner, id.Name, strings.Join(id.Cfg, "\x01"))
	}
	ops := make(map[string]change.Op, len(a))
	for _, id := range a {
		if id.Op == change.OpAdded || id.Op == change.OpRemoved {
			ops[key(id)] = id.Op
		}
	}
	for _, id := range b {
		switch op, ok := ops[key(id)]; {
		case !ok:
		case op == change.OpAdded && id.Op == change.OpRemoved, op == change.OpRemoved && id.Op == change.OpAdded:
			return true
		}
	}
	return false
}
