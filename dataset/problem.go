package dataset

import (
	"regexp"
	"strings"

	"github.com/sftforge/sftforge/github/forms"
)

var (
	htmlComment   = regexp.MustCompile(`(?s)<!--.*?-->`)
	checkbox      = regexp.MustCompile(`^\s*[-*+]\s+\[[ xX]\]`)
	closingOnly   = regexp.MustCompile(`(?i)^\s*((close[sd]?|fix(e[sd])?|resolve[sd]?)\s*:?\s*(\S+/\S+)?#\d+[\s,.;]*|(and\s+)?)+$`)
	markdownHead  = regexp.MustCompile(`^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$`)
	fenceLine     = regexp.MustCompile("^\\s{0,3}(```|~~~)")
	imageOnly     = regexp.MustCompile(`^\s*!\[[^\]]*\]\([^)]*\)\s*$`)
	htmlTagOnly   = regexp.MustCompile(`^\s*</?(details|summary|br|p|img)[^>]*>\s*$`)
	botSignatures = []*regexp.Regexp{
		regexp.MustCompile(`(?i)this (comment|pr|pull request) (was|is) (auto-?generated|automatically generated)`),
		regexp.MustCompile(`(?i)^\s*(generated|created) (by|with) \[?(dependabot|renovate|github actions|coderabbit|copilot)`),
		regexp.MustCompile(`(?i)^\s*@?(dependabot|renovate)(\[bot\])? (rebase|recreate|merge|squash)`),
	}
)

// noiseSections are PR-template sections whose content is never part of a
// product-level problem statement.
var noiseSections = map[string]bool{
	"checklist": true, "how did you test it?": true, "how did you test it": true,
	"testing": true, "screenshots": true, "test plan": true,
}

// CleanBody turns a PR or issue body into plain problem-statement text:
// HTML comments, template checkboxes (ticked or not: they feed intent
// detection, not the problem statement), lines that only close issues
// ("Fixes #12": the issue's text is in the prompt), bot text, reviewer
// lines ("r? @x", "bors r+"), fenced code
// blocks (no code goes into a prompt), image-only lines, checklist and
// testing sections, and headings left empty by all that are removed; runs
// of blank lines are folded. Form scaffolding is removed as the generic
// rules of package forms know it (see [MergeOptions.Forms] for a
// repository's own forms).
func CleanBody(body string) string { return cleanBody(body, nil, nil) }

// cleanBody is [CleanBody] with a repository's forms (nil: the generic
// rules): sections the forms call scaffolding ("_No response_" answers,
// confirmations, "willing to submit a PR", environment blocks, checklists)
// are removed and counted by role into removed (when not nil).
func cleanBody(body string, set *forms.Set, removed map[string]int) string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = htmlComment.ReplaceAllString(body, "")
	type section struct {
		heading string // the heading line
		title   string // its text, without the # marks
		noise   bool   // a testing or checklist section (noiseSections)
		lines   []string
	}
	var sections []section
	cur := section{}
	inFence := false
	for _, l := range strings.Split(body, "\n") {
		if fenceLine.MatchString(l) {
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		l = strings.TrimRight(l, " \t")
		if m := markdownHead.FindStringSubmatch(l); m != nil {
			sections = append(sections, cur)
			cur = section{heading: l, title: m[1], noise: noiseSections[strings.ToLower(strings.TrimSpace(m[1]))]}
			continue
		}
		if checkbox.MatchString(l) || (closingOnly.MatchString(l) && strings.TrimSpace(l) != "") || imageOnly.MatchString(l) || htmlTagOnly.MatchString(l) || isBotLine(l) ||
			reviewerLine.MatchString(l) {
			continue
		}
		cur.lines = append(cur.lines, l)
	}
	sections = append(sections, cur)
	var out []string
	for _, s := range sections {
		text := foldBlankLines(s.lines)
		if s.heading != "" {
			if role := set.Classify(s.title, text); role != forms.Problem || s.noise {
				if role == forms.Problem {
					continue // testing notes: removed, not scaffolding
				}
				if removed != nil {
					removed[string(role)]++
				}
				continue
			}
		}
		if text == "" {
			continue // a section left empty
		}
		if s.heading != "" {
			out = append(out, s.heading)
		}
		out = append(out, text)
	}
	return strings.TrimSpace(strings.Join(out, "\n\n"))
}

func isBotLine(l string) bool {
	for _, re := range botSignatures {
		if re.MatchString(l) {
			return true
		}
	}
	return false
}

// foldBlankLines joins lines, dropping leading and trailing blank lines and
// folding runs of blank lines into one.
func foldBlankLines(lines []string) string {
	var out []string
	blank := false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank = true
			continue
		}
		if blank && len(out) > 0 {
			out = append(out, "")
		}
		blank = false
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// IssueText is a linked issue as it enters a prompt.
type IssueText struct {
	Number      int
	Title, Body string
}

// ProblemStatement builds a merged record's prompt: the linked issues'
// titles and cleaned bodies, then the PR's cleaned description; with no
// issue it starts with the PR title. A record with nothing else falls back
// to the title alone.
func ProblemStatement(prTitle, prBody string, issues []IssueText) string {
	return problemStatement(prTitle, prBody, issues, nil, nil)
}

// problemStatement is [ProblemStatement] with a repository's forms, counting
// the scaffolding sections removed (see cleanBody).
func problemStatement(prTitle, prBody string, issues []IssueText, set *forms.Set, removed map[string]int) string {
	var parts []string
	for _, is := range issues {
		t := strings.TrimSpace(is.Title)
		if b := cleanBody(is.Body, set, removed); b != "" {
			t += "\n\n" + b
		}
		parts = append(parts, t)
	}
	desc := cleanBody(prBody, set, removed)
	switch {
	case len(parts) == 0 && desc == "":
		return strings.TrimSpace(prTitle)
	case len(parts) == 0:
		parts = append(parts, strings.TrimSpace(prTitle)+"\n\n"+desc)
	case desc != "":
		parts = append(parts, "Pull request description:\n\n"+desc)
	}
	return strings.Join(parts, "\n\n")
}
