package rustparse

import (
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestRealHistory is a smoke test on real code, run only when
// RUSTPARSE_GIT_DIR names a local bare repository (nothing is committed from
// it): it feeds the last versions of RUSTPARSE_FILE through a Tracker,
// checks each equals Parse, and logs the time of both.
//
//	RUSTPARSE_GIT_DIR=/path/repo.git RUSTPARSE_FILE=crates/router/src/core/payments.rs go test -run RealHistory -v ./rustparse
func TestRealHistory(t *testing.T) {
	gitDir := os.Getenv("RUSTPARSE_GIT_DIR")
	path := os.Getenv("RUSTPARSE_FILE")
	if gitDir == "" || path == "" {
		t.Skip("set RUSTPARSE_GIT_DIR and RUSTPARSE_FILE")
	}
	commits, versions := gitVersions(t, gitDir, path, 60)
	require.NotEmpty(t, versions)

	tr := NewTracker()
	defer tr.Close()
	var trackerTime, parseTime time.Duration
	total, changes := 0, 0
	var prev *File
	for i, v := range versions {
		start := time.Now()
		got, err := tr.Update(v)
		trackerTime += time.Since(start)
		require.NoError(t, err)
		start = time.Now()
		want, err := Parse(v)
		parseTime += time.Since(start)
		require.NoError(t, err)
		require.Equal(t, want, got, "version %d (%s)", i, commits[i])
		changes += len(Diff(prev, got))
		prev = got
		total += len(v)
	}
	t.Logf("%d versions, %d bytes in all, %d items in the last, %d changes: Parse %v, Tracker %v (%.1fx)",
		len(versions), total, len(prev.Items), changes, parseTime, trackerTime, parseTime.Seconds()/trackerTime.Seconds())
}

// BenchmarkParseRealFile parses the HEAD version of RUSTPARSE_FILE from
// the bare repository RUSTPARSE_GIT_DIR (skipped when they are not set).
func BenchmarkParseRealFile(b *testing.B) {
	gitDir, path := os.Getenv("RUSTPARSE_GIT_DIR"), os.Getenv("RUSTPARSE_FILE")
	if gitDir == "" || path == "" {
		b.Skip("set RUSTPARSE_GIT_DIR and RUSTPARSE_FILE")
	}
	src, err := exec.Command("git", "--git-dir="+gitDir, "show", "HEAD:"+path).Output()
	require.NoError(b, err)
	p := benchParser(b)
	b.Run("TreeSitter", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		defer cpuMeter(b, len(src))()
		for b.Loop() {
			tree, err := p.parseTree(nil, src)
			require.NoError(b, err)
			tree.Close()
		}
	})
	b.Run("Parse", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		defer cpuMeter(b, len(src))()
		for b.Loop() {
			_, err := p.Parse(src)
			require.NoError(b, err)
		}
	})
}

// BenchmarkRealHistorySplice compares a splicing Tracker with a tree Tracker
// on the last versions of real files, run only when RUSTPARSE_GIT_DIR
// names a local repository and RUSTPARSE_FILES lists paths (comma-separated):
// each variant feeds every file's versions through its own Tracker, the two
// alternate, and the metric is the median ratio of thread CPU time
// (splice / tree), robust on a loaded machine.
//
//	RUSTPARSE_GIT_DIR=/path/repo.git RUSTPARSE_FILES=crates/router/src/core/payments.rs,crates/api_models/src/payments.rs \
//	  go test -run '^$' -bench RealHistorySplice -benchtime 10x ./rustparse
func BenchmarkRealHistorySplice(b *testing.B) {
	gitDir, files := os.Getenv("RUSTPARSE_GIT_DIR"), os.Getenv("RUSTPARSE_FILES")
	if gitDir == "" || files == "" {
		b.Skip("set RUSTPARSE_GIT_DIR and RUSTPARSE_FILES")
	}
	var histories [][][]byte
	total := 0
	for _, path := range strings.Split(files, ",") {
		_, versions := gitVersions(b, gitDir, path, 100)
		total += len(versions)
		histories = append(histories, versions)
	}
	run := func(newTracker func() *Tracker) func() {
		return func() {
			for _, versions := range histories {
				tr := newTracker()
				for _, v := range versions {
					if _, err := tr.Update(v); err != nil {
						b.Fatal(err)
					}
				}
				tr.Close()
			}
		}
	}
	b.Logf("%d files, %d versions", len(histories), total)
	abRatio(b, run(NewTreeTracker), run(NewTracker))
}

// gitVersions returns the last n versions of path in the repository at
// gitDir, oldest first, with their commits (those where path was deleted
// or renamed left out).
func gitVersions(tb testing.TB, gitDir, path string, n int) (commits []string, versions [][]byte) {
	tb.Helper()
	out, err := exec.Command("git", "--git-dir="+gitDir, "log", "--format=%H", "-n", strconv.Itoa(n), "HEAD", "--", path).Output()
	require.NoError(tb, err)
	all := strings.Fields(string(out))
	slices.Reverse(all)
	for _, c := range all {
		if src, err := exec.Command("git", "--git-dir="+gitDir, "show", c+":"+path).Output(); err == nil {
			commits = append(commits, c)
			versions = append(versions, src)
		}
	}
	return commits, versions
}
