package github

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofri/go-github-ratelimit/v2/github_ratelimit/github_primary_ratelimit"

	"github.com/sftforge/sftforge/outdir"
)

// RequestCounts is what the HTTP stack did during a run.
type RequestCounts struct {
	// Requests is the number of HTTP requests sent, 304s included.
	Requests int64 `json:"requests"`
	// NotModified is the number of 304 answers to conditional requests;
	// they cost nothing against the rate limit.
	NotModified int64 `json:"not_modified"`
	// RateLimitWaits counts waits for a primary or secondary limit.
	RateLimitWaits int64 `json:"rate_limit_waits"`
	// Retries counts requests repeated after a 5xx, a reset connection or
	// a truncated body.
	Retries int64 `json:"retries"`
	// Errors counts requests that failed for good.
	Errors int64 `json:"errors"`
}

// Add returns the sum of two counts.
func (c RequestCounts) Add(o RequestCounts) RequestCounts {
	return RequestCounts{
		Requests:       c.Requests + o.Requests,
		NotModified:    c.NotModified + o.NotModified,
		RateLimitWaits: c.RateLimitWaits + o.RateLimitWaits,
		Retries:        c.Retries + o.Retries,
		Errors:         c.Errors + o.Errors,
	}
}

// requestStats is the live, concurrency-safe form of RequestCounts.
type requestStats struct {
	requests, notModified, waits, retries, errors atomic.Int64
	remaining                                     atomic.Int64 // last X-RateLimit-Remaining, -1 unknown
}

func (s *requestStats) counts() RequestCounts {
	return RequestCounts{
		Requests:       s.requests.Load(),
		NotModified:    s.notModified.Load(),
		RateLimitWaits: s.waits.Load(),
		Retries:        s.retries.Load(),
		Errors:         s.errors.Load(),
	}
}

// sendingTransport is the innermost layer: it caps the requests in flight
// and counts what goes over the wire.
type sendingTransport struct {
	base  http.RoundTripper
	slots chan struct{}
	stats *requestStats
}

func (t *sendingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	select {
	case t.slots <- struct{}{}:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	t.stats.requests.Add(1)
	if req.GetBody != nil && req.Body != nil && req.Body != http.NoBody {
		// Every layer above may send a request again (retries, limits):
		// each send reads a fresh copy of a POST body.
		body, err := req.GetBody()
		if err != nil {
			<-t.slots
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Body = body
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		<-t.slots
		return nil, err
	}
	if resp.StatusCode == http.StatusNotModified {
		t.stats.notModified.Add(1)
	}
	if v, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Remaining"), 10, 64); err == nil {
		t.stats.remaining.Store(v)
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: func() { <-t.slots }}
	return resp, nil
}

// releasingBody frees a request slot when the body is closed.
type releasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

// etagCache is an on-disk cache of GET responses that carry an ETag. A
// cached request is sent with If-None-Match; a 304 answer is replaced by the
// cached response, so the caller sees a 200 and the rate limit is spared.
// Entries are keyed by URL, Accept header and a hash of the credentials;
// the credentials themselves are never stored.
type etagCache struct {
	base http.RoundTripper
	dir  string
	log  *slog.Logger
}

type etagEntry struct {
	ETag        string      `json:"etag"`
	ContentType string      `json:"content_type"`
	Link        string      `json:"link"`
	Body        []byte      `json:"body"`
	Header      http.Header `json:"-"`
}

func (c *etagCache) path(req *http.Request) string {
	auth := sha256.Sum256([]byte(req.Header.Get("Authorization")))
	key := sha256.Sum256([]byte(req.URL.String() + "\n" + req.Header.Get("Accept") + "\n" + hex.EncodeToString(auth[:])))
	name := hex.EncodeToString(key[:])
	return filepath.Join(c.dir, name[:2], name+".json")
}

func (c *etagCache) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet {
		return c.base.RoundTrip(req)
	}
	path := c.path(req)
	var cached *etagEntry
	if b, err := os.ReadFile(path); err == nil {
		var e etagEntry
		if json.Unmarshal(b, &e) == nil && e.ETag != "" {
			cached = &e
			req = req.Clone(req.Context())
			req.Header.Set("If-None-Match", e.ETag)
		}
	}
	resp, err := c.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && cached != nil:
		resp.Body.Close()
		resp.StatusCode, resp.Status = http.StatusOK, "200 OK"
		resp.Header.Set("Content-Type", cached.ContentType)
		resp.Header.Set("X-From-Cache", "1")
		if cached.Link != "" {
			resp.Header.Set("Link", cached.Link)
		}
		resp.Header.Del("Content-Length")
		resp.ContentLength = int64(len(cached.Body))
		resp.Body = io.NopCloser(bytes.NewReader(cached.Body))
		return resp, nil
	case resp.StatusCode == http.StatusOK && resp.Header.Get("ETag") != "":
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err // a truncated body: the retry layer repeats the request
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		e := etagEntry{ETag: resp.Header.Get("ETag"), ContentType: resp.Header.Get("Content-Type"), Link: resp.Header.Get("Link"), Body: body}
		if err := writeJSONAtomicSync(path, e, false); err != nil {
			c.log.Warn("github: etag cache: cannot store a response", "err", err)
		}
	}
	return resp, nil
}

