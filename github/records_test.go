package github

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sftforge/sftforge/change"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeJSONL(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
		want              int
	}{
		{"empty", "", "", 0},
		{"two records and a blank line", "{\"number\":1}\n\n{\"number\":2}\n", "", 2},
		{"bad json names the line", "{\"number\":1}\n{\"number\":\n", "2: ", 1},
		{"truncated last line", "{\"number\":1}\n{\"number\":2", "2: truncated record", 1},
		{"wrong type", "{\"number\":\"x\"}\n", "1: ", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeJSONL[PR](strings.NewReader(tt.in))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.True(t, strings.HasPrefix(err.Error(), tt.wantErr), err.Error())
			} else {
				require.NoError(t, err)
			}
			assert.Len(t, got, tt.want)
		})
	}
}

func FuzzDecodeJSONL(f *testing.F) {
	f.Add("{\"number\":1,\"labels\":[\"a\"]}\n")
	f.Add("{\"number\":1}\n{\"num")
	f.Add("\n\n[]\n")
	f.Fuzz(func(t *testing.T, in string) {
		prs, err := decodeJSONL[PR](strings.NewReader(in))
		if err == nil && strings.TrimSpace(in) != "" && !strings.HasSuffix(in, "\n") && strings.TrimSpace(in[strings.LastIndex(in, "\n")+1:]) != "" {
			t.Fatalf("a last line without newline must be an error: %q", in)
		}
		_ = prs
	})
}

// In prs.jsonl a PR's files keep GitHub's wire form ("previous_path",
// "removed"); in memory they are change.File values with the shared
// statuses.
func TestPRFilesJSON(t *testing.T) {
	tests := []struct {
		name  string
		files PRFiles
		wire  string
	}{
		{"nil", nil, `null`},
		{"empty", PRFiles{}, `[]`},
		{"statuses", PRFiles{
			{Path: "a.rs", Status: change.StatusAdded, Additions: 2},
			{Path: "b.rs", Status: change.StatusDeleted, Deletions: 3},
			{Path: "c.rs", OldPath: "old/c.rs", Status: change.StatusRenamed, Additions: 1, Deletions: 1},
			{Path: "d.sh", Status: change.StatusChanged},
			{Path: "e.rs", OldPath: "e0.rs", Status: change.StatusCopied},
			{Path: "<x&y>.rs", Status: change.StatusModified},
		}, `[{"path":"a.rs","previous_path":"","status":"added","additions":2,"deletions":0},` +
			`{"path":"b.rs","previous_path":"","status":"removed","additions":0,"deletions":3},` +
			`{"path":"c.rs","previous_path":"old/c.rs","status":"renamed","additions":1,"deletions":1},` +
			`{"path":"d.sh","previous_path":"","status":"changed","additions":0,"deletions":0},` +
			`{"path":"e.rs","previous_path":"e0.rs","status":"copied","additions":0,"deletions":0},` +
			`{"path":"\u003cx\u0026y\u003e.rs","previous_path":"","status":"modified","additions":0,"deletions":0}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(PR{Files: tt.files})
			require.NoError(t, err)
			assert.Contains(t, string(b), `"files":`+tt.wire+`,"patch"`)
			var back PR
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tt.files, back.Files)
		})
	}
	var pr PR
	err := json.Unmarshal([]byte(`{"files":[{"additions":"x"}]}`), &pr)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "files: ")
}
