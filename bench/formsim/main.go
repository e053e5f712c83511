// Command formsim measures the removal of form scaffolding (issue 15, item
// 8) on PR and issue data shaped by a repository's own templates: it reads
// the issue forms and PR templates of each repository at HEAD, renders N
// issues per YAML issue form as GitHub renders a form's answers (a quarter of
// the optional fields left empty: "_No response_"; dropdowns answered;
// checkboxes ticked) and a PR per issue from the PR template (problem
// sections written, checkboxes ticked, "Fixes #N"), then merges them three
// ways into DIR/REPO-{raw,generic,forms}/merged_dataset.jsonl: raw (the
// title and the bodies as they are), generic (cleaned with the generic
// rules only: no templates) and forms (with the repository's templates).
// It prints the sections removed; bench/formsim.sh counts the prompts that
// still hold scaffolding with bench/boilerplate. The answers are made up
// (fixed words, seeded): only the form structure is the repository's.
//
// Usage: go run ./bench/formsim -n 100 -o DIR REPO...
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/github"
	"github.com/sftforge/sftforge/github/forms"
	"github.com/sftforge/sftforge/gitlog"
)

var words = strings.Fields(`the refund payment connector webhook merchant customer status amount currency capture
retry timeout request response field returns fails expected pending succeeded after before when with for
list search update create delete route handler config database query cache token session error`)

func sentence(r *rand.Rand) string {
	n := 6 + r.IntN(10)
	w := make([]string, n)
	for i := range w {
		w[i] = words[r.IntN(len(words))]
	}
	s := strings.Join(w, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func text(r *rand.Rand) string {
	var b []string
	for range 1 + r.IntN(3) {
		b = append(b, sentence(r))
	}
	return strings.Join(b, " ")
}

// issueBody renders a form's answers as GitHub does.
func issueBody(r *rand.Rand, t *forms.Template) string {
	var b strings.Builder
	for _, s := range t.Sections {
		fmt.Fprintf(&b, "### %s\n\n", s.Heading)
		switch s.Type {
		case forms.TypeCheckboxes:
			for _, o := range s.Options {
				fmt.Fprintf(&b, "- [X] %s\n", o)
			}
		case forms.TypeDropdown:
			if len(s.Options) > 0 {
				b.WriteString(s.Options[r.IntN(len(s.Options))] + "\n")
			} else {
				b.WriteString("_No response_\n")
			}
		default:
			if r.IntN(4) == 0 {
				b.WriteString("_No response_\n")
			} else {
				b.WriteString(text(r) + "\n")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// prBody fills a markdown template: problem sections get text, checklist
// sections their boxes (some ticked), and the issue is closed.
func prBody(r *rand.Rand, t *forms.Template, issue int) string {
	if t == nil {
		return fmt.Sprintf("%s\n\nFixes #%d\n", text(r), issue)
	}
	var b strings.Builder
	for i, s := range t.Sections {
		fmt.Fprintf(&b, "## %s\n", s.Heading)
		if s.Role == forms.Checklist {
			for j := range 3 {
				tick := " "
				if r.IntN(2) == 0 {
					tick = "x"
				}
				fmt.Fprintf(&b, "- [%s] item %d\n", tick, j)
			}
		} else {
			b.WriteString(text(r) + "\n")
		}
		if i == 0 {
			fmt.Fprintf(&b, "\nFixes #%d\n", issue)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func main() {
	n := flag.Int("n", 100, "issues per issue form")
	out := flag.String("o", "", "output directory (must not exist)")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: formsim -n N -o DIR REPO...")
		os.Exit(2)
	}
	for _, path := range flag.Args() {
		if err := run(path, *n, *out); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func run(path string, n int, out string) error {
	ctx := context.Background()
	repo, err := gitlog.Open(ctx, path, gitlog.OpenOptions{})
	if err != nil {
		return err
	}
	defer repo.Close()
	set, err := dataset.FormsForRepo(ctx, repo, "", nil, nil)
	if err != nil {
		return err
	}
	var issueForms []*forms.Template
	var prTemplate *forms.Template
	for _, t := range set.Templates() {
		lp := strings.ToLower(t.Path)
		switch {
		case strings.Contains(lp, "pull_request_template"):
			prTemplate = t
		case strings.Contains(lp, "issue_template") && !strings.HasSuffix(lp, ".md") && len(t.Sections) > 0:
			issueForms = append(issueForms, t)
		}
	}
	name := strings.TrimSuffix(filepath.Base(path), ".git")
	if len(issueForms) == 0 {
		fmt.Printf("%s: no YAML issue form\n", name)
		return nil
	}
	r := rand.New(rand.NewPCG(1, 2))
	var prs []github.PR
	var issues []github.Issue
	when := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	num := 1
	for _, f := range issueForms {
		for range n {
			is := github.Issue{Number: num, Title: sentence(r), Body: issueBody(r, f), State: "closed", CreatedAt: when}
			merged := when.Add(time.Duration(num) * time.Hour)
			pr := github.PR{Number: num + 1, Title: "fix: " + strings.ToLower(sentence(r)), Body: prBody(r, prTemplate, num),
				State: "closed", Merged: true, MergedAt: &merged, CreatedAt: when, LinkedIssues: []int{num}, Author: "someone"}
			issues = append(issues, is)
			prs = append(prs, pr)
			num += 2
		}
	}
	for _, mode := range []string{"raw", "generic", "forms"} {
		mo := dataset.MergeOptions{Filters: dataset.FilterOptions{KeepDuplicates: true}}
		if mode == "forms" {
			mo.Forms = set
		}
		recs, ms, err := dataset.Merge(prs, issues, nil, mo)
		if err != nil {
			return err
		}
		if mode == "raw" {
			// The texts as they are: the issue, then the PR description.
			issueOf, bodyOf := map[int]github.Issue{}, map[int]string{}
			for _, is := range issues {
				issueOf[is.Number] = is
			}
			for _, pr := range prs {
				bodyOf[pr.Number] = pr.Body
			}
			for i := range recs {
				is := issueOf[recs[i].Metadata.LinkedIssues[0]]
				recs[i].Prompt = is.Title + "\n\n" + is.Body + "\n\n" + bodyOf[recs[i].Metadata.PRNumber]
			}
			ms.PromptSections = nil
		}
		dir := filepath.Join(out, name+"-"+mode)
		if _, err := dataset.WriteDataset(dir, recs, ms, dataset.WriteOptions{}); err != nil {
			return err
		}
		fmt.Printf("%s %-8s %d issue forms, %d prompts; sections removed: %v\n", name, mode, len(issueForms), len(recs), ms.PromptSections)
	}
	return nil
}
