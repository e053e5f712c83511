package githubtest

import (
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
