package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v66/github"
)

// This file lists merged PRs and issues through GitHub's GraphQL API: one
// request per page of 100 carries what REST needs a request per PR for (the
// commit list) and what REST does not know (closingIssuesReferences: the
// issues GitHub itself links as closed, the Development sidebar's links
// included). Patches still come from the clone or the REST diff.

// gqlPRQuery is one page of pull requests, most recently updated first:
// $first of them, 100 unless GitHub times out on pages that large (see
// gqlPageSize).
const gqlPRQuery = `query($owner: String!, $name: String!, $states: [PullRequestState!], $after: String, $first: Int!) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    pullRequests(first: $first, after: $after, states: $states, orderBy: {field: UPDATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        number title body state merged mergedAt createdAt updatedAt
        author { login }
        labels(first: 100) { nodes { name } }
        baseRefName headRefName baseRefOid headRefOid
        mergeCommit { oid }
        commits(first: 100) { totalCount nodes { commit { oid message } } }
        closingIssuesReferences(first: 50) { nodes { number repository { name owner { login } } } }
      }
    }
  }
}`

// gqlIssueQuery is one page of issues (pull requests are not among them),
// oldest first.
const gqlIssueQuery = `query($owner: String!, $name: String!, $after: String) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    issues(first: 100, after: $after, orderBy: {field: CREATED_AT, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        number title body state createdAt updatedAt closedAt
        author { login }
        labels(first: 100) { nodes { name } }
      }
    }
  }
}`

type gqlPageInfo struct {
	HasNextPage bool   `json:"hasNextPage"`
	EndCursor   string `json:"endCursor"`
}

type gqlLogin struct {
	Login string `json:"login"`
}

type gqlLabels struct {
	Nodes []struct {
		Name string `json:"name"`
	} `json:"nodes"`
}

type gqlRateLimit struct {
	Cost      int       `json:"cost"`
	Remaining int       `json:"remaining"`
	ResetAt   time.Time `json:"resetAt"`
}

type gqlPR struct {
	Number      int        `json:"number"`
	Title       string     `json:"title"`
	Body        string     `json:"body"`
	State       string     `json:"state"`
	Merged      bool       `json:"merged"`
	MergedAt    *time.Time `json:"mergedAt"`
	CreatedAt   time.Time  `json:"createdAt"`
	UpdatedAt   time.Time  `json:"updatedAt"`
	Author      *gqlLogin  `json:"author"`
	Labels      gqlLabels  `json:"labels"`
	BaseRefName string     `json:"baseRefName"`
	HeadRefName string     `json:"headRefName"`
	BaseRefOid  string     `json:"baseRefOid"`
	HeadRefOid  string     `json:"headRefOid"`
	MergeCommit *struct {
		Oid string `json:"oid"`
	} `json:"mergeCommit"`
	Commits struct {
		TotalCount int `json:"totalCount"`
		Nodes      []struct {
			Commit struct {
				Oid     string `json:"oid"`
				Message string `json:"message"`
			} `json:"commit"`
		} `json:"nodes"`
	} `json:"commits"`
	ClosingIssuesReferences struct {
		Nodes []struct {
			Number     int `json:"number"`
			Repository struct {
				Name  string   `json:"name"`
				Owner gqlLogin `json:"owner"`
			} `json:"repository"`
		} `json:"nodes"`
	} `json:"closingIssuesReferences"`
}

