package dataset

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/lang"
)

// rawHistory writes a repository whose commits have the given raw author
// timestamps ("SECONDS +ZZZZ", anything git would store) and subjects,
// each adding one Rust function, and returns its path.
func rawHistory(t *testing.T, commits [][2]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo.git")
	r, err := git.PlainInit(dir, true)
	require.NoError(t, err)
	put := func(typ plumbing.ObjectType, data string) plumbing.Hash {
		o := r.Storer.NewEncodedObject()
		o.SetType(typ)
		w, err := o.Writer()
		require.NoError(t, err)
		_, err = w.Write([]byte(data))
		require.NoError(t, err)
		require.NoError(t, w.Close())
		h, err := r.Storer.SetEncodedObject(o)
		require.NoError(t, err)
		return h
	}
	var src strings.Builder
	parent := plumbing.ZeroHash
	for i, c := range commits {
		fmt.Fprintf(&src, "pub fn f%d() {}\n", i)
		blob := put(plumbing.BlobObject, src.String())
		srcTree := put(plumbing.TreeObject, "100644 lib.rs\x00"+string(blob[:]))
		root := put(plumbing.TreeObject, "40000 src\x00"+string(srcTree[:]))
		raw := "tree " + root.String() + "\n"
		if !parent.IsZero() {
			raw += "parent " + parent.String() + "\n"
		}
		raw += "author A U Thor <a@example.com> " + c[0] + "\ncommitter C <c@example.com> 1700000000 +0000\n\n" + c[1] + "\n"
		parent = put(plumbing.CommitObject, raw)
	}
	require.NoError(t, r.Storer.SetReference(plumbing.NewHashReference("refs/heads/main", parent)))
	require.NoError(t, r.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, "refs/heads/main")))
	return dir
}

// TestExportHostileCommits: dates git stores but RFC 3339 cannot write, and
// control characters in subjects.
func TestExportHostileCommits(t *testing.T) {
	tests := []struct {
		name, when, subject string
		date, csvSubject    string // in index.csv (date as in the record)
	}{
		{"ordinary", "1700000000 +0200", "feat: add f", "2023-11-14T22:13:20Z", "feat: add f"},
		{"year 0", "-62167219200 +0000", "year zero", "", "year zero"},
		{"year 99999", "3093527980800 +0000", "far future", "", "far future"},
		{"timestamp overflows int64", "99999999999999999999 +0000", "overflow", "", "overflow"},
		{"not a number", "yesterday +0000", "garbage date", "", "garbage date"},
		{"epoch", "0 +0000", "epoch", "1970-01-01T00:00:00Z", "epoch"},
		{"NUL in subject", "1700000000 +0000", "fix\x00nul", "2023-11-14T22:13:20Z", "fix\uFFFDnul"},
		{"escape sequence", "1700000000 +0000", "\x1b[31mred\x7f", "2023-11-14T22:13:20Z", "\uFFFD[31mred\uFFFD"},
		{"invalid UTF-8", "1700000000 +0000", "bad \xff byte", "2023-11-14T22:13:20Z", "bad \uFFFD byte"},
	}
	var commits [][2]string
	for _, tt := range tests {
		commits = append(commits, [2]string{tt.when, tt.subject})
	}
	files, st := exportDir(t, rawHistory(t, commits), ExportOptions{Workers: 1})
	require.Equal(t, len(tests), st.Records)
	rows, err := csv.NewReader(strings.NewReader(files["index.csv"])).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, len(tests)+1)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := rows[i+1]
			assert.Equal(t, tt.date, row[2], "date")
			assert.Equal(t, tt.csvSubject, row[4], "subject")
			assert.NotContains(t, row[4], "\x00")
			rec := readExportRecord(t, files[row[12]])
			assert.Equal(t, tt.date, rec.Metadata.Date)
			if tt.date != "" {
				_, err := time.Parse(time.RFC3339, rec.Metadata.Date)
				assert.NoError(t, err)
			}
		})
	}
	assert.NotContains(t, files["index.csv"], "0001-01-01")
}

// readExportRecord decodes one record file of an sft export.
func readExportRecord(t *testing.T, line string) CommitRecord {
	t.Helper()
	var l anyFormatLine
	require.NoError(t, json.Unmarshal([]byte(line), &l))
	rec, ok := l.commitRecord()
	require.True(t, ok)
	return rec
}

