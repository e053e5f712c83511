package githubtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func get(t *testing.T, url string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestServer(t *testing.T) {
	repo, err := Generate(GenerateOptions{Owner: "acme", Name: "pay", Dir: t.TempDir(), Merged: 3, Open: 1, Issues: 2, LargePR: true})
	require.NoError(t, err)
	s := NewServer(repo)
	defer s.Close()
	s.SetToken("t0k")
	auth := map[string]string{"Authorization": "Bearer t0k"}
	api := s.APIURL() + "repos/acme/pay/"

	resp, body := get(t, api+"pulls?state=all&per_page=2", auth)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.Contains(t, resp.Header.Get("Link"), `page=2&per_page=2&state=all>; rel="next"`)
	assert.Equal(t, "4999", resp.Header.Get("X-RateLimit-Remaining"))

	resp2, body2 := get(t, api+"pulls?state=all&per_page=2", map[string]string{"Authorization": "Bearer t0k", "If-None-Match": resp.Header.Get("ETag")})
	assert.Equal(t, http.StatusNotModified, resp2.StatusCode)
	assert.Empty(t, body2)

	resp, body = get(t, api+"pulls/5", map[string]string{"Authorization": "Bearer t0k", "Accept": "application/vnd.github.v3.diff"})
	assert.Equal(t, http.StatusNotAcceptable, resp.StatusCode, "PR #5 (the last merged) has 305+ files")
	assert.Contains(t, body, "too_large")
	resp, body = get(t, api+"pulls/3", map[string]string{"Authorization": "Bearer t0k", "Accept": "application/vnd.github.v3.diff"})
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.True(t, strings.HasPrefix(body, "diff --git "), body)

	resp, _ = get(t, api+"pulls", nil)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp, _ = get(t, s.APIURL()+"repos/acme/nope/pulls", auth)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	resp, body = get(t, api+"issues?state=all&per_page=100", auth)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 2+4, strings.Count(body, `"number"`), "issues and pull requests")
	assert.Equal(t, 4, strings.Count(body, `"pull_request"`))

	s.Inject(Fault{Kind: Fault502, Match: "/issues"})
	resp, _ = get(t, api+"issues", auth)
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	resp, _ = get(t, api+"issues", auth)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "a fault fires Times times")

	s.SetRateLimit(3, time.Minute) // more than that were charged already
	resp, _ = get(t, api+"issues?page=3", auth)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Equal(t, "0", resp.Header.Get("X-RateLimit-Remaining"))

	c := s.Counts()
	assert.Equal(t, 1, c.NotModified)
	assert.Positive(t, c.ByRoute["pulls"])
	assert.Equal(t, []string{"Bearer t0k"}, unique(s.AuthHeaders()))
}

func unique(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func ExampleNewServer() {
	repo := &Repo{Owner: "acme", Name: "pay", Issues: []*Issue{{Number: 1, Title: "Refunds fail", State: "open", Created: Start, Updated: Start}}}
	s := NewServer(repo)
	defer s.Close()
	resp, err := http.Get(s.APIURL() + "repos/acme/pay/issues")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, strings.Contains(string(b), "Refunds fail"), resp.Header.Get("ETag") != "")
	// Output: 200 true true
}

// TestServerGraphQL pages through the GraphQL subset: state filters,
// cursors, the rate budget, issues since a date, and 404 when turned off.
func TestServerGraphQL(t *testing.T) {
	repo, err := Generate(GenerateOptions{Owner: "acme", Name: "pay", Dir: t.TempDir(), Merged: 3, Unmerged: 1, Open: 1, Issues: 3})
	require.NoError(t, err)
	s := NewServer(repo)
	defer s.Close()
	post := func(query string, vars map[string]any) (int, map[string]any) {
		b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
		require.NoError(t, err)
		resp, err := http.Post(s.APIURL()+"graphql", "application/json", bytes.NewReader(b))
		require.NoError(t, err)
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	prs := func(states []string, after any) (numbers []int, next any) {
		code, out := post("query { rateLimit { cost } repository { pullRequests(first: 2) { nodes { number } } } }",
			map[string]any{"owner": "acme", "name": "pay", "first": 2, "states": states, "after": after})
		require.Equal(t, http.StatusOK, code)
		data := out["data"].(map[string]any)
		assert.Equal(t, float64(1), data["rateLimit"].(map[string]any)["cost"])
		conn := data["repository"].(map[string]any)["pullRequests"].(map[string]any)
		for _, n := range conn["nodes"].([]any) {
			numbers = append(numbers, int(n.(map[string]any)["number"].(float64)))
		}
		if info := conn["pageInfo"].(map[string]any); info["hasNextPage"].(bool) {
			next = info["endCursor"]
		}
		return numbers, next
	}
	page1, next := prs([]string{"MERGED"}, nil)
	assert.Equal(t, []int{6, 5}, page1, "most recently updated first")
	page2, next := prs([]string{"MERGED"}, next)
	assert.Equal(t, []int{4}, page2)
	assert.Nil(t, next)
	all, _ := prs(nil, nil)
	assert.Len(t, all, 2)

	code, out := post("query { repository { issues(first: 100, filterBy: {since: $since}, orderBy: {field: UPDATED_AT}) { nodes { number } } } }",
		map[string]any{"owner": "acme", "name": "pay", "since": repo.Issues[1].Updated.Format(time.RFC3339)})
	require.Equal(t, http.StatusOK, code)
	nodes := out["data"].(map[string]any)["repository"].(map[string]any)["issues"].(map[string]any)["nodes"].([]any)
	require.Len(t, nodes, 1, "issues updated at or after the date")
	assert.Equal(t, float64(2), nodes[0].(map[string]any)["number"], "issue 2 was closed last")

	_, out = post("query { repository { pullRequests { nodes { number } } } }", map[string]any{"owner": "acme", "name": "nope"})
	assert.Contains(t, fmt.Sprint(out["errors"]), "NOT_FOUND")

	s.SetGraphQL(false)
	code, _ = post("query { repository { pullRequests { nodes { number } } } }", map[string]any{"owner": "acme", "name": "pay"})
	assert.Equal(t, http.StatusNotFound, code)
	assert.Equal(t, 6, s.Counts().ByRoute["graphql"])
}
