package gitlog

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/linediff"
)

// PatchOptions configure [WritePatch].
type PatchOptions struct {
	// Abbrev is how many hex digits of the blob hashes the "index" lines
	// show; 0 shows all 40, like `git diff --full-index`, so that the text
	// does not depend on how many objects the repository holds (git's
	// default length grows with it).
	Abbrev int
}

// patchContext is the number of unchanged lines around each hunk, git's
// default.
const patchContext = 3

// hunkHeaderFuncLen is the most bytes of a function line git shows after a
// hunk header.
const hunkHeaderFuncLen = 80

// WritePatch writes files (from [Repository.Diff]) as the unified diff
// `git diff` prints, byte for byte for ordinary changes: one "diff --git"
// section per file with its mode, rename ("similarity index") and index
// lines, hunks with three lines of context placed as git places them
// ([linediff.Slide]) and git's default function-name context after each
// hunk header, "\ No newline at end of file" markers, "Binary files … differ"
// for binary files, and paths quoted as git quotes them. A change between a
// file and a symlink is written as a deletion and an addition, as git does.
// Renames are those Diff detected; git may pair a few ambiguous ones
// differently.
func WritePatch(w io.Writer, files []FileChange, opts PatchOptions) error {
	bw := bufio.NewWriter(w)
	p := patchWriter{w: bw, abbrev: opts.Abbrev}
	for i := range files {
		if err := p.file(&files[i]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Patch returns [WritePatch]'s text as a string.
func Patch(files []FileChange, opts PatchOptions) (string, error) {
	var sb strings.Builder
	if err := WritePatch(&sb, files, opts); err != nil {
		return "", err
	}
	return sb.String(), nil
}

type patchWriter struct {
	w      *bufio.Writer
	abbrev int
}

func (p *patchWriter) hash(h string) string {
	if h == "" {
		h = zeroHex
	}
	if p.abbrev > 0 && p.abbrev < len(h) {
		return h[:p.abbrev]
	}
	return h
}

const zeroHex = "0000000000000000000000000000000000000000"

// side is one side of a file section.
type side struct {
	path    string
	hash    string
	mode    uint32
	content []byte
	exists  bool
}

func (p *patchWriter) file(f *FileChange) error {
	old, err := f.OldContent()
	if err != nil {
		return err
	}
	new, err := f.NewContent()
	if err != nil {
		return err
	}
	oldPath := f.Path
	if f.OldPath != "" {
		oldPath = f.OldPath
	}
	a := side{path: oldPath, hash: f.OldHash, mode: f.OldMode, content: old, exists: f.OldHash != ""}
	b := side{path: f.Path, hash: f.NewHash, mode: f.NewMode, content: new, exists: f.NewHash != ""}
	if a.exists && b.exists && a.mode&modeTypeMask != b.mode&modeTypeMask {
		// A type change: git splits it into a deletion and an addition.
		p.section(a, side{path: a.path}, 0, nil)
		p.section(side{path: b.path}, b, 0, nil)
		return nil
	}
	score := 0
	if f.Status == change.StatusRenamed {
		score = renameScore(old, new)
	}
	var hunks []linediff.Hunk
	if f.gitHunks {
		hunks = f.Hunks
	}
	p.section(a, b, score, hunks)
	return nil
}

// section writes one "diff --git" section; score is the similarity of a
// rename, gitHunks the hunks git prints when known.
func (p *patchWriter) section(a, b side, score int, gitHunks []linediff.Hunk) {
	w := p.w
	nameA, nameB := quotePath("a/"+a.path), quotePath("b/"+b.path)
	fmt.Fprintf(w, "diff --git %s %s\n", nameA, nameB)
	switch {
	case !a.exists:
		fmt.Fprintf(w, "new file mode %06o\n", b.mode)
	case !b.exists:
		fmt.Fprintf(w, "deleted file mode %06o\n", a.mode)
	case a.mode != b.mode:
		fmt.Fprintf(w, "old mode %06o\nnew mode %06o\n", a.mode, b.mode)
	}
	if a.exists && b.exists && a.path != b.path {
		fmt.Fprintf(w, "similarity index %d%%\nrename from %s\nrename to %s\n", score, quotePath(a.path), quotePath(b.path))
	}
	if a.hash != b.hash {
		fmt.Fprintf(w, "index %s..%s", p.hash(a.hash), p.hash(b.hash))
		if a.exists && b.exists && a.mode == b.mode {
			fmt.Fprintf(w, " %06o", a.mode)
		}
		w.WriteByte('\n')
	}
	if a.hash == b.hash {
		return
	}
	if !a.exists {
		nameA = "/dev/null"
	}
	if !b.exists {
		nameB = "/dev/null"
	}
	if isBinary(a.content) || isBinary(b.content) {
		fmt.Fprintf(w, "Binary files %s and %s differ\n", nameA, nameB)
		return
	}
	hunks := gitHunks
	if hunks == nil {
		hunks = linediff.GitHunks(a.content, b.content)
	}
	if len(hunks) == 0 {
		return
	}
	fmt.Fprintf(w, "--- %s%s\n+++ %s%s\n", nameA, tabAfterSpace(nameA), nameB, tabAfterSpace(nameB))
	writeHunks(w, linediff.SplitLines(a.content), linediff.SplitLines(b.content), hunks)
}

// tabAfterSpace is the tab git writes after a "---" or "+++" name with a
// space in it.
func tabAfterSpace(name string) string {
	if strings.ContainsRune(name, ' ') {
		return "\t"
	}
	return ""
}

// writeHunks writes hunks with patchContext lines of context, merging those
// whose contexts touch, each header followed by the function line git
// finds for it.
func writeHunks(w *bufio.Writer, a, b [][]byte, hs []linediff.Hunk) {
	funcLine, prevStart := "", -1
	for i := 0; i < len(hs); {
		j := i + 1
		for j < len(hs) && hs[j].OldStart-(hs[j-1].OldStart+hs[j-1].OldLines) <= 2*patchContext {
			j++
		}
		first, last := hs[i], hs[j-1]
		oldStart := max(0, first.OldStart-patchContext)
		oldEnd := min(len(a), last.OldStart+last.OldLines+patchContext)
		newStart := max(0, first.NewStart-patchContext)
		newEnd := min(len(b), last.NewStart+last.NewLines+patchContext)
		// git looks for the function line from the line before the
		// context up to where the previous hunk's search started, and
		// keeps the previous one when it finds none.
		for l := oldStart - 1; l > prevStart && l >= 0; l-- {
			if s, ok := funcName(a[l]); ok {
				funcLine = s
				break
			}
		}
		prevStart = oldStart - 1
		w.WriteString("@@ -")
		w.WriteString(hunkRange(oldStart, oldEnd-oldStart))
		w.WriteString(" +")
		w.WriteString(hunkRange(newStart, newEnd-newStart))
		w.WriteString(" @@")
		if funcLine != "" {
			w.WriteByte(' ')
			w.WriteString(funcLine)
		}
		w.WriteByte('\n')
		at := oldStart
		for _, h := range hs[i:j] {
			writeLines(w, ' ', a[at:h.OldStart])
			writeLines(w, '-', a[h.OldStart:h.OldStart+h.OldLines])
			writeLines(w, '+', b[h.NewStart:h.NewStart+h.NewLines])
			at = h.OldStart + h.OldLines
		}
		writeLines(w, ' ', a[at:oldEnd])
		i = j
	}
}

// funcName applies git's default function-line rule (no diff driver): a
// line that starts with a letter, "_" or "$", cut to 80 bytes, trailing
// whitespace removed.
func funcName(line []byte) (string, bool) {
	if len(line) == 0 {
		return "", false
	}
	c := line[0]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$') {
		return "", false
	}
	line = line[:min(len(line), hunkHeaderFuncLen)]
	for len(line) > 0 && isSpace(line[len(line)-1]) {
		line = line[:len(line)-1]
	}
	return string(line), true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// hunkRange renders a 0-based start and a count as a hunk header range.
func hunkRange(start, count int) string {
	switch count {
	case 0:
		return strconv.Itoa(start) + ",0"
	case 1:
		return strconv.Itoa(start + 1)
	}
	return strconv.Itoa(start+1) + "," + strconv.Itoa(count)
}

func writeLines(w *bufio.Writer, prefix byte, lines [][]byte) {
	for _, l := range lines {
		w.WriteByte(prefix)
		w.Write(l)
		if len(l) == 0 || l[len(l)-1] != '\n' {
			w.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// quotePath quotes a path as git does with core.quotePath on (its
// default): in double quotes with C escapes when it has a control
// character, a double quote, a backslash or a byte outside ASCII.
func quotePath(p string) string {
	needs := false
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			needs = true
			break
		}
	}
	if !needs {
		return p
	}
	var sb strings.Builder
	sb.WriteByte('"')
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
		case '\a':
			sb.WriteString(`\a`)
		case '\b':
			sb.WriteString(`\b`)
		case '\t':
			sb.WriteString(`\t`)
		case '\n':
			sb.WriteString(`\n`)
		case '\v':
			sb.WriteString(`\v`)
		case '\f':
			sb.WriteString(`\f`)
		case '\r':
			sb.WriteString(`\r`)
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		default:
			if c < 0x20 || c >= 0x7f {
				fmt.Fprintf(&sb, "\\%03o", c)
			} else {
				sb.WriteByte(c)
			}
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

// renameScore is the similarity git prints for a rename, in percent: the
// bytes of the larger file that sit in chunks the other file also has,
// chunks and hashes as in git's diffcore-delta.
func renameScore(old, new []byte) int {
	if string(old) == string(new) {
		return 100
	}
	maxSize := max(len(old), len(new))
	if maxSize == 0 {
		return 100
	}
	copied := copiedBytes(spanHashes(old), spanHashes(new))
	const maxScore = 60000 // git's MAX_SCORE
	score := copied * maxScore / maxSize
	return score * 100 / maxScore
}

// spanHashes is git's hash_chars: bytes per chunk hash (chunks end at a
// newline or after 64 bytes, a CR before LF ignored in text), sorted by
// hash.
func spanHashes(b []byte) []chunkCount {
	const hashBase = 107927
	text := !isBinary(b)
	counts := map[uint32]int{}
	var acc1, acc2 uint32
	n := 0
	for i := 0; i < len(b); i++ {
		c := uint32(b[i])
		if text && c == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			continue
		}
		old1 := acc1
		acc1 = (acc1 << 7) ^ (acc2 >> 25)
		acc2 = (acc2 << 7) ^ (old1 >> 25)
		acc1 += c
		n++
		if n < 64 && c != '\n' {
			continue
		}
		counts[(acc1+acc2*0x61)%hashBase] += n
		n, acc1, acc2 = 0, 0, 0
	}
	if n > 0 {
		counts[(acc1+acc2*0x61)%hashBase] += n
	}
	out := make([]chunkCount, 0, len(counts))
	for h, n := range counts {
		out = append(out, chunkCount{hash: h, bytes: n})
	}
	slices.SortFunc(out, func(a, b chunkCount) int { return cmp.Compare(a.hash, b.hash) })
	return out
}
