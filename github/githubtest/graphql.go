package githubtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The GraphQL subset the fake serves: the query is read loosely (a query
// naming "pullRequests(" pages through pull requests, one naming "issues("
// through issues); the variables say which repository and page:
//
//	owner, name  String!   the repository
//	first        Int       page size (default and maximum 100)
//	after        String    the endCursor of the previous page
//	states       [String]  OPEN, CLOSED, MERGED (pull requests; all when empty)
//	since        DateTime  issues updated at or after it (filterBy: {since});
//	                       a query ordering by "field: UPDATED_AT" gets them
//	                       oldest update first
//
// Pull requests come most recently updated first, issues oldest first, like
// orderBy {field: UPDATED_AT, direction: DESC} and {field: CREATED_AT,
// direction: ASC}. Every answer has rateLimit {cost remaining resetAt} (cost
// 1). A pull request node has number, title, body, state, merged, mergedAt,
// createdAt, updatedAt, author {login}, labels {nodes {name}}, baseRefName,
// headRefName, baseRefOid, headRefOid, mergeCommit {oid}, commits
// {totalCount nodes {commit {oid message}}} (the first 100), files
// {totalCount nodes {path additions deletions changeType}} (the first 100)
// and closingIssuesReferences {nodes {number repository {name owner
// {login}}}}; an issue node has number, title, body, state, author {login},
// labels {nodes {name}}, createdAt, updatedAt and closedAt.

type gqlRequest struct {
	Query     string `json:"query"`
	Variables struct {
		Owner  string   `json:"owner"`
		Name   string   `json:"name"`
		First  int      `json:"first"`
		After  string   `json:"after"`
		States []string `json:"states"`
		Since  string   `json:"since"`
	} `json:"variables"`
}

type gqlObj = map[string]any

func (s *Server) graphql(r *http.Request, on bool) answer {
	if !on || r.Method != http.MethodPost {
		return answer{route: "graphql", status: http.StatusNotFound, body: []byte(`{"message":"Not Found","documentation_url":"https://docs.github.com/graphql"}`)}
	}
	var req gqlRequest
	b, err := io.ReadAll(r.Body)
	if err == nil {
		err = json.Unmarshal(b, &req)
	}
	if err != nil || req.Query == "" {
		return answer{route: "graphql", status: http.StatusBadRequest, body: []byte(`{"message":"Problems parsing JSON","documentation_url":"https://docs.github.com/graphql"}`)}
	}
	s.mu.Lock()
	repo := s.repos[strings.ToLower(req.Variables.Owner+"/"+req.Variables.Name)]
	remaining := max(5000-s.used-1, 0)
	if s.rateLimit > 0 {
		remaining = max(s.rateLimit-s.used-1, 0)
	}
	reset := s.windowEnd
	s.mu.Unlock()
	data := gqlObj{"rateLimit": gqlObj{"cost": 1, "remaining": remaining, "resetAt": reset.UTC().Format(time.RFC3339)}}
	out := gqlObj{"data": data}
	if repo == nil {
		data["repository"] = nil
		out["errors"] = []gqlObj{{"type": "NOT_FOUND", "path": []string{"repository"},
			"message": fmt.Sprintf("Could not resolve to a Repository with the name '%s/%s'.", req.Variables.Owner, req.Variables.Name)}}
	} else {
		first := req.Variables.First
		if first <= 0 || first > 100 {
			first = 100
		}
		offset, _ := strconv.Atoi(req.Variables.After)
		switch {
		case strings.Contains(req.Query, "pullRequests("):
			data["repository"] = gqlObj{"pullRequests": s.gqlPulls(repo, req.Variables.States, offset, first)}
		case strings.Contains(req.Query, "issues("):
			var since time.Time
			if req.Variables.Since != "" {
				since, _ = time.Parse(time.RFC3339, req.Variables.Since)
			}
			data["repository"] = gqlObj{"issues": gqlIssues(repo, since, strings.Contains(req.Query, "field: UPDATED_AT"), offset, first)}
		default:
			out = gqlObj{"errors": []gqlObj{{"message": "githubtest: the fake serves pullRequests and issues only"}}}
		}
	}
	body, _ := json.Marshal(out)
	return jsonAnswer("graphql", body, "")
}

// gqlPage cuts nodes at offset and wraps them in a connection.
func gqlPage(nodes []gqlObj, offset, first int) gqlObj {
	lo, hi := min(offset, len(nodes)), min(offset+first, len(nodes))
	page := nodes[lo:hi]
	if page == nil {
		page = []gqlObj{}
	}
	return gqlObj{"totalCount": len(nodes), "nodes": page,
		"pageInfo": gqlObj{"hasNextPage": hi < len(nodes), "endCursor": strconv.Itoa(hi)}}
}

func (s *Server) gqlPulls(repo *Repo, states []string, offset, first int) gqlObj {
	want := map[string]bool{}
	for _, st := range states {
		want[st] = true
	}
	pulls := []*Pull{}
	for _, p := range repo.Pulls {
		if len(want) == 0 || want[gqlPullState(p)] {
			pulls = append(pulls, p)
		}
	}
	sort.SliceStable(pulls, func(i, j int) bool { return pulls[i].Updated.After(pulls[j].Updated) })
	nodes := make([]gqlObj, len(pulls))
	for i, p := range pulls {
		nodes[i] = gqlPull(repo, p)
	}
	return gqlPage(nodes, offset, first)
}

func gqlPullState(p *Pull) string {
	switch {
	case p.MergedAt != nil:
		return "MERGED"
	case p.State == "open":
		return "OPEN"
	}
	return "CLOSED"
}

func gqlTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func gqlLabels(names []string) gqlObj {
	nodes := []gqlObj{}
	for _, n := range names {
		nodes = append(nodes, gqlObj{"name": n})
	}
	return gqlObj{"nodes": nodes}
}

func gqlPull(repo *Repo, p *Pull) gqlObj {
	commits := []gqlObj{}
	for _, c := range p.Commits {
		commits = append(commits, gqlObj{"commit": gqlObj{"oid": c.SHA, "message": c.Message}})
	}
	files := []gqlObj{}
	for _, f := range p.Files {
		files = append(files, gqlObj{"path": f.Path, "additions": f.Additions, "deletions": f.Deletions, "changeType": strings.ToUpper(f.Status)})
	}
	closing := []gqlObj{}
	for _, n := range p.ClosingIssues {
		closing = append(closing, gqlObj{"number": n, "repository": gqlObj{"name": repo.Name, "owner": gqlObj{"login": repo.Owner}}})
	}
	var merge any
	if p.MergeCommitSHA != "" {
		merge = gqlObj{"oid": p.MergeCommitSHA}
	}
	return gqlObj{
		"number": p.Number, "title": p.Title, "body": p.Body, "state": gqlPullState(p), "merged": p.MergedAt != nil,
		"mergedAt": gqlTime(p.MergedAt), "createdAt": gqlTime(&p.Created), "updatedAt": gqlTime(&p.Updated),
		"author": gqlObj{"login": p.Author}, "labels": gqlLabels(p.Labels),
		"baseRefName": p.BaseRef, "headRefName": p.HeadRef, "baseRefOid": p.BaseSHA, "headRefOid": p.HeadSHA,
		"mergeCommit": merge, "commits": gqlPage(commits, 0, 100), "files": gqlPage(files, 0, 100),
		"closingIssuesReferences": gqlObj{"nodes": closing},
	}
}

func gqlIssues(repo *Repo, since time.Time, byUpdate bool, offset, first int) gqlObj {
	issues := []*Issue{}
	for _, it := range repo.Issues {
		if !it.Updated.Before(since) {
			issues = append(issues, it)
		}
	}
	key := func(it *Issue) time.Time {
		if byUpdate {
			return it.Updated
		}
		return it.Created
	}
	sort.SliceStable(issues, func(i, j int) bool {
		if key(issues[i]).Equal(key(issues[j])) {
			return issues[i].Number < issues[j].Number
		}
		return key(issues[i]).Before(key(issues[j]))
	})
	nodes := make([]gqlObj, len(issues))
	for i, it := range issues {
		nodes[i] = gqlObj{"number": it.Number, "title": it.Title, "body": it.Body, "state": strings.ToUpper(it.State),
			"author": gqlObj{"login": it.Author}, "labels": gqlLabels(it.Labels),
			"createdAt": gqlTime(&it.Created), "updatedAt": gqlTime(&it.Updated), "closedAt": gqlTime(it.Closed)}
	}
	return gqlPage(nodes, offset, first)
}
