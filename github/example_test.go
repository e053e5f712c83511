package github_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/github/githubtest"
)

func ExampleParseLinks() {
	closing, mentions := github.ParseLinks("juspay", "hyperswitch",
		"Fixes #12 and closes juspay/router#3.\nSee #7. <!-- fixes #99 -->")
	fmt.Println("closing:", closing)
	fmt.Println("mentions:", mentions)
	// Output:
	// closing: [juspay/hyperswitch#12 juspay/router#3]
	// mentions: [juspay/hyperswitch#7]
}

func ExampleGather() {
	dir, _ := os.MkdirTemp("", "example-gather-*")
	defer os.RemoveAll(dir)
	repo, err := githubtest.Generate(githubtest.GenerateOptions{Owner: "acme", Name: "pay", Dir: filepath.Join(dir, "git"), Merged: 3, Issues: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fake := githubtest.NewServer(repo)
	defer fake.Close()

	client, err := github.NewClient(github.ClientOptions{APIURL: fake.APIURL(), CacheDir: filepath.Join(dir, "cache")})
	if err != nil {
		fmt.Println(err)
		return
	}
	out := filepath.Join(dir, "github_data")
	os.MkdirAll(out, 0o755)
	sum, err := github.Gather(context.Background(), client, github.GatherOptions{Owner: "acme", Repo: "pay", OutDir: out})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d PRs, %d with linked issues, %d issues, %d requests\n", sum.PRs, sum.WithLinkedIssues, sum.Issues, sum.Requests)
	prs, _ := github.ReadPRs(filepath.Join(out, github.PRsFile))
	for _, pr := range prs {
		fmt.Printf("#%d %q commits=%d files=%d linked=%v\n", pr.Number, pr.Title, len(pr.Commits), len(pr.Files), pr.LinkedIssues)
	}
	// Output:
	// 3 PRs, 3 with linked issues, 2 issues, 5 requests
	// #5 "feat(core): change 2" commits=3 files=3 linked=[2]
	// #4 "feat(core): change 1" commits=2 files=2 linked=[2]
	// #3 "feat(core): change 0" commits=1 files=2 linked=[1]
}
