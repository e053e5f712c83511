package sample

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/go-git/go-git/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/gitlog"
)

// TestPlantedSecrets checks that the fake secrets redaction must find are
// where the package documentation says.
func TestPlantedSecrets(t *testing.T) {
	s := sharedSample(t)
	prs := readPRs(t, s)
	bodyWith := func(needle string) int {
		for _, pr := range prs {
			if strings.Contains(pr.Body, needle) {
				return pr.Number
			}
		}
		return 0
	}
	assert.Equal(t, 15, bodyWith("sk_live_51PqRsTuVwXyZ0aBcDeFgHiJkLmNoPqRs9tUvWxYz"), "Stripe-style live key in a PR body")
	assert.Equal(t, 17, bodyWith("finance-ops@northwind-traders.example"), "e-mail address in a PR body")

	var leak string
	for _, pr := range prs {
		if pr.Number == 25 {
			leak = pr.MergeCommitSHA
			assert.Contains(t, pr.Patch, "+aws_access_key_id = \"AKIAQX4SAMPLE7ZK9P2W\"")
		}
	}
	require.NotEmpty(t, leak)
	config := gitCLI(t, s.RepoPath, nil, "show", leak+":config/development.toml")
	assert.Contains(t, config, `aws_access_key_id = "AKIAQX4SAMPLE7ZK9P2W"`)
	assert.Contains(t, config, `aws_secret_access_key = "wJ8rXk2Lq9ZtN4vB7mC1pD6sF3gH0jK5lQ8wE2rT"`)
	head, err := os.ReadFile(filepath.Join(s.RepoPath, "config", "development.toml"))
	require.NoError(t, err)
	assert.NotContains(t, string(head), "AKIA", "a later commit removes the key")
}

// TestLinks checks the closing links and mentions the bodies were written
// to produce, including the traps (a number in an HTML comment, a
// cross-repository closing link, a plain mention).
func TestLinks(t *testing.T) {
	s := sharedSample(t)
	byNumber := map[int][]string{}
	for _, pr := range readPRs(t, s) {
		var got []string
		for _, n := range pr.LinkedIssues {
			got = append(got, "closes #"+strconv.Itoa(n))
		}
		for _, r := range pr.LinkedRefs {
			if r.Owner != s.Owner || r.Repo != s.Name {
				got = append(got, "closes "+r.String())
			}
		}
		for _, r := range pr.Mentions {
			got = append(got, "mentions "+r.String())
		}
		byNumber[pr.Number] = got
	}
	tests := []struct {
		pr   int
		want []string
	}{
		{12, []string{"closes #11"}}, // the "Fixes #1" in an HTML comment does not count
		{15, []string{"closes #13", "mentions acme-payments/paygate#14"}},
		{17, []string{"closes #16"}},
		{19, []string{"closes #18"}},
		{20, []string{"closes #10"}},
		{21, []string{"mentions acme-payments/paygate#23"}},
		{22, []string{"mentions acme-payments/paygate#15"}},
		{24, []string{"closes #23", "closes acme-payments/paygate-docs#3"}},
		{25, nil},
		{26, []string{"mentions acme-payments/paygate#25"}},
		{28, []string{"closes #27"}},
		{29, []string{"mentions acme-payments/paygate#19"}}, // the revert of #19
		{30, []string{"mentions acme-payments/paygate#19"}}, // #19 reapplied: the same change
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, byNumber[tt.pr], "PR #%d", tt.pr)
	}
	assert.Len(t, byNumber, len(tests))
}

// stepYAML is a commit.yaml with an author, the given date and message,
// and extra lines.
func stepYAML(date, message, extra string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("author: {name: A, email: a@example.com}\ndate: " + date + "\nmessage: " + message + "\n" + extra)}
}

const someDate = `"2024-01-01T00:00:00Z"`

func meta(extra string) *fstest.MapFile { return stepYAML(someDate, "m", extra) }

// validFixture is a minimal history: two steps on main, a branch merged
// back, and one issue.
func validFixture() fstest.MapFS {
	return fstest.MapFS{
		"history/00-init/commit.yaml":  meta(""),
		"history/00-init/tree/a.rs":    {Data: []byte("fn a() {}\n")},
		"history/00-init/tree/b.rs":    {Data: []byte("fn b() {}\n")},
		"history/01-side/commit.yaml":  meta("branch: side\n"),
		"history/01-side/tree/b.rs":    {Data: []byte("fn b2() {}\n")},
		"history/02-main/commit.yaml":  meta(""),
		"history/02-main/tree/a.rs":    {Data: []byte("fn a2() {}\n")},
		"history/03-merge/commit.yaml": meta("merge: side\n"),
		"issues.yaml":                  {Data: []byte("- {number: 1, title: t, author: u, state: open, created_at: \"2024-01-01T00:00:00Z\"}\n")},
	}
}

