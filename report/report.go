// Package report renders a dataset's report.html: one self-contained page
// (no network, no script, no CDN; every chart an inline SVG built here) a
// person would rather look at than read. It shows the records over time,
// the layers by frequency and how often they occur together, feature types
// by action, prompt and response token histograms with the budget marked,
// identifier kinds, match methods, what was filtered and why, what was
// removed from prompts, and a few example records.
//
// The package knows nothing of the dataset's types: a caller turns each
// record into a small [Record] and adds it to a [Summary], which keeps
// counts (and the token counts of each record), and can be merged with
// another Summary (a combiner on a cluster). [Render] writes the page.
package report

import (
	"hash/fnv"
	"slices"
	"strings"
)

// MaxExamples is how many example records a page shows.
const MaxExamples = 3

// maxExampleText bounds the prompt and the response an example shows.
const maxExampleText = 3000

// Record is what the report needs of one dataset record.
type Record struct {
	// Key identifies the record (a PR number, a commit); the examples
	// are the records with the smallest hashes of their keys, so the
	// choice does not depend on the order records are added in.
	Key string
	// Title is the record's title (a PR title or commit subject).
	Title string
	// Date is the merge date, RFC 3339 or YYYY-MM-DD; its month places
	// the record on the timeline ("" leaves it off).
	Date string
	// Layers are the architectural layers the change touches.
	Layers []string
	// FeatureType and Action are the detected intent ("" is "none").
	FeatureType, Action string
	// PromptTokens and ResponseTokens are the texts' token counts.
	PromptTokens, ResponseTokens int
	// IdentifierKinds holds the kind of each identifier change
	// ("function", "struct"…).
	IdentifierKinds []string
	// MatchMethod is how the record's PR was matched to commits.
	MatchMethod string
	// Prompt and Response are shown when the record is an example.
	Prompt, Response string
}

// Example is a record the page shows in full (texts cut at a few
// thousand characters).
type Example struct {
	Key      string `json:"key"`
	Title    string `json:"title"`
	Date     string `json:"date"`
	Prompt   string `json:"prompt"`
	Response string `json:"response"`
	Rank     uint64 `json:"rank"` // the hash of Key: the smallest are kept
}

// Summary is what a page shows, accumulated from records. Its zero value is
// ready to use; it is JSON-encodable and [Summary.Merge] adds another.
type Summary struct {
	Records int `json:"records"`
	// Months counts records by month ("2024-03").
	Months map[string]int `json:"months"`
	// Layers counts records by layer; LayerPairs records with both layers
	// of a pair ("a\tb", a < b).
	Layers     map[string]int `json:"layers"`
	LayerPairs map[string]int `json:"layer_pairs"`
	// FeatureActions counts records by "feature type\taction".
	FeatureActions map[string]int `json:"feature_actions"`
	// IdentifierKinds counts identifier changes by kind.
	IdentifierKinds map[string]int `json:"identifier_kinds"`
	MatchMethods    map[string]int `json:"match_methods"`
	PromptTokens    []int          `json:"prompt_tokens"`
	ResponseTokens  []int          `json:"response_tokens"`
	// Filtered counts the records filtered out, by reason; PromptSections
	// the sections removed from prompts, by kind. Callers set them from
	// the run's counts ([Summary.AddCounts]).
	Filtered       map[string]int `json:"filtered"`
	PromptSections map[string]int `json:"prompt_sections"`
	Examples       []Example      `json:"examples"`
}

func inc(m *map[string]int, k string, n int) {
	if *m == nil {
		*m = map[string]int{}
	}
	(*m)[k] += n
}

func addAll(dst *map[string]int, src map[string]int) {
	for k, v := range src {
		inc(dst, k, v)
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// Add counts one record.
func (s *Summary) Add(r *Record) {
	s.Records++
	if len(r.Date) >= 7 {
		inc(&s.Months, r.Date[:7], 1)
	}
	layers := slices.Clone(r.Layers)
	slices.Sort(layers)
	layers = slices.Compact(layers)
	for i, a := range layers {
		inc(&s.Layers, a, 1)
		for _, b := range layers[i+1:] {
			inc(&s.LayerPairs, a+"\t"+b, 1)
		}
	}
	inc(&s.FeatureActions, orNone(r.FeatureType)+"\t"+orNone(r.Action), 1)
	for _, k := range r.IdentifierKinds {
		inc(&s.IdentifierKinds, k, 1)
	}
	inc(&s.MatchMethods, orNone(r.MatchMethod), 1)
	s.PromptTokens = append(s.PromptTokens, r.PromptTokens)
	s.ResponseTokens = append(s.ResponseTokens, r.ResponseTokens)
	s.addExamples(Example{Key: r.Key, Title: r.Title, Date: r.Date, Prompt: cut(r.Prompt), Response: cut(r.Response),
		Rank: rank(r.Key)})
}

// AddCounts adds the counts of filtered records and of sections removed
// from prompts (one run's, or one repository's).
func (s *Summary) AddCounts(filtered, promptSections map[string]int) {
	addAll(&s.Filtered, filtered)
	addAll(&s.PromptSections, promptSections)
}

// Merge adds another summary into s.
func (s *Summary) Merge(o *Summary) {
	s.Records += o.Records
	addAll(&s.Months, o.Months)
	addAll(&s.Layers, o.Layers)
	addAll(&s.LayerPairs, o.LayerPairs)
	addAll(&s.FeatureActions, o.FeatureActions)
	addAll(&s.IdentifierKinds, o.IdentifierKinds)
	addAll(&s.MatchMethods, o.MatchMethods)
	s.PromptTokens = append(s.PromptTokens, o.PromptTokens...)
	s.ResponseTokens = append(s.ResponseTokens, o.ResponseTokens...)
	s.AddCounts(o.Filtered, o.PromptSections)
	s.addExamples(o.Examples...)
}

// addExamples keeps the MaxExamples examples of smallest rank (then key).
func (s *Summary) addExamples(es ...Example) {
	s.Examples = append(s.Examples, es...)
	slices.SortFunc(s.Examples, func(a, b Example) int {
		switch {
		case a.Rank != b.Rank:
			if a.Rank < b.Rank {
				return -1
			}
			return 1
		case a.Key != b.Key:
			return strings.Compare(a.Key, b.Key)
		case a.Title != b.Title:
			return strings.Compare(a.Title, b.Title)
		default:
			return strings.Compare(a.Prompt+"\x00"+a.Response, b.Prompt+"\x00"+b.Response)
		}
	})
	s.Examples = slices.CompactFunc(s.Examples, func(a, b Example) bool { return a == b })
	if len(s.Examples) > MaxExamples {
		s.Examples = slices.Clip(s.Examples[:MaxExamples])
	}
}

func rank(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}

// cut shortens a text to maxExampleText bytes at a rune boundary.
func cut(s string) string {
	if len(s) <= maxExampleText {
		return s
	}
	i := maxExampleText
	for i > 0 && !isRuneStart(s[i]) {
		i--
	}
	return s[:i] + "\n…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
