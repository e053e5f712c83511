package dataset

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/gitlog"
)

func TestLicenceHistory(t *testing.T) {
	// Newest first, as the walk yields them.
	var h licenceHistory
	for _, c := range []gitlog.PathsChange{
		{Hash: "e", Paths: []string{"src/lib.rs"}},
		{Hash: "d", Paths: []string{"LICENSE-MIT", "src/lib.rs"}},
		{Hash: "c", Paths: []string{"src/a.rs"}},
		{Hash: "b", Paths: []string{"crates/x/Cargo.toml"}},
		{Hash: "a", Paths: []string{"src/lib.rs"}},
	} {
		h.add(c)
	}
	h.done()
	tests := []struct {
		name      string
		c1, c2    string
		sameEpoch bool
		inHistory bool // c2
	}{
		{name: "no licence change between", c1: "e", c2: "d", sameEpoch: true, inHistory: true},
		{name: "a licence file changed", c1: "d", c2: "c", inHistory: true},
		{name: "a manifest changed", c1: "b", c2: "a", inHistory: true},
		{name: "the commit changing a manifest and the next", c1: "c", c2: "b", sameEpoch: true, inHistory: true},
		{name: "not in the history", c1: "e", c2: "f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e1, ok1 := h.epochOf(tt.c1)
			e2, ok2 := h.epochOf(tt.c2)
			assert.True(t, ok1)
			assert.Equal(t, tt.inHistory, ok2)
			if ok2 {
				assert.Equal(t, tt.sameEpoch, e1 == e2)
			}
		})
	}
	var none *licenceHistory
	_, ok := none.epochOf("e")
	assert.False(t, ok)
	assert.False(t, none.changesTexts())
	assert.True(t, h.changesTexts(), "d changes LICENSE-MIT")
}

func TestLicenceHistoryTexts(t *testing.T) {
	tests := []struct {
		name  string
		paths [][]string
		want  bool
	}{
		{name: "sources only", paths: [][]string{{"src/lib.rs"}}},
		{name: "manifests only", paths: [][]string{{"Cargo.toml"}, {"crates/a/Cargo.toml", "src/lib.rs"}}},
		{name: "a licence file", paths: [][]string{{"src/lib.rs"}, {"crates/a/LICENSE-APACHE"}}, want: true},
		{name: "a file in a licences directory", paths: [][]string{{"LICENSES/MIT.txt"}}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h licenceHistory
			for i, p := range tt.paths {
				h.add(gitlog.PathsChange{Hash: strconv.Itoa(i), Paths: p})
			}
			h.done()
			assert.Equal(t, tt.want, h.changesTexts())
		})
	}
}

func TestLicenceHistoryFor(t *testing.T) {
	tests := []struct {
		name string
		walk gitlog.WalkOptions
		want bool
	}{
		{name: "whole first-parent history", want: true},
		{name: "newest N", walk: gitlog.WalkOptions{MaxCommits: 10}, want: true},
		{name: "all parents", walk: gitlog.WalkOptions{AllParents: true}},
		{name: "merges skipped", walk: gitlog.WalkOptions{SkipMerges: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, licenceHistoryFor(tt.walk))
		})
	}
}

func TestChangesByFile(t *testing.T) {
	id := func(file, name string) change.Identifier { return change.Identifier{File: file, Name: name} }
	tests := []struct {
		name  string
		lists [][]change.Identifier
		want  map[string][]change.Identifier
	}{
		{name: "none", want: map[string][]change.Identifier{}},
		{name: "files interleaved, in order", lists: [][]change.Identifier{{id("a", "1"), id("b", "2"), id("a", "3")}, {id("b", "4")}},
			want: map[string][]change.Identifier{"a": {id("a", "1"), id("a", "3")}, "b": {id("b", "2"), id("b", "4")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := changesByFile(tt.lists...)
			assert.Equal(t, tt.want, got)
			for _, g := range got {
				assert.Equal(t, len(g), cap(g), "a group must not grow into the next")
			}
		})
	}
}