type gqlIssue struct {
	Number    int        `json:"number"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	State     string     `json:"state"`
	Author    *gqlLogin  `json:"author"`
	Labels    gqlLabels  `json:"labels"`
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
	ClosedAt  *time.Time `json:"closedAt"`
}

// gqlError is one entry of a GraphQL answer's errors.
type gqlError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// GraphQLError is a GraphQL answer that carries errors.
type GraphQLError struct {
	Errors []gqlError
}

// Error joins the errors' types and messages.
func (e *GraphQLError) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, x := range e.Errors {
		msgs[i] = x.Message
		if x.Type != "" {
			msgs[i] = x.Type + ": " + x.Message
		}
	}
	return "graphql: " + strings.Join(msgs, "; ")
}

// graphqlURL is where the GraphQL endpoint of the REST root base is:
// https://api.github.com/graphql for https://api.github.com/, and
// https://HOST/api/graphql for an Enterprise root https://HOST/api/v3/.
func graphqlURL(base *url.URL) string {
	u := *base
	if strings.HasSuffix(u.Path, "/api/v3/") {
		u.Path = strings.TrimSuffix(u.Path, "v3/") + "graphql"
	} else {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/graphql"
	}
	return u.String()
}

// graphQL posts query with vars and decodes the answer's data into out. It
// waits out GraphQL's point-based limit: before the reset when the last
// answer left fewer points than it cost, and when GitHub answers
// RATE_LIMITED. Secondary limits, 5xx and resets are handled by the
// transport like every request.
func (c *Client) graphQL(ctx context.Context, what string, query string, vars map[string]any, out any) error {
	for {
		if err := c.gqlWait(ctx, what); err != nil {
			return err
		}
		var env struct {
			Data   json.RawMessage `json:"data"`
			Errors []gqlError      `json:"errors"`
		}
		var reset time.Time
		err := c.call(ctx, what, func() (*gh.Response, error) {
			req, err := c.api.NewRequest("POST", graphqlURL(c.api.BaseURL), map[string]any{"query": query, "variables": vars})
			if err != nil {
				return nil, err
			}
			resp, err := c.api.Do(ctx, req, &env)
			if resp != nil {
				reset = resp.Rate.Reset.Time
			}
			return resp, err
		})
		if err != nil {
			return err
		}
		var rl struct {
			RateLimit *gqlRateLimit `json:"rateLimit"`
		}
		if len(env.Data) > 0 {
			_ = json.Unmarshal(env.Data, &rl)
		}
		if rl.RateLimit != nil {
			c.gqlMu.Lock()
			c.gqlRate = *rl.RateLimit
			c.gqlMu.Unlock()
		}
		if len(env.Errors) > 0 {
			if env.Errors[0].Type == "RATE_LIMITED" {
				c.gqlMu.Lock()
				c.gqlRate.Remaining = 0
				if c.gqlRate.ResetAt.Before(time.Now()) {
					c.gqlRate.ResetAt = reset
				}
				if c.gqlRate.ResetAt.Before(time.Now()) {
					c.gqlRate.ResetAt = time.Now().Add(time.Minute)
				}
				c.gqlMu.Unlock()
				continue
			}
			return redact(fmt.Errorf("github: %s: %w", what, &GraphQLError{Errors: env.Errors}), c.token)
		}
		if err := json.Unmarshal(env.Data, out); err != nil {
			return fmt.Errorf("github: %s: decode the GraphQL answer: %w", what, err)
		}
		return nil
	}
}

// gqlWait sleeps until GraphQL's reset when the points left are fewer than
// the last query cost.
func (c *Client) gqlWait(ctx context.Context, what string) error {
	c.gqlMu.Lock()
	rl := c.gqlRate
	c.gqlMu.Unlock()
	if rl.ResetAt.IsZero() || rl.Remaining >= max(rl.Cost, 1) || time.Now().After(rl.ResetAt) {
		return nil
	}
	until := rl.ResetAt.Add(time.Second)
	c.stats.waits.Add(1)
	c.log.Warn("github: GraphQL rate limit reached, waiting for the reset", "until", until.Format(time.RFC3339), "wait", time.Until(until).Round(time.Second))
	if c.wait != nil {
		c.wait(until, "GraphQL rate limit")
	}
	if err := sleepContext(ctx, time.Until(until)); err != nil {
		return c.describe(what, err)
	}
	return nil
}

// prFromGraphQL converts a pull request node. Commits are set when the node
// has them all (at most 100); closing references GitHub knows are set with
// source "github".
func prFromGraphQL(p gqlPR) PR {
	pr := PR{
		Number: p.Number, Title: p.Title, Body: p.Body, State: strings.ToLower(p.State),
		Merged: p.Merged, CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(),
		BaseRef: p.BaseRefName, HeadRef: p.HeadRefName, BaseSHA: p.BaseRefOid, HeadSHA: p.HeadRefOid,
		Labels: []string{},
	}
	if pr.State == "merged" {
		pr.State = "closed"
	}
	pr.Author = login(p.Author)
	if p.MergeCommit != nil {
		pr.MergeCommitSHA = p.MergeCommit.Oid
	}
	if p.MergedAt != nil {
		t := p.MergedAt.UTC()
		pr.MergedAt = &t
	}
	for _, l := range p.Labels.Nodes {
		pr.Labels = append(pr.Labels, l.Name)
	}
	if p.Commits.TotalCount <= len(p.Commits.Nodes) {
		pr.Commits = make([]PRCommit, 0, len(p.Commits.Nodes))
		for _, n := range p.Commits.Nodes {
			pr.Commits = append(pr.Commits, PRCommit{SHA: n.Commit.Oid, Message: n.Commit.Message})
		}
	}
	for _, n := range p.ClosingIssuesReferences.Nodes {
		pr.LinkedRefs = appendRef(pr.LinkedRefs, IssueRef{Owner: n.Repository.Owner.Login, Repo: n.Repository.Name, Number: n.Number, Source: SourceGitHub})
	}
	return pr
}

// login is an author's login; GraphQL has no author for a deleted account,
// which REST names "ghost".
func login(a *gqlLogin) string {
	if a == nil {
		return "ghost"
	}
	return a.Login
}

func issueFromGraphQL(it gqlIssue) Issue {
	issue := Issue{
		Number: it.Number, Title: it.Title, Body: it.Body, State: strings.ToLower(it.State),
		CreatedAt: it.CreatedAt.UTC(), UpdatedAt: it.UpdatedAt.UTC(), Labels: []string{},
	}
	issue.Author = login(it.Author)
	if it.ClosedAt != nil {
		t := it.ClosedAt.UTC()
		issue.ClosedAt = &t
	}
	for _, l := range it.Labels.Nodes {
		issue.Labels = append(issue.Labels, l.Name)
	}
	return issue
}

// Page sizes of the GraphQL PR listing: GitHub answers 502 when a query
// takes too long (a page of 100 PRs with 100 commits each can); after the
// retries of such a page, it is asked again at half the size, down to
// gqlMinPage.
const (
	gqlMaxPage = 100
	gqlMinPage = 10
)

// isTimeout reports whether err is a request the transport gave up on
// after its retries, the last answered 502 or 504 (GitHub's answer to a
// query that takes too long).
func isTimeout(err error) bool {
	var g *giveUpError
	return errors.As(err, &g) && (g.status == http.StatusBadGateway || g.status == http.StatusGatewayTimeout)
}
