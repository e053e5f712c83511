package dataset

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

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

func TestChangeLine(t *testing.T) {
	tests := []struct {
		c    ChangeRecord
		want string
	}{
		{ChangeRecord{Op: "added", Kind: "function", Name: "validate_capture_method", Visibility: "pub"},
			"function: pub::validate_capture_method"},
		{ChangeRecord{Op: "added", Kind: "method", Name: "update", Owner: "PaymentIntent", Visibility: "pub(crate)"},
			"method: pub(crate)::PaymentIntent::update"},
		{ChangeRecord{Op: "modified", Kind: "function", Name: "f", Visibility: "private", Detail: []string{"signature", "body"}},
			"function: private::f (signature, body)"},
		{ChangeRecord{Op: "removed", Kind: "field", Name: "email", Owner: "Customer", Visibility: "pub"},
			"field: pub::Customer::email"},
		{ChangeRecord{Op: "added", Kind: "variant", Name: "Pending", Owner: "Status", Visibility: "inherited"},
			"variant: inherited::Status::Pending"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ChangeLine(tt.c))
	}
}

func TestRenderCommitResponse(t *testing.T) {
	files := []FileRecord{
		{Path: "crates/api_models/src/customers.rs", Status: "modified", Additions: 10},
		{Path: "crates/router/src/core/customers.rs", Status: "added", Additions: 40},
		{Path: "crates/router/src/old.rs", Status: "deleted", Deletions: 3},
		{Path: "crates/router/src/new_name.rs", OldPath: "crates/router/src/old_name.rs", Status: "renamed"},
	}
	changes := []ChangeRecord{
		{File: files[0].Path, Op: "added", Kind: "struct", Name: "CustomerSearchRequest", Visibility: "pub"},
		{File: files[0].Path, Op: "added", Kind: "field", Name: "customer_id", Owner: "CustomerSearchRequest", Visibility: "pub"},
		{File: files[0].Path, Op: "modified", Kind: "enum", Name: "CustomerStatus", Visibility: "pub", Detail: []string{"variants"}},
		{File: files[1].Path, Op: "added", Kind: "function", Name: "search_customers", Visibility: "pub"},
		{File: files[2].Path, Op: "removed", Kind: "function", Name: "legacy", Visibility: "pub(crate)"},
	}
	golden(t, "commit_response.golden", RenderCommitResponse(files, changes))
}