// writeJSONAtomic writes v to path through a temporary file and a rename,
// synced to disk.
func writeJSONAtomic(path string, v any) error {
	return writeJSONAtomicSync(path, v, true)
}

// writeJSONAtomicSync is writeJSONAtomic where sync=false skips the fsync:
// the rename still makes the write atomic for readers and for a killed
// process, only a power loss may bring back the previous version.
func writeJSONAtomicSync(path string, v any, sync bool) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, b, sync)
}

func writeFileAtomic(path string, b []byte, sync bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := outdir.CreateTemp(filepath.Dir(path), ".tmp-") // 0644, not 0600: summary.json is an output
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// retryTransport is the outermost layer. It waits out primary rate limits
// reported by go-github-ratelimit, and repeats requests that failed with a
// 5xx, a transport error (reset connection, refused connection) or a
// truncated body, with exponential backoff and jitter, a bounded number of
// times. It reads every body whole, so a truncated one is seen here.
type retryTransport struct {
	base       http.RoundTripper
	maxRetries int
	baseDelay  time.Duration
	maxDelay   time.Duration
	stats      *requestStats
	log        *slog.Logger
	onWait     func(until time.Time, reason string)
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var lastErr error
	lastStatus := 0
	for attempt := 0; ; {
		resp, err := t.base.RoundTrip(req)
		var limitErr *github_primary_ratelimit.RateLimitReachedError
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.As(err, &limitErr):
			if limitErr.Response != nil && limitErr.Response.Body != nil {
				limitErr.Response.Body.Close() // frees its request slot
			}
			until := time.Now().Add(time.Minute)
			if limitErr.ResetTime != nil {
				until = limitErr.ResetTime.Add(time.Second)
			}
			t.stats.waits.Add(1)
			t.log.Warn("github: primary rate limit reached, waiting for the reset", "until", until.Format(time.RFC3339), "wait", time.Until(until).Round(time.Second))
			if t.onWait != nil {
				t.onWait(until, "primary rate limit")
			}
			if err := sleepContext(ctx, time.Until(until)); err != nil {
				return nil, err
			}
			continue // not a retry: the request was never answered
		case err != nil:
			lastErr, lastStatus = err, 0
		case resp.StatusCode >= 500:
			resp.Body.Close()
			lastErr, lastStatus = fmt.Errorf("%s", resp.Status), resp.StatusCode
		default:
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if rerr == nil {
				resp.Body = io.NopCloser(bytes.NewReader(body))
				return resp, nil
			}
			lastErr, lastStatus = fmt.Errorf("read body: %w", rerr), 0
		}
		if attempt >= t.maxRetries {
			t.stats.errors.Add(1)
			return nil, &giveUpError{attempts: attempt + 1, status: lastStatus, err: lastErr}
		}
		delay := t.backoff(attempt)
		attempt++
		t.stats.retries.Add(1)
		t.log.Debug("github: retrying request", "url", req.URL.Redacted(), "attempt", attempt, "delay", delay, "err", lastErr)
		if err := sleepContext(ctx, delay); err != nil {
			return nil, err
		}
	}
}

// backoff is base·2^attempt capped at maxDelay, with jitter in [d/2, d].
func (t *retryTransport) backoff(attempt int) time.Duration {
	d := t.baseDelay << min(attempt, 20)
	if d > t.maxDelay || d <= 0 {
		d = t.maxDelay
	}
	return d/2 + rand.N(d/2+1)
}

func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// giveUpError is a request that failed every attempt; status is the HTTP
// status of the last one when it was a 5xx answer.
type giveUpError struct {
	attempts int
	status   int
	err      error
}

func (e *giveUpError) Error() string {
	return fmt.Sprintf("giving up after %d attempts: %v", e.attempts, e.err)
}

func (e *giveUpError) Unwrap() error { return e.err }
