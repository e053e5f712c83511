package dataset

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/sftforge/sftforge/change"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), got)
}

func TestRenderCommitResponse(t *testing.T) {
	files := []change.File{
		{Path: "crates/api_models/src/customers.rs", Status: "modified", Additions: 10},
		{Path: "crates/router/src/core/customers.rs", Status: "added", Additions: 40},
		{Path: "crates/router/src/old.rs", Status: "deleted", Deletions: 3},
		{Path: "crates/router/src/new_name.rs", OldPath: "crates/router/src/old_name.rs", Status: "renamed"},
	}
	changes := []change.Identifier{
		{File: files[0].Path, Op: "added", Kind: "struct", Name: "CustomerSearchRequest", Visibility: "pub"},
		{File: files[0].Path, Op: "added", Kind: "field", Name: "customer_id", Owner: "CustomerSearchRequest", Visibility: "pub"},
		{File: files[0].Path, Op: "modified", Kind: "enum", Name: "CustomerStatus", Visibility: "pub", Detail: []string{"variants"}},
		// cfg twins: one name, two lines told apart by their cfg.
		{File: files[0].Path, Op: "modified", Kind: "struct", Name: "Customer", Owner: "v", Visibility: "pub",
			Cfg: []string{`cfg(feature = "v1")`}, Detail: []string{"fields"}},
		{File: files[0].Path, Op: "modified", Kind: "struct", Name: "Customer", Owner: "v", Visibility: "pub",
			Cfg: []string{`cfg(feature = "v2")`}, Detail: []string{"fields"}},
		{File: files[1].Path, Op: "added", Kind: "function", Name: "search_customers", Visibility: "pub"},
		{File: files[2].Path, Op: "removed", Kind: "function", Name: "legacy", Visibility: "pub(crate)"},
		// Test code: listed after the file's code changes.
		{File: files[1].Path, Op: "added", Kind: "function", Name: "searches_by_prefix", Owner: "tests", Visibility: "private",
			Cfg: []string{"cfg(test)"}, Test: true},
		{File: files[1].Path, Op: "added", Kind: "mod", Name: "tests", Visibility: "private", Cfg: []string{"cfg(test)"}, Test: true},
	}
	golden(t, "commit_response.golden", RenderCommitResponse(files, changes))
}
