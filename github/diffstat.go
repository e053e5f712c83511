package github

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sftforge/sftforge/change"
)

// ParseDiffFiles lists the files a git unified diff (GitHub's diff media
// type, or `git diff` output) changes, with status, previous path for
// renames and copies, and added and deleted line counts taken from the
// hunks. Errors name the line of the diff.
func ParseDiffFiles(diff string) (PRFiles, error) {
	files := PRFiles{}
	lines := strings.Split(diff, "\n")
	var cur *change.File
	var modeOnly bool
	flush := func() {
		if cur == nil {
			return
		}
		if cur.Status == change.StatusModified && modeOnly && cur.Additions == 0 && cur.Deletions == 0 {
			cur.Status = change.StatusChanged
		}
		files = append(files, *cur)
		cur = nil
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case strings.HasPrefix(line, "diff --git "):
			flush()
			oldPath, newPath := splitGitHeader(line[len("diff --git "):])
			cur = &change.File{Path: newPath, Status: change.StatusModified}
			if oldPath != newPath {
				cur.OldPath = oldPath
			}
			modeOnly = false
		case cur == nil:
			continue // preamble before the first file
		case strings.HasPrefix(line, "new file mode"):
			cur.Status = change.StatusAdded
		case strings.HasPrefix(line, "deleted file mode"):
			cur.Status = change.StatusDeleted
		case strings.HasPrefix(line, "old mode"), strings.HasPrefix(line, "new mode"):
			modeOnly = true
		case strings.HasPrefix(line, "rename from "):
			cur.Status, cur.OldPath = change.StatusRenamed, unquotePath(line[len("rename from "):])
		case strings.HasPrefix(line, "rename to "):
			cur.Status, cur.Path = change.StatusRenamed, unquotePath(line[len("rename to "):])
		case strings.HasPrefix(line, "copy from "):
			cur.Status, cur.OldPath = change.StatusCopied, unquotePath(line[len("copy from "):])
		case strings.HasPrefix(line, "copy to "):
			cur.Status, cur.Path = change.StatusCopied, unquotePath(line[len("copy to "):])
		case strings.HasPrefix(line, "--- "):
			if p := diffSidePath(line[4:], "a/"); p != "" && cur.Status != change.StatusAdded {
				if cur.Status == change.StatusRenamed || cur.Status == change.StatusCopied {
					cur.OldPath = p
				}
			}
		case strings.HasPrefix(line, "+++ "):
			if p := diffSidePath(line[4:], "b/"); p != "" {
				cur.Path = p
			}
		case strings.HasPrefix(line, "@@ "):
			oldN, newN, err := parseHunkHeader(line)
			if err != nil {
				return nil, fmt.Errorf("github: diff line %d: %w", i+1, err)
			}
			for oldN > 0 || newN > 0 {
				i++
				if i >= len(lines) {
					return nil, fmt.Errorf("github: diff line %d: hunk ends early (%d old and %d new lines missing)", i, oldN, newN)
				}
				l := lines[i]
				switch {
				case strings.HasPrefix(l, "\\"): // "\ No newline at end of file"
				case strings.HasPrefix(l, "+"):
					newN--
					cur.Additions++
				case strings.HasPrefix(l, "-"):
					oldN--
					cur.Deletions++
				case strings.HasPrefix(l, " "), l == "":
					oldN--
					newN--
				default:
					return nil, fmt.Errorf("github: diff line %d: unexpected line in hunk: %.40q", i+1, l)
				}
				if oldN < 0 || newN < 0 {
					return nil, fmt.Errorf("github: diff line %d: hunk longer than its header says", i+1)
				}
			}
		}
	}
	flush()
	return files, nil
}

// parseHunkHeader reads "@@ -a[,b] +c[,d] @@" and returns b and d.
func parseHunkHeader(line string) (oldN, newN int, err error) {
	fields := strings.Fields(line)
	if len(fields) < 4 || fields[3] != "@@" || !strings.HasPrefix(fields[1], "-") || !strings.HasPrefix(fields[2], "+") {
		return 0, 0, fmt.Errorf("bad hunk header %.60q", line)
	}
	count := func(r string) (int, error) {
		_, n, found := strings.Cut(r[1:], ",")
		if !found {
			return 1, nil
		}
		v, err := strconv.Atoi(n)
		if err != nil || v < 0 {
			return 0, fmt.Errorf("bad hunk header %.60q", line)
		}
		return v, nil
	}
	if oldN, err = count(fields[1]); err != nil {
		return 0, 0, err
	}
	newN, err = count(fields[2])
	return oldN, newN, err
}

// splitGitHeader splits "a/OLD b/NEW" of a diff --git line.
func splitGitHeader(s string) (oldPath, newPath string) {
	if strings.HasPrefix(s, `"`) {
		if q, err := strconv.QuotedPrefix(s); err == nil {
			oldPath = unquotePath(q)
			newPath = unquotePath(strings.TrimSpace(s[len(q):]))
			return strings.TrimPrefix(oldPath, "a/"), strings.TrimPrefix(newPath, "b/")
		}
	}
	// Same path on both sides (the common case): "a/P b/P".
	if l := (len(s) - 5) / 2; l > 0 && len(s) == 2*l+5 && s[2:2+l] == s[len(s)-l:] {
		return s[2 : 2+l], s[2 : 2+l]
	}
	if before, after, ok := strings.Cut(s, " b/"); ok {
		return strings.TrimPrefix(before, "a/"), after
	}
	return s, s
}

// diffSidePath reads the path of a ---/+++ line, "" for /dev/null.
func diffSidePath(s, prefix string) string {
	s = strings.TrimRight(s, "\t")
	if s == "/dev/null" {
		return ""
	}
	return strings.TrimPrefix(unquotePath(s), prefix)
}

// unquotePath undoes git's C-style quoting of unusual paths.
func unquotePath(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
	}
	return s
}
