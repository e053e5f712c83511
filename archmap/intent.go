package archmap

import (
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Category is one value of a taxonomy dimension, such as the feature type
// "refund" or the action "fix_bug".
type Category struct {
	// ID is the value reported in [Intent].
	ID string `json:"id" yaml:"id"`
	// Names are accepted verbatim (after normalising case and separators, so
	// "Payment-Methods" equals "payment_methods") from ticked template boxes,
	// labels (a short prefix such as "A-" or "type:" is ignored) and
	// conventional-commit types and scopes. The ID is always a name.
	Names []string `json:"names,omitempty" yaml:"names"`
	// Keywords are words or phrases searched on word boundaries in titles,
	// commit subjects and descriptions. A trailing plural "s"/"es"/"ies" in
	// the text still matches: "refund" finds "refunds".
	Keywords []string `json:"keywords,omitempty" yaml:"keywords"`
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

// IntentInput is what a change says about itself.
type IntentInput struct {
	// Title is the pull request title, or the commit subject.
	Title string
	// Body is the pull request description, possibly a filled-in template.
	Body string
	// Labels are the pull request's labels.
	Labels []string
	// Subjects are the subjects of the change's commits.
	Subjects []string
}

// Source says where an intent value came from, in decreasing trust.
type Source string

// Sources of intent values.
const (
	SourceTemplate     Source = "template"     // a ticked "Type of change" box
	SourceLabel        Source = "label"        // a pull request label
	SourceConventional Source = "conventional" // a conventional-commit type or scope
	SourceKeyword      Source = "keyword"      // a keyword in a title, subject or body
)

// Intent is what a change is for. Empty fields mean nothing matched; archmap
// never guesses a default.
type Intent struct {
	FeatureType string   `json:"feature_type"`
	Action      string   `json:"action"`
	Entities    []string `json:"entities"`
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
	catNames [][]string     // per category, its normalised names
	phrases  [][][]string   // per category, per keyword, its words
}

func newDimension(cats []Category) dimension {
	d := dimension{names: map[string]int{}}
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

func cat(id string, names []string, keywords ...string) Category {
	return Category{ID: id, Names: names, Keywords: keywords}
}

// DefaultTaxonomy returns the built-in vocabulary, tuned on payment-platform
// repositories such as juspay/hyperswitch but general enough for others.
func DefaultTaxonomy() Taxonomy {
	return Taxonomy{
		FeatureTypes: []Category{
			cat("connector_integration", []string{"connector", "connectors", "connector_integration", "ucs"},
				"connector", "gateway", "psp", "payment processor"),
			cat("webhook", []string{"webhook", "webhooks"}, "webhook"),
			cat("search_filter", []string{"search", "filter", "filters", "list", "pm_list"},
				"search", "filter", "pagination", "paginate", "sort by"),
			cat("validation", []string{"validation", "validations", "validator"},
				"validation", "validate", "validator", "sanitize", "sanitise"),
			cat("authentication", []string{"auth", "authentication", "authn", "authz", "authorization", "3ds", "sso", "jwt"},
				"authentication", "authenticate", "auth", "3ds", "three ds", "jwt", "sso", "oauth", "totp", "2fa",
				"api key", "password", "login"),
			cat("user_management", []string{"users", "user", "user_roles", "roles", "rbac"},
				"user role", "invite", "signup", "sign up", "sign in", "rbac", "permission"),
			cat("routing", []string{"routing", "euclid", "dynamic_routing"},
				"routing", "routing algorithm", "success rate", "volume split"),
			cat("analytics", []string{"analytics", "metrics", "events", "opensearch", "kafka", "audit_trail",
				"observability", "logging", "tracing"},
				"analytics", "metric", "clickhouse", "opensearch", "kafka", "dashboard", "observability"),
			cat("configuration", []string{"config", "configs", "configuration", "env", "superposition"},
				"config", "configuration", "environment variable", "env var", "setting", "feature flag"),
			cat("storage", []string{"db", "database", "diesel", "storage", "storage_impl", "redis", "drainer",
				"migrations", "migration", "cache", "kv"},
				"migration", "database", "db", "redis", "cache", "schema", "column", "diesel", "query"),
			cat("api", []string{"api", "apis", "openapi", "api_models", "api_contract"},
				"openapi", "api contract", "endpoint", "api"),
			cat("refund", []string{"refund", "refunds"}, "refund"),
			cat("payout", []string{"payout", "payouts"}, "payout"),
			cat("dispute", []string{"dispute", "disputes", "chargeback"}, "dispute", "chargeback"),
			cat("mandate", []string{"mandate", "mandates", "recurring"}, "mandate", "recurring payment", "setup mandate"),
			cat("subscription", []string{"subscription", "subscriptions", "billing", "revenue_recovery", "invoice"},
				"subscription", "billing", "invoice", "revenue recovery"),
			cat("payment_methods", []string{"payment_methods", "payment_method", "pm", "pm_auth", "vault", "cards", "wallet", "wallets"},
				"payment method", "card", "wallet", "vault", "tokenization", "tokenize", "locker", "network token"),
			cat("fraud_risk", []string{"frm", "fraud", "risk", "blocklist"}, "fraud", "frm", "risk", "blocklist"),
			cat("customer", []string{"customer", "customers", "returning_customer"}, "customer"),
			cat("merchant_account", []string{"platform", "merchant_account", "merchant", "admin", "organization",
				"profile", "business_profile", "tenant", "multitenancy"},
				"merchant account", "business profile", "organization", "platform merchant", "tenant"),
			cat("ci_tooling", []string{"ci", "cd", "ci_cd", "cypress", "postman", "build", "deps", "dependency_updates",
				"version", "release", "changelog", "github", "workflows", "docker"},
				"ci", "workflow", "github action", "cypress", "postman", "release", "lint", "clippy"),
			cat("documentation", []string{"docs", "doc", "documentation", "readme"}, "documentation", "docs", "readme"),
			cat("payment", []string{"payment", "payments", "core", "payment_intent", "payment_attempt"},
				"payment", "capture", "authorize", "authorise", "void", "cancel", "payment intent", "payment attempt",
				"checkout", "surcharge", "incremental authorization"),
		},
		Actions: []Category{
			cat("add_feature", []string{"feat", "feature", "new_feature", "features", "add_feature"},
				"add", "added", "adding", "introduce", "implement", "implemented", "support", "new", "create", "enable"),
			cat("fix_bug", []string{"fix", "fixes", "bugfix", "bug", "hotfix", "fix_bug", "bug_fix"},
				"fix", "fixed", "fixing", "bug", "resolve", "resolved", "correct", "incorrect", "wrong", "broken", "crash",
				"error handling", "issue"),
			cat("enhance", []string{"enhancement", "enhance", "improvement", "improve", "enhancements"},
				"enhance", "improve", "update", "updated", "extend", "modify", "change", "allow", "upgrade"),
			cat("refactor", []string{"refactor", "refactoring", "style", "cleanup"},
				"refactor", "refactoring", "restructure", "rename", "move", "moved", "cleanup", "clean up", "simplify",
				"remove", "removed", "deprecate", "reorganize", "extract"),
			cat("perf", []string{"perf", "performance", "optimization", "optimisation"},
				"performance", "optimize", "optimise", "optimization", "faster", "speed up", "latency", "perf"),
			cat("test", []string{"test", "tests", "testing"}, "test", "testing", "cypress", "postman", "coverage"),
			cat("docs", []string{"docs", "doc", "documentation"}, "docs", "documentation", "readme", "typo"),
			cat("chore", []string{"chore", "ci", "cd", "ci_cd", "build", "deps", "dependency_updates", "dependencies",
				"revert", "release", "version"},
				"bump", "chore", "version", "dependency", "dependencies", "release", "ci", "lint", "clippy", "revert"),
		},
		Entities: []Category{
			cat("customer", []string{"customer", "customers"}, "customer"),
			cat("payment", []string{"payment", "payments"}, "payment", "payment intent", "payment attempt"),
			cat("refund", []string{"refund", "refunds"}, "refund"),
			cat("mandate", []string{"mandate", "mandates"}, "mandate"),
			cat("dispute", []string{"dispute", "disputes"}, "dispute", "chargeback"),
			cat("payout", []string{"payout", "payouts"}, "payout"),
			cat("payment_method", []string{"payment_method", "payment_methods", "pm"}, "payment method"),
			cat("card", []string{"card", "cards"}, "card"),
			cat("wallet", []string{"wallet", "wallets"}, "wallet", "apple pay", "google pay", "paypal"),
			cat("merchant", []string{"merchant", "merchants", "merchant_account"}, "merchant"),
			cat("business_profile", []string{"profile", "business_profile"}, "business profile", "profile"),
			cat("organization", []string{"organization", "org", "tenant"}, "organization", "organisation", "tenant"),
			cat("user", []string{"user", "users"}, "user"),
			cat("api_key", []string{"api_key", "api_keys"}, "api key"),
			cat("connector", []string{"connector", "connectors"}, "connector"),
			cat("webhook", []string{"webhook", "webhooks"}, "webhook"),
			cat("subscription", []string{"subscription", "subscriptions"}, "subscription"),
			cat("invoice", []string{"invoice", "invoices"}, "invoice"),
			cat("address", []string{"address"}, "address", "billing address", "shipping address"),
			cat("routing_algorithm", nil, "routing algorithm", "routing rule"),
			cat("token", []string{"token", "tokens", "tokenization"}, "token", "network token", "tokenization"),
			cat("blocklist", []string{"blocklist"}, "blocklist"),
			cat("event", []string{"event", "events"}, "event"),
		},
	}
}

// Extend returns t with more merged in, dimension by dimension: a category
// whose ID t already has gains more's names and keywords; new categories come
// first, so a user's specific categories win over the defaults they refine.
func (t Taxonomy) Extend(more Taxonomy) Taxonomy {
	return Taxonomy{
		FeatureTypes: mergeCategories(t.FeatureTypes, more.FeatureTypes),
		Actions:      mergeCategories(t.Actions, more.Actions),
		Entities:     mergeCategories(t.Entities, more.Entities),
	}
}

func mergeCategories(base, more []Category) []Category {
	out := make([]Category, 0, len(base)+len(more))
	index := map[string]int{}
	for _, c := range more {
		if i, dup := index[c.ID]; dup {
			out[i].Names = append(out[i].Names, c.Names...)
			out[i].Keywords = append(out[i].Keywords, c.Keywords...)
			continue
		}
		if slices.ContainsFunc(base, func(b Category) bool { return b.ID == c.ID }) {
			continue
		}
		index[c.ID] = len(out)
		out = append(out, Category{ID: c.ID, Names: slices.Clone(c.Names), Keywords: slices.Clone(c.Keywords)})
	}
	for _, b := range base {
		b = Category{ID: b.ID, Names: slices.Clone(b.Names), Keywords: slices.Clone(b.Keywords)}
		for _, c := range more {
			if c.ID == b.ID {
				b.Names = append(b.Names, c.Names...)
				b.Keywords = append(b.Keywords, c.Keywords...)
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

// labelPrefixes are the words a label may start with before its name:
// "A-connector-integration", "type: bug", "area/routing".
var labelPrefixes = []string{"type", "area", "kind", "scope", "category", "component", "topic"}

// nameCandidates returns the normalised forms of a label worth looking up.
func nameCandidates(label string) []string {
	words := SplitWords(label)
	if len(words) == 0 {
		return nil
	}
	out := []string{strings.Join(words, "_")}
	if len(words) > 1 && (len(words[0]) <= 2 || slices.Contains(labelPrefixes, words[0])) {
		out = append(out, strings.Join(words[1:], "_"))
	}
	return out
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
	conventionalRe = regexp.MustCompile(`^\s*([A-Za-z]+)\s*(?:\(([^)]*)\))?\s*!?\s*:`)
	checkboxRe     = regexp.MustCompile(`^\s*[-*+]\s*\[([ xX✓✔]?)\]\s*(.*)$`)
	htmlCommentRe  = regexp.MustCompile(`(?s)<!--.*?-->`)
)

// conventional splits "feat(connector, router)!: …" into its type and scopes.
func conventional(subject string) (string, []string, bool) {
	m := conventionalRe.FindStringSubmatch(subject)
	if m == nil {
		return "", nil, false
	}
	var scopes []string
	for _, s := range strings.FieldsFunc(m[2], func(r rune) bool { return r == ',' || r == ' ' || r == '/' }) {
		if n := NormalizeName(s); n != "" {
			scopes = append(scopes, n)
		}
	}
	return NormalizeName(m[1]), scopes, true
}

// TickedTypeOfChange returns the ticked checkbox labels of the "Type of
// change" section of a pull request template (the section runs from a
// heading containing "type of change" to the next heading of the same or a
// higher level).
func TickedTypeOfChange(body string) []string {
	var ticked []string
	inSection, level := false, 0
	for _, line := range strings.Split(htmlCommentRe.ReplaceAllString(body, ""), "\n") {
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
	for _, line := range strings.Split(htmlCommentRe.ReplaceAllString(body, ""), "\n") {
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

// Detect derives the feature type and action from, in order of trust:
// ticked "Type of change" boxes, labels, conventional-commit types and
// scopes of the title and then of the commit subjects, and keywords in the
// title, then the subjects, then the description (template headings,
// comments and checkboxes removed). Entities come from scopes, labels and
// keywords of the title and subjects, not from the description, where
// nearly every domain word appears in passing.
func (d *IntentDetector) Detect(in IntentInput) Intent {
	var it Intent
	var boxNames, labelNames, types, scopes []string
	for _, b := range TickedTypeOfChange(in.Body) {
		boxNames = append(boxNames, NormalizeName(b))
	}
	for _, l := range in.Labels {
		labelNames = append(labelNames, nameCandidates(l)...)
	}
	for _, s := range append([]string{in.Title}, in.Subjects...) {
		if typ, sc, ok := conventional(s); ok {
			types = append(types, typ)
			scopes = append(scopes, sc...)
		}
	}
	subjects := strings.Join(in.Subjects, "\n")
	texts := [][]string{SplitWords(in.Title), SplitWords(subjects), nil}
	bodyWords := sync.OnceValue(func() []string { return SplitWords(descriptionText(in.Body)) })

	decide := func(dim *dimension, earliest bool, named ...[]string) (string, Source) {
		sources := []Source{SourceTemplate, SourceLabel, SourceConventional}
		for i, names := range named {
			if id, ok := dim.byName(names); ok {
				return id, sources[i]
			}
		}
		for i, words := range texts {
			if i == 2 {
				words = bodyWords()
			}
			if id := dim.keywordCategory(words, earliest); id != "" {
				return id, SourceKeyword
			}
		}
		return "", ""
	}
	it.Action, it.ActionSource = decide(&d.actions, true, boxNames, labelNames, types)
	it.FeatureType, it.FeatureTypeSource = decide(&d.features, false, boxNames, labelNames, scopes)

	titleWords := append(slices.Clone(texts[0]), texts[1]...)
	named := map[string]bool{}
	for _, n := range append(scopes, labelNames...) {
		named[n] = true
	}
	it.Entities = []string{}
	for i, id := range d.entities.ids {
		if phrasePosition(d.entities.phrases[i], titleWords) >= 0 ||
			slices.ContainsFunc(d.entities.catNames[i], func(n string) bool { return named[n] }) {
			it.Entities = append(it.Entities, id)
		}
	}
	return it
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
