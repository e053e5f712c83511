package redact

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Config selects what a [Redactor] replaces. The zero value is the safe
// default: every built-in rule is on and e-mail addresses are redacted.
type Config struct {
	// KeepEmails leaves e-mail addresses in place; by default each one
	// becomes <EMAIL>.
	KeepEmails bool
	// Mentions replaces GitHub-style @-mentions (@octocat) by <USER>.
	Mentions bool
	// ExtraRules are added to the built-in rules; a rule whose ID equals a
	// built-in one replaces it.
	ExtraRules []RuleSpec
	// AllowPatterns are regular expressions (Go syntax); a finding whose
	// text matches one of them is left in place. Use them for the fake keys
	// of test fixtures, e.g. `^AKIAIOSFODNN7EXAMPLE$` or `@example\.com$`.
	AllowPatterns []string
	// KnownSecrets are exact strings that are always replaced by
	// <REDACTED:known-secret>, wherever they occur, whatever the rules and
	// allow-lists say: pass the GitHub token the run uses, so that even a
	// token in an old format no rule knows cannot reach an output. They
	// are never read from a rules file. Strings shorter than 8 bytes are
	// ignored (they would erase ordinary text).
	KnownSecrets []string
}

// KnownSecretRule is the RuleID of a [Config.KnownSecrets] finding.
const KnownSecretRule = "known-secret"

// minKnownSecret is the shortest known secret that is replaced.
const minKnownSecret = 8

// RuleSpec is a user-defined secret rule, in the spirit of a gitleaks rule.
type RuleSpec struct {
	// ID names the rule; it appears in the placeholder <REDACTED:ID> and in
	// [Counts]. Lower case letters, digits and dashes.
	ID string `yaml:"id"`
	// Description says what the rule finds.
	Description string `yaml:"description"`
	// Regex is a Go regular expression. The secret is its SecretGroup-th
	// capture group, or the first non-empty group, or the whole match.
	Regex string `yaml:"regex"`
	// Keywords gate the rule: it runs only where one of them occurs
	// (case-insensitive), on the line holding the keyword and as many
	// lines after it as the regex can match newlines (so prefer [ \t]* or
	// \s{0,3} to \s*). A rule without keywords runs over the whole text,
	// which is slower.
	Keywords []string `yaml:"keywords"`
	// Entropy, when positive, is the Shannon entropy (bits per byte) the
	// secret must exceed.
	Entropy float64 `yaml:"entropy"`
	// SecretGroup selects the capture group holding the secret (0: the
	// first non-empty group).
	SecretGroup int `yaml:"secret_group"`
}

var ruleIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// validate checks the spec and returns its compiled regex.
func (s RuleSpec) validate() (*regexp.Regexp, error) {
	if !ruleIDPattern.MatchString(s.ID) {
		return nil, fmt.Errorf("rule id %q: want lower case letters, digits and dashes", s.ID)
	}
	if s.Regex == "" {
		return nil, fmt.Errorf("rule %s: empty regex", s.ID)
	}
	re, err := regexp.Compile(s.Regex)
	if err != nil {
		return nil, fmt.Errorf("rule %s: %w", s.ID, err)
	}
	if s.SecretGroup < 0 || s.SecretGroup > re.NumSubexp() {
		return nil, fmt.Errorf("rule %s: secret_group %d: the regex has %d groups", s.ID, s.SecretGroup, re.NumSubexp())
	}
	if s.Entropy < 0 || s.Entropy > 8 {
		return nil, fmt.Errorf("rule %s: entropy %g: want 0 to 8 bits per byte", s.ID, s.Entropy)
	}
	for _, k := range s.Keywords {
		if strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("rule %s: empty keyword", s.ID)
		}
	}
	return re, nil
}

// validateAllowPattern compiles one entry of Config.AllowPatterns.
func validateAllowPattern(p string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, fmt.Errorf("allow pattern %q: %w", p, err)
	}
	return re, nil
}

// configSection is the YAML shape of the `redact:` section.
type configSection struct {
	Emails        *bool       `yaml:"emails"`
	Mentions      bool        `yaml:"mentions"`
	Rules         []yaml.Node `yaml:"rules"`
	AllowPatterns []yaml.Node `yaml:"allow_patterns"`
}

var (
	sectionKeys = []string{"emails", "mentions", "rules", "allow_patterns"}
	ruleKeys    = []string{"id", "description", "regex", "keywords", "entropy", "secret_group"}
)

// RulesFileSections are the top-level keys of a rules file other than
// `redact`: the archmap package's sections and dataset's `bots:`, which
// LoadConfig accepts and skips. Any other top-level key is an error (a misspelt `redaction:` must
// not silently turn the user's rules off).
var RulesFileSections = []string{"layers", "rules", "keywords", "taxonomy", "bots"}

