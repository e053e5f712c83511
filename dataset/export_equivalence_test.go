package dataset

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/gitlog"
	"github.com/sftforge/sftforge/lang"
	"github.com/sftforge/sftforge/rustparse"
)

// fullParseDiffer is the reference the incremental export must equal: it
// parses every version from scratch and diffs the two summaries.
type fullParseDiffer struct{ prev *rustparse.File }

func (d *fullParseDiffer) Next(src []byte) (lang.FileDiff, error) {
	var next *rustparse.File
	if src != nil {
		f, err := rustparse.Parse(src)
		if err != nil {
			return lang.FileDiff{}, err
		}
		next = f
	}
	out := lang.FileDiff{Changes: rustparse.Diff(d.prev, next)}
	if next != nil {
		for _, e := range next.Errors {
			out.Errors = append(out.Errors, change.ParseError{Line: e.Line, Message: e.Message})
		}
	}
	d.prev = next
	return out, nil
}

func (d *fullParseDiffer) Close() {}

// fullParseLanguages is Rust with fullParseDiffer as its differ.
func fullParseLanguages() lang.Registry {
	rust := rustparse.Language()
	rust.NewDiffer = func() lang.Differ { return &fullParseDiffer{} }
	return lang.Registry{rust}
}

// rustModule returns a Rust module with n items of the kinds a payments
// crate has: structs with derives and cfg twins, enums, impls, trait
// impls, functions, consts and macro calls.
func rustModule(r *rand.Rand, n int) []byte {
	var b bytes.Buffer
	b.WriteString("use std::collections::HashMap;\n\n")
	for i := range n {
		switch r.IntN(6) {
		case 0:
			fmt.Fprintf(&b, "#[derive(Debug, Clone)]\npub struct Payment%d {\n    pub id: String,\n    amount: i64,\n}\n\n", i)
		case 1:
			fmt.Fprintf(&b, "pub enum Status%d {\n    Pending,\n    Done { code: u16 },\n}\n\n", i)
		case 2:
			fmt.Fprintf(&b, "impl Payment%d {\n    pub fn new(id: &str) -> Self {\n        todo!(\"{id}\")\n    }\n\n    fn amount(&self) -> i64 {\n        self.amount * %d\n    }\n}\n\n", i, i)
		case 3:
			fmt.Fprintf(&b, "#[cfg(feature = \"v1\")]\npub async fn handle_%d(req: Request) -> Result<Response, Error> {\n    let x = req.body()?;\n    Ok(Response::new(x))\n}\n\n#[cfg(feature = \"v2\")]\npub async fn handle_%d(req: Request) -> Result<Response, Error> {\n    todo!()\n}\n\n", i, i)
		case 4:
			fmt.Fprintf(&b, "pub(crate) const LIMIT_%d: usize = %d;\n\n", i, i*10)
		case 5:
			fmt.Fprintf(&b, "default_imp_for_flow!(\n    connectors::Adyen,\n    connectors::Stripe%d,\n    connectors::Worldpay\n);\n\n", i)
		}
	}
	return b.Bytes()
}

// editModule returns src with one or a few edits of the kinds commits make.
func editModule(r *rand.Rand, src []byte) []byte {
	lines := bytes.SplitAfter(src, []byte("\n"))
	for range 1 + r.IntN(3) {
		i := r.IntN(len(lines))
		var ins [][]byte
		drop := 0
		switch r.IntN(7) {
		case 0: // a line inside a body changes
			ins = [][]byte{fmt.Appendf(nil, "        let changed_%d = %d;\n", r.IntN(100), r.IntN(100))}
			drop = 1
		case 1: // a block goes
			drop = 1 + r.IntN(8)
		case 2: // a new function
			ins = [][]byte{fmt.Appendf(nil, "\npub fn added_%d(x: u32) -> u32 {\n    x + %d\n}\n", r.IntN(1000), r.IntN(9))}
		case 3: // a new field or variant line
			ins = [][]byte{fmt.Appendf(nil, "    pub extra_%d: Option<String>,\n", r.IntN(50))}
		case 4: // an attribute
			ins = [][]byte{[]byte("#[cfg(feature = \"v2\")]\n")}
		case 5: // a connector in a macro call
			ins = [][]byte{fmt.Appendf(nil, "    connectors::Added%d,\n", r.IntN(50))}
		case 6: // a broken line
			ins = [][]byte{[]byte("fn broken( {\n")}
		}
		drop = min(drop, len(lines)-i)
		lines = append(lines[:i], append(ins, lines[i+drop:]...)...)
	}
	return bytes.Join(lines, nil)
}

