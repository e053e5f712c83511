package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSources(t *testing.T) {
	tests := []struct {
		name, text string
		want       []Source
		err        string
	}{
		{name: "path and options", text: "/r/a rev=v1 max-commits=10 shards=3 rules=x.yaml github=/gh name=o/r\n",
			want: []Source{{ID: "/r/a rev=v1 max-commits=10 shards=3 rules=x.yaml github=/gh name=o/r", Location: "/r/a",
				Rev: "v1", MaxCommits: 10, Shards: 3, Rules: "x.yaml", GitHubDir: "/gh", Name: "o/r"}}},
		{name: "owner/repo", text: "juspay/hyperswitch\n",
			want: []Source{{ID: "juspay/hyperswitch", Location: "https://github.com/juspay/hyperswitch.git",
				Name: "juspay/hyperswitch", FromGitHub: true}}},
		{name: "url, comments, blanks", text: "\n# all\nhttps://example.com/x.git   # trailing\n\n",
			want: []Source{{ID: "https://example.com/x.git", Location: "https://example.com/x.git"}}},
		{name: "empty", text: "# nothing\n", err: "sources.txt: no sources"},
		{name: "bad option", text: "/a\n/b depth=3\n", err: `sources.txt:2: unknown option "depth"`},
		{name: "no value", text: "/a rev=\n", err: `sources.txt:1: option "rev=": want key=value`},
		{name: "bad count", text: "/a shards=-1\n", err: "sources.txt:1: shards=-1: want a count"},
		{name: "bad name", text: "/a name=nope\n", err: "sources.txt:1: name=nope: want OWNER/REPO"},
		{name: "owner with a query", text: "/a name=axum?x=/b\n", err: "sources.txt:1: name=axum?x=/b: want OWNER/REPO: github: owner"},
		{name: "name dot-dot", text: "/a name=o/..\n", err: "sources.txt:1: name=o/..: want OWNER/REPO: github: repository \"..\": not a repository name"},
		{name: "name with a query", text: "/a name=o/r?x=1\n", err: "sources.txt:1: name=o/r?x=1: want OWNER/REPO: github: repository \"r?x=1\": character '?' not allowed"},
		{name: "dot-dot is a path, not OWNER/REPO", text: "o/..\n",
			want: []Source{{ID: "o/..", Location: "o/.."}}},
		{name: "repeated", text: "/a\n/b\n/a\n", err: "sources.txt:3: source repeats line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSources(strings.NewReader(tt.text), "sources.txt")
			if tt.err != "" {
				require.Error(t, err)
				assert.Equal(t, tt.err, err.Error()[:min(len(err.Error()), len(tt.err))])
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// FuzzParseSources: any text either fails with an error naming the file,
// or gives sources with unique IDs and a location each.
func FuzzParseSources(f *testing.F) {
	for _, s := range []string{"/a rev=v1\n", "o/r shards=2\n#c\n", "x name=a/b github=d max-commits=3", "a\na\n", "\x00=\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		srcs, err := ParseSources(strings.NewReader(text), "f.txt")
		if err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "f.txt"), err.Error())
			return
		}
		ids := map[string]bool{}
		for _, s := range srcs {
			assert.NotEmpty(t, s.Location)
			assert.False(t, ids[s.ID], "repeated id %q", s.ID)
			ids[s.ID] = true
		}
	})
}

func TestShardCount(t *testing.T) {
	tests := []struct{ fixed, files, per, most, want int }{
		{0, 0, 200, 64, 1},
		{0, 200, 200, 64, 1},
		{0, 201, 200, 64, 2},
		{0, 2040, 200, 64, 11},
		{0, 100000, 200, 64, 64},
		{5, 100000, 200, 64, 5},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, shardCount(tt.fixed, tt.files, tt.per, tt.most), "%+v", tt)
	}
}
