package redact

import (
	"bytes"
	"fmt"
	"maps"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	"github.com/spf13/viper"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
	glregexp "github.com/zricethezav/gitleaks/v8/regexp"
	"github.com/zricethezav/gitleaks/v8/report"
)

// gitleaksDefaults parses gitleaks' embedded default configuration once.
// gitleaks' global logger (package logging) is left as the program set it:
// at its default level, info, the detection paths this package runs log
// nothing (their messages, which may quote a secret, are debug and trace).
var gitleaksDefaults = sync.OnceValues(func() (config.Config, error) {
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

// secretEngine runs gitleaks detectors over a text without letting
// gitleaks' slow, prefix-less regexes see most of it:
//
//   - gitleaks' generic-api-key rule, whose keywords (key, token, auth…)
//     are everywhere in payment code, runs only on small windows around a
//     keyword followed within a few bytes by an assignment operator and a
//     value of ten or more token characters, a necessary condition of its
//     regex;
//   - the other rules with keywords run on segments made of the lines
//     holding one of their keywords and the lines a match can reach (as
//     many as the rule's regex can match newlines, see ruleReach), where
//     gitleaks' own keyword prefilter picks the few rules to run;
//   - rules without keywords run over the whole text.
//
// Rules scoped to file names (path rules) never fire, as texts are scanned
// without a name, and are left out.
type secretEngine struct {
	segmented *detect.Detector // rules with keywords but generic-api-key
	generic   *detect.Detector // gitleaks' own generic-api-key; nil if replaced
	isolated  *detect.Detector // rust-secret-literal, on its own lines
	whole     *detect.Detector // rules without keywords; nil if none
	keywords  *ahocorasick.Trie
	// genericShape is set when the generic rule's regex is gitleaks'
	// (genericRegex): its windows are then run only when a keyword in
	// them passes genericMatchable.
	genericShape bool
	// hitKind[i] says which detectors the trie's i-th keyword feeds.
	hitKind []keywordUse
	// shapes[i], when set, is a necessary condition of a match of the
	// segmented rules at a hit of the trie's i-th keyword (keywordShapes):
	// a segment holding no hit that passes is not run.
	shapes []func(text string, p, end int) bool
	rules  map[string]config.Rule // as run (see withoutLazyPrefix)
	// reference holds the rules as configured, for plainDetector.
	reference map[string]config.Rule
}

// keywordUse is what a keyword hit means to the engine.
type keywordUse struct {
	segmented bool  // a keyword of a rule run on line segments
	reach     reach // how far its segment extends
	generic   bool  // a keyword of the generic rule
	// isolated: a keyword of a rule run on the keyword's own lines
	// (isolatedReach) rather than on the merged segments.
	isolated      bool
	isolatedReach reach
}

// newSecretEngine combines gitleaks' default rules with the curated and
// user rules.
func newSecretEngine(extra []RuleSpec) (*secretEngine, error) {
	base, err := gitleaksDefaults()
	if err != nil {
		return nil, err
	}
	rules := maps.Clone(base.Rules)
	defaultGeneric, hasGeneric := rules[genericRule]
	if hasGeneric {
		// A bare UUID under a *_key name is an identifier far more often
		// than a secret (idempotency keys, test IDs); providers whose keys
		// are UUIDs have rules of their own that still fire.
		uuids := &config.Allowlist{Regexes: []*glregexp.Regexp{glregexp.MustCompile(uuidPattern)}}
		if err := uuids.Validate(); err != nil {
			return nil, fmt.Errorf("redact: %w", err)
		}
		defaultGeneric.Allowlists = append(slices.Clone(defaultGeneric.Allowlists), uuids)
		defaultGeneric = withWrappedValues(defaultGeneric)
		rules[genericRule] = defaultGeneric
	}
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
		switch {
		case spec.ID == "url-password" && spec.Regex == curatedRules[0].Regex:
			rule.Allowlists = []*config.Allowlist{urlTemplates}
		case spec.ID == rustLiteralRule && hasGeneric:
			rule.Allowlists = defaultGeneric.Allowlists
		}
		if err := rule.Validate(); err != nil {
			return nil, fmt.Errorf("redact: %w", err)
		}
		rules[spec.ID] = rule
	}

	e := &secretEngine{rules: map[string]config.Rule{}, reference: map[string]config.Rule{}}
	newConfig := func() config.Config {
		return config.Config{Rules: map[string]config.Rule{}, Keywords: map[string]struct{}{}, Allowlists: base.Allowlists}
	}
	segmented, generic, isolatedRules, whole := newConfig(), newConfig(), newConfig(), newConfig()
	uses := map[string]keywordUse{}
	for id, rule := range rules {
		if rule.Regex == nil || rule.Path != nil {
			continue // path rules: texts are scanned without a file name
		}
		e.reference[id] = rule
		if _, isDefault := base.Rules[id]; isDefault && id != genericRule {
			rule = withoutLazyPrefix(rule)
		}
		e.rules[id] = rule
		target, fastGeneric, isolated := &segmented, false, false
		switch {
		case len(rule.Keywords) == 0:
			target = &whole
		case id == genericRule && hasGeneric && rule.Regex == defaultGeneric.Regex:
			target, fastGeneric = &generic, true
		case id == rustLiteralRule:
			// Its keywords are common in Rust and its regex is slow: run it
			// on its own lines rather than on the merged segments.
			target, isolated = &isolatedRules, true
		}
		target.Rules[id] = rule
		for _, k := range rule.Keywords {
			target.Keywords[k] = struct{}{}
			u := uses[k]
			switch {
			case fastGeneric:
				u.generic = true
			case isolated:
				u.isolatedReach = u.isolatedReach.union(ruleReach(rule, k), u.isolated)
				u.isolated = true
			default:
				u.reach = u.reach.union(ruleReach(rule, k), u.segmented)
				u.segmented = true
			}
			uses[k] = u
		}
	}
	e.segmented = newDetector(segmented)
	if len(generic.Rules) > 0 {
		e.generic = newDetector(generic)
		e.genericShape = generic.Rules[genericRule].Regex.String() == genericRegex
	}
	if len(isolatedRules.Rules) > 0 {
		e.isolated = newDetector(isolatedRules)
	}
	if len(whole.Rules) > 0 {
		e.whole = newDetector(whole)
	}
	keywords := slices.Sorted(maps.Keys(uses))
	for _, k := range keywords {
		e.hitKind = append(e.hitKind, uses[k])
		e.shapes = append(e.shapes, e.keywordShape(segmented, k))
	}
	e.keywords = ahocorasick.NewTrieBuilder().AddStrings(keywords).Build()
	return e, nil
}

// genericGap is the part of gitleaks' generic regex between the operator
// and the value; genericWrappedGap also allows the value on the next line,
// indented, as rustfmt wraps `let api_key =\n        "…";`.
const (
	genericGap        = `[\x60'"\s=]{0,5}`
	genericWrappedGap = `[\x60'"\s=]{0,5}(?:[ \t]{0,40}[\x60'"]?)?`
	// genericGapBytes bounds the gap in assignmentEnd: 5+40+1.
	genericGapBytes = 46
)

// keywordShape returns the shape of keyword k (keywordShapes) if the
// segmented rules (cfg) that use k are the ones it was written for, with
// the same regexes, else nil.
func (e *secretEngine) keywordShape(cfg config.Config, k string) func(text string, p, end int) bool {
	shape, ok := keywordShapes[k]
	if !ok {
		return nil
	}
	n := 0
	for id, rule := range cfg.Rules {
		if !slices.Contains(rule.Keywords, k) {
			continue
		}
		n++
		if want, ok := shape.rules[id]; !ok || e.reference[id].Regex.String() != want {
			return nil
		}
	}
	if n != len(shape.rules) {
		return nil
	}
	return shape.fits
}

// genericRegex is gitleaks' generic-api-key regex (v8.30) with
// genericWrappedGap, the regex whose shape genericMatchable follows: a
// keyword, up to 20 of [ \t\w.-], up to 3 of [\s'"], an operator, the
// gap, a value and a terminator.
const genericRegex = `(?i)[\w.-]{0,50}?(?:access|auth|(?-i:[Aa]pi|API)|credential|creds|key|passw(?:or)?d|secret|token)` +
	`(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)` + genericWrappedGap +
	`([\w.=-]{10,150}|[a-z0-9][a-z0-9+/]{11,}={0,3})(?:[\x60'"\s;]|\\[nr]|$)`

// withWrappedValues returns the generic rule with genericGap widened to
// genericWrappedGap, if its regex has it.
func withWrappedValues(rule config.Rule) config.Rule {
	src := rule.Regex.String()
	if strings.Count(src, genericGap) != 1 {
		return rule
	}
	rule.Regex = glregexp.MustCompile(strings.Replace(src, genericGap, genericWrappedGap, 1))
	return rule
}

// lazyPrefix opens about a hundred gitleaks rules ("semi-generic" ones:
// prefix, identifier, operator, value). It only stretches the match to the
// left of the identifier, yet it keeps some fifty NFA threads alive at every
// word character, which makes those regexes the slowest part of a scan.
const lazyPrefix = `[\w.-]{0,50}?`

// withoutLazyPrefix returns rule with lazyPrefix removed from its regex.
// The secret (the capture group), its line and hence every check on it are
// unchanged: the prefix is optional and lazy, so the leftmost match still
// uses the same identifier. Only the match text is shorter, which matters
// to allow-lists that test the match (regexTarget "match"); rules that have
// one keep their regex.
func withoutLazyPrefix(rule config.Rule) config.Rule {
	src := rule.Regex.String()
	if !strings.Contains(src, lazyPrefix) {
		return rule
	}
	for _, a := range rule.Allowlists {
		if a.RegexTarget == "match" {
			return rule
		}
	}
	stripped := strings.ReplaceAll(src, lazyPrefix, "")
	if _, err := regexp.Compile(stripped); err != nil {
		return rule
	}
	rule.Regex = glregexp.MustCompile(stripped)
	return rule
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
	segs, windows, lines := e.segments(text)
	for _, seg := range segs {
		out = e.locate(out, e.segmented, text[seg.start:seg.end], seg.start)
	}
	for _, w := range windows {
		out = e.locate(out, e.generic, text[w.start:w.end], w.start)
	}
	for _, l := range lines {
		out = e.locate(out, e.isolated, text[l.start:l.end], l.start)
	}
	if e.whole != nil {
		out = e.locate(out, e.whole, text, 0)
	}
	return out
}

// segments returns the merged, sorted parts of text to run each detector
// on: segments for the segmented rules, windows for the generic rule and
// the lines of the isolated rules' keywords.
func (e *secretEngine) segments(text string) (segs, windows, lines []span) {
	buf := lowerPool.Get().(*[]byte)
	lower := appendASCIILower((*buf)[:0], text)
	defer func() {
		*buf = lower[:0]
		lowerPool.Put(buf)
	}()
	var values valueRuns
	untilFound := map[string]untilSearch{}
	// live are the keyword starts of the generic hits that pass
	// genericMatchable: a window holding none of them cannot match.
	var live []int
	// segLive are the keyword starts of the segmented hits that pass their
	// keyword's shape (or have none).
	var segLive []int
	e.keywords.Walk(lower, func(last, n, pattern int64) bool {
		p, end := int(last-n+1), int(last+1)
		use := e.hitKind[pattern]
		if use.segmented {
			segs = append(segs, span{start: lineStart(text, p, maxLookBehind), end: reachEnd(text, lower, end, use.reach, untilFound)})
			if shape := e.shapes[pattern]; shape == nil || shape(text, p, end) {
				segLive = append(segLive, p)
			}
		}
		if use.generic && e.generic != nil {
			if wend := values.assignmentEnd(text, end); wend >= 0 {
				windows = append(windows, span{start: prefixStart(text, p), end: wend})
				if e.genericShape && genericMatchable(text, end, &values) {
					live = append(live, p)
				}
			}
		}
		if use.isolated {
			lines = append(lines, span{start: lineStart(text, p, maxLookBehind), end: reachEnd(text, lower, end, use.isolatedReach, untilFound)})
		}
		return true
	})
	windows = mergeSegments(windows)
	if e.genericShape {
		windows = holding(windows, live)
	}
	return holding(mergeSegments(segs), segLive), windows, mergeSegments(lines)
}

// holding returns the spans of sorted, disjoint spans that hold one of
// the positions at, in place.
func holding(spans []span, at []int) []span {
	slices.Sort(at)
	kept := spans[:0]
	for _, s := range spans {
		i, _ := slices.BinarySearch(at, s.start)
		if i < len(at) && at[i] < s.end {
			kept = append(kept, s)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return kept
}

// genericMatchable reports whether gitleaks' generic regex (genericRegex)
// can match with its keyword ending at p, following the regex's shape
// exactly where assignmentEnd only looks for an operator byte nearby: up
// to 20 of [ \t\w.-] (never a newline or "::"), up to 3 of [\s'"], an
// operator, the gap, and a value that runs into a terminator (valueEnd).
// It is a necessary condition of a match, tested on the whole text: a
// window of it matches no more than the text does, as a window ends past
// a value's terminator, never inside a value.
func genericMatchable(text string, p int, vr *valueRuns) bool {
	for i := p; ; i++ { // i: the end of the [ \t\w.-]{0,20} run
		for j := i; j <= i+3 && j < len(text); j++ { // j: the end of [\s'"]{0,3}
			if j > i && !isGenericSpace(text[j-1]) {
				break
			}
			var ends [3]int
			for _, k := range operatorEnds(text, j, ends[:0]) {
				if genericValueAfter(text, k, vr) {
					return true
				}
			}
		}
		if i-p == 20 || i >= len(text) || !isGenericName(text[i]) {
			return false
		}
	}
}

// isGenericName is [ \t\w.-], the characters between the generic
// regex's keyword and its operator.
func isGenericName(c byte) bool {
	return isAlnum(c) || c == '_' || c == '.' || c == '-' || c == ' ' || c == '\t'
}

// isGenericSpace is [\s'"]: Go's \s (\t \n \f \r and space) and quotes.
func isGenericSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '\'' || c == '"'
}

// operatorEnds appends to out the ends of the generic regex's operators
// starting at j: =, >, :{1,3}=, ||, :, =>, ?= and ",".
func operatorEnds(text string, j int, out []int) []int {
	at := func(k int) byte {
		if k < len(text) {
			return text[k]
		}
		return 0
	}
	switch at(j) {
	case '=':
		out = append(out, j+1)
		if at(j+1) == '>' {
			out = append(out, j+2)
		}
	case '>', ',':
		out = append(out, j+1)
	case ':':
		out = append(out, j+1)
		for c := 1; c <= 3 && at(j+c-1) == ':'; c++ {
			if at(j+c) == '=' {
				out = append(out, j+c+1)
				break
			}
		}
	case '|':
		if at(j+1) == '|' {
			out = append(out, j+2)
		}
	case '?':
		if at(j+1) == '=' {
			out = append(out, j+2)
		}
	}
	return out
}

// genericValueAfter reports whether a generic value can start after the
// gap that follows an operator ending at k: the gap, genericWrappedGap, is
// up to 5 of [\x60'"\s=], then up to 40 of [ \t] and a quote; every
// value start it can reach (a superset: any place up to the furthest
// reach) is tried with valueEnd.
func genericValueAfter(text string, k int, vr *valueRuns) bool {
	last := k // the furthest value start
	for a := k; a <= k+5 && a <= len(text); a++ {
		if a > k && !isGenericGap(text[a-1]) {
			break
		}
		b := a
		for b < len(text) && b-a < 40 && (text[b] == ' ' || text[b] == '\t') {
			b++
		}
		if b < len(text) && (text[b] == '`' || text[b] == '\'' || text[b] == '"') {
			b++
		}
		last = max(last, b)
	}
	for v := k; v <= last && v < len(text); v++ {
		if vr.valueEnd(text, v) >= 0 {
			return true
		}
	}
	return false
}

// isGenericGap is [\x60'"\s=], the first part of the gap.
func isGenericGap(c byte) bool { return c == '`' || c == '=' || isGenericSpace(c) }

// lineStart returns the start of the line holding p, or p-limit on a very
// long line.
func lineStart(text string, p, limit int) int {
	lo := max(0, p-limit)
	return lo + strings.LastIndexByte(text[lo:p], '\n') + 1
}

// prefixStart returns where a generic match using the keyword at p can
// start: the rule's regex opens with up to 50 of [\w.-] before it.
func prefixStart(text string, p int) int {
	s := p
	for s > 0 && p-s < 50 && (isAlnum(text[s-1]) || text[s-1] == '_' || text[s-1] == '.' || text[s-1] == '-') {
		s--
	}
	return s
}

// assignmentEnd returns, for a keyword ending at p, the furthest place a
// match of gitleaks' generic rule can end, or -1 if it cannot match
// there. The regex goes on with up to 20 of [ \t\w.-] and 3 of [\s'"], an
// operator (= > : | ? , alone or doubled), the gap (genericWrappedGap), a value
// (10 to 150 of [\w.=-], or 12 or more base64 characters and up to three
// '=') and a terminator (quote, backtick, space, ';', an escaped \n or \r,
// or the end). This check is a superset of that (any operator byte within
// 26 bytes, a value starting within genericGapBytes+1 bytes after it and
// running into a terminator), cheap enough to run on every keyword hit.
func (vr *valueRuns) assignmentEnd(text string, p int) int {
	end := -1
	for o := p; o < min(len(text), p+26); o++ {
		if strings.IndexByte("=>:|?,", text[o]) < 0 {
			continue
		}
		for v := o + 1; v < min(len(text), o+2+genericGapBytes); v++ {
			end = max(end, vr.valueEnd(text, v))
		}
	}
	return end
}

// valueRuns remembers the last run of each kind of value character seen,
// so that the many value starts tried inside one long run cost one scan.
type valueRuns struct {
	plain, base64 span // [start, end) of the last run; end 0: none
}

// valueEnd returns the end (past its terminator) of a generic value
// starting at v, or -1.
func (vr *valueRuns) valueEnd(text string, v int) int {
	end := -1
	r := vr.plain.end
	if v < vr.plain.start || v >= r {
		r = v
		for r < len(text) && (isAlnum(text[r]) || strings.IndexByte("_.=-", text[r]) >= 0) {
			r++
		}
		vr.plain = span{start: v, end: r}
	}
	if r-v >= 10 {
		end = terminatorEnd(text, r)
	}
	r = vr.base64.end
	if v < vr.base64.start || v >= r {
		r = v
		for r < len(text) && (isAlnum(text[r]) || text[r] == '+' || text[r] == '/') {
			r++
		}
		for n := 0; n < 3 && r < len(text) && text[r] == '='; n++ {
			r++
		}
		vr.base64 = span{start: v, end: r}
	}
	if r-v >= 12 {
		end = max(end, terminatorEnd(text, r))
	}
	return end
}

// terminatorEnd returns the end of a generic value's terminator at r, or
// -1 if there is none.
func terminatorEnd(text string, r int) int {
	if r >= len(text) {
		return r
	}
	switch text[r] {
	case '`', '\'', '"', ';', ' ', '\t', '\n', '\r', '\v', '\f':
		return r + 1
	case '\\':
		if r+1 < len(text) && (text[r+1] == 'n' || text[r+1] == 'r') {
			return r + 2
		}
	}
	return -1
}

// mergeSegments sorts spans and merges the overlapping ones.
func mergeSegments(segs []span) []span {
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
// lower is text with ASCII letters lower-cased; untilFound carries the
// searches for each untilLine from hit to hit (hits come in order), so
// that many hits before one END line scan the text once.
func reachEnd(text string, lower []byte, p int, r reach, untilFound map[string]untilSearch) int {
	limit := min(len(text), p+maxReach)
	switch {
	case r.untilLine != "":
		st, ok := untilFound[r.untilLine]
		if !ok || st.at < p {
			from := max(p, st.clear)
			st.at, st.clear = -1, max(from, limit-len(r.untilLine)+1)
			if i := bytes.Index(lower[from:limit], []byte(r.untilLine)); i >= 0 {
				st.at, st.clear = from+i, from+i
			}
			untilFound[r.untilLine] = st
		}
		if st.at >= 0 && st.at < limit {
			return lineEnd(text, st.at, limit)
		}
		return limit
	case r.unbounded:
		return limit
	}
	end := lineEnd(text, p, limit)
	for range r.lines {
		if end >= limit {
			break
		}
		end = lineEnd(text, end+1, limit)
	}
	return end
}

// ruleReach returns how far past the line of its keyword k a match of rule
// can end: a fixed reach for a few keywords, otherwise as many lines as the
// regex can match newlines.
func ruleReach(rule config.Rule, k string) reach {
	if r, ok := keywordReach[k]; ok {
		return r
	}
	re, err := syntax.Parse(rule.Regex.String(), syntax.Perl)
	if err != nil {
		return reach{unbounded: true}
	}
	n, bounded := maxNewlines(re)
	return reach{lines: n, unbounded: !bounded}
}

// union returns the reach covering both r and o; r counts only if set.
func (r reach) union(o reach, set bool) reach {
	if !set {
		return o
	}
	if r.unbounded || o.unbounded || (r.untilLine != "") != (o.untilLine != "") {
		return reach{unbounded: true}
	}
	r.lines = max(r.lines, o.lines)
	return r
}

// maxNewlines returns how many newlines a match of re can contain, or
// bounded false if there is no limit.
func maxNewlines(re *syntax.Regexp) (n int, bounded bool) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, c := range re.Rune {
			if c == '\n' {
				n++
			}
		}
		return n, true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				return 1, true
			}
		}
		return 0, true
	case syntax.OpAnyChar:
		return 1, true
	case syntax.OpCapture, syntax.OpQuest:
		return maxNewlines(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			m, ok := maxNewlines(sub)
			if !ok {
				return 0, false
			}
			n += m
		}
		return n, true
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			m, ok := maxNewlines(sub)
			if !ok {
				return 0, false
			}
			n = max(n, m)
		}
		return n, true
	case syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		m, ok := maxNewlines(re.Sub[0])
		switch {
		case !ok:
			return 0, false
		case m == 0:
			return 0, true
		case re.Op != syntax.OpRepeat || re.Max < 0:
			return 0, false
		}
		return m * re.Max, true
	}
	return 0, true // empty-width assertions, AnyCharNotNL, empty match
}

