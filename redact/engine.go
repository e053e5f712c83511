package redact

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	"github.com/rs/zerolog"
	"github.com/spf13/viper"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/logging"
	glregexp "github.com/zricethezav/gitleaks/v8/regexp"
)

// gitleaksDefaults parses gitleaks' embedded default configuration once.
// It also silences gitleaks' global zerolog logger: at trace level it logs
// the secrets it skips, and this package's callers log with log/slog.
var gitleaksDefaults = sync.OnceValues(func() (config.Config, error) {
	logging.Logger = zerolog.Nop()
	v := viper.New() // a private instance: viper's global one is not safe to share
	v.SetConfigType("toml")
	if err := v.ReadConfig(strings.NewReader(config.DefaultConfig)); err != nil {
		return config.Config{}, fmt.Errorf("redact: gitleaks default config: %w", err)
	}
	var vc config.ViperConfig
	if err := v.Unmarshal(&vc); err != nil {
		return config.Config{}, fmt.Errorf("redact: gitleaks default config: %w", err)
	}
	cfg, err := vc.Translate()
	if err != nil {
		return config.Config{}, fmt.Errorf("redact: gitleaks default config: %w", err)
	}
	return cfg, nil
})

// secretEngine runs gitleaks detectors over a text. Rules with keywords run
// only on segments around keyword hits (lines holding a keyword and the two
// after), which lets gitleaks' own keyword prefilter skip most rules and
// keeps its slow, prefix-less regexes off the bulk of the text; rules
// without keywords run over the whole text.
type secretEngine struct {
	segmented *detect.Detector // rules with keywords
	whole     *detect.Detector // rules without keywords; nil if none
	keywords  *ahocorasick.Trie
	rules     map[string]config.Rule
	// keywordReach[i] is how far a hit of the trie's i-th keyword reaches.
	keywordReach []reach
}

// newSecretEngine combines gitleaks' default rules with the curated and
// user rules.
func newSecretEngine(extra []RuleSpec) (*secretEngine, error) {
	base, err := gitleaksDefaults()
	if err != nil {
		return nil, err
	}
	rules := maps.Clone(base.Rules)
	urlTemplates := &config.Allowlist{Regexes: []*glregexp.Regexp{glregexp.MustCompile(urlPasswordTemplates)}}
	for _, spec := range slices.Concat(curatedRules, extra) {
		if _, err := spec.validate(); err != nil {
			return nil, fmt.Errorf("redact: %w", err)
		}
		rule := config.Rule{
			RuleID:      spec.ID,
			Description: spec.Description,
			Entropy:     spec.Entropy,
			SecretGroup: spec.SecretGroup,
			Regex:       glregexp.MustCompile(spec.Regex),
		}
		for _, k := range spec.Keywords {
			rule.Keywords = append(rule.Keywords, strings.ToLower(k))
		}
		if spec.ID == "url-password" && spec.Regex == curatedRules[0].Regex {
			rule.Allowlists = []*config.Allowlist{urlTemplates}
		}
		if err := rule.Validate(); err != nil {
			return nil, fmt.Errorf("redact: %w", err)
		}
		rules[spec.ID] = rule
	}

	e := &secretEngine{rules: rules}
	segmented := config.Config{Rules: map[string]config.Rule{}, Keywords: map[string]struct{}{}, Allowlists: base.Allowlists}
	whole := config.Config{Rules: map[string]config.Rule{}, Keywords: map[string]struct{}{}, Allowlists: base.Allowlists}
	for id, rule := range rules {
		if rule.Regex == nil {
			continue // path-only rules: texts are scanned without a file name
		}
		if len(rule.Keywords) == 0 {
			whole.Rules[id] = rule
			continue
		}
		segmented.Rules[id] = rule
		for _, k := range rule.Keywords {
			segmented.Keywords[k] = struct{}{}
		}
	}
	e.segmented = newDetector(segmented)
	if len(whole.Rules) > 0 {
		e.whole = newDetector(whole)
	}
	keywords := slices.Sorted(maps.Keys(segmented.Keywords))
	for _, k := range keywords {
		e.keywordReach = append(e.keywordReach, keywordReach[k])
	}
	e.keywords = ahocorasick.NewTrieBuilder().AddStrings(keywords).Build()
	return e, nil
}

func newDetector(cfg config.Config) *detect.Detector {
	d := detect.NewDetector(cfg)
	d.IgnoreGitleaksAllow = true // in-repo annotations must not let a secret through
	d.MaxDecodeDepth = 0
	return d
}

