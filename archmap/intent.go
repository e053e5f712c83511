package archmap

import (
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Category is one value of a taxonomy dimension, such as the feature type
// "documentation" or the action "fix_bug".
type Category struct {
	// ID is the value reported in [Intent].
	ID string `json:"id" yaml:"id"`
	// Names are accepted verbatim (after normalising case and separators, so
	// "Payment-Methods" equals "payment_methods") from ticked template boxes,
	// labels (a short prefix such as "A-" or "type:" is ignored),
	// conventional-commit types and scopes, and crate and layer names. The ID
	// is always a name.
	Names []string `json:"names,omitempty" yaml:"names"`
	// Keywords are words or phrases searched on word boundaries in titles,
	// commit subjects and descriptions. A trailing plural "s"/"es"/"ies" in
	// the text still matches: "refund" finds "refunds".
	Keywords []string `json:"keywords,omitempty" yaml:"keywords"`
	// Verbs decide an action when one starts a title, after any
	// conventional-commit prefix ("Fix …", "Bump …", "Rename …").
	Verbs []string `json:"verbs,omitempty" yaml:"verbs"`
	// Objects decide an action when one follows a title's verb closely:
	// "Fix typo" is docs, "Add tests" test, "Update dependencies" deps.
	Objects []string `json:"objects,omitempty" yaml:"objects"`
}

// Taxonomy is the intent vocabulary: plain data that users extend with
// [Taxonomy.Extend] or a rules file.
type Taxonomy struct {
	// FeatureTypes in priority order: when several match at the same level
	// of trust, the earlier one wins, so cross-cutting kinds (webhook,
	// search_filter) precede the entities they apply to (refund, payment).
	FeatureTypes []Category `json:"feature_types" yaml:"feature_types"`
	// Actions; among keyword matches the one found earliest in the text wins
	// ("Fix … add …" is a fix), ties broken by order.
	Actions []Category `json:"actions" yaml:"actions"`
	// Entities; every entity found is reported, in taxonomy order.
	Entities []Category `json:"entities" yaml:"entities"`
}

// IntentInput is what a change says about itself, and where it is.
type IntentInput struct {
	// Title is the pull request title, or the commit subject.
	Title string
	// Body is the pull request description, possibly a filled-in template.
	Body string
	// Labels are the pull request's labels.
	Labels []string
	// Subjects are the subjects of the change's commits.
	Subjects []string
	// Areas are the parts of the repository the change touches, with how
	// many of its files each holds; see [PathArea] and [CountAreas].
	Areas []Area
	// Project is the word the repository's crate names start with
	// ("sqlx" for sqlx-core, sqlx-postgres…; see [CratePrefix]): it is
	// dropped from crate names and scopes, so "sqlx-postgres" is "postgres".
	Project string
	// SplitCrates are crates that carry much of the repository's code (see
	// [LargeCrates]): their top-level modules, not the crate, name the
	// area ("router/src/core/refunds.rs" is about refunds, not the router).
	SplitCrates []string
	// Identifiers counts the change's identifier changes by operation: the
	// last evidence of its action when its words name none (mostly added:
	// add_feature; mostly removed: refactor; else enhance).
	Identifiers IdentifierCounts
}

// IdentifierCounts counts identifier changes by operation.
type IdentifierCounts struct {
	Added, Removed, Modified int
}

// Area is a part of the repository that a change touches: a crate and the
// module inside it, or, for files outside crates and files that are not
// source code (documentation, CI, manifests), a layer.
type Area struct {
	// Crate is the crate's name ("sqlx-postgres", "hir-def"; the crate
	// directory's name when the manifest is not at hand), "" outside crates.
	Crate string `json:"crate"`
	// Module is the path inside the crate, from its src/ (or tests/,
	// benches/, examples/) directory: "src/routing/mod.rs".
	Module string `json:"module"`
	// Layer is the ID or title of the layer of the files ("documentation",
	// "CI & Tooling"): the area of files outside crates, and of crate files
	// whose crate and module names are all generic (src/lib.rs).
	Layer string `json:"layer"`
	// Files is how many of the change's files are in the area.
	Files int `json:"files"`
}

// Source says where an intent value came from, in decreasing trust.
type Source string

// Sources of intent values.
const (
	SourceTemplate     Source = "template"     // a ticked "Type of change" box
	SourceLabel        Source = "label"        // a pull request label
	SourceConventional Source = "conventional" // a conventional-commit type or scope, or an "area: …" prefix
	SourceArea         Source = "area"         // the crate, module or layer the change touches most
	SourceVerb         Source = "verb"         // the verb that starts the title or a subject
	SourceKeyword      Source = "keyword"      // a keyword in a title, subject or body
	SourceCode         Source = "code"         // the identifier changes themselves
)

// Intent is what a change is for. Empty fields mean nothing matched; archmap
// never guesses a default.
type Intent struct {
	// FeatureType is the area the change is about, as a short slug: a
	// taxonomy ID when a name or keyword maps to one, else the repository's
	// own word (a label's area, a scope, a crate or module).
	FeatureType string `json:"feature_type"`
	// Action is what the change does: a taxonomy action ID.
	Action   string   `json:"action"`
	Entities []string `json:"entities"`
	// FeatureTypeSource and ActionSource say which evidence decided.
	FeatureTypeSource Source `json:"-"`
	ActionSource      Source `json:"-"`
}

// DetectIntent detects intent with [DefaultTaxonomy]; see
// [IntentDetector.Detect].
func DetectIntent(in IntentInput) Intent { return defaultDetector().Detect(in) }

var defaultDetector = sync.OnceValue(func() *IntentDetector { return NewIntentDetector(DefaultTaxonomy()) })

// IntentDetector is a [Taxonomy] prepared for repeated detection: names are
// normalised and keywords split once. It is safe for concurrent use.
type IntentDetector struct {
	features, actions, entities dimension
}

// dimension is one prepared taxonomy dimension.
type dimension struct {
	ids      []string
	names    map[string]int // normalised name → index of the first category having it
	verbs    map[string]int // verb → index of the first category having it
	objects  map[string]int // object word → index of the first category having it
	catNames [][]string     // per category, its normalised names
	phrases  [][][]string   // per category, per keyword, its words
}

func newDimension(cats []Category) dimension {
	d := dimension{names: map[string]int{}, verbs: map[string]int{}, objects: map[string]int{}}
	for i, c := range cats {
		d.ids = append(d.ids, c.ID)
		var own []string
		for _, n := range append([]string{c.ID}, c.Names...) {
			if key := NormalizeName(n); key != "" {
				own = append(own, key)
				if _, taken := d.names[key]; !taken {
					d.names[key] = i
				}
			}
		}
		for _, words := range []struct {
			list []string
			into map[string]int
		}{{c.Verbs, d.verbs}, {c.Objects, d.objects}} {
			for _, v := range words.list {
				if key := NormalizeName(v); key != "" {
					if _, taken := words.into[key]; !taken {
						words.into[key] = i
					}
				}
			}
		}
		d.catNames = append(d.catNames, own)
		var ps [][]string
		for _, kw := range c.Keywords {
			if words := SplitWords(kw); len(words) > 0 {
				ps = append(ps, words)
			}
		}
		d.phrases = append(d.phrases, ps)
	}
	return d
}

// NewIntentDetector prepares t for detection.
func NewIntentDetector(t Taxonomy) *IntentDetector {
	return &IntentDetector{
		features: newDimension(t.FeatureTypes),
		actions:  newDimension(t.Actions),
		entities: newDimension(t.Entities),
	}
}

// Extend returns t with more merged in, dimension by dimension: a category
// whose ID t already has gains more's names, keywords and verbs; new
// categories come first, so a user's specific categories win over the
// defaults they refine.
func (t Taxonomy) Extend(more Taxonomy) Taxonomy {
	return Taxonomy{
		FeatureTypes: mergeCategories(t.FeatureTypes, more.FeatureTypes),
		Actions:      mergeCategories(t.Actions, more.Actions),
		Entities:     mergeCategories(t.Entities, more.Entities),
	}
}

func cloneCategory(c Category) Category {
	return Category{ID: c.ID, Names: slices.Clone(c.Names), Keywords: slices.Clone(c.Keywords),
		Verbs: slices.Clone(c.Verbs), Objects: slices.Clone(c.Objects)}
}

func (c *Category) add(more Category) {
	c.Names = append(c.Names, more.Names...)
	c.Keywords = append(c.Keywords, more.Keywords...)
	c.Verbs = append(c.Verbs, more.Verbs...)
	c.Objects = append(c.Objects, more.Objects...)
}

func mergeCategories(base, more []Category) []Category {
	out := make([]Category, 0, len(base)+len(more))
	index := map[string]int{}
	for _, c := range more {
		if i, dup := index[c.ID]; dup {
			out[i].add(c)
			continue
		}
		if slices.ContainsFunc(base, func(b Category) bool { return b.ID == c.ID }) {
			continue
		}
		index[c.ID] = len(out)
		out = append(out, cloneCategory(c))
	}
	for _, b := range base {
		b = cloneCategory(b)
		for _, c := range more {
			if c.ID == b.ID {
				b.add(c)
			}
		}
		out = append(out, b)
	}
	return out
}

// NormalizeName folds a label, scope, box or category name to lower-case
// words joined by "_": "Payment-Methods" and "payment methods" both become
// "payment_methods".
func NormalizeName(s string) string { return strings.Join(SplitWords(s), "_") }

// Label prefixes: a label names an area ("A-storage", "area: parser",
// "crate/hir") or a kind of change ("C-bug", "type: feature"); other
// prefixes (status, priority, team…) say nothing about intent.
var (
	areaLabelPrefixes = []string{"a", "area", "component", "comp", "crate", "crates", "module", "scope", "topic",
		"subsystem", "domain", "feature", "m", "pkg", "package", "lang"}
	kindLabelPrefixes = []string{"c", "t", "type", "kind", "category", "k"}
)

// labelNames splits a label into its prefix and its normalised name:
// "A-connector-integration" → "a", "connector_integration"; "bug" → "", "bug".
func labelNames(label string) (prefix, name string) {
	label = strings.TrimSpace(label)
	for _, sep := range []string{":", "/", "-"} {
		if p, rest, ok := strings.Cut(label, sep); ok && p != "" && rest != "" {
			p = NormalizeName(p)
			if slices.Contains(areaLabelPrefixes, p) || slices.Contains(kindLabelPrefixes, p) ||
				slices.Contains([]string{"s", "p", "e", "i", "o", "status", "priority", "team", "effort", "difficulty"}, p) {
				return p, NormalizeName(rest)
			}
		}
	}
	return "", NormalizeName(label)
}

// byName returns the first category, in taxonomy order, having one of the
// normalised names.
func (d *dimension) byName(names []string) (string, bool) {
	best := -1
	for _, n := range names {
		if i, ok := d.names[n]; ok && (best < 0 || i < best) {
			best = i
		}
	}
	if best < 0 {
		return "", false
	}
	return d.ids[best], true
}

var (
	// "feat(scope, other)!: …", "stm32/rcc: …", "hir-def: …".
	conventionalRe = regexp.MustCompile(`^\s*([\p{L}\p{N}_./-]+(?:\s*,\s*[\p{L}\p{N}_./-]+)*)\s*(?:\(([^)]*)\))?\s*!?\s*:(?:\s|$)`)
	checkboxRe     = regexp.MustCompile(`^\s*[-*+]\s*\[([ xX✓✔]?)\]\s*(.*)$`)
	htmlCommentRe  = regexp.MustCompile(`(?s)<!--.*?-->`)
	bracketsRe     = regexp.MustCompile(`^\s*(\[[^\]]*\]\s*)+`)
)

// notScopes are "word:" prefixes that are neither a type nor an area.
var notScopes = map[string]bool{"note": true, "todo": true, "wip": true, "nit": true, "draft": true, "re": true,
	"http": true, "https": true, "breaking": true, "breaking_change": true, "warning": true, "important": true}

// prefix is what a title's "type(scope): " or "area: " prefix says.
type prefix struct {
	typ    string   // conventional-commit type, when the prefix names an action
	scopes []string // areas: the scopes in parentheses, or the prefix itself
	rest   string   // the title after the prefix
}

// parsePrefix splits "feat(connector, router)!: …" into its type and
// scopes, and "stm32/rcc: …" (a prefix that is no action name) into scopes.
func (d *IntentDetector) parsePrefix(title string) (prefix, bool) {
	if strings.HasPrefix(strings.TrimLeft(title, "\t\n\f\r "), "[") { // else bracketsRe cannot match
		title = bracketsRe.ReplaceAllString(title, "")
	}
	m := conventionalRe.FindStringSubmatchIndex(title)
	if m == nil {
		return prefix{rest: strings.TrimSpace(title)}, false
	}
	head, inner := title[m[2]:m[3]], ""
	if m[4] >= 0 {
		inner = title[m[4]:m[5]]
	}
	p := prefix{rest: strings.TrimSpace(title[m[1]:])}
	split := func(s string) []string {
		var out []string
		for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '/' }) {
			if n := NormalizeName(part); n != "" && n != "*" {
				out = append(out, n)
			}
		}
		return out
	}
	if typ := NormalizeName(head); d.actionNamed(typ) {
		p.typ = typ
		p.scopes = split(inner)
		return p, true
	}
	for _, s := range split(head) {
		if notScopes[s] {
			return prefix{rest: strings.TrimSpace(title)}, false
		}
	}
	p.scopes = append(split(head), split(inner)...)
	return p, len(p.scopes) > 0
}