// LoadConfig reads the `redact:` section of a YAML rules file. The other
// top-level keys of [RulesFileSections] (archmap's `layers`, `rules`,
// `keywords`, `taxonomy`) are skipped; any other top-level key is an error
// naming the file, line and key. A file without the section gives the
// default Config. The section looks like:
//
//	redact:
//	  emails: true          # false keeps e-mail addresses
//	  mentions: false       # true replaces @user by <USER>
//	  rules:
//	    - id: internal-token
//	      regex: '\b(itk_[a-z0-9]{32})\b'
//	      keywords: [itk_]
//	      entropy: 3
//	  allow_patterns: ['^sk_test_FAKE']
//
// Errors name the file and line. An `allow_paths:` key (globs of files not
// to scan, which earlier versions accepted and never used) is an error:
// the texts of records are messages, PR texts, paths and identifier names,
// never the content of a file, so no file's content could be allowed;
// allow_patterns leave fake keys in place.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("redact: rules file: %w", err)
	}
	cfg, err := parseConfig(data)
	if err != nil {
		return Config{}, fmt.Errorf("redact: %s:%w", path, err)
	}
	return cfg, nil
}

// lineError is an error at a line of the rules file; it prints as
// "12: message" to follow the file name.
func lineError(n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("%d: %s", n.Line, fmt.Sprintf(format, args...))
}

// parseConfig decodes the `redact:` section of a rules file.
func parseConfig(data []byte) (Config, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return Config{}, nil
		}
		return Config{}, fmt.Errorf(" %w", err)
	}
	if len(doc.Content) == 0 {
		return Config{}, nil
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return Config{}, lineError(top, "expected a mapping at the top level")
	}
	var section *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		k := top.Content[i]
		switch {
		case k.Value == "redact":
			section = top.Content[i+1]
		case !slices.Contains(RulesFileSections, k.Value):
			return Config{}, lineError(k, "unknown top-level key %q (known: redact, %s)", k.Value, strings.Join(RulesFileSections, ", "))
		}
	}
	if section == nil || section.Tag == "!!null" {
		return Config{}, nil
	}
	if section.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(section.Content); i += 2 {
			if k := section.Content[i]; k.Value == "allow_paths" {
				return Config{}, lineError(k, "redact.allow_paths is not supported: records hold no file contents "+
					"(only messages, PR texts, paths and identifier names), so there is no file to skip; "+
					"use allow_patterns to keep fake keys")
			}
		}
	}
	if err := checkKeys(section, "redact", sectionKeys); err != nil {
		return Config{}, err
	}
	var raw configSection
	if err := decodeNode(section, &raw, "redact"); err != nil {
		return Config{}, err
	}
	cfg := Config{Mentions: raw.Mentions}
	if raw.Emails != nil {
		cfg.KeepEmails = !*raw.Emails
	}
	for i := range raw.Rules {
		n := &raw.Rules[i]
		if err := checkKeys(n, "redact.rules", ruleKeys); err != nil {
			return Config{}, err
		}
		var spec RuleSpec
		if err := decodeNode(n, &spec, "redact.rules"); err != nil {
			return Config{}, err
		}
		if _, err := spec.validate(); err != nil {
			return Config{}, lineError(n, "redact.rules: %v", err)
		}
		cfg.ExtraRules = append(cfg.ExtraRules, spec)
	}
	for i := range raw.AllowPatterns {
		n := &raw.AllowPatterns[i]
		if n.Kind != yaml.ScalarNode {
			return Config{}, lineError(n, "redact.allow_patterns: expected a string")
		}
		if _, err := validateAllowPattern(n.Value); err != nil {
			return Config{}, lineError(n, "redact.allow_patterns: %v", err)
		}
		cfg.AllowPatterns = append(cfg.AllowPatterns, n.Value)
	}
	return cfg, nil
}

// decodeNode decodes n into v; yaml's type errors ("yaml: unmarshal
// errors:\n  line 3: cannot unmarshal…") become "3: where: cannot …".
func decodeNode(n *yaml.Node, v any, where string) error {
	err := n.Decode(v)
	if err == nil {
		return nil
	}
	var typeErr *yaml.TypeError
	if errors.As(err, &typeErr) && len(typeErr.Errors) > 0 {
		line, msg, ok := strings.Cut(strings.TrimPrefix(typeErr.Errors[0], "line "), ": ")
		if ok {
			return fmt.Errorf("%s: %s: %s", line, where, msg)
		}
	}
	return lineError(n, "%s: %v", where, err)
}

// checkKeys reports a node that is not a mapping or has a key outside allowed.
func checkKeys(n *yaml.Node, where string, allowed []string) error {
	if n.Kind != yaml.MappingNode {
		return lineError(n, "%s: expected a mapping", where)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(allowed, k.Value) {
			return lineError(k, "%s: unknown key %q (known: %s)", where, k.Value, strings.Join(allowed, ", "))
		}
	}
	return nil
}