// TestCommitRecordBounds: a runaway input cannot make a record grow
// without bound; what is left out is counted.
func TestCommitRecordBounds(t *testing.T) {
	changes := func(file string, n, nameLen int) []change.Identifier {
		out := make([]change.Identifier, n)
		for i := range out {
			name := fmt.Sprintf("f%d", i)
			name += strings.Repeat("x", max(nameLen-len(name), 0))
			out[i] = change.Identifier{File: file, Op: "added", Kind: "function", Name: name, Visibility: "pub", Cfg: []string{}, Detail: []string{}}
		}
		return out
	}
	errs := func(file string, n int) []change.ParseError {
		out := make([]change.ParseError, n)
		for i := range out {
			out[i] = change.ParseError{File: file, Line: i + 1, Message: "syntax error"}
		}
		return out
	}
	tests := []struct {
		name          string
		diffs         []lang.FileDiff
		listed        int
		omitted       int
		parseErrors   int
		maxMetaMB     float64
		lastParseNote string
	}{
		{"ordinary", []lang.FileDiff{{Changes: changes("a.rs", 10, 8)}}, 10, 0, 0, 1, ""},
		{"many changes in one file", []lang.FileDiff{{Changes: changes("a.rs", MaxChangesPerFile+100, 8)}},
			MaxChangesPerFile, 100, 0, 2, ""},
		{"many files", []lang.FileDiff{{Changes: changes("a.rs", MaxChangesPerFile, 8)}, {Changes: changes("b.rs", MaxChangesPerFile, 8)},
			{Changes: changes("c.rs", MaxChangesPerFile, 8)}, {Changes: changes("d.rs", MaxChangesPerFile, 8)}, {Changes: changes("e.rs", 7, 8)}},
			MaxChangesPerCommit, 7, 0, 8, ""},
		{"huge names", []lang.FileDiff{{Changes: changes("a.rs", 100, 1<<20)}}, 3, 97, 0, 5, ""},
		{"many parse errors", []lang.FileDiff{{Errors: errs("a.rs", 500)}}, 0, 0, MaxParseErrorsPerFile + 1, 1,
			fmt.Sprintf("400 more parse errors not listed (at most %d per file)", MaxParseErrorsPerFile)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &gitlog.Commit{Hash: strings.Repeat("ab", 20), Subject: "s", Author: gitlog.Signature{When: time.Unix(1700000000, 0)}}
			for _, d := range tt.diffs {
				path := "x.rs"
				if len(d.Changes) > 0 {
					path = d.Changes[0].File
				} else if len(d.Errors) > 0 {
					path = d.Errors[0].File
				}
				c.Files = append(c.Files, gitlog.FileChange{File: change.File{Path: path, Status: change.StatusModified}})
			}
			rec := buildCommitRecord(commitHeader(c), tt.diffs, nil, DefaultLanguages())
			md := rec.Metadata
			assert.Len(t, md.Changes, tt.listed)
			assert.Equal(t, tt.omitted, md.ChangesOmitted)
			assert.Len(t, md.ParseErrors, tt.parseErrors)
			if tt.lastParseNote != "" {
				assert.Equal(t, tt.lastParseNote, md.ParseErrors[len(md.ParseErrors)-1].Message)
			}
			b, err := json.Marshal(rec)
			require.NoError(t, err)
			assert.Less(t, float64(len(b))/(1<<20), tt.maxMetaMB+float64(MaxChangeBytesPerCommit)/(1<<20)*2, "record size")
			if tt.omitted > 0 {
				assert.True(t, strings.HasSuffix(rec.Response, fmt.Sprintf("(%d more identifier changes not listed)", tt.omitted)), rec.Response[max(len(rec.Response)-100, 0):])
			} else {
				assert.NotContains(t, rec.Response, "not listed")
			}
		})
	}
}

// TestMergedRecordBounds: a PR of many large commits lists at most
// MaxChangesPerCommit changes, and counts them all.
func TestMergedRecordBounds(t *testing.T) {
	const perCommit = 9000
	var commits []CommitRecord
	var prCommits []github.PRCommit
	for c := range 3 {
		sha := fmt.Sprintf("%040x", c+1)
		md := CommitMetadata{Commit: sha, Parents: []string{}, Date: "2024-01-01T00:00:00Z", Subject: "big",
			Files:       []change.File{{Path: fmt.Sprintf("src/f%d.rs", c), Status: "modified", Additions: perCommit}},
			ParseErrors: []change.ParseError{}}
		for i := range perCommit {
			md.Changes = append(md.Changes, change.Identifier{File: md.Files[0].Path, Op: "added", Kind: "function",
				Name: fmt.Sprintf("f%d", i), Visibility: "pub", Cfg: []string{}, Detail: []string{}})
		}
		commits = append(commits, CommitRecord{Prompt: "big", Response: "r", Metadata: md})
		prCommits = append(prCommits, github.PRCommit{SHA: sha, Message: "big"})
	}
	merged := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	prs := []github.PR{{Number: 1, Title: "A large change", Body: "Adds many functions.", State: "closed", Merged: true,
		MergedAt: &merged, Author: "dev", Commits: prCommits}}
	recs, _, err := Merge(prs, nil, commits, MergeOptions{})
	require.NoError(t, err)
	require.Len(t, recs, 1)
	md := recs[0].Metadata
	assert.Len(t, md.Changes, MaxChangesPerCommit)
	assert.Equal(t, 3*perCommit, md.IdentifierChanges, "every change is counted")
	b, err := json.Marshal(recs[0])
	require.NoError(t, err)
	assert.Less(t, len(b), 3*MaxChangeBytesPerCommit, "record size")
}