// untilSearch is the state of the search for a reach's untilLine.
type untilSearch struct {
	at    int // where it was found last, or -1
	clear int // no occurrence starts in [the last search's start, clear)
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
	var newlines []int // built on the first finding
	for _, f := range d.DetectString(seg) {
		rule, ok := e.rules[f.RuleID]
		if !ok || f.Match == "" || rule.Regex == nil {
			continue
		}
		a, b := secretWithin(rule, f.Match, f.Secret)
		if newlines == nil {
			newlines = newlineIndex(seg)
		}
		if m, ok := matchStart(seg, f, newlines); ok {
			out = append(out, span{start: offset + m + a, end: offset + m + b, rule: f.RuleID})
			continue
		}
		for from := 0; ; { // unexpected position: take every occurrence
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

// newlineIndex returns the positions of the newlines in s (non-nil).
func newlineIndex(s string) []int {
	nl := []int{}
	for i := 0; ; {
		j := strings.IndexByte(s[i:], '\n')
		if j < 0 {
			return nl
		}
		nl = append(nl, i+j)
		i += j + 1
	}
}

// matchStart returns where a finding's match starts in seg, from gitleaks'
// line and column: a column counts from the newline that ends the previous
// line, so on line k > 0 the match starts at newlines[k-1] + column - 1 (a
// match that began with newlines, which gitleaks trims, starts a little
// later).
func matchStart(seg string, f report.Finding, newlines []int) (int, bool) {
	base := 0
	if f.StartLine > 0 {
		if f.StartLine > len(newlines) {
			return 0, false
		}
		base = newlines[f.StartLine-1]
	}
	for c := base + f.StartColumn - 1; c <= base+f.StartColumn+2 && c <= len(seg); c++ {
		if c >= 0 && strings.HasPrefix(seg[c:], f.Match) {
			return c, true
		}
	}
	return 0, false
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

// appendASCIILower appends s to b with its ASCII letters lower-cased
// only, so that byte offsets are kept.
func appendASCIILower(b []byte, s string) []byte {
	n := len(b)
	b = append(b, s...)
	for i, c := range b[n:] {
		if 'A' <= c && c <= 'Z' {
			b[n+i] = c + 'a' - 'A'
		}
	}
	return b
}

// lowerPool holds the buffers of the lower-cased texts segments searches
// (as long as the texts, for the length of one call).
var lowerPool = sync.Pool{New: func() any { return new([]byte) }}

// plainFind runs one gitleaks detector holding every active rule over the
// whole text: the straightforward use of gitleaks, kept as the reference
// that the tests compare find with and the baseline of the benchmark.
func (e *secretEngine) plainFind(d *detect.Detector, text string) []span {
	return e.locate(nil, d, text, 0)
}

// plainDetector builds the detector plainFind uses.
func (e *secretEngine) plainDetector() *detect.Detector {
	base, _ := gitleaksDefaults()
	cfg := config.Config{Rules: e.reference, Keywords: map[string]struct{}{}, Allowlists: base.Allowlists}
	for _, r := range e.reference {
		for _, k := range r.Keywords {
			cfg.Keywords[k] = struct{}{}
		}
	}
	return newDetector(cfg)
}
