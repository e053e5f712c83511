package dataset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExcludeList(t *testing.T) {
	list := `# benchmark instances
juspay/hyperswitch#1234
https://github.com/juspay/hyperswitch/issues/77
https://github.com/BurntSushi/ripgrep/pull/2001/
https://gitlab.com/group/sub/proj/-/merge_requests/5
1a2b3c4d
https://github.com/launchbadge/sqlx/commit/ABCDEF0123456789abcdef0123456789ABCDEF01
`
	l, err := ParseExcludeList(strings.NewReader(list), "exclude.txt")
	require.NoError(t, err)
	assert.Equal(t, 6, l.Len())
	tests := []struct {
		name string
		md   MergedMetadata
		want bool
	}{
		{"PR", MergedMetadata{Repo: "Juspay/Hyperswitch", PRNumber: 1234}, true},
		{"PR of another repository", MergedMetadata{Repo: "acme/hyperswitch", PRNumber: 1234}, false},
		{"linked issue", MergedMetadata{Repo: "juspay/hyperswitch", PRNumber: 5, LinkedIssues: []int{3, 77}}, true},
		{"PR URL", MergedMetadata{Repo: "BurntSushi/ripgrep", PRNumber: 2001}, true},
		{"merge request URL", MergedMetadata{Repo: "group/sub/proj", PRNumber: 5}, true},
		{"short SHA of a commit", MergedMetadata{Repo: "x/y", Commits: []string{"ffff", "1a2b3c4d5e6f"}}, true},
		{"commit URL, merge commit", MergedMetadata{Repo: "x/y", MergeCommit: "abcdef0123456789abcdef0123456789abcdef01"}, true},
		{"nothing listed", MergedMetadata{Repo: "juspay/hyperswitch", PRNumber: 1235, Commits: []string{"1a2b3c4e"}}, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, l.Match(&tt.md), tt.name)
	}
	var none *ExcludeList
	assert.False(t, none.Match(&MergedMetadata{}))
}

func TestExcludeListErrors(t *testing.T) {
	tests := []struct{ name, text, err string }{
		{"bare number", "ok/r#1\n\n#1234\n1234\n", "exclude.txt:4: \"1234\": want owner/repo#N"},
		{"number without repository", "hyperswitch#12\n", "exclude.txt:1: \"hyperswitch#12\""},
		{"URL of a file", "https://github.com/o/r/blob/main/x.rs\n", "exclude.txt:1:"},
		{"commit URL without a SHA", "https://github.com/o/r/commit/main\n", "exclude.txt:1:"},
		{"line too long", strings.Repeat("a", 2<<20), "exclude.txt: bufio.Scanner: token too long"},
	}
	for _, tt := range tests {
		_, err := ParseExcludeList(strings.NewReader(tt.text), "exclude.txt")
		assert.ErrorContains(t, err, tt.err, tt.name)
	}
	_, err := ReadExcludeList(filepath.Join(t.TempDir(), "missing.txt"))
	assert.ErrorContains(t, err, "dataset: exclude list: open ")
}

func TestBenchmark(t *testing.T) {
	statement := "When a refund webhook arrives with status canceled the connector fails to deserialize the body and the refund stays pending forever."
	bench := `{"instance_id": "a__b-1", "problem_statement": ` + jsonString(statement) + `}

{"text": "short text"}
`
	b, err := ParseBenchmark(strings.NewReader(bench), "bench.jsonl", nil, 0)
	require.NoError(t, err)
	assert.Equal(t, 2, b.Texts())
	assert.Equal(t, 21-13+1, b.NGrams(), "a text shorter than n words has none")
	tests := []struct {
		name, prompt string
		want         bool
	}{
		{"copied with other case and punctuation", "Bug: when a REFUND webhook arrives, with status `canceled`, the connector fails to deserialize the body!", true},
		{"12 shared words only", "x when a refund webhook arrives with status canceled the connector fails to y", false},
		{"short benchmark text never matches", "short text", false},
		{"unrelated", "Add a payments list endpoint with offset pagination", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, b.Contaminated(tt.prompt), tt.name)
	}
	b3, err := ParseBenchmark(strings.NewReader(`{"body": "one two three four"}`), "b", []string{"title", "body"}, 3)
	require.NoError(t, err)
	assert.True(t, b3.Contaminated("ONE two, three"))
	var none *Benchmark
	assert.False(t, none.Contaminated(statement))
}

func TestBenchmarkErrors(t *testing.T) {
	tests := []struct{ name, text, err string }{
		{"not JSON", "{\"text\": \"a\"}\n{text: b}\n", "bench.jsonl:2: not a JSON object"},
		{"an array", "[1, 2]\n", "bench.jsonl:1: not a JSON object"},
		{"null", "null\n", "bench.jsonl:1: not a JSON object"},
		{"no text field", "{\"text\": \"a\"}\n\n{\"title\": \"b\"}\n", "bench.jsonl:3: none of the text fields problem_statement, text"},
		{"field not a string", "{\"problem_statement\": 3}\n", `bench.jsonl:1: field "problem_statement" is not a string`},
		{"empty", "\n\n", "bench.jsonl: no benchmark records"},
	}
	for _, tt := range tests {
		_, err := ParseBenchmark(strings.NewReader(tt.text), "bench.jsonl", nil, 13)
		assert.ErrorContains(t, err, tt.err, tt.name)
	}
	dir := t.TempDir()
	_, err := ReadBenchmark(filepath.Join(dir, "missing.jsonl"), nil, 13)
	assert.ErrorContains(t, err, "dataset: benchmark: open ")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.jsonl"), []byte(`{"text": "a b"}`), 0o644))
	_, err = ReadBenchmark(filepath.Join(dir, "b.jsonl"), nil, 13)
	assert.NoError(t, err, "a last line without a newline")
}

func jsonString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func FuzzParseExcludeList(f *testing.F) {
	for _, s := range []string{"o/r#1\n", "# c\n1a2b3c4d\n", "https://github.com/o/r/pull/3\n", "https://x/-/merge_requests/0", "#\n\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseExcludeList(strings.NewReader(s), "f")
		if err == nil {
			l.Match(&MergedMetadata{Repo: "o/r", PRNumber: 1, Commits: []string{"1a2b3c4d"}})
		}
	})
}

func FuzzParseBenchmark(f *testing.F) {
	for _, s := range []string{`{"text": "a b c d"}`, "{\"problem_statement\": \"x\"}\n\n", "[]", "{", `{"text": 1}`} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		b, err := ParseBenchmark(strings.NewReader(s), "f", nil, n%20)
		if err == nil {
			b.Contaminated(s)
		}
	})
}
