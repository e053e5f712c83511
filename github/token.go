package github

import (
	"bytes"
	"context"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// TokenFromEnv finds a token the way the gh CLI does: GITHUB_TOKEN, else
// GH_TOKEN, else what `gh auth token --hostname HOST` prints when the gh
// CLI is on PATH and logged in to host (all three read through getenv) (the web host of
// the API URL: github.com, or an Enterprise host). It returns "" when there
// is none, and where the token came from (never the token itself) for the
// logs. gh's output and errors are never shown: they may hold the token.
func TokenFromEnv(ctx context.Context, getenv func(string) string, apiURL string) (token, source string) {
	for _, name := range []string{"GITHUB_TOKEN", "GH_TOKEN"} {
		if t := strings.TrimSpace(getenv(name)); t != "" {
			return t, name
		}
	}
	gh := findGH(getenv("PATH"))
	if gh == "" {
		return "", ""
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, gh, "auth", "token", "--hostname", WebHost(apiURL))
	cmd.Stdout = &out
	if cmd.Run() != nil {
		return "", ""
	}
	if t := strings.TrimSpace(out.String()); t != "" && !strings.ContainsAny(t, " \n\t") {
		return t, "gh auth token"
	}
	return "", ""
}

// WebHost is the host of the web pages and clone URLs that go with a REST
// API root: the host of an Enterprise root (HOST/api/v3/, the layout of
// every GitHub Enterprise Server), github.com for anything else
// (https://api.github.com/, "", a test server).
func WebHost(apiURL string) string {
	u, err := url.Parse(apiURL)
	if err != nil || u.Host == "" || !strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/api/v3") {
		return "github.com"
	}
	return u.Host
}

// findGH returns the gh executable in the directories of path, or "".
func findGH(path string) string {
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			continue
		}
		for _, name := range []string{"gh", "gh.exe"} {
			if p, err := exec.LookPath(filepath.Join(dir, name)); err == nil {
				return p
			}
		}
	}
	return ""
}
