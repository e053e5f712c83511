package github

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gofri/go-github-ratelimit/v2/github_ratelimit"
	"github.com/gofri/go-github-ratelimit/v2/github_ratelimit/github_secondary_ratelimit"
	gh "github.com/google/go-github/v66/github"
)

// Errors a caller may want to tell apart (test with errors.Is).
var (
	// ErrUnauthorized: GitHub refused the token (401).
	ErrUnauthorized = errors.New("bad credentials (check GITHUB_TOKEN or --token-file)")
	// ErrNotFound: the repository does not exist or the token cannot see it (404).
	ErrNotFound = errors.New("not found (unknown repository, or the token cannot see it)")
)

// ClientOptions configures NewClient. The zero value talks to api.github.com
// without a token (60 requests an hour) and without a cache.
type ClientOptions struct {
	// Token is a GitHub token; empty means unauthenticated. It is sent in
	// the Authorization header only and never logged or shown.
	Token string
	// APIURL is the REST API root, e.g. https://ghe.example.com/api/v3/
	// for GitHub Enterprise; empty means https://api.github.com/.
	APIURL string
	// WebHost is the host issue links in PR bodies point at (default
	// WebHost(APIURL): github.com, or the Enterprise host).
	WebHost string
	// CacheDir holds the ETag cache; empty disables conditional requests.
	CacheDir string
	// MaxInFlight caps concurrent HTTP requests (default 4).
	MaxInFlight int
	// MaxRetries bounds the retries of one request after a 5xx, a
	// transport error or a truncated body (0: default 5; negative: none).
	MaxRetries int
	// RetryBaseDelay and RetryMaxDelay shape the exponential backoff
	// (defaults 1 s and 30 s).
	RetryBaseDelay, RetryMaxDelay time.Duration
	// Transport sends the requests (default: a clone of
	// http.DefaultTransport keeping MaxInFlight idle connections).
	Transport http.RoundTripper
	// Logger receives warnings and debug messages (default slog.Default()).
	Logger *slog.Logger
	// OnWait, if set, is told about every rate-limit wait.
	OnWait func(until time.Time, reason string)
}

// Client is a GitHub REST client with rate-limit handling, retries, an ETag
// cache and a bound on requests in flight. It is safe for concurrent use.
type Client struct {
	api   *gh.Client
	stats *requestStats
	token string
	log   *slog.Logger
	wait  func(until time.Time, reason string)
	host  string // web host of issue links

	gqlMu   sync.Mutex
	gqlRate gqlRateLimit // GraphQL's points after the last answer
}

// NewClient builds a Client. The transport stack, outermost first: retries
// and primary-limit waits, go-github-ratelimit (secondary then primary
// limits), the ETag cache, the in-flight cap. A non-empty token that
// [ValidateToken] rejects (several lines, spaces, control characters) is an
// error, not a request that would fail and be retried.
func NewClient(opts ClientOptions) (*Client, error) {
	if opts.Token != "" {
		if err := ValidateToken(opts.Token); err != nil {
			return nil, err
		}
	}
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = 4
	}
	if opts.MaxRetries < 0 {
		opts.MaxRetries = 0
	} else if opts.MaxRetries == 0 {
		opts.MaxRetries = 5
	}
	if opts.RetryBaseDelay <= 0 {
		opts.RetryBaseDelay = time.Second
	}
	if opts.RetryMaxDelay <= 0 {
		opts.RetryMaxDelay = 30 * time.Second
	}
	if opts.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = opts.MaxInFlight // keep every connection in use alive
		opts.Transport = t
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	c := &Client{stats: &requestStats{}, token: opts.Token, log: opts.Logger, wait: opts.OnWait, host: cmp.Or(opts.WebHost, WebHost(opts.APIURL))}
	c.stats.remaining.Store(-1)

	var rt http.RoundTripper = &sendingTransport{base: opts.Transport, slots: make(chan struct{}, opts.MaxInFlight), stats: c.stats}
	if opts.CacheDir != "" {
		rt = &etagCache{base: rt, dir: opts.CacheDir, log: opts.Logger}
	}
	rt = github_ratelimit.New(rt, github_secondary_ratelimit.WithLimitDetectedCallback(func(cb *github_secondary_ratelimit.CallbackContext) {
		c.stats.waits.Add(1)
		if cb.ResetTime != nil {
			c.log.Warn("github: secondary rate limit, waiting as told", "until", cb.ResetTime.Format(time.RFC3339), "wait", time.Until(*cb.ResetTime).Round(time.Second))
			if c.wait != nil {
				c.wait(*cb.ResetTime, "secondary rate limit")
			}
		}
	}))
	rt = &retryTransport{base: rt, maxRetries: opts.MaxRetries, baseDelay: opts.RetryBaseDelay, maxDelay: opts.RetryMaxDelay, stats: c.stats, log: opts.Logger, onWait: opts.OnWait}

	c.api = gh.NewClient(&http.Client{Transport: rt})
	if opts.Token != "" {
		c.api = c.api.WithAuthToken(opts.Token)
	}
	if opts.APIURL != "" {
		u, err := url.Parse(opts.APIURL)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("github: bad API URL %q: want e.g. https://ghe.example.com/api/v3/", opts.APIURL)
		}
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		c.api.BaseURL = u
	}
	c.api.UserAgent = "sftforge-gather"
	return c, nil
}

