package cli

import (
	"context"
	"net/url"

	flag "github.com/spf13/pflag"

	"github.com/sftforge/sftforge/github"
)

// GitHubFlags say where PRs and issues are fetched from and with which
// token: the flags of sftforge and gather.
type GitHubFlags struct {
	// APIURL is the REST API root (--api-url; default github.com's).
	APIURL string
	// TokenFile holds the token (--token-file); without it the token is
	// GITHUB_TOKEN, GH_TOKEN or what `gh auth token` prints.
	TokenFile string
	// MaxPRs keeps the N most recently updated PRs (--max-prs; 0 = all).
	MaxPRs int
}

// AddFlags registers --api-url, --token-file and --max-prs on fs.
func (g *GitHubFlags) AddFlags(fs *flag.FlagSet) {
	fs.StringVar(&g.APIURL, "api-url", "", "REST API root, e.g. https://ghe.example.com/api/v3/ (default https://api.github.com/)")
	fs.StringVar(&g.TokenFile, "token-file", "", "read the GitHub token from this file instead of GITHUB_TOKEN, GH_TOKEN or gh auth token")
	fs.IntVar(&g.MaxPRs, "max-prs", 0, "keep the N most recently updated PRs (0 = all)")
}

// Validate reports a negative --max-prs or an --api-url that is not an
// absolute URL, as a [UsageError].
func (g *GitHubFlags) Validate() error {
	if g.MaxPRs < 0 {
		return Usagef("--max-prs %d: want 0 or more", g.MaxPRs)
	}
	if u := g.APIURL; u != "" {
		if parsed, err := url.Parse(u); err != nil || parsed.Scheme == "" || parsed.Host == "" {
			return Usagef("bad API URL %q: want e.g. https://ghe.example.com/api/v3/", u)
		}
	}
	return nil
}

// Token returns the GitHub token and where it came from: --token-file, else
// GITHUB_TOKEN, GH_TOKEN or `gh auth token` (github.TokenFromEnv; getenv
// reads the environment); "" when there is none. Each is checked (one
// line of printable ASCII without spaces; a token file must not be empty)
// and a bad one is a [UsageError] that never prints the token.
func (g *GitHubFlags) Token(ctx context.Context, getenv func(string) string) (token, source string, err error) {
	if g.TokenFile != "" {
		tok, err := github.ReadTokenFile(g.TokenFile)
		if err != nil {
			return "", "", Usagef("--token-file: %w", err)
		}
		return tok, "--token-file", nil
	}
	tok, source := github.TokenFromEnv(ctx, getenv, g.APIURL)
	if tok == "" {
		return "", "", nil
	}
	if err := github.ValidateToken(tok); err != nil {
		return "", "", Usagef("%s: %w", source, err)
	}
	return tok, source, nil
}
