// Command boilerplate counts the prompts of merged_dataset.jsonl files that
// still hold issue-form or PR-template scaffolding (issue 15, item 8):
// "Are you willing to submit a PR?", "Have you read the Contributing
// Guidelines?", duplicate-search confirmations, "_No response_" answers,
// environment blocks (a heading such as "Environment", `rustc --version`),
// checklists and ticked boxes. Its patterns are its own, not package
// forms', so it checks the cleaning rather than repeating it. It prints one
// row per file and exits with 1 when any prompt holds scaffolding.
//
// Usage: go run ./bench/boilerplate DIR_OR_FILE...
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"
)

// markers are what a prompt must not hold, each matched against one line.
var markers = []struct {
	name string
	re   *regexp.Regexp
}{
	{"willing_to_submit_pr", regexp.MustCompile(`(?i)willing to (submit|open|work on) a (pr|pull request)`)},
	{"contributing_guidelines", regexp.MustCompile(`(?i)^#{1,6}\s.*(read the contributing guidelines|code of conduct)`)},
	{"duplicate_search", regexp.MustCompile(`(?i)^#{1,6}\s.*(has been raised before|existing issue|searched the (open|existing))`)},
	{"no_response", regexp.MustCompile(`^\s*_No response_\s*$`)},
	{"environment_heading", regexp.MustCompile(`(?i)^#{1,6}\s*\**\s*(your\s+)?(environment|system info(rmation)?|platform|versions?|rust version)\b\s*\**\s*:?\s*$`)},
	{"rustc_version", regexp.MustCompile("(?i)rustc\\s+(--|-v)version|rustc --version")},
	{"checklist_heading", regexp.MustCompile(`(?i)^#{1,6}\s*(checklist|type of change)\s*$`)},
	{"checkbox", regexp.MustCompile(`^\s*[-*+]\s+\[[ xX]\]`)},
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: boilerplate DIR_OR_FILE...")
		os.Exit(2)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	head := "file\tprompts\tclean"
	for _, m := range markers {
		head += "\t" + m.name
	}
	fmt.Fprintln(tw, head+"\t")
	dirty := 0
	for _, arg := range os.Args[1:] {
		path := arg
		if st, err := os.Stat(arg); err == nil && st.IsDir() {
			path = filepath.Join(arg, "merged_dataset.jsonl")
		}
		n, clean, counts, err := check(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		row := fmt.Sprintf("%s\t%d\t%d", arg, n, clean)
		for _, m := range markers {
			row += fmt.Sprintf("\t%d", counts[m.name])
		}
		fmt.Fprintln(tw, row+"\t")
		dirty += n - clean
	}
	tw.Flush()
	if dirty > 0 {
		fmt.Printf("%d prompts hold scaffolding\n", dirty)
		os.Exit(1)
	}
	fmt.Println("no prompt holds scaffolding")
}

// check returns how many prompts the file has, how many hold no marker, and
// per marker how many prompts hold it.
func check(path string) (n, clean int, counts map[string]int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, nil, err
	}
	defer f.Close()
	counts = map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	for sc.Scan() {
		var rec struct {
			Prompt string `json:"prompt"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return 0, 0, nil, fmt.Errorf("%s:%d: %w", path, n+1, err)
		}
		n++
		found := false
		for _, m := range markers {
			for l := range strings.SplitSeq(rec.Prompt, "\n") {
				if m.re.MatchString(l) {
					counts[m.name]++
					found = true
					break
				}
			}
		}
		if !found {
			clean++
		}
	}
	return n, clean, counts, sc.Err()
}
