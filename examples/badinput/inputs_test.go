package badinput_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// init adds the rows of hostile or careless inputs (issue 12, items 6 to
// 12) to the table: rules files, incomplete merge inputs, templates,
// control characters, dates, negative counts, token files and repository
// names. Each row is one case.
func init() { badInputs = append(badInputs, inputRows...) }

var inputRows = []badInput{
	// Rules files: a misspelt section must not silently switch rules off.
	{
		name: "sftforge: rules file with redaction: instead of redact:",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			rules := f.Write("rules.yaml", "redaction:\n  allow_patterns: ['^sk_test_']\n")
			return invocation{Args: []string{"--rules", rules, "-o", f.Path("out")}, Guard: []string{rules}}
		},
		code:   2,
		stderr: []string{`rules.yaml:1: unknown top-level key "redaction" (known: layers, rules, keywords, taxonomy, redact, bots)`},
	},
	{
		name: "sftforge: rules file with an unknown key inside redact:",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			rules := f.Write("rules.yaml", "redact:\n  allow_pattern: ['^sk_test_']\n")
			return invocation{Args: []string{"--rules", rules, "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{`rules.yaml:2: redact: unknown key "allow_pattern"`},
	},
	// Token files: never carry on unauthenticated or retry a bad header.
	{
		name: "gather: empty --token-file",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			tok := f.Write("token", "")
			return invocation{Args: []string{"acme", "pay", "--token-file", tok, "-o", f.Path("out"), "--api-url", "http://127.0.0.1:1/"}}
		},
		code:   2,
		stderr: []string{"token is empty"},
		check:  absent("out"),
	},
	{
		name: "gather: two-line --token-file",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			tok := f.Write("token", fakeToken+"\n"+fakeToken+"\n")
			return invocation{Args: []string{"acme", "pay", "--token-file", tok, "-o", f.Path("out"), "--api-url", "http://127.0.0.1:1/"}}
		},
		code:        2,
		stderr:      []string{"token has more than one line"},
		notInOutput: []string{fakeToken},
		check:       absent("out"),
	},
	{
		name: "sftforge: --token-file with a space",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			tok := f.Write("token", fakeToken[:10]+" "+fakeToken[10:]+"\n")
			return invocation{Args: []string{"--github", "acme/pay", "--token-file", tok, "-o", f.Path("out"), "--api-url", "http://127.0.0.1:1/"}}
		},
		code:        2,
		stderr:      []string{"token contains whitespace"},
		notInOutput: []string{fakeToken[:10], fakeToken[10:]},
		check:       absent("out"),
	},
	{
		name: "sftforge: empty --token-file",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			tok := f.Write("token", "\n")
			return invocation{Args: []string{"--github", "acme/pay", "--token-file", tok, "-o", f.Path("out"), "--api-url", "http://127.0.0.1:1/"}}
		},
		code:   2,
		stderr: []string{"token is empty"},
		check:  absent("out"),
	},
	// OWNER/REPO: checked against GitHub's rules before any request.
	{
		name: "gather: REPO with a query string",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"tokio-rs", "axum?x=", "-o", f.Path("out")}, Env: []string{"GITHUB_TOKEN=" + fakeToken}}
		},
		code:        2,
		stderr:      []string{`repository "axum?x=": character '?' not allowed`},
		notInOutput: []string{fakeToken},
		check:       absent("out"),
	},
	{
		name: "gather: OWNER ..",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"..", "..", "-o", f.Path("out")}, Env: []string{"GITHUB_TOKEN=" + fakeToken}}
		},
		code:   2,
		stderr: []string{`owner "..": character '.' not allowed`},
		check:  absent("out"),
	},
	{
		name: "sftforge: --github owner/repo#frag",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"--github", "owner/repo#frag", "-o", f.Path("out")}, Env: []string{"GITHUB_TOKEN=" + fakeToken}}
		},
		code:        2,
		stderr:      []string{`--github "owner/repo#frag": want OWNER/REPO: github: repository "repo#frag": character '#' not allowed`},
		notInOutput: []string{fakeToken},
		check:       absent("out"),
	},
	{
		name: "sftforge: --github ../..",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"--github", "../..", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{`--github "../..": want OWNER/REPO`},
		check:  absent("out"),
	},
	// merge: obviously incomplete inputs.
	{
		name: "merge: GitHub directory without summary.json (interrupted gather)",
		bin:  "merge",
		setup: func(f *fixture) invocation {
			gh := copyFiles(f, f.Sample().GitHubDir, f.Path("gh"))
			os.Remove(filepath.Join(gh, "summary.json"))
			return invocation{Args: []string{gh, exportOf(f), "-o", f.Path("out")}, Guard: []string{gh}}
		},
		code:   1,
		stderr: []string{"no summary.json: gather did not finish: run it again to resume"},
		check:  absent("out"),
	},
	{
		name: "merge: empty prs.jsonl",
		bin:  "merge",
		setup: func(f *fixture) invocation {
			gh := copyFiles(f, f.Sample().GitHubDir, f.Path("gh"))
			f.Write("gh/prs.jsonl", "")
			return invocation{Args: []string{gh, exportOf(f), "-o", f.Path("out")}, Guard: []string{gh}}
		},
		code:   1,
		stderr: []string{"prs.jsonl holds 0 PRs, summary.json says"},
		check:  absent("out"),
	},
	{
		name: "merge: export directory without index.csv",
		bin:  "merge",
		setup: func(f *fixture) invocation {
			exp := exportOf(f)
			os.Remove(filepath.Join(exp, "index.csv"))
			return invocation{Args: []string{f.Sample().GitHubDir, exp, "-o", f.Path("out")}, Guard: []string{exp}}
		},
		code:   1,
		stderr: []string{"no index.csv: not a complete commit export (run generate again)"},
		check:  absent("out"),
	},
	// Templates, negative counts.
	{
		name: "sftforge: empty --template",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			tmpl := f.Write("response.tmpl", "\n")
			return invocation{Args: []string{"--template", tmpl, "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"response.tmpl: empty (every response would be empty)"},
		check:  absent("out"),
	},
	{
		name: "merge: --template that renders nothing",
		bin:  "merge",
		setup: func(f *fixture) invocation {
			tmpl := f.Write("response.tmpl", "{{if false}}{{.Title}}{{end}}\n")
			return invocation{Args: []string{f.Path("gh"), f.Path("export"), "--template", tmpl, "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"response.tmpl: renders an empty response"},
		check:  absent("out"),
	},
	{
		name: "merge: --template with an unknown field",
		bin:  "merge",
		setup: func(f *fixture) invocation {
			tmpl := f.Write("response.tmpl", "{{ .Nope }}\n")
			return invocation{Args: []string{f.Path("gh"), f.Path("export"), "--template", tmpl, "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"can't evaluate field Nope"},
		check:  absent("out"),
	},
	{
		name: "sftforge: --workers -3",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"--workers", "-3", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"--workers -3: want 0 or more"},
		check:  absent("out"),
	},
	{
		name: "sftforge: -n -1",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"-n", "-1", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"--max-commits -1: want 0 or more"},
		check:  absent("out"),
	},
	{
		name: "sftforge: --max-prs -5",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"--max-prs", "-5", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"--max-prs -5: want 0 or more"},
		check:  absent("out"),
	},
	{
		name: "generate: --workers -3",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{f.Path("repo"), "--workers", "-3", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"--workers -3: want 0 or more"},
		check:  absent("out"),
	},
	{
		name: "generate: -m -1",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{f.Path("repo"), "-m", "-1", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"--min-lines -1: want 0 or more"},
		check:  absent("out"),
	},
	{
		name: "merge: --max-samples -1",
		bin:  "merge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{f.Path("gh"), f.Path("export"), "--max-samples", "-1", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"--max-samples -1: want 0 or more"},
		check:  absent("out"),
	},
	{
		name: "merge: --near-dup 2",
		bin:  "merge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{f.Path("gh"), f.Path("export"), "--near-dup", "2", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"--near-dup 2: want a similarity from 0 to 1"},
		check:  absent("out"),
	},
	{
		name: "sftforge: --near-dup -1",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"--repo", f.Path("repo"), "--near-dup", "-1", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"--near-dup -1: want a similarity from 0 to 1"},
		check:  absent("out"),
	},
	{
		name: "gather: --max-prs -1",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"acme", "pay", "--max-prs", "-1", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"--max-prs -1: want 0 or more"},
		check:  absent("out"),
	},
	// Depth: 40,000 nested modules, then an edit above them.
	{
		name: "generate: 40,000 nested modules",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			deep := strings.Repeat("mod m {\n", 40000) + "fn deep() {}\n" + strings.Repeat("}\n", 40000)
			repo := gitRepo(f, "fn a() {}\n"+deep, "fn a() {}\nfn b() {}\n"+deep)
			return invocation{Args: []string{repo, "-o", f.Path("out")}, Guard: []string{filepath.Join(repo, ".git")}}
		},
		code: 0,
		check: func(t *testing.T, f *fixture) {
			names, err := filepath.Glob(f.Path("out", "*.jsonl"))
			require.NoError(t, err)
			require.Len(t, names, 2)
			sort.Strings(names)
			var recs [2]struct {
				Metadata struct {
					Changes []struct {
						Op, Name string
					} `json:"changes"`
					ParseErrors []struct {
						Line    int    `json:"line"`
						Message string `json:"message"`
					} `json:"parse_errors"`
				} `json:"metadata"`
			}
			for i, n := range names {
				b, err := os.ReadFile(n)
				require.NoError(t, err)
				assert.Less(t, len(b), 1<<20, "record size")
				require.NoError(t, json.Unmarshal(b, &recs[i]))
				require.Len(t, recs[i].Metadata.ParseErrors, 1)
				assert.Equal(t, 257+i, recs[i].Metadata.ParseErrors[0].Line, "the 256th module")
				assert.Equal(t, "nesting deeper than 256 items: the items below are not extracted", recs[i].Metadata.ParseErrors[0].Message)
			}
			assert.Len(t, recs[0].Metadata.Changes, 257, "fn a and 256 modules")
			assert.Equal(t, []struct{ Op, Name string }{{"added", "b"}}, recs[1].Metadata.Changes, "no bogus removals")
		},
	},
	// Control characters and dates git stores but RFC 3339 cannot write.
	{
		name: "generate: NUL and escape in subjects, author date in year 99999",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			commits := []struct {
				msg  string
				when time.Time
			}{
				{"fix\x00nul\n", time.Unix(1700000000, 0)},
				{"\x1b[31mred\n", time.Date(99999, 1, 1, 0, 0, 0, 0, time.UTC)},
				{"ordinary\n", time.Unix(1700000120, 0)},
			}
			repo := gitRepoWith(f, func(i int) (string, time.Time) { return commits[i].msg, commits[i].when },
				"fn a() {}\n", "fn a() {}\nfn b() {}\n", "fn a() {}\nfn b() {}\nfn c() {}\n")
			return invocation{Args: []string{repo, "-o", f.Path("out")}}
		},
		code: 0,
		check: func(t *testing.T, f *fixture) {
			b, err := os.ReadFile(f.Path("out", "index.csv"))
			require.NoError(t, err)
			assert.NotContains(t, string(b), "\x00")
			assert.NotContains(t, string(b), "\x1b")
			assert.NotContains(t, string(b), "0001-01-01")
			rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			require.NoError(t, err)
			require.Len(t, rows, 4)
			assert.Equal(t, []string{"2023-11-14T22:13:20Z", "fix\uFFFDnul"}, []string{rows[1][2], rows[1][4]})
			assert.Equal(t, []string{"", "\uFFFD[31mred"}, []string{rows[2][2], rows[2][4]}, "an unknown date is empty")
			assert.Equal(t, []string{"2023-11-14T22:15:20Z", "ordinary"}, []string{rows[3][2], rows[3][4]})
		},
	},
}

