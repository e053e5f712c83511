package dataset

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/gitlog"
)

// TestPipelineLicenseErrors runs the offline pipeline on histories whose
// newest commit leaves the crate's Cargo.toml readable or malformed: a
// failed licence lookup leaves the record's licence empty, is counted in
// statistics.json and the card, and is warned once, naming the commit and
// the manifest.
func TestPipelineLicenseErrors(t *testing.T) {
	const good = "[package]\nname = \"pay\"\nversion = \"0.1.0\"\nlicense = \"MIT\"\n"
	tests := []struct {
		name     string
		manifest string // Cargo.toml at the newest commit
		errors   int
		license  string // of the newest commit's record
	}{
		{"valid manifest", good, 0, "MIT"},
		{"malformed manifest at the merge commit", "[package\nname = \"pay\nlicense = \"MIT\"\n", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHistoryBuilder(t)
			h.commit("Ann", "feat: charge", nil, "Cargo.toml", good,
				"src/lib.rs", "pub fn charge(amount: u64) -> u64 {\n    amount\n}\n")
			last := h.commit("Ann", "feat: refund", nil, "Cargo.toml", tt.manifest,
				"src/lib.rs", "pub fn charge(amount: u64) -> u64 {\n    amount\n}\n\npub fn refund(amount: u64) -> u64 {\n    amount\n}\n")

			repo, err := gitlog.Open(context.Background(), h.dir, gitlog.OpenOptions{})
			require.NoError(t, err)
			defer repo.Close()
			var logs bytes.Buffer
			mo, wo := testOptions(t, "o/r", 0, 0, false)
			mo.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
			out := t.TempDir()
			res, err := RunPipeline(context.Background(), repo, PipelineOptions{OutDir: out, Owner: "o", Repo: "r",
				CommitsAsPRs: true, Merge: mo, Write: wo, Export: ExportOptions{Workers: 2}})
			require.NoError(t, err)

			assert.Equal(t, tt.errors, res.Merge.LicenseErrors)
			assert.Equal(t, tt.errors, res.Statistics.LicenseErrors)
			raw, err := os.ReadFile(filepath.Join(out, "statistics.json"))
			require.NoError(t, err)
			var st map[string]any
			require.NoError(t, json.Unmarshal(raw, &st))
			assert.EqualValues(t, tt.errors, st["license_errors"])
			card, err := os.ReadFile(filepath.Join(out, "README.md"))
			require.NoError(t, err)

			var licence *string
			for _, r := range readLines(t, filepath.Join(out, "merged_dataset.jsonl")) {
				md := r["metadata"].(map[string]any)
				if md["merge_commit"] == last.String() {
					l := md["license"].(string)
					licence = &l
				}
			}
			require.NotNil(t, licence, "the newest commit has a record")
			assert.Equal(t, tt.license, *licence)

			warned := strings.Count(logs.String(), "licence lookup failed")
			if tt.errors == 0 {
				assert.Zero(t, warned)
				assert.NotContains(t, string(card), "lookups failed")
				return
			}
			assert.Equal(t, 1, warned, "warned once: %s", logs.String())
			assert.Contains(t, logs.String(), last.String()[:12], "the warning names the commit")
			assert.Contains(t, logs.String(), "Cargo.toml", "the warning names the manifest")
			assert.Contains(t, string(card), "lookups failed for 1 records")
		})
	}
}