// Counts returns what the client's HTTP stack did so far.
func (c *Client) Counts() RequestCounts { return c.stats.counts() }

// RateRemaining is the last X-RateLimit-Remaining GitHub sent, -1 before
// the first answer.
func (c *Client) RateRemaining() int64 { return c.stats.remaining.Load() }

// call runs one API call, waiting out the rate limits go-github itself
// reports (it refuses to send once it has seen a remaining count of 0), and
// turns the answer's error into a clear one prefixed with what.
func (c *Client) call(ctx context.Context, what string, fn func() (*gh.Response, error)) error {
	for {
		_, err := fn()
		if err == nil {
			return nil
		}
		var rateErr *gh.RateLimitError
		var abuseErr *gh.AbuseRateLimitError
		var until time.Time
		switch {
		case errors.As(err, &rateErr):
			until = rateErr.Rate.Reset.Time.Add(time.Second)
		case errors.As(err, &abuseErr) && abuseErr.RetryAfter != nil:
			until = time.Now().Add(*abuseErr.RetryAfter)
		default:
			return c.describe(what, err)
		}
		c.stats.waits.Add(1)
		c.log.Warn("github: rate limit reached, waiting", "until", until.Format(time.RFC3339))
		if c.wait != nil {
			c.wait(until, "rate limit")
		}
		if err := sleepContext(ctx, time.Until(until)); err != nil {
			return c.describe(what, err)
		}
	}
}

// describe wraps err with what, classifies 401 and 404, and scrubs the
// token from the message.
func (c *Client) describe(what string, err error) error {
	var resp *gh.ErrorResponse
	if errors.As(err, &resp) && resp.Response != nil {
		switch resp.Response.StatusCode {
		case http.StatusUnauthorized:
			err = fmt.Errorf("%w: %w", ErrUnauthorized, err)
		case http.StatusNotFound:
			err = fmt.Errorf("%w: %w", ErrNotFound, err)
		}
	}
	return redact(fmt.Errorf("github: %s: %w", what, err), c.token)
}

// redactedError hides a secret in a wrapped error's message.
type redactedError struct {
	err    error
	secret string
}

func (e *redactedError) Error() string {
	return strings.ReplaceAll(e.err.Error(), e.secret, "[REDACTED]")
}

func (e *redactedError) Unwrap() error { return e.err }

func redact(err error, secret string) error {
	if err == nil || secret == "" {
		return err
	}
	return &redactedError{err: err, secret: secret}
}

// isStatus reports whether err is GitHub's answer with the given status.
func isStatus(err error, status int) bool {
	var resp *gh.ErrorResponse
	return errors.As(err, &resp) && resp.Response != nil && resp.Response.StatusCode == status
}
