// Package toylang is a tiny line-based language that proves a language is
// one package and one registry entry: the tests register it next to Rust
// and follow its files through the commit export and the merge, with no
// change to dataset, archmap or gitlog.
//
// A .toy file holds one definition per line, "KIND NAME = BODY", where KIND
// is rule or fact; blank lines and lines starting with # are ignored, any
// other line is a syntax error. A definition's identity is its kind and
// name; a new body is a modification ("body").
package toylang

import (
	"fmt"
	"strings"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/lang"
)

// The kinds of toy definitions.
const (
	KindRule change.Kind = "rule"
	KindFact change.Kind = "fact"
)

// SystemPrompt is the system message of a toy dataset.
const SystemPrompt = "You are an expert toy-language engineer. Given a request, say which rules and facts to change."

// Language returns the toy language: **/*.toy files, its differ, its two
// kinds (a rule reads "rewrite rule" in sentences), its system prompt and
// its own change-line renderer ("toy rule greet (body)").
func Language() lang.Language {
	return lang.Language{
		Name:         "toy",
		Globs:        []string{"**/*.toy"},
		NewDiffer:    NewDiffer,
		Kinds:        []lang.Kind{{Kind: KindRule, Noun: "rewrite rule"}, {Kind: KindFact}},
		SystemPrompt: SystemPrompt,
		Render:       Render,
		Layout:       lang.Layout{Manifests: []string{"toy.mod"}, TestDirs: []string{"spec"}},
	}
}

// Render renders a change line: "toy rule greet", "toy fact pi (body)".
func Render(c change.Identifier) string {
	s := "toy " + string(c.Kind) + " " + c.Name
	if c.Op == change.OpModified && len(c.Detail) > 0 {
		s += " (" + strings.Join(c.Detail, ", ") + ")"
	}
	return s
}

// def is one definition of a file.
type def struct {
	kind       change.Kind
	name, body string
	line       int
}

// parse reads a file's definitions, in order, and its syntax errors.
func parse(src []byte) ([]def, []change.ParseError) {
	var defs []def
	var errs []change.ParseError
	for i, l := range strings.Split(string(src), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		head, body, ok := strings.Cut(l, "=")
		f := strings.Fields(head)
		if !ok || len(f) != 2 || (f[0] != string(KindRule) && f[0] != string(KindFact)) {
			errs = append(errs, change.ParseError{Line: i + 1, Message: fmt.Sprintf("want KIND NAME = BODY, got %q", l)})
			continue
		}
		defs = append(defs, def{kind: change.Kind(f[0]), name: f[1], body: strings.TrimSpace(body), line: i + 1})
	}
	return defs, errs
}

// differ keeps the definitions of the version fed last.
type differ struct{ prev []def }

// NewDiffer returns a [lang.Differ] for one .toy file.
func NewDiffer() lang.Differ { return &differ{} }

// Next reports what changed from the version fed before: modified and
// added definitions in the new file's order, then removed ones in the old
// file's order.
func (d *differ) Next(src []byte) (lang.FileDiff, error) {
	next, errs := parse(src)
	key := func(x def) string { return string(x.kind) + ":" + x.name }
	old := map[string]def{}
	for _, x := range d.prev {
		old[key(x)] = x
	}
	out := lang.FileDiff{Errors: errs}
	seen := map[string]bool{}
	for _, x := range next {
		k := key(x)
		seen[k] = true
		c := change.Identifier{Kind: x.kind, Name: x.name, Visibility: "public", Line: x.line}
		switch o, ok := old[k]; {
		case !ok:
			c.Op = change.OpAdded
		case o.body != x.body:
			c.Op, c.Detail = change.OpModified, []string{change.DetailBody}
		default:
			continue
		}
		out.Changes = append(out.Changes, c)
	}
	for _, x := range d.prev {
		if !seen[key(x)] {
			out.Changes = append(out.Changes, change.Identifier{Op: change.OpRemoved, Kind: x.kind, Name: x.name,
				Visibility: "public", Line: x.line})
		}
	}
	d.prev = next
	return out, nil
}

// Close drops the definitions.
func (d *differ) Close() { d.prev = nil }
