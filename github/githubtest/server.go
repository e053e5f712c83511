package githubtest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	gh "github.com/google/go-github/v66/github"
)

// Pull is a pull request the fake serves.
type Pull struct {
	Number                           int
	Title, Body, State, Author       string
	Labels                           []string
	Created, Updated                 time.Time
	MergedAt                         *time.Time
	BaseRef, HeadRef                 string
	BaseSHA, HeadSHA, MergeCommitSHA string
	Commits                          []Commit
	Files                            []File
	Diff                             string
	// ClosingIssues are the issues of the same repository GitHub links as
	// closed by the PR (closingIssuesReferences in GraphQL: closing
	// keywords of the body and links made in the Development sidebar).
	ClosingIssues []int
}

// Commit is one commit of a pull request.
type Commit struct{ SHA, Message string }

// File is one changed file of a pull request, as the files API lists it.
type File struct {
	Path, PreviousPath, Status string
	Additions, Deletions       int
	Patch                      string
}

// Issue is an issue the fake serves.
type Issue struct {
	Number                     int
	Title, Body, State, Author string
	Labels                     []string
	Created, Updated           time.Time
	Closed                     *time.Time
}

// Comment is an issue comment.
type Comment struct {
	Issue        int
	Author, Body string
	Created      time.Time
}

// Repo is one repository's data.
type Repo struct {
	Owner, Name string
	// Dir is the git repository Generate built, if any.
	Dir      string
	Pulls    []*Pull
	Issues   []*Issue
	Comments []*Comment
}

// FaultKind is a failure the fake can inject.
type FaultKind int

// The injectable faults.
const (
	Fault500                FaultKind = iota // 500 Internal Server Error
	Fault502                                 // 502 Bad Gateway
	FaultReset                               // connection closed without an answer
	FaultTruncate                            // 200 whose body stops half-way
	FaultPrimary403                          // primary rate limit, 403, X-RateLimit-Remaining: 0
	FaultPrimary429                          // primary rate limit, 429
	FaultSecondary403                        // secondary rate limit, 403 with Retry-After: 1
	FaultSecondary429                        // secondary rate limit, 429 with Retry-After: 1
	FaultUnauthorized                        // 401 Bad credentials
	FaultGraphQLRateLimited                  // GraphQL's 200 with errors [{type: RATE_LIMITED}], no points left until the next second
)

// Fault makes the next Times requests whose path contains Match (any
// request when empty) fail with Kind.
type Fault struct {
	Match string
	Kind  FaultKind
	Times int
}

// Counts is what the fake has served.
type Counts struct {
	Requests    int            // all requests, 304s included
	NotModified int            // 304 answers
	Charged     int            // requests counted against the rate limit
	ByRoute     map[string]int // requests per route: "pulls", "pull", "diff", "commits", "files", "issues", "comments"
}

// Server is the fake GitHub. Its setters may be called at any time.
type Server struct {
	*httptest.Server

	mu            sync.Mutex
	token         string
	latency       time.Duration
	rateLimit     int
	rateWindow    time.Duration
	diffFileLimit int
	graphQL       bool
	repos         map[string]*Repo
	faults        []*Fault
	counts        Counts
	used          int
	windowEnd     time.Time
	seenAuth      []string
}

// NewServer starts a fake serving repos. Close it when done.
func NewServer(repos ...*Repo) *Server {
	s := &Server{graphQL: true, repos: map[string]*Repo{}, rateWindow: time.Second, diffFileLimit: 300, counts: Counts{ByRoute: map[string]int{}}}
	for _, r := range repos {
		s.repos[strings.ToLower(r.Owner+"/"+r.Name)] = r
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api-v3/", s.serve)
	s.Server = httptest.NewServer(mux)
	return s
}

// SetToken makes the fake require "Authorization: Bearer <token>" (401
// otherwise); "" accepts anything.
func (s *Server) SetToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = token
}

// SetLatency delays every answer by d.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetRateLimit allows n charged requests per window (0: no limit); a 304
// is free. Beyond it the fake answers 403 with X-RateLimit-Remaining: 0
// until the window resets.
func (s *Server) SetRateLimit(n int, window time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit, s.rateWindow = n, window
}

// SetDiffFileLimit sets the file count beyond which the diff media type
// answers 406 too_large (default 300, as GitHub).
func (s *Server) SetDiffFileLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.diffFileLimit = n
}

// SetGraphQL turns POST /api-v3/graphql (see graphql.go) on (the default)
// or off (404, like an old GitHub Enterprise server).
func (s *Server) SetGraphQL(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.graphQL = on
}

// APIURL is the API root to give the client.
func (s *Server) APIURL() string { return s.URL + "/api-v3/" }

// Inject queues a fault.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times <= 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, &f)
}