// exportOf runs generate on the sample into the row's directory and
// returns the export directory.
func exportOf(f *fixture) string {
	dir := f.Path("export")
	f.Run("generate", f.Sample().RepoPath, "-o", dir)
	return dir
}

// copyFiles copies the regular files of src (one level) into dst.
func copyFiles(f *fixture, src, dst string) string {
	f.t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() {
			b, err := os.ReadFile(filepath.Join(src, e.Name()))
			if err != nil {
				f.t.Fatal(err)
			}
			f.Write(filepath.Join(strings.TrimPrefix(dst, f.Dir+string(filepath.Separator)), e.Name()), string(b))
		}
	}
	return dst
}

// gitRepo writes a repository with a work tree in the row's directory
// whose commits set src/lib.rs to each of versions in turn, and returns
// its path.
func gitRepo(f *fixture, versions ...string) string {
	return gitRepoWith(f, nil, versions...)
}

// gitRepoWith is gitRepo with the i-th commit's subject and author date
// set by commit(i), when given.
func gitRepoWith(f *fixture, commit func(i int) (string, time.Time), versions ...string) string {
	f.t.Helper()
	dir := f.Path("repo")
	r, err := git.PlainInit(dir, false)
	require.NoError(f.t, err)
	wt, err := r.Worktree()
	require.NoError(f.t, err)
	for i, v := range versions {
		f.Write("repo/src/lib.rs", v)
		_, err = wt.Add("src/lib.rs")
		require.NoError(f.t, err)
		msg, when := fmt.Sprintf("version %d", i+1), time.Unix(1700000000+int64(i)*60, 0)
		if commit != nil {
			msg, when = commit(i)
		}
		_, err = wt.Commit(msg, &git.CommitOptions{
			Author:    &object.Signature{Name: "A", Email: "a@example.com", When: when},
			Committer: &object.Signature{Name: "C", Email: "c@example.com", When: time.Unix(1700000000+int64(i)*60, 0)}})
		require.NoError(f.t, err)
	}
	return dir
}

// absent checks that the row's run left no file or directory at name.
func absent(name string) func(t *testing.T, f *fixture) {
	return func(t *testing.T, f *fixture) {
		t.Helper()
		_, err := os.Lstat(f.Path(name))
		assert.True(t, os.IsNotExist(err), "%s exists", strings.TrimPrefix(f.Path(name), f.Dir))
	}
}
