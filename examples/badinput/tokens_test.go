package badinput_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The row of issue 12's case 10: token counting was quadratic in a text's
// length (a 400 KB commit message cost 88 s in the merge stage, 1 MB would
// cost about ten minutes and hit the table's two-minute limit); now it is
// linear and the run takes about a second.
func init() { badInputs = append(badInputs, tokenInputs...) }

var tokenInputs = []badInput{
	{
		name: "sftforge: a 1 MB commit message is counted in linear time",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			body := strings.Repeat("The merchant wants to search customers by their identifier and see the payments of each. ", 11000)
			repo := gitRepoWith(f, func(i int) (string, time.Time) {
				if i == 1 {
					return "Add customer search\n\n" + body, time.Unix(1700000060, 0)
				}
				return "Start the crate", time.Unix(1700000000, 0)
			}, "pub fn a() {}\n", "pub fn a() {}\npub fn search_customers() {}\n")
			return invocation{Args: []string{"--repo", repo, "-o", f.Path("out"), "--min-identifiers", "1"}}
		},
		code: 0,
		check: func(t *testing.T, f *fixture) {
			b, err := os.ReadFile(f.Path("out", "merged_dataset.jsonl"))
			require.NoError(t, err)
			var rec struct {
				Prompt   string `json:"prompt"`
				Metadata struct {
					PromptTokens int `json:"prompt_tokens"`
				} `json:"metadata"`
			}
			require.NoError(t, json.Unmarshal([]byte(strings.SplitN(string(b), "\n", 2)[0]), &rec))
			assert.Greater(t, len(rec.Prompt), 900_000, "the whole message is the prompt")
			assert.Greater(t, rec.Metadata.PromptTokens, 150_000, "and every token of it is counted")
		},
	},
}
