package redact

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestRealText redacts real text for a manual false-positive review:
// REDACT_REAL_TEXT names files (comma-separated), e.g. the output of
// `git log -p` or `git log --format=%B` of a real repository, which are
// never committed. It logs each secret finding with its line (the secret
// itself replaced by its placeholder, and shown masked as first four
// characters and length), the counts by rule and the throughput.
func TestRealText(t *testing.T) {
	env := os.Getenv("REDACT_REAL_TEXT")
	if env == "" {
		t.Skip("set REDACT_REAL_TEXT to files of real text to review")
	}
	r, err := New(Config{})
	require.NoError(t, err)
	var counts Counts
	type seen struct{ rule, line, masked string }
	var secrets []seen
	total, elapsed := 0, time.Duration(0)
	for _, path := range strings.Split(env, ",") {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		for _, rec := range benchRecords(string(data)) {
			start := time.Now()
			_, findings := r.Redact(rec)
			elapsed += time.Since(start)
			total += len(rec)
			counts.Add(findings)
			for _, f := range findings {
				if f.RuleID == EmailRule || f.RuleID == MentionRule {
					continue
				}
				ls := strings.LastIndexByte(rec[:f.Start], '\n') + 1
				le := f.End + max(0, strings.IndexByte(rec[f.End:], '\n'))
				if le < f.End {
					le = len(rec)
				}
				line := rec[ls:f.Start] + placeholder(f.RuleID) + rec[f.End:le]
				secret := rec[f.Start:f.End]
				secrets = append(secrets, seen{f.RuleID, strings.TrimSpace(line), fmt.Sprintf("%.4s…(%d)", secret, len(secret))})
			}
		}
	}
	slices.SortFunc(secrets, func(a, b seen) int { return cmp.Or(strings.Compare(a.rule, b.rule), strings.Compare(a.line, b.line)) })
	secrets = slices.Compact(secrets)
	for _, s := range secrets {
		t.Logf("%-28s %-14s %.160s", s.rule, s.masked, s.line)
	}
	t.Logf("%d bytes in %v (%.1f MB/s); findings by rule: %v", total, elapsed, float64(total)/1e6/elapsed.Seconds(), counts)
}