// Counts returns what was served so far.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.counts
	c.ByRoute = map[string]int{}
	for k, v := range s.counts.ByRoute {
		c.ByRoute[k] = v
	}
	return c
}

// ResetCounts zeroes the counters.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts = Counts{ByRoute: map[string]int{}}
}

// AuthHeaders returns every Authorization header received, for tests that
// check where a token went.
func (s *Server) AuthHeaders() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seenAuth...)
}

func (s *Server) takeFault(path string) (Fault, bool) {
	for i, f := range s.faults {
		if f.Match == "" || strings.Contains(path, f.Match) {
			f.Times--
			if f.Times <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return *f, true
		}
	}
	return Fault{}, false
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	latency, token, diffLimit, graphQL := s.latency, s.token, s.diffFileLimit, s.graphQL
	s.mu.Unlock()
	if latency > 0 {
		time.Sleep(latency)
	}
	s.mu.Lock()
	s.counts.Requests++
	if a := r.Header.Get("Authorization"); a != "" {
		s.seenAuth = append(s.seenAuth, a)
	}
	fault, faulty := s.takeFault(r.URL.Path)
	s.mu.Unlock()

	if faulty && s.fail(w, fault) {
		return
	}
	if token != "" && r.Header.Get("Authorization") != "Bearer "+token {
		writeError(w, http.StatusUnauthorized, "Bad credentials", nil)
		return
	}
	var a answer
	if r.URL.Path == "/api-v3/graphql" {
		a = s.graphql(r, graphQL)
	} else {
		a = s.route(r, diffLimit)
	}
	s.mu.Lock()
	s.counts.ByRoute[a.route]++
	s.mu.Unlock()
	if a.status != http.StatusOK {
		s.charge(w, false)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(a.status)
		w.Write(a.body)
		return
	}
	if a.link != "" {
		w.Header().Set("Link", a.link)
	}
	sum := sha256.Sum256(append([]byte(a.contentType+"\n"+a.link+"\n"), a.body...))
	etag := `W/"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		s.mu.Lock()
		s.counts.NotModified++
		s.mu.Unlock()
		s.charge(w, true)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if !s.charge(w, false) {
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(a.body)))
	w.Write(a.body)
}

// charge counts a request against the rate limit, sets the rate headers
// and, when the limit is spent, answers 403 and returns false.
func (s *Server) charge(w http.ResponseWriter, free bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if now.After(s.windowEnd) {
		s.used = 0
		s.windowEnd = now.Add(s.rateWindow)
	}
	limit := s.rateLimit
	if limit == 0 {
		limit = 5000
	}
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Resource", "core")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(s.windowEnd.Unix()+1, 10))
	if s.rateLimit > 0 && s.used >= s.rateLimit && !free {
		h.Set("X-RateLimit-Remaining", "0")
		writeError(w, http.StatusForbidden, "API rate limit exceeded for user.", nil)
		return false
	}
	if !free {
		s.used++
		s.counts.Charged++
	}
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(limit-s.used, 0)))
	return true
}

// fail answers with an injected fault; false means the fault lets the
// request through (never, today).
func (s *Server) fail(w http.ResponseWriter, f Fault) bool {
	h := w.Header()
	switch f.Kind {
	case Fault500:
		writeError(w, http.StatusInternalServerError, "Server Error", nil)
	case Fault502:
		writeError(w, http.StatusBadGateway, "Bad Gateway", nil)
	case FaultReset:
		hijackAndClose(w, "")
	case FaultTruncate:
		hijackAndClose(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{\"number\":1,")
	case FaultPrimary403, FaultPrimary429:
		h.Set("X-RateLimit-Limit", "5000")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Resource", "core")
		h.Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Unix()+1, 10))
		status := http.StatusForbidden
		if f.Kind == FaultPrimary429 {
			status = http.StatusTooManyRequests
		}
		writeError(w, status, "API rate limit exceeded for user.", nil)
	case FaultSecondary403, FaultSecondary429:
		h.Set("Retry-After", "1")
		status := http.StatusForbidden
		if f.Kind == FaultSecondary429 {
			status = http.StatusTooManyRequests
		}
		h.Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`)
	case FaultUnauthorized:
		writeError(w, http.StatusUnauthorized, "Bad credentials", nil)
	case FaultGraphQLRateLimited:
		reset := time.Now().Add(time.Second)
		h.Set("X-RateLimit-Limit", "5000")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Resource", "graphql")
		h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		h.Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"data":{"rateLimit":{"cost":1,"remaining":0,"resetAt":%q}},"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded for user ID 1."}]}`, reset.UTC().Format(time.RFC3339))
	}
	return true
}

func hijackAndClose(w http.ResponseWriter, raw string) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if raw != "" {
		buf.WriteString(raw)
		buf.Flush()
	}
	conn.Close()
}

func writeError(w http.ResponseWriter, status int, msg string, errs []map[string]string) {
	body := map[string]any{"message": msg, "documentation_url": "https://docs.github.com/rest"}
	if errs != nil {
		body["errors"] = errs
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// answer is what route decided to send.
type answer struct {
	route       string
	status      int
	body        []byte
	contentType string
	link        string
}

func jsonAnswer(route string, body []byte, link string) answer {
	return answer{route: route, status: http.StatusOK, body: body, contentType: "application/json; charset=utf-8", link: link}
}

// route answers a request.
func (s *Server) route(r *http.Request, diffLimit int) answer {
	notFound := func(route string) answer {
		return answer{route: route, status: http.StatusNotFound, body: []byte(`{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}`)}
	}
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/api-v3/"), "/"), "/")
	if len(parts) < 4 || parts[0] != "repos" || r.Method != http.MethodGet {
		return notFound("unknown")
	}
	s.mu.Lock()
	repo := s.repos[strings.ToLower(parts[1]+"/"+parts[2])]
	s.mu.Unlock()
	if repo == nil {
		return notFound("repo")
	}
	q := r.URL.Query()
	switch {
	case len(parts) == 4 && parts[3] == "pulls":
		return s.listPulls(r, repo, q)
	case len(parts) == 5 && parts[3] == "issues" && parts[4] == "comments":
		var since time.Time
		if v := q.Get("since"); v != "" {
			since, _ = time.Parse(time.RFC3339, v)
		}
		items := []*gh.IssueComment{}
		for _, c := range repo.Comments {
			if c.Created.Before(since) {
				continue
			}
			items = append(items, &gh.IssueComment{
				Body: ptr(c.Body), User: &gh.User{Login: ptr(c.Author)}, CreatedAt: ts(c.Created),
				IssueURL: ptr(fmt.Sprintf("%srepos/%s/%s/issues/%d", s.APIURL(), repo.Owner, repo.Name, c.Issue)),
			})
		}
		return s.page("comments", r, items)
	case len(parts) == 4 && parts[3] == "issues":
		return s.listIssues(r, repo, q)
	case len(parts) >= 5 && parts[3] == "pulls":
		n, _ := strconv.Atoi(parts[4])
		var p *Pull
		for _, c := range repo.Pulls {
			if c.Number == n {
				p = c
			}
		}
		if p == nil {
			return notFound("pull")
		}
		switch {
		case len(parts) == 5 && strings.Contains(r.Header.Get("Accept"), "diff"):
			if len(p.Files) > diffLimit {
				b, _ := json.Marshal(map[string]any{
					"message": fmt.Sprintf("Sorry, the diff exceeded the maximum number of files (%d). Consider using 'List pull requests files' API or locally cloning the repository instead.", diffLimit),
					"errors":  []map[string]string{{"resource": "PullRequest", "field": "diff", "code": "too_large"}},
				})
				return answer{route: "diff", status: http.StatusNotAcceptable, body: b}
			}
			return answer{route: "diff", status: http.StatusOK, body: []byte(p.Diff), contentType: "application/vnd.github.v3.diff; charset=utf-8"}
		case len(parts) == 5:
			b, _ := json.Marshal(s.pullJSON(repo, p))
			return jsonAnswer("pull", b, "")
		case len(parts) == 6 && parts[5] == "commits":
			items := []*gh.RepositoryCommit{}
			for i, c := range p.Commits {
				if i == 250 {
					break
				}
				items = append(items, &gh.RepositoryCommit{SHA: ptr(c.SHA), Commit: &gh.Commit{Message: ptr(c.Message)}})
			}
			return s.page("commits", r, items)
		case len(parts) == 6 && parts[5] == "files":
			items := []*gh.CommitFile{}
			for i, f := range p.Files {
				if i == 3000 {
					break
				}
				cf := &gh.CommitFile{Filename: ptr(f.Path), Status: ptr(f.Status), Additions: ptr(f.Additions), Deletions: ptr(f.Deletions)}
				if f.Patch != "" {
					cf.Patch = ptr(f.Patch)
				}
				if f.PreviousPath != "" {
					cf.PreviousFilename = ptr(f.PreviousPath)
				}
				items = append(items, cf)
			}
			return s.page("files", r, items)
		}
	}
	return notFound("unknown")
}

func (s *Server) listPulls(r *http.Request, repo *Repo, q url.Values) answer {
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	pulls := []*Pull{}
	for _, p := range repo.Pulls {
		if state == "all" || p.State == state {
			pulls = append(pulls, p)
		}
	}
	key := func(p *Pull) time.Time {
		if q.Get("sort") == "updated" {
			return p.Updated
		}
		return p.Created
	}
	desc := q.Get("direction") != "asc"
	sort.SliceStable(pulls, func(i, j int) bool {
		if desc {
			return key(pulls[i]).After(key(pulls[j]))
		}
		return key(pulls[i]).Before(key(pulls[j]))
	})
	items := make([]*gh.PullRequest, len(pulls))
	for i, p := range pulls {
		items[i] = s.pullJSON(repo, p)
	}
	return s.page("pulls", r, items)
}

func (s *Server) listIssues(r *http.Request, repo *Repo, q url.Values) answer {
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	var since time.Time
	if v := q.Get("since"); v != "" {
		since, _ = time.Parse(time.RFC3339, v)
	}
	items := []*gh.Issue{}
	for _, it := range repo.Issues {
		if it.Updated.Before(since) {
			continue
		}
		if state == "all" || it.State == state {
			issue := &gh.Issue{Number: ptr(it.Number), Title: ptr(it.Title), Body: ptr(it.Body), State: ptr(it.State),
				User: &gh.User{Login: ptr(it.Author)}, CreatedAt: ts(it.Created), UpdatedAt: ts(it.Updated), Labels: labels(it.Labels)}
			if it.Closed != nil {
				issue.ClosedAt = ts(*it.Closed)
			}
			items = append(items, issue)
		}
	}
	for _, p := range repo.Pulls { // GitHub lists pull requests among issues
		if p.Updated.Before(since) {
			continue
		}
		if state == "all" || p.State == state {
			items = append(items, &gh.Issue{Number: ptr(p.Number), Title: ptr(p.Title), Body: ptr(p.Body), State: ptr(p.State),
				User: &gh.User{Login: ptr(p.Author)}, CreatedAt: ts(p.Created), UpdatedAt: ts(p.Updated),
				PullRequestLinks: &gh.PullRequestLinks{URL: ptr(fmt.Sprintf("%srepos/%s/%s/pulls/%d", s.APIURL(), repo.Owner, repo.Name, p.Number))}})
		}
	}
	desc := q.Get("direction") == "desc"
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i].GetCreatedAt().Time, items[j].GetCreatedAt().Time
		if q.Get("sort") == "updated" {
			a, b = items[i].GetUpdatedAt().Time, items[j].GetUpdatedAt().Time
		}
		if a.Equal(b) {
			return items[i].GetNumber() < items[j].GetNumber()
		}
		return a.Before(b) != desc
	})
	return s.page("issues", r, items)
}

func (s *Server) pullJSON(repo *Repo, p *Pull) *gh.PullRequest {
	pr := &gh.PullRequest{
		Number: ptr(p.Number), Title: ptr(p.Title), Body: ptr(p.Body), State: ptr(p.State),
		User: &gh.User{Login: ptr(p.Author)}, CreatedAt: ts(p.Created), UpdatedAt: ts(p.Updated), Labels: labels(p.Labels),
		Base: &gh.PullRequestBranch{Ref: ptr(p.BaseRef), SHA: ptr(p.BaseSHA)},
		Head: &gh.PullRequestBranch{Ref: ptr(p.HeadRef), SHA: ptr(p.HeadSHA)},
	}
	if p.MergeCommitSHA != "" {
		pr.MergeCommitSHA = ptr(p.MergeCommitSHA)
	}
	if p.MergedAt != nil {
		pr.MergedAt = ts(*p.MergedAt)
		pr.ClosedAt = ts(*p.MergedAt)
	}
	return pr
}

// page cuts items by the page and per_page parameters and returns the
// page and its Link header, like GitHub.
func (s *Server) page(route string, r *http.Request, items any) answer {
	b, _ := json.Marshal(items)
	var all []json.RawMessage
	json.Unmarshal(b, &all)
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = 30
	}
	per = min(per, 100)
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	last := max((len(all)+per-1)/per, 1)
	lo, hi := min((page-1)*per, len(all)), min(page*per, len(all))
	link := func(n int, rel string) string {
		u := *r.URL
		u.Scheme, u.Host = "http", r.Host
		v := u.Query()
		v.Set("page", strconv.Itoa(n))
		u.RawQuery = v.Encode()
		return fmt.Sprintf(`<%s>; rel="%s"`, u.String(), rel)
	}
	var links []string
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"), link(page-1, "prev"))
	}
	out, _ := json.Marshal(all[lo:hi])
	if all == nil {
		out = []byte("[]")
	}
	return jsonAnswer(route, out, strings.Join(links, ", "))
}

func ptr[T any](v T) *T { return &v }

func ts(t time.Time) *gh.Timestamp { return &gh.Timestamp{Time: t} }

func labels(names []string) []*gh.Label {
	out := []*gh.Label{}
	for _, n := range names {
		out = append(out, &gh.Label{Name: ptr(n)})
	}
	return out
}
