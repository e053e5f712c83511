package gitlog_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/sftforge/sftforge/gitlog"
)

// Example walks a two-commit repository, oldest commit first, and prints each
// commit's pull request number and changed Rust files with their line counts.
func Example() {
	dir, err := os.MkdirTemp("", "gitlog-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	makeHistory(dir)

	repo, err := gitlog.Open(context.Background(), dir, gitlog.OpenOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer repo.Close()

	opts := gitlog.WalkOptions{Include: []string{"**/*.rs"}, Reverse: true, DetectRenames: true, KeepContent: true}
	for c, err := range repo.Commits(context.Background(), opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s (PR %d)\n", c.Subject, c.PRNumber)
		for i := range c.Files {
			f := &c.Files[i]
			src, _ := f.NewContent() // kept by the walker: no second read
			fmt.Printf("  %s %s +%d -%d (%d bytes)\n", f.Status, f.Path, f.Additions, f.Deletions, len(src))
			f.ReleaseContent()
		}
	}
	// Output:
	// feat: add the router (#1) (PR 1)
	//   added src/router.rs +2 -0 (37 bytes)
	// refactor: move the router, add a route (#2) (PR 2)
	//   renamed crates/router/src/lib.rs +1 -0 (53 bytes)
}

// makeHistory commits two versions of a Rust file with go-git.
func makeHistory(dir string) {
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		log.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		log.Fatal(err)
	}
	when := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	commit := func(msg string, files map[string]string, remove ...string) {
		for _, p := range remove {
			if _, err := wt.Remove(p); err != nil {
				log.Fatal(err)
			}
		}
		for p, content := range files {
			full := filepath.Join(dir, p)
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				log.Fatal(err)
			}
			if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
				log.Fatal(err)
			}
			if _, err := wt.Add(p); err != nil {
				log.Fatal(err)
			}
		}
		when = when.Add(time.Hour)
		sig := &object.Signature{Name: "Ada", Email: "ada@example.com", When: when}
		if _, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
			log.Fatal(err)
		}
	}
	commit("feat: add the router (#1)", map[string]string{
		"src/router.rs": "pub fn route() {}\npub fn health() {}\n",
		"README.md":     "# demo\n",
	})
	commit("refactor: move the router, add a route (#2)", map[string]string{
		"crates/router/src/lib.rs": "pub fn route() {}\npub fn health() {}\npub fn pay() {}\n",
	}, "src/router.rs")
}
