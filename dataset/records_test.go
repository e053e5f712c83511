package dataset

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/sample"
)

// TestCommitRecordsEqualExportFiles: the records CommitRecords yields are
// the records Export writes, as ReadCommitExport reads them back, in every
// format and with redaction; stats agree.
func TestCommitRecordsEqualExportFiles(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	repo, err := gitlog.Open(context.Background(), s.RepoPath, gitlog.OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()
	red, err := NewRedactor("", false)
	require.NoError(t, err)
	for _, format := range Formats {
		for _, redactor := range []*Redactor{nil, red} {
			t.Run(fmt.Sprintf("%s/redact=%v", format, redactor != nil), func(t *testing.T) {
				opts := ExportOptions{Dir: filepath.Join(t.TempDir(), "export"), Format: format, Redactor: redactor}
				est, err := Export(context.Background(), repo, opts)
				require.NoError(t, err)
				want, err := ReadCommitExport(opts.Dir)
				require.NoError(t, err)
				require.NotEmpty(t, want)

				var st ExportStats
				var got []CommitRecord
				var progress []int
				opts.OnCommit = func(n int, _ CommitRecord) { progress = append(progress, n) }
				for rec, err := range CommitRecords(context.Background(), repo, opts, &st) {
					require.NoError(t, err)
					got = append(got, rec)
				}
				assert.Equal(t, want, got)
				assert.Len(t, progress, len(got))
				assert.Equal(t, est.Records, st.Records)
				assert.Equal(t, est.Changes, st.Changes)
				assert.Equal(t, est.Redactions, st.Redactions, "each record redacted and counted once")
			})
		}
	}
}

// TestCommitRecordsStopAndError: a consumer may stop early (the workers
// end, stats hold what was yielded); a cancelled walk yields its error.
func TestCommitRecordsStopAndError(t *testing.T) {
	s, err := sample.Build(t.TempDir())
	require.NoError(t, err)
	repo, err := gitlog.Open(context.Background(), s.RepoPath, gitlog.OpenOptions{})
	require.NoError(t, err)
	defer repo.Close()

	var st ExportStats
	n := 0
	for _, err := range CommitRecords(context.Background(), repo, ExportOptions{Workers: 2}, &st) {
		require.NoError(t, err)
		if n++; n == 2 {
			break
		}
	}
	assert.Equal(t, 2, st.Records)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var errs []error
	for _, err := range CommitRecords(ctx, repo, ExportOptions{}, nil) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.True(t, errors.Is(errs[0], context.Canceled), "%v", errs[0])
}

// TestReadCommitExportPastFiveDigits: record files are named %05d, so
// record 100000 and later have six digits; all are read, in number order.
func TestReadCommitExportPastFiveDigits(t *testing.T) {
	dir := t.TempDir()
	numbers := []int{1, 2, 99999, 100000, 100001, 1234567}
	rows := [][]string{indexHeader}
	for _, n := range numbers {
		sha := fmt.Sprintf("%040x", n)
		rec := CommitRecord{Prompt: fmt.Sprintf("commit %d", n), Response: "r",
			Metadata: CommitMetadata{Commit: sha, Parents: []string{}, Files: []change.File{}, Changes: []change.Identifier{},
				ParseErrors: []change.ParseError{}}}
		require.NoError(t, writeCommitRecord(dir, n, rec, FormatSFT, DefaultLanguages().SystemPrompt()))
		rows = append(rows, indexRow(n, rec))
	}
	var index strings.Builder
	require.NoError(t, csv.NewWriter(&index).WriteAll(rows))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.csv"), []byte(index.String()), 0o644))
	_, err := os.Stat(filepath.Join(dir, ExportFileName(100000, fmt.Sprintf("%040x", 100000))))
	require.NoError(t, err, "six-digit name written")
	// Names that are not record files are ignored.
	for _, name := range []string{"1234_short.jsonl", "x2345_a.jsonl", "123456_a.json"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("{}\n"), 0o644))
	}
	recs, err := ReadCommitExport(dir)
	require.NoError(t, err)
	var got []string
	for _, r := range recs {
		got = append(got, r.Prompt)
	}
	want := []string{"commit 1", "commit 2", "commit 99999", "commit 100000", "commit 100001", "commit 1234567"}
	assert.Equal(t, want, got)
}

// TestJSONUTF8: a record kept in memory has the text its file would give
// back: each invalid byte is U+FFFD, as encoding/json writes it.
func TestJSONUTF8(t *testing.T) {
	tests := []string{"", "plain", "caf\xc3\xa9", "bad \xff byte", "two \xff\xfe bytes", "cut \xe2\x82", "\xed\xa0\x80 surrogate",
		"ok \u2028 line sep", strings.Repeat("\x80", 3)}
	for _, in := range tests {
		t.Run(fmt.Sprintf("%q", in), func(t *testing.T) {
			b, err := json.Marshal(in)
			require.NoError(t, err)
			var want string
			require.NoError(t, json.Unmarshal(b, &want))
			assert.Equal(t, want, jsonUTF8(in))
		})
	}

	rec := CommitRecord{Prompt: "p\xff", Metadata: CommitMetadata{Subject: "s\xff", Parents: []string{"a"},
		Files:   []change.File{{Path: "src/\xfe.rs"}},
		Changes: []change.Identifier{{Name: "n\xff", Cfg: []string{"ok", "feature = \"\xff\""}}}}}
	cfg := rec.Metadata.Changes[0].Cfg
	b, err := json.Marshal(rec)
	require.NoError(t, err)
	var want CommitRecord
	require.NoError(t, json.Unmarshal(b, &want))
	validUTF8Record(&rec)
	assert.Equal(t, want, rec)
	assert.Equal(t, "feature = \"\xff\"", cfg[1], "a differ's slice is not changed in place")
}
