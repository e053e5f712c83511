package badinput_test

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Rows of issue 15's items 1 and 3: --licenses, --exclude and
// --decontaminate name the bad list, file and line, exit 2 and write
// nothing; a malformed Cargo.toml at a merge commit is a warning and a
// count, the run goes on.
func init() { badInputs = append(badInputs, provenanceInputs...) }

var provenanceInputs = []badInput{
	{
		name: "sftforge: --licenses names no SPDX licence",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"--licenses", "MIT,permissive", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{`sftforge: --licenses: license: "permissive" is not an SPDX licence identifier`},
		check:  absent("out"),
	},
	{
		name: "merge: --exclude file unreadable",
		bin:  "merge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{f.Path("gh"), f.Path("export"), "--exclude", f.Path("missing.txt"), "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"merge: --exclude: dataset: exclude list: open ", "missing.txt: no such file or directory"},
		check:  absent("out"),
	},
	{
		name: "sftforge: --exclude line that is no PR, issue or commit",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			list := f.Write("exclude.txt", "# instances\nacme/pay#12\nhyperswitch 1234\n")
			return invocation{Args: []string{"--exclude", list, "-o", f.Path("out")}, Guard: []string{list}}
		},
		code:   2,
		stderr: []string{`exclude.txt:3: "hyperswitch 1234": want owner/repo#N, a commit SHA (7 to 40 hex digits) or a PR, issue or commit URL`},
		check:  absent("out"),
	},
	{
		name: "sftforge: --decontaminate line that is not JSON",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			bench := f.Write("bench.jsonl", "{\"problem_statement\": \"a\"}\n{\"problem_statement\": \"b\"\n")
			return invocation{Args: []string{"--decontaminate", bench, "-o", f.Path("out")}, Guard: []string{bench}}
		},
		code:   2,
		stderr: []string{"bench.jsonl:2: not a JSON object"},
		check:  absent("out"),
	},
	{
		name: "sftforge: --decontaminate record without the text field",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			bench := f.Write("bench.jsonl", "{\"instance_id\": \"x\", \"statement\": \"b\"}\n")
			return invocation{Args: []string{"--decontaminate", bench, "--decontaminate-field", "problem_statement", "-o", f.Path("out")},
				Guard: []string{bench}}
		},
		code:   2,
		stderr: []string{"bench.jsonl:1: none of the text fields problem_statement"},
		check:  absent("out"),
	},
	{
		name: "sftforge: Cargo.toml malformed at the merge commit",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			repo := gitRepo(f, "fn a() {}\n", "fn a() {}\nfn b() {}\n")
			f.Write("repo/Cargo.toml", "[package\nname = \"pay\nlicense = \"MIT\"\n")
			f.Write("repo/src/lib.rs", "fn a() {}\nfn b() {}\nfn c() {}\n")
			r, err := git.PlainOpen(repo)
			require.NoError(f.t, err)
			wt, err := r.Worktree()
			require.NoError(f.t, err)
			require.NoError(f.t, wt.AddGlob("."))
			sig := &object.Signature{Name: "A", Email: "a@example.com", When: time.Unix(1700000600, 0)}
			_, err = wt.Commit("feat: c", &git.CommitOptions{Author: sig, Committer: sig})
			require.NoError(f.t, err)
			return invocation{Args: []string{"--repo", repo, "-o", f.Path("out")}, Guard: []string{repo}}
		},
		code:   0,
		stderr: []string{"dataset: licence lookup failed", ": licence at ", ": Cargo.toml: license: Cargo.toml:2: expected"},
		check: func(t *testing.T, f *fixture) {
			b, err := os.ReadFile(f.Path("out", "statistics.json"))
			require.NoError(t, err)
			var st struct {
				LicenseErrors int `json:"license_errors"`
			}
			require.NoError(t, json.Unmarshal(b, &st))
			assert.Equal(t, 1, st.LicenseErrors, "the merge commit's record")
		},
	},
}