// editedHistory builds a repository of commits that edit, add, rename and
// delete Rust files, oldest first.
func editedHistory(t *testing.T, commits int) string {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	require.NoError(t, err)
	wt, err := repo.Worktree()
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(7, 11))
	files := map[string][]byte{}
	write := func(path string, src []byte) {
		full := filepath.Join(dir, path)
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, src, 0o644))
		_, err := wt.Add(path)
		require.NoError(t, err)
		files[path] = src
	}
	remove := func(path string) {
		_, err := wt.Remove(path)
		require.NoError(t, err)
		delete(files, path)
	}
	for i := range 5 {
		write(fmt.Sprintf("crates/c%d/src/lib.rs", i), rustModule(r, 20+r.IntN(40)))
	}
	when := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for c := range commits {
		paths := make([]string, 0, len(files))
		for p := range files {
			paths = append(paths, p)
		}
		// Map order is random: sort for a reproducible history.
		slices.Sort(paths)
		switch k := r.IntN(20); {
		case k == 0 && len(paths) > 2: // delete a file
			remove(paths[r.IntN(len(paths))])
		case k == 1: // add a file
			write(fmt.Sprintf("crates/new%d/src/lib.rs", c), rustModule(r, 5+r.IntN(10)))
		case k == 2: // rename a file, with an edit
			p := paths[r.IntN(len(paths))]
			src := files[p]
			remove(p)
			write(fmt.Sprintf("crates/moved%d/src/lib.rs", c), editModule(r, src))
		default: // edit one to three files
			for range 1 + r.IntN(3) {
				p := paths[r.IntN(len(paths))]
				write(p, editModule(r, files[p]))
			}
		}
		when = when.Add(time.Hour)
		sig := &object.Signature{Name: "Dev", Email: "dev@example.com", When: when}
		_, err := wt.Commit(fmt.Sprintf("feat: step %d (#%d)", c, c+1), &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true})
		require.NoError(t, err)
	}
	return dir
}

// TestExportEqualsFullParse: on a history of edited, added, renamed and
// deleted files, the incremental export (trees kept per path, the walker's
// line diffs turned into tree edits, items reused) writes exactly what
// parsing every version from scratch writes, whatever the workers and the
// memory budget.
func TestExportEqualsFullParse(t *testing.T) {
	commits := 150
	if testing.Short() {
		commits = 40
	}
	dir := editedHistory(t, commits)
	full := fullParseLanguages()
	renames := gitlog.WalkOptions{DetectRenames: true}
	tests := []struct {
		name string
		opts ExportOptions
	}{
		{"incremental", ExportOptions{Workers: 2}},
		{"incremental one worker", ExportOptions{Workers: 1, ResidentBytes: -1}},
		{"incremental evicting", ExportOptions{Workers: 2, ResidentBytes: 8 << 10}},
		{"incremental with renames", ExportOptions{Workers: 2, Walk: renames}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, st := exportDir(t, dir, ExportOptions{Workers: 1, Languages: full, Walk: tt.opts.Walk})
			require.Greater(t, st.Records, commits/2)
			require.Positive(t, st.Modified)
			require.Positive(t, st.ParseErrors, "the history has broken versions")
			got, _ := exportDir(t, dir, tt.opts)
			require.Equal(t, len(want), len(got))
			for name := range want {
				assert.Equal(t, want[name], got[name], name)
			}
		})
	}
}

// TestExportEqualsFullParseRealHistory is TestExportEqualsFullParse on a
// real repository, run only when DATASET_REAL_REPO names one (nothing is
// committed from it): the newest DATASET_REAL_N (default 300) first-parent
// commits, exported incrementally and by parsing every version from
// scratch, must give identical files.
//
//	DATASET_REAL_REPO=/path/repo.git go test -run RealHistory -v ./dataset
func TestExportEqualsFullParseRealHistory(t *testing.T) {
	dir := os.Getenv("DATASET_REAL_REPO")
	if dir == "" {
		t.Skip("set DATASET_REAL_REPO to a repository")
	}
	n := 300
	if s := os.Getenv("DATASET_REAL_N"); s != "" {
		v, err := strconv.Atoi(s)
		require.NoError(t, err, "DATASET_REAL_N")
		n = v
	}
	walk := gitlog.WalkOptions{MaxCommits: n}
	full := fullParseLanguages()
	want, st := exportDir(t, dir, ExportOptions{Walk: walk, Languages: full})
	got, _ := exportDir(t, dir, ExportOptions{Walk: walk})
	require.Equal(t, len(want), len(got))
	for name := range want {
		require.Equal(t, want[name], got[name], name)
	}
	t.Logf("%d records, %d identifier changes: identical", st.Records, st.Changes)
}
