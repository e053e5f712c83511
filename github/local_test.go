package github

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestIssueNumberFromURL(t *testing.T) {
	assert.Equal(t, 12, issueNumberFromURL("https://api.github.com/repos/o/r/issues/12"))
	assert.Equal(t, 0, issueNumberFromURL("https://api.github.com/repos/o/r/pulls/12"))
	assert.Equal(t, 0, issueNumberFromURL("https://api.github.com/repos/o/r/issues/x"))
}

func TestBackoffBounds(t *testing.T) {
	rt := &retryTransport{baseDelay: 100 * time.Millisecond, maxDelay: time.Second}
	for attempt := 0; attempt < 40; attempt++ {
		d := rt.backoff(attempt)
		want := min(100*time.Millisecond<<min(attempt, 20), time.Second)
		assert.GreaterOrEqual(t, d, want/2, "attempt %d", attempt)
		assert.LessOrEqual(t, d, want, "attempt %d", attempt)
	}
}
