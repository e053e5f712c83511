package dataset

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sftforge/sftforge/archmap"
)

func TestLayerClassifier(t *testing.T) {
	ws, err := archmap.ReadWorkspace(fstest.MapFS{
		"Cargo.toml":                  {Data: []byte("[workspace]\nmembers = [\"crates/*\"]\n")},
		"crates/api/Cargo.toml":       {Data: []byte("[package]\nname = \"shop-api\"\n[dependencies]\nshop-db = { path = \"../db\" }\n")},
		"crates/db/Cargo.toml":        {Data: []byte("[package]\nname = \"shop-db\"\n")},
		"crates/router/src/core/x.rs": {},
	})
	require.NoError(t, err)
	hsPaths := []string{"crates/router/src/core/payments.rs", "crates/api_models/src/payments.rs"}
	tests := []struct {
		name   string
		opts   MergeOptions
		paths  []string
		path   string
		layer  string
		crates []string
	}{
		{"workspace", MergeOptions{Workspace: ws}, nil, "crates/db/src/lib.rs", "shop-db", []string{"shop-db"}},
		{"auto picks hyperswitch", MergeOptions{Preset: PresetAuto}, hsPaths, "crates/api_models/src/payments.rs", archmap.LayerAPIModels, []string{"api_models"}},
		{"auto elsewhere: crates from paths", MergeOptions{}, []string{"crates/db/src/lib.rs"}, "crates/db/src/lib.rs", "db", []string{"db"}},
		{"workspace preset on hyperswitch paths", MergeOptions{Preset: PresetWorkspace}, hsPaths, "crates/api_models/src/payments.rs", "api_models", []string{"api_models"}},
		{"default is the workspace preset", MergeOptions{Preset: "default"}, hsPaths, "crates/router/src/core/payments.rs", "router", []string{"router"}},
		{"keywords", MergeOptions{Preset: PresetKeywords}, hsPaths, "crates/api_models/src/payments.rs", archmap.LayerAPIModels, []string{}},
		{"role layer", MergeOptions{Workspace: ws}, nil, "docs/intro.md", archmap.LayerDocumentation, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := LayerClassifier(tc.opts, tc.paths)
			require.NoError(t, err)
			groups, unclassified := c.Group([]string{tc.path})
			require.Empty(t, unclassified)
			require.Len(t, groups, 1)
			assert.Equal(t, tc.layer, groups[0].Layer.ID)
			assert.Equal(t, tc.crates, groups[0].Crates)
		})
	}
	_, err = LayerClassifier(MergeOptions{Preset: "payments"}, nil)
	assert.ErrorContains(t, err, `unknown preset "payments"`)
}

func TestEvenly(t *testing.T) {
	s := []string{"a", "b", "c", "d", "e", "f", "g"}
	assert.Equal(t, s, evenly(s, 10))
	assert.Equal(t, []string{"a", "d", "g"}, evenly(s, 3))
	assert.Equal(t, []string{"a"}, evenly(s, 1))
	assert.Empty(t, evenly(s, 0))
}
