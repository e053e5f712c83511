package sample

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/sftforge/sftforge/linediff"
)

// contextLines is the number of unchanged lines around each hunk, as in
// git's default.
const contextLines = 3

// unifiedDiff renders the change from old to new as `git diff -M` would: one
// "diff --git" section per file, ordered by path, renames given explicitly
// (the fixture declares them, so no detection heuristic is involved).
func unifiedDiff(old, new snapshot, renames []rename) string {
	renamedFrom := map[string]string{} // new path -> old path
	for _, r := range renames {
		if _, gone := new[r.From]; gone {
			continue // the path came back: not a rename for this diff
		}
		if _, ok := old[r.From]; ok {
			if _, ok := new[r.To]; ok {
				renamedFrom[r.To] = r.From
			}
		}
	}
	renamedAway := map[string]bool{}
	for _, from := range renamedFrom {
		renamedAway[from] = true
	}
	paths := map[string]bool{}
	for p := range old {
		if !renamedAway[p] {
			paths[p] = true
		}
	}
	for p := range new {
		paths[p] = true
	}
	var sb strings.Builder
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		if from, ok := renamedFrom[p]; ok {
			writeFileDiff(&sb, from, p, old[from], new[p], true, true)
			continue
		}
		o, inOld := old[p]
		n, inNew := new[p]
		if inOld && inNew && string(o) == string(n) {
			continue
		}
		writeFileDiff(&sb, p, p, o, n, inOld, inNew)
	}
	return sb.String()
}

// blobID is the abbreviated blob hash git prints in "index" lines.
func blobID(content []byte, exists bool) string {
	if !exists {
		return "0000000"
	}
	return plumbing.ComputeHash(plumbing.BlobObject, content).String()[:7]
}

// writeFileDiff writes one file's section.
func writeFileDiff(sb *strings.Builder, oldPath, newPath string, old, new []byte, inOld, inNew bool) {
	fmt.Fprintf(sb, "diff --git a/%s b/%s\n", oldPath, newPath)
	switch {
	case !inOld:
		fmt.Fprintf(sb, "new file mode 100644\nindex %s..%s\n", blobID(nil, false), blobID(new, true))
	case !inNew:
		fmt.Fprintf(sb, "deleted file mode 100644\nindex %s..%s\n", blobID(old, true), blobID(nil, false))
	case oldPath != newPath:
		fmt.Fprintf(sb, "similarity index %d%%\nrename from %s\nrename to %s\n", similarity(old, new), oldPath, newPath)
		if string(old) == string(new) {
			return
		}
		fmt.Fprintf(sb, "index %s..%s 100644\n", blobID(old, true), blobID(new, true))
	default:
		fmt.Fprintf(sb, "index %s..%s 100644\n", blobID(old, true), blobID(new, true))
	}
	from, to := "a/"+oldPath, "b/"+newPath
	if !inOld {
		from = "/dev/null"
	}
	if !inNew {
		to = "/dev/null"
	}
	fmt.Fprintf(sb, "--- %s\n+++ %s\n", from, to)
	writeHunks(sb, linediff.SplitLines(old), linediff.SplitLines(new), linediff.Lines(old, new))
}

// similarity approximates git's similarity index: the share of the larger
// side's bytes that sit in unchanged lines.
func similarity(old, new []byte) int {
	if string(old) == string(new) {
		return 100
	}
	lines := linediff.SplitLines(old)
	changed := 0
	for _, h := range linediff.Lines(old, new) {
		for _, l := range lines[h.OldStart : h.OldStart+h.OldLines] {
			changed += len(l)
		}
	}
	return 100 * (len(old) - changed) / max(len(old), len(new))
}

// writeHunks writes the hunks with contextLines of context, merging hunks
// whose contexts touch.
func writeHunks(sb *strings.Builder, a, b [][]byte, hs []linediff.Hunk) {
	for i := 0; i < len(hs); {
		j := i + 1
		for j < len(hs) && hs[j].OldStart-(hs[j-1].OldStart+hs[j-1].OldLines) <= 2*contextLines {
			j++
		}
		first, last := hs[i], hs[j-1]
		oldStart := max(0, first.OldStart-contextLines)
		oldEnd := min(len(a), last.OldStart+last.OldLines+contextLines)
		newStart := first.NewStart - (first.OldStart - oldStart)
		newEnd := last.NewStart + last.NewLines + (oldEnd - (last.OldStart + last.OldLines))
		fmt.Fprintf(sb, "@@ -%s +%s @@\n", hunkRange(oldStart, oldEnd-oldStart), hunkRange(newStart, newEnd-newStart))
		at := oldStart
		for _, h := range hs[i:j] {
			writeLines(sb, ' ', a[at:h.OldStart])
			writeLines(sb, '-', a[h.OldStart:h.OldStart+h.OldLines])
			writeLines(sb, '+', b[h.NewStart:h.NewStart+h.NewLines])
			at = h.OldStart + h.OldLines
		}
		writeLines(sb, ' ', a[at:oldEnd])
		i = j
	}
}

// hunkRange renders a 0-based start and a count as a hunk header range.
func hunkRange(start, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, count)
}

func writeLines(sb *strings.Builder, prefix byte, lines [][]byte) {
	for _, l := range lines {
		sb.WriteByte(prefix)
		sb.Write(l)
		if len(l) == 0 || l[len(l)-1] != '\n' {
			sb.WriteString("\n\\ No newline at end of file\n")
		}
	}
}
