package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/sftforge/sftforge/github"
)

// Source is one line of the sources file: a repository and its options.
type Source struct {
	// ID is the line as written, without comments: it names the source in
	// error records and keys its data in the pipeline.
	ID string `json:"id"`
	// Location is what gitlog.Open receives: a local path or a clone URL.
	Location string `json:"location"`
	// Name is OWNER/REPO when known (from an OWNER/REPO line or name=):
	// closing links are resolved against it offline, and the dataset card
	// names it.
	Name string `json:"name,omitempty"`
	// Rev is the revision the walk starts from (rev=); default HEAD or the
	// --rev flag.
	Rev string `json:"rev,omitempty"`
	// MaxCommits keeps the newest N commits (max-commits=); 0 means the
	// --max-commits flag.
	MaxCommits int `json:"max_commits,omitempty"`
	// Rules is a YAML rules file for this source (rules=), replacing
	// --rules.
	Rules string `json:"rules,omitempty"`
	// Shards is the number of shards of this source (shards=); 0 means the
	// --shards flag.
	Shards int `json:"shards,omitempty"`
	// GitHubDir holds prs.jsonl and issues.jsonl from the gather binary
	// (github=); empty means offline: PRs are derived from the history.
	GitHubDir string `json:"github_dir,omitempty"`
	// FromGitHub is true for an OWNER/REPO line: when the worker that
	// merges it has GITHUB_TOKEN set and no github= is given, its PRs and
	// issues are gathered from the GitHub API.
	FromGitHub bool `json:"from_github,omitempty"`
}

// checkOwnerRepo reports whether s is OWNER/REPO by GitHub's naming rules
// (github.ValidateRepo).
func checkOwnerRepo(s string) error {
	owner, repo, ok := strings.Cut(s, "/")
	if !ok {
		return errors.New("no '/'")
	}
	return github.ValidateRepo(owner, repo)
}

// ParseSources reads a sources file: one source a line, a local path, a
// clone URL or OWNER/REPO (cloned from github.com), followed by optional
// key=value options: rev, max-commits, rules, shards, github, name. Blank
// lines and text after # are ignored. name is the file's name in errors.
func ParseSources(r io.Reader, name string) ([]Source, error) {
	var out []Source
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		bad := func(format string, a ...any) error {
			return fmt.Errorf("%s:%d: %s", name, n, fmt.Sprintf(format, a...))
		}
		id := strings.Join(fields, " ")
		if prev, dup := seen[id]; dup {
			return nil, bad("source repeats line %d", prev)
		}
		seen[id] = n
		src := Source{ID: id, Location: fields[0]}
		if checkOwnerRepo(fields[0]) == nil {
			if _, err := os.Stat(fields[0]); err != nil {
				src.Location = "https://github.com/" + fields[0] + ".git"
				src.Name = fields[0]
				src.FromGitHub = true
			}
		}
		for _, opt := range fields[1:] {
			k, v, ok := strings.Cut(opt, "=")
			if !ok || v == "" {
				return nil, bad("option %q: want key=value", opt)
			}
			switch k {
			case "rev":
				src.Rev = v
			case "rules":
				src.Rules = v
			case "github":
				src.GitHubDir = v
			case "name":
				if err := checkOwnerRepo(v); err != nil {
					return nil, bad("name=%s: want OWNER/REPO: %v", v, err)
				}
				src.Name = v
			case "max-commits", "shards":
				i, err := strconv.Atoi(v)
				if err != nil || i < 0 {
					return nil, bad("%s=%s: want a count", k, v)
				}
				if k == "shards" {
					src.Shards = i
				} else {
					src.MaxCommits = i
				}
			default:
				return nil, bad("unknown option %q (want rev, max-commits, rules, shards, github or name)", k)
			}
		}
		out = append(out, src)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no sources", name)
	}
	return out, nil
}

// owner and repo split Name.
func (s Source) ownerRepo() (owner, repo string) {
	owner, repo, _ = strings.Cut(s.Name, "/")
	return owner, repo
}