// buildFixture builds the history of fsys in dir and its PR records.
func buildFixture(dir string, fsys fs.FS) error {
	fx, err := loadFixture(fsys)
	if err != nil {
		return err
	}
	repo, err := git.PlainInit(dir, true)
	if err != nil {
		return err
	}
	h, err := buildHistory(repo, fx)
	if err != nil {
		return err
	}
	if len(h.Main) != 3 {
		return fmt.Errorf("main has %d commits, want 3", len(h.Main))
	}
	gr, err := gitlog.Open(context.Background(), dir, gitlog.OpenOptions{})
	if err != nil {
		return err
	}
	defer gr.Close()
	if _, err := pullRequests("o", "r", fx, h, gr); err != nil {
		return err
	}
	_, err = issues(fx)
	return err
}

func TestFixtureErrors(t *testing.T) {
	const main2, merge3 = "history/02-main/commit.yaml", "history/03-merge/commit.yaml"
	prYAML := func(extra string) string {
		return "pr: {number: 3, author: u, head_ref: h, created_at: " + someDate + extra + "}\n"
	}
	tests := []struct {
		name    string
		path    string          // the fixture file to replace
		file    *fstest.MapFile // its new content; nil deletes it
		wantErr string          // empty: no error
	}{
		{"valid", "issues.yaml", validFixture()["issues.yaml"], ""},
		{"not a step directory", "history/README", &fstest.MapFile{Data: []byte("x")}, "history/README: not a step directory"},
		{"missing commit.yaml", main2, nil, main2},
		{"bad date", main2, stepYAML("yesterday", "m", ""), main2 + ": date"},
		{"unknown key", main2, meta("mesage: m\n"), "field mesage not found"},
		{"no author", main2, &fstest.MapFile{Data: []byte("date: " + someDate + "\nmessage: m\n")}, "author: name and email are required"},
		{"delete of a missing file", main2, meta("delete: [nope.rs]\n"), "step 02-main: delete nope.rs: no such file"},
		{"unclean path", main2, meta("delete: [../a.rs]\n"), `path "../a.rs"`},
		{"branch never merged", merge3, nil, "branch side is never merged into main"},
		{"merge of unknown branch", merge3, meta("merge: other\n"), "step 03-merge: merge other: no such branch"},
		{"merge conflict", "history/02-main/tree/b.rs", &fstest.MapFile{Data: []byte("fn b3() {}\n")}, "merge side: b.rs: changed on both sides"},
		{"squash PR without commits", main2, stepYAML(someDate, "m (#3)", prYAML("")), "pr: a squash merge lists its commits"},
		{"PR on the first commit", "history/00-init/commit.yaml", stepYAML(someDate, "m (#3)", prYAML(", commits: [c]")),
			"step 00-init: pr #3: the first commit merges no pull request"},
		{"PR on a side branch", "history/01-side/commit.yaml", meta("branch: side\n" + prYAML(", commits: [c]")),
			"pr: only a commit on main merges a pull request"},
		{"closed issue without closed_at", "issues.yaml",
			&fstest.MapFile{Data: []byte("- {number: 4, title: t, author: u, state: closed, created_at: " + someDate + "}\n")},
			"issues.yaml: issue #4: closed_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validFixture()
			if tt.file == nil {
				delete(m, tt.path)
			} else {
				m[tt.path] = tt.file
			}
			err := buildFixture(t.TempDir(), m)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.True(t, strings.HasPrefix(err.Error(), "sample: "), err.Error())
		})
	}
}

func TestFixtureWithoutSteps(t *testing.T) {
	m := fstest.MapFS{
		"history/.keep": {Data: []byte{}},
		"issues.yaml":   {Data: []byte("[]\n")},
	}
	_, err := loadFixture(m)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "history/.keep: not a step directory")
	delete(m, "history/.keep")
	m["history"] = &fstest.MapFile{Mode: fs.ModeDir}
	_, err = loadFixture(m)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "history: no steps")
}

// FuzzParseStep feeds arbitrary commit.yaml files to the step parser: it
// must never panic, and an accepted step is complete.
func FuzzParseStep(f *testing.F) {
	steps, err := fs.Glob(fixtureFiles, "fixture/history/*/commit.yaml")
	require.NoError(f, err)
	for _, p := range steps {
		b, err := fixtureFiles.ReadFile(p)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte("author: {name: A, email: a@x}\ndate: \"2024-01-01T00:00:00Z\"\nmessage: \"  \"\n"))
	f.Add([]byte("pr: {number: -1}\n"))
	f.Add([]byte("{{{"))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := parseStep("01-fuzz", b)
		if err != nil {
			return
		}
		assert.False(t, st.When.IsZero())
		assert.True(t, strings.HasSuffix(st.Meta.Message, "\n"))
		assert.NotEmpty(t, strings.TrimSpace(st.Subject()))
		if st.Meta.PR != nil {
			assert.Positive(t, st.Meta.PR.Number)
			assert.NotEmpty(t, st.Meta.PR.Title)
		}
	})
}