// find returns the spans of the secrets in text, unsorted, possibly
// overlapping.
func (e *secretEngine) find(text string) []span {
	var out []span
	for _, seg := range e.segments(text) {
		out = e.locate(out, e.segmented, text[seg.start:seg.end], seg.start)
	}
	if e.whole != nil {
		out = e.locate(out, e.whole, text, 0)
	}
	return out
}

// segments returns the merged, sorted parts of text that can hold a match
// of a rule with keywords.
func (e *secretEngine) segments(text string) []span {
	var segs []span
	e.keywords.Walk(asciiLowerBytes(text), func(last, n, pattern int64) bool {
		p, end := int(last-n+1), int(last+1)
		lo := max(0, p-maxLookBehind)
		start := lo + strings.LastIndexByte(text[lo:p], '\n') + 1
		segs = append(segs, span{start: start, end: e.reachEnd(text, end, e.keywordReach[pattern])})
		return true
	})
	if len(segs) == 0 {
		return nil
	}
	slices.SortFunc(segs, func(a, b span) int { return a.start - b.start })
	merged := segs[:1]
	for _, s := range segs[1:] {
		last := &merged[len(merged)-1]
		if s.start <= last.end {
			last.end = max(last.end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// reachEnd returns where the segment for a keyword hit ending at p ends.
func (e *secretEngine) reachEnd(text string, p int, r reach) int {
	limit := min(len(text), p+maxReach)
	if r.untilLine != "" {
		if i := indexASCIIFold(text[p:limit], r.untilLine); i >= 0 {
			return lineEnd(text, p+i, limit)
		}
		return limit
	}
	lines := r.lines
	if lines == 0 {
		lines = defaultReachLines
	}
	end := lineEnd(text, p, limit)
	for range lines {
		if end >= limit {
			break
		}
		end = lineEnd(text, end+1, limit)
	}
	return end
}

// lineEnd returns the index of the first newline at or after p (or limit).
func lineEnd(text string, p, limit int) int {
	if p >= limit {
		return limit
	}
	if i := strings.IndexByte(text[p:limit], '\n'); i >= 0 {
		return p + i
	}
	return limit
}

// locate runs d over seg (which starts at offset in the whole text) and
// appends the spans of the secrets it finds.
func (e *secretEngine) locate(out []span, d *detect.Detector, seg string, offset int) []span {
	for _, f := range d.DetectString(seg) {
		rule, ok := e.rules[f.RuleID]
		if !ok || f.Match == "" || rule.Regex == nil {
			continue
		}
		a, b := secretWithin(rule, f.Match, f.Secret)
		for from := 0; ; {
			i := strings.Index(seg[from:], f.Match)
			if i < 0 {
				break
			}
			m := offset + from + i
			out = append(out, span{start: m + a, end: m + b, rule: f.RuleID})
			from += i + len(f.Match)
		}
	}
	return out
}

// secretWithin returns where the secret lies in a rule's match, choosing the
// capture group the way gitleaks does: the rule's secret group, else the
// first non-empty group, else the whole match.
func secretWithin(rule config.Rule, match, secret string) (int, int) {
	if loc := rule.Regex.FindStringSubmatchIndex(match); loc != nil {
		a, b := 0, len(match)
		if g := rule.SecretGroup; g > 0 && 2*g+1 < len(loc) && loc[2*g] >= 0 {
			a, b = loc[2*g], loc[2*g+1]
		} else if g == 0 {
			for i := 2; i+1 < len(loc); i += 2 {
				if loc[i] >= 0 && loc[i+1] > loc[i] {
					a, b = loc[i], loc[i+1]
					break
				}
			}
		}
		if match[a:b] == secret {
			return a, b
		}
	}
	if i := strings.LastIndex(match, secret); i >= 0 && secret != "" {
		return i, i + len(secret)
	}
	return 0, len(match)
}

// ruleIDs lists the secret rules in effect, sorted.
func (e *secretEngine) ruleIDs() []string {
	var ids []string
	for id, r := range e.rules {
		if r.Regex != nil {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// asciiLowerBytes lower-cases ASCII letters only, so byte offsets are kept.
func asciiLowerBytes(s string) []byte {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

// indexASCIIFold is strings.Index ignoring ASCII case; lower is lower case.
func indexASCIIFold(s, lower string) int {
	for i := 0; i+len(lower) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(lower)], lower) {
			return i
		}
	}
	return -1
}