// actionNamed reports whether name is a name of an action.
func (d *IntentDetector) actionNamed(name string) bool {
	_, ok := d.actions.names[name]
	return ok
}

// TickedTypeOfChange returns the ticked checkbox labels of the "Type of
// change" section of a pull request template (the section runs from a
// heading containing "type of change" to the next heading of the same or a
// higher level).
func TickedTypeOfChange(body string) []string {
	var ticked []string
	inSection, level := false, 0
	if strings.Contains(body, "<!--") { // else htmlCommentRe cannot match
		body = htmlCommentRe.ReplaceAllString(body, "")
	}
	for _, line := range strings.Split(body, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "#") {
			l := len(t) - len(strings.TrimLeft(t, "#"))
			if inSection && l <= level {
				inSection = false
			}
			if strings.Contains(strings.ToLower(t), "type of change") {
				inSection, level = true, l
			}
			continue
		}
		if !inSection {
			continue
		}
		if m := checkboxRe.FindStringSubmatch(t); m != nil && strings.TrimSpace(m[1]) != "" && m[2] != "" {
			ticked = append(ticked, strings.TrimSpace(m[2]))
		}
	}
	return ticked
}

// descriptionText strips a body of what templates contribute: comments,
// headings and checkbox lines.
func descriptionText(body string) string {
	var b strings.Builder
	if strings.Contains(body, "<!--") { // else htmlCommentRe cannot match
		body = htmlCommentRe.ReplaceAllString(body, "")
	}
	for _, line := range strings.Split(body, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "#") || checkboxRe.MatchString(t) {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// DetectIntent detects intent with t; to detect many, prepare t once with
// [NewIntentDetector].
func (t Taxonomy) DetectIntent(in IntentInput) Intent { return NewIntentDetector(t).Detect(in) }

// objectActions are the actions that a conventional-commit scope decides
// over a chore or build type ("chore(deps)" is deps).
var objectActions = []string{"test", "docs", "ci", "deps", "style", "build", "release", "perf"}

// Detect derives the feature type and the action of a change.
//
// The feature type is the area the change is about, from the repository's
// own words, in this order: area labels ("A-storage", "area: parser"; a
// kind label such as "C-bug" is not an area), conventional-commit scopes
// and "area: …" prefixes of the title, then of the commit subjects, ticked
// "Type of change" boxes, the crate (or, for a crate named like the
// project or generically, its top-level module) or layer holding most of
// the change's files, and last taxonomy keywords in the title, subjects and
// description. Names that the taxonomy knows map to its IDs ("connectors"
// → connector_integration in [PaymentsTaxonomy]); others are kept as slugs.
//
// The action comes from ticked boxes, kind labels, conventional-commit
// types, the verb that starts the title or a subject ("Fix …", "Bump …",
// with its object: "Fix typo" is docs, "Add tests" test), keywords, and
// last the layers when the change touches only documentation, CI, tests or
// build files. Entities come from scopes, labels and keywords of the title
// and subjects, not from the description, where nearly every domain word
// appears in passing.
func (d *IntentDetector) Detect(in IntentInput) Intent {
	var it Intent
	var boxNames, kindLabels, areaLabels, plainLabels, types, scopes, verbs []string
	for _, b := range TickedTypeOfChange(in.Body) {
		boxNames = append(boxNames, NormalizeName(b))
	}
	for _, l := range in.Labels {
		p, name := labelNames(l)
		switch {
		case name == "":
		case slices.Contains(areaLabelPrefixes, p):
			areaLabels = append(areaLabels, name)
		case slices.Contains(kindLabelPrefixes, p):
			kindLabels = append(kindLabels, name)
		case p == "":
			plainLabels = append(plainLabels, name)
		}
	}
	// The words of a text, split once: the title, the subjects and their
	// rests after a prefix are often the same text. (The word lists are
	// only read.)
	type splitText struct {
		text  string
		words []string
	}
	var split [4]splitText
	nSplit := 0
	wordsOf := func(text string) []string {
		for _, st := range split[:nSplit] {
			if st.text == text {
				return st.words
			}
		}
		words := SplitWords(text)
		if nSplit < len(split) {
			split[nSplit] = splitText{text, words}
			nSplit++
		}
		return words
	}
	var objects [][]string                   // per title or subject, the words after its verb
	for i := -1; i < len(in.Subjects); i++ { // the title, then the subjects
		s := in.Title
		if i >= 0 {
			s = in.Subjects[i]
		}
		p, ok := d.parsePrefix(s)
		if ok {
			if p.typ != "" {
				types = append(types, p.typ)
			}
			scopes = append(scopes, p.scopes...)
		}
		words := wordsOf(p.rest)
		for len(words) > 1 && isAdverb(words[0]) {
			words = words[1:]
		}
		if len(words) > 0 {
			verbs = append(verbs, words[0])
			objects = append(objects, words[1:min(len(words), 4)])
		}
	}
	subjects := strings.Join(in.Subjects, "\n")
	texts := [][]string{wordsOf(in.Title), wordsOf(subjects), nil}
	bodyDone := false // texts[2], the description's words, once asked for
	keyword := func(dim *dimension, earliest bool) string {
		for i, words := range texts {
			if i == 2 {
				if !bodyDone {
					texts[2], bodyDone = SplitWords(descriptionText(in.Body)), true
				}
				words = texts[2]
			}
			if id := dim.keywordCategory(words, earliest); id != "" {
				return id
			}
		}
		return ""
	}

	// Action.
	it.Action, it.ActionSource = d.decideAction(boxNames, kindLabels, plainLabels, types, scopes, verbs, objects)
	if it.Action == "" {
		if id := keyword(&d.actions, true); id != "" {
			it.Action, it.ActionSource = id, SourceKeyword
		}
	}
	if it.Action == "" {
		if id := d.roleAction(in.Areas); id != "" {
			it.Action, it.ActionSource = id, SourceArea
		}
	}
	if it.Action == "" {
		if id := codeAction(in.Identifiers); id != "" && slices.Contains(d.actions.ids, id) {
			it.Action, it.ActionSource = id, SourceCode
		}
	}

	// Feature type.
	// Each source is asked once, in order.
	if ft := d.firstArea(areaLabels, in.Project); ft != "" {
		it.FeatureType, it.FeatureTypeSource = ft, SourceLabel
	} else if ft := d.knownFeature(plainLabels); ft != "" {
		it.FeatureType, it.FeatureTypeSource = ft, SourceLabel
	} else if ft := d.firstArea(areaScopes(scopes, in.SplitCrates), in.Project); ft != "" {
		it.FeatureType, it.FeatureTypeSource = ft, SourceConventional
	} else if ft := d.knownFeature(boxNames); ft != "" {
		it.FeatureType, it.FeatureTypeSource = ft, SourceTemplate
	} else if ft := d.areaFeature(in.Areas, in.Project, in.SplitCrates); ft != "" {
		it.FeatureType, it.FeatureTypeSource = ft, SourceArea
	} else if id := keyword(&d.features, false); id != "" {
		it.FeatureType, it.FeatureTypeSource = id, SourceKeyword
	}

	titleWords := slices.Concat(texts[0], texts[1])
	named := func(n string) bool {
		return slices.Contains(scopes, n) || slices.Contains(areaLabels, n) || slices.Contains(plainLabels, n)
	}
	it.Entities = []string{}
	for i, id := range d.entities.ids {
		if phrasePosition(d.entities.phrases[i], titleWords) >= 0 ||
			slices.ContainsFunc(d.entities.catNames[i], named) {
			it.Entities = append(it.Entities, id)
		}
	}
	return it
}

// areaScopes returns the scopes that name an area: a scope naming a crate
// that is split by its modules ("fix(router): …" where the router crate
// holds much of the code) says less than the modules the change touches.
func areaScopes(scopes, splitCrates []string) []string {
	if len(splitCrates) == 0 {
		return scopes
	}
	var out []string
	for _, s := range scopes {
		if !slices.ContainsFunc(splitCrates, func(c string) bool { return NormalizeName(c) == s }) {
			out = append(out, s)
		}
	}
	return out
}

// decideAction returns the action named by boxes, labels, conventional
// types (a "chore(deps)" or "build(deps)" is deps, "chore(release)" a
// release) or verbs, with its source.
func (d *IntentDetector) decideAction(boxes, kindLabels, plainLabels, types, scopes, verbs []string, objects [][]string) (string, Source) {
	if id, ok := d.actions.byName(boxes); ok {
		return id, SourceTemplate
	}
	if id, ok := d.actions.byName(kindLabels); ok {
		return id, SourceLabel
	}
	if id, ok := d.actions.byName(plainLabels); ok {
		return id, SourceLabel
	}
	if len(types) > 0 {
		id, _ := d.actions.byName(types[:1])
		if id == "chore" || id == "build" {
			// chore(deps), build(release): the scope says more than the type.
			for _, s := range scopes {
				if sid, ok := d.actions.byName([]string{s}); ok && slices.Contains(objectActions, sid) {
					return sid, SourceConventional
				}
			}
		}
		if id != "" {
			return id, SourceConventional
		}
		if id, ok := d.actions.byName(types); ok {
			return id, SourceConventional
		}
	}
	for i, v := range verbs {
		vi, ok := d.actions.verb(v)
		if !ok {
			continue
		}
		id := d.actions.ids[vi]
		if id != "revert" && id != "refactor" { // "Move the tests" stays a refactor
			for _, w := range objects[i] {
				if oi, ok := d.actions.object(w); ok {
					return d.actions.ids[oi], SourceVerb
				}
			}
		}
		return id, SourceVerb
	}
	return "", ""
}

// codeAction returns the action that the identifier changes show: mostly
// additions add a feature, mostly removals refactor, anything else
// enhances; "" without changes.
func codeAction(c IdentifierCounts) string {
	switch total := c.Added + c.Removed + c.Modified; {
	case total == 0:
		return ""
	case 2*c.Added > total:
		return "add_feature"
	case 2*c.Removed > total:
		return "refactor"
	}
	return "enhance"
}

// adverbs may come before a title's verb ("Always follow symlinks").
var adverbs = map[string]bool{"always": true, "also": true, "now": true, "only": true, "just": true, "still": true,
	"never": false, "further": true, "more": true, "actually": true, "finally": true, "again": true, "even": true}

func isAdverb(w string) bool {
	if v, ok := adverbs[w]; ok {
		return v
	}
	return len(w) > 4 && strings.HasSuffix(w, "ly") && !strings.HasSuffix(w, "ply")
}

// irregularVerbs maps past forms to the verb.
var irregularVerbs = map[string]string{"made": "make", "built": "build", "ran": "run", "wrote": "write",
	"gave": "give", "took": "take", "kept": "keep", "brought": "bring", "rewrote": "rewrite", "began": "begin",
	"undid": "undo", "did": "do", "threw": "throw", "caught": "catch", "got": "get", "let": "let"}

// verb looks a title's first word up among the verbs, also in its
// inflected forms: "adds", "added", "adding", "fixes", "derived", "made".
func (d *dimension) verb(w string) (int, bool) {
	if i, ok := d.verbs[w]; ok {
		return i, true
	}
	if v, ok := irregularVerbs[w]; ok {
		i, ok := d.verbs[v]
		return i, ok
	}
	var stems []string
	switch {
	case strings.HasSuffix(w, "ies"):
		stems = []string{w[:len(w)-3] + "y"}
	case strings.HasSuffix(w, "es"):
		stems = []string{w[:len(w)-2], w[:len(w)-1]}
	case strings.HasSuffix(w, "s"):
		stems = []string{w[:len(w)-1]}
	case strings.HasSuffix(w, "ied"):
		stems = []string{w[:len(w)-3] + "y"}
	case strings.HasSuffix(w, "ed"):
		stems = []string{w[:len(w)-2], w[:len(w)-1]}
		if n := len(w); n > 4 && w[n-3] == w[n-4] {
			stems = append(stems, w[:n-3]) // "dropped" → "drop"
		}
	case strings.HasSuffix(w, "ing"):
		stems = []string{w[:len(w)-3], w[:len(w)-3] + "e"}
		if n := len(w); n > 5 && w[n-4] == w[n-5] {
			stems = append(stems, w[:n-4]) // "running" → "run"
		}
	}
	for _, s := range stems {
		if i, ok := d.verbs[s]; ok && s != "" {
			return i, true
		}
	}
	return 0, false
}

// object looks a word up among the objects, also as a plural.
func (d *dimension) object(w string) (int, bool) {
	if i, ok := d.objects[w]; ok {
		return i, true
	}
	if stem, ok := strings.CutSuffix(w, "s"); ok {
		i, ok := d.objects[stem]
		return i, ok
	}
	return 0, false
}

// roleActions are the actions of changes that touch only one kind of
// non-code layer.
var roleActions = map[string]string{"documentation": "docs", "ci": "ci", "tests": "test", "build": "build",
	"dependencies": "deps", "release": "release"}

// roleAction returns the action of a change whose areas are all layers of
// one role (only documentation, only CI…), or "".
func (d *IntentDetector) roleAction(areas []Area) string {
	action := ""
	for _, a := range areas {
		if a.Crate != "" || a.Module != "" {
			if !isTestPath(a.Module) {
				return ""
			}
			a.Layer = "tests"
		}
		id, _ := d.features.byName([]string{NormalizeName(a.Layer)})
		if id == "" {
			id = NormalizeName(a.Layer)
		}
		act, ok := roleActions[id]
		if !ok || (action != "" && act != action) {
			return ""
		}
		action = act
	}
	return action
}

func isTestPath(module string) bool {
	first, _, _ := strings.Cut(module, "/")
	return first == "tests" || first == "benches"
}

// firstArea returns the feature type of area names: the first in taxonomy
// order that the taxonomy knows, else the first usable one.
func (d *IntentDetector) firstArea(names []string, project string) string {
	var known []string
	for _, n := range names {
		known = append(known, strings.Join(d.projectFree(n, project), "_"))
	}
	if id, ok := d.features.byName(known); ok {
		return id
	}
	for _, n := range names {
		if ft := d.featureSlug([]string{n}, project, false, false); ft != "" {
			return ft
		}
	}
	return ""
}

// knownFeature returns the feature type a taxonomy name among names maps
// to, or "".
func (d *IntentDetector) knownFeature(names []string) string {
	id, _ := d.features.byName(names)
	return id
}

// genericWords are crate, directory and file names that say nothing about
// an area: a crate or module named so gives way to the next level down.
var genericWords = map[string]bool{
	"src": true, "lib": true, "main": true, "mod": true, "core": true, "common": true, "shared": true,
	"internal": true, "utils": true, "util": true, "helpers": true, "types": true, "impls": true, "imp": true,
	"bin": true, "tests": true, "test": true, "benches": true, "examples": true, "crates": true, "private": true,
	"prelude": true, "std": true, "base": true, "support": true, "lib_rs": true, "sys": true, "rs": true,
}

// featureSlug returns the feature type of a path of names, outermost first
// (a crate, then its modules): the first name that is not generic (nor,
// with skipFirst, the first one: a crate split by its modules), mapped to
// the taxonomy ID it names or else kept as a slug, with the project's word
// dropped from it; "" when every name is generic or empty.
//
// With fallback, a generic crate name ("core", "types") is better than
// nothing; file and directory names that no crate uses (src, lib, mod,
// main) never are.
func (d *IntentDetector) featureSlug(names []string, project string, skipFirst, fallback bool) string {
	spare := ""
	for i, n := range names {
		slug := strings.Join(d.projectFree(n, project), "_")
		if slug == "" || notScopes[slug] || isNumber(slug) {
			continue
		}
		if genericWords[slug] || (i == 0 && skipFirst) {
			if spare == "" && !fileWords[slug] {
				spare = slug
			}
			continue
		}
		if id, ok := d.features.byName([]string{slug}); ok {
			return id
		}
		return slug
	}
	if fallback {
		if id, ok := d.features.byName([]string{spare}); ok {
			return id
		}
		return spare
	}
	return ""
}

// fileWords are the generic words that name files and directories, never
// an area.
var fileWords = map[string]bool{"src": true, "lib": true, "main": true, "mod": true, "rs": true, "lib_rs": true,
	"bin": true, "tests": true, "test": true, "benches": true, "examples": true, "crates": true}

// projectFree returns the words of a name without the project's word in
// front: "sqlx-postgres" → [postgres]; the project's own crate → none.
func (d *IntentDetector) projectFree(name, project string) []string {
	words := SplitWords(name)
	if project == "" {
		return words
	}
	for len(words) > 1 && words[0] == project {
		words = words[1:]
	}
	if len(words) == 1 && words[0] == project {
		return nil
	}
	return words
}

func isNumber(s string) bool {
	return strings.Trim(s, "0123456789_") == ""
}

// areaFeature returns the feature type of the area holding most files:
// crates and their modules first (a split crate by its modules, a crate
// named generically by its modules, a module-less file by its layer);
// layers only when no file is in a crate.
// Ties go to the area listed first.
func (d *IntentDetector) areaFeature(areas []Area, project string, splitCrates []string) string {
	count := map[string]int{}
	var order []string
	add := func(slug string, n int) {
		if slug == "" {
			return
		}
		if _, seen := count[slug]; !seen {
			order = append(order, slug)
		}
		count[slug] += n
	}
	for _, a := range areas {
		if a.Crate != "" || a.Module != "" {
			split := slices.Contains(splitCrates, a.Crate)
			slug := d.featureSlug(moduleNames(a), project, split, false)
			if slug == "" {
				slug = d.featureSlug([]string{a.Layer}, project, false, false)
			}
			if slug == "" {
				slug = d.featureSlug(moduleNames(a), project, false, true)
			}
			if slug == "" {
				slug = d.featureSlug([]string{a.Layer}, project, false, true)
			}
			add(slug, max(a.Files, 1))
		}
	}
	if len(order) == 0 {
		for _, a := range areas {
			if a.Crate == "" && a.Module == "" {
				add(d.featureSlug([]string{a.Layer}, project, false, true), max(a.Files, 1))
			}
		}
	}
	best := ""
	for _, s := range order {
		if best == "" || count[s] > count[best] {
			best = s
		}
	}
	return best
}

// moduleNames returns an area's crate name and module path segments (the
// file stem for the last one), outermost first.
func moduleNames(a Area) []string {
	names := []string{a.Crate}
	segs := strings.Split(a.Module, "/")
	for i, s := range segs {
		if i == len(segs)-1 {
			if dot := strings.LastIndexByte(s, '.'); dot > 0 {
				s = s[:dot]
			}
		}
		names = append(names, s)
	}
	return names
}

// keywordCategory returns the category with a keyword in words: the first
// in taxonomy order, or with earliest set the one found first in the text.
func (d *dimension) keywordCategory(words []string, earliest bool) string {
	best, bestPos := "", -1
	for i, id := range d.ids {
		pos := phrasePosition(d.phrases[i], words)
		if pos < 0 {
			continue
		}
		if !earliest {
			return id
		}
		if bestPos < 0 || pos < bestPos {
			best, bestPos = id, pos
		}
	}
	return best
}

// phrasePosition returns the index in words of the earliest occurrence of
// any phrase, or -1.
func phrasePosition(phrases [][]string, words []string) int {
	best := -1
	for _, phrase := range phrases {
	scan:
		for i := 0; i+len(phrase) <= len(words); i++ {
			if best >= 0 && i >= best {
				break
			}
			for j, w := range phrase {
				if !wordMatches(words[i+j], w) {
					continue scan
				}
			}
			best = i
			break
		}
	}
	return best
}

// wordMatches reports whether a text word is the keyword word or its plural.
func wordMatches(text, kw string) bool {
	if text == kw {
		return true
	}
	if rest, ok := strings.CutPrefix(text, kw); ok {
		return rest == "s" || rest == "es"
	}
	if stem, ok := strings.CutSuffix(kw, "y"); ok {
		return text == stem+"ies"
	}
	return false
}
