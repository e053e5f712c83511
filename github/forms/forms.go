// Package forms reads a repository's GitHub issue forms and pull request
// templates and tells which sections of an issue or pull request body are
// form scaffolding rather than a description of the problem.
//
// GitHub renders an issue form's answers as "### Label" sections: a
// textarea or input as its text (or "_No response_" when left empty), a
// dropdown as the chosen option, checkboxes as "- [X] option" lines. A
// markdown template (.github/ISSUE_TEMPLATE/*.md, a pull request template)
// is copied into the body and edited, so its headings reappear. [Load] reads
// the templates GitHub honours from a file system (a revision of the
// repository, see gitlog's Repository.FS), [ParseIssueForm] and
// [ParseMarkdown] parse one, and a [Set] classifies a body's section by its
// heading and content ([Set.Classify]): what the templates say the heading
// is (a confirmation checkbox, a "willing to submit a PR" dropdown, an
// environment field, a checklist), else generic fallbacks that work with no
// template at all.
//
// The package knows nothing of datasets: package dataset uses a Set when it
// cleans prompts and counts what was removed.
package forms

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Role is what a section of a body is for. The zero value, [Problem], is a
// section that describes the problem and stays in a prompt.
type Role string

// Roles of sections. Every role but Problem is scaffolding.
const (
	// Problem describes the problem (bug description, expected behaviour,
	// motivation…): kept.
	Problem Role = ""
	// NoResponse is a form field left empty: GitHub writes "_No response_".
	NoResponse Role = "no_response"
	// Confirmation is a checkboxes field of confirmations ("Have you read
	// the Contributing Guidelines?", "I searched for duplicates").
	Confirmation Role = "confirmation"
	// Volunteer is the "Are you willing to submit a PR?" question.
	Volunteer Role = "volunteer"
	// Environment is an environment block (OS, `rustc --version`, app
	// version) the change does not depend on.
	Environment Role = "environment"
	// Checklist is a template section of checkboxes (type of change, a
	// reviewer's checklist).
	Checklist Role = "checklist"
)

// Roles lists the scaffolding roles, in the order reports show them.
var Roles = []Role{NoResponse, Confirmation, Volunteer, Environment, Checklist}

// Field types of an issue form (the "type" key of a body element).
const (
	TypeMarkdown   = "markdown"
	TypeTextarea   = "textarea"
	TypeInput      = "input"
	TypeDropdown   = "dropdown"
	TypeCheckboxes = "checkboxes"
	// TypeHeading is a section of a markdown template.
	TypeHeading = "heading"
)

// Section is one field of an issue form or one heading of a markdown
// template.
type Section struct {
	// Heading is the label as it appears in a body ("### Label"), or the
	// markdown heading's text.
	Heading string
	// ID is the form field's id ("" for markdown).
	ID string
	// Type is the field type (TypeTextarea…) or TypeHeading.
	Type string
	// Options are a dropdown's or checkboxes' option labels.
	Options []string
	// Role is what the template says the section is for.
	Role Role
}

// Template is one issue form or markdown template.
type Template struct {
	// Path is where the template was read from (for messages).
	Path string
	// Name is a form's name (or a markdown template's front matter name).
	Name string
	// Sections are the form's fields, or the template's headings, in order.
	Sections []Section
}

// parseError is an error in a template, with its path and line (0 when
// unknown).
type parseError struct {
	path string
	line int
	msg  string
}

func (e *parseError) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("forms: %s:%d: %s", e.path, e.line, e.msg)
	}
	return fmt.Sprintf("forms: %s: %s", e.path, e.msg)
}

// ParseIssueForm parses a YAML issue form (.github/ISSUE_TEMPLATE/*.yml):
// its name and body fields. Markdown elements are not rendered into an
// issue's body and are left out. A field without a label is an error, as on
// GitHub.
func ParseIssueForm(name string, data []byte) (*Template, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &parseError{path: name, msg: err.Error()}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &parseError{path: name, msg: "empty form"}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &parseError{path: name, line: root.Line, msg: "a form is a mapping"}
	}
	t := &Template{Path: name}
	body := mapValue(root, "body")
	if n := mapValue(root, "name"); n != nil && n.Kind == yaml.ScalarNode {
		t.Name = n.Value
	}
	if body == nil {
		return nil, &parseError{path: name, line: root.Line, msg: "no body"}
	}
	if body.Kind != yaml.SequenceNode {
		return nil, &parseError{path: name, line: body.Line, msg: "body: expected a list of fields"}
	}
	for _, el := range body.Content {
		if el.Kind != yaml.MappingNode {
			return nil, &parseError{path: name, line: el.Line, msg: "body: expected a field"}
		}
		typ := scalar(mapValue(el, "type"))
		if typ == TypeMarkdown {
			continue
		}
		switch typ {
		case TypeTextarea, TypeInput, TypeDropdown, TypeCheckboxes:
		case "":
			return nil, &parseError{path: name, line: el.Line, msg: "field without a type"}
		default:
			return nil, &parseError{path: name, line: el.Line, msg: fmt.Sprintf("unknown field type %q", typ)}
		}
		attrs := mapValue(el, "attributes")
		label := strings.TrimSpace(scalar(mapValue(attrs, "label")))
		if label == "" {
			return nil, &parseError{path: name, line: el.Line, msg: fmt.Sprintf("%s field without a label", typ)}
		}
		s := Section{Heading: label, ID: scalar(mapValue(el, "id")), Type: typ}
		if opts := mapValue(attrs, "options"); opts != nil && opts.Kind == yaml.SequenceNode {
			for _, o := range opts.Content {
				switch o.Kind {
				case yaml.ScalarNode:
					s.Options = append(s.Options, o.Value)
				case yaml.MappingNode:
					s.Options = append(s.Options, scalar(mapValue(o, "label")))
				}
			}
		}
		s.Role = fieldRole(s)
		t.Sections = append(t.Sections, s)
	}
	return t, nil
}

// mapValue returns the value of key in a mapping node, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

var (
	mdHeading   = regexp.MustCompile(`^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$`)
	mdCheckbox  = regexp.MustCompile(`^\s*[-*+]\s+\[[ xX]?\]`)
	mdComment   = regexp.MustCompile(`(?s)<!--.*?-->`)
	frontMatter = regexp.MustCompile(`(?s)\A---\r?\n(.*?)\r?\n---\r?\n`)
)

// ParseMarkdown parses a markdown template (a pull request template or a
// .github/ISSUE_TEMPLATE/*.md): its front matter's name and its headings.
// A heading whose section is mostly checkboxes is a [Checklist].
func ParseMarkdown(name string, data []byte) (*Template, error) {
	t := &Template{Path: name}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	if m := frontMatter.FindStringSubmatch(text); m != nil {
		var fm struct {
			Name string `yaml:"name"`
		}
		if err := yaml.Unmarshal([]byte(m[1]), &fm); err != nil {
			return nil, &parseError{path: name, line: 1, msg: "front matter: " + err.Error()}
		}
		t.Name = fm.Name
		text = text[len(m[0]):]
	}
	text = mdComment.ReplaceAllString(text, "")
	var cur *Section
	boxes, other := 0, 0
	flush := func() {
		if cur == nil {
			return
		}
		if boxes > 0 && boxes >= other {
			cur.Role = Checklist
		} else {
			cur.Role = headingRole(cur.Heading)
		}
		t.Sections = append(t.Sections, *cur)
	}
	inFence := false
	for l := range strings.SplitSeq(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "```") || strings.HasPrefix(strings.TrimSpace(l), "~~~") {
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		if m := mdHeading.FindStringSubmatch(l); m != nil {
			flush()
			cur, boxes, other = &Section{Heading: m[1], Type: TypeHeading}, 0, 0
			continue
		}
		switch {
		case strings.TrimSpace(l) == "":
		case mdCheckbox.MatchString(l):
			boxes++
		default:
			other++
		}
	}
	flush()
	return t, nil
}

// fieldRole is the role of an issue form field.
func fieldRole(s Section) Role {
	if r := headingRole(s.Heading); r != Problem {
		return r
	}
	switch s.Type {
	case TypeCheckboxes:
		return Confirmation
	case TypeDropdown:
		for _, o := range s.Options {
			if volunteerOption.MatchString(o) {
				return Volunteer
			}
		}
	}
	if environmentID.MatchString(s.ID) || (s.Type != TypeCheckboxes && versionLabel.MatchString(NormalizeHeading(s.Heading))) {
		return Environment
	}
	return Problem
}

var (
	// volunteerOption is a dropdown option offering to do the work.
	volunteerOption = regexp.MustCompile(`(?i)\b(submit|open|send|raise|create|contribute)\b.*\b(pr|pull request|fix|patch)\b|\bwilling to\b`)
	// versionLabel is a form field asking for one thing's version ("SQLx
	// version"); as a heading of free text it may describe a change.
	versionLabel  = regexp.MustCompile(`^[\w.-]+ versions?$`)
	environmentID = regexp.MustCompile(`(?i)^(env|environment|version|versions|os|platform|system|system-info|rust-version|rustc|toolchain)$`)
)

// headingRoles are generic fallbacks: headings that are scaffolding in
// any repository's forms (normalised: lower case, no punctuation).
var headingRoles = []struct {
	re   *regexp.Regexp
	role Role
}{
	{regexp.MustCompile(`^(are|were) you (willing|able|interested|planning) to (submit|open|send|make|create|work on|contribute)|^would you (like|be willing|be interested) to (submit|open|work|contribute|implement)|^(willing|volunteer) to (submit|contribute|implement)|^do you want to (submit|work|contribute)|^(contribution|contributing)$`), Volunteer},
	{regexp.MustCompile(`^have you (read|checked|searched|spent|looked|followed|agreed)|^(i have )?(read|agree to) the (contributing|code of conduct)|^code of conduct|^(pre-?flight|prerequisites?|before (you )?submitting|preliminary checks|checks?)( checklist)?$|^(is there an existing|search(ed)? (existing|for existing)|duplicates?)|^terms$|^confirmations?$|^acknowledge?ments?$`), Confirmation},
	{regexp.MustCompile(`^(what|which) (version|versions|operating system|os|platform|rust version|rustc version|toolchain)\b|^how did you install|^(your )?(environment|env|platform|system|system info(rmation)?|versions?|(rust|rustc|cargo|toolchain|os|operating system|browser|app|crate|library|software|package)( and (rust|rustc|os))? versions?|operating system|os|hardware|toolchain|build environment)( info(rmation)?| details)?$`), Environment},
	{regexp.MustCompile(`^((pr|pull request|reviewer|review|submission|contributor|author|merge|final)s? )?check ?list$|^type of (change|changes|pr)$|^additional changes$|^(pr|change) type$|^kind of change$`), Checklist},
}

// headingRole is the generic role of a heading.
func headingRole(h string) Role {
	n := NormalizeHeading(h)
	for _, r := range headingRoles {
		if r.re.MatchString(n) {
			return r.role
		}
	}
	return Problem
}

var (
	headingPunct = regexp.MustCompile(`[^\p{L}\p{N}\s'()/-]+`)
	headingSpace = regexp.MustCompile(`\s+`)
)

// NormalizeHeading folds a heading for comparison: lower case, emphasis,
// emoji and punctuation removed, spaces folded.
func NormalizeHeading(h string) string {
	h = strings.ToLower(h)
	h = headingPunct.ReplaceAllString(h, " ")
	return strings.TrimSpace(headingSpace.ReplaceAllString(h, " "))
}

// Paths GitHub reads templates from, relative to the repository root: the
// .github directory, the root and docs/.
var (
	templateDirs = []string{".github", "", "docs"}
)

// Load reads every issue form and template GitHub honours from fsys (the
// root of a repository at one revision): ISSUE_TEMPLATE/*.yml, *.yaml and
// *.md (config.yml aside), issue_template.md, pull_request_template.md and
// PULL_REQUEST_TEMPLATE/*.md, in .github/, the root or docs/, names
// matched case-insensitively. A template that does not parse is skipped
// and reported in the error list; the others are still loaded.
func Load(fsys fs.FS) (*Set, []error) {
	var ts []*Template
	var errs []error
	for _, dir := range templateDirs {
		entries, err := fs.ReadDir(fsys, orDot(dir))
		if err != nil {
			continue
		}
		for _, e := range entries {
			lname := strings.ToLower(e.Name())
			p := path.Join(dir, e.Name())
			switch {
			case e.IsDir() && (lname == "issue_template" || lname == "pull_request_template"):
				sub, err := fs.ReadDir(fsys, p)
				if err != nil {
					continue
				}
				for _, se := range sub {
					ln := strings.ToLower(se.Name())
					if se.IsDir() || ln == "config.yml" || ln == "config.yaml" {
						continue
					}
					ext := path.Ext(ln)
					if ext != ".yml" && ext != ".yaml" && ext != ".md" {
						continue
					}
					t, err := readTemplate(fsys, path.Join(p, se.Name()))
					if err != nil {
						errs = append(errs, err)
						continue
					}
					ts = append(ts, t)
				}
			case !e.IsDir() && (lname == "pull_request_template.md" || lname == "issue_template.md"):
				t, err := readTemplate(fsys, p)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				ts = append(ts, t)
			}
		}
	}
	return NewSet(ts...), errs
}

func orDot(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// readTemplate reads and parses one template by its extension.
func readTemplate(fsys fs.FS, p string) (*Template, error) {
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, fmt.Errorf("forms: %w", err)
	}
	if strings.HasSuffix(strings.ToLower(p), ".md") {
		return ParseMarkdown(p, data)
	}
	return ParseIssueForm(p, data)
}

// Set is the templates of a repository (of one revision or the union of
// several). The nil Set, and the empty one, classify with the generic
// fallbacks only. A Set is immutable and safe for concurrent use.
type Set struct {
	templates []*Template
	roles     map[string]Role // normalised heading → role the templates give it
}

// NewSet returns the set of ts. When templates disagree about a heading,
// the scaffolding role wins over Problem (the heading is scaffolding in
// one form at least), and the first template's scaffolding role is kept.
func NewSet(ts ...*Template) *Set {
	s := &Set{roles: map[string]Role{}}
	return s.With(ts...)
}

// With returns a new set holding s's templates and ts (a template already
// in the set is not added twice).
func (s *Set) With(ts ...*Template) *Set {
	out := &Set{roles: map[string]Role{}}
	if s != nil {
		out.templates = slices.Clone(s.templates)
		for k, v := range s.roles {
			out.roles[k] = v
		}
	}
	for _, t := range ts {
		if t == nil || slices.ContainsFunc(out.templates, func(o *Template) bool { return sameTemplate(o, t) }) {
			continue
		}
		out.templates = append(out.templates, t)
		for _, sec := range t.Sections {
			k := NormalizeHeading(sec.Heading)
			if k == "" {
				continue
			}
			if old, ok := out.roles[k]; !ok || (old == Problem && sec.Role != Problem) {
				out.roles[k] = sec.Role
			}
		}
	}
	return out
}

// sameTemplate reports whether a and b are the same template (path, name
// and sections), e.g. one read at two revisions.
func sameTemplate(a, b *Template) bool {
	return a.Path == b.Path && a.Name == b.Name && slices.EqualFunc(a.Sections, b.Sections, func(x, y Section) bool {
		return x.Heading == y.Heading && x.ID == y.ID && x.Type == y.Type && x.Role == y.Role && slices.Equal(x.Options, y.Options)
	})
}

// Templates returns the set's templates.
func (s *Set) Templates() []*Template {
	if s == nil {
		return nil
	}
	return slices.Clone(s.templates)
}

// Classify returns the role of a body's section from its heading (without
// the "#" marks) and its content: "_No response_" is [NoResponse]
// whatever the heading; a heading the templates know has their role; any
// other heading the generic fallbacks' (Problem when none matches).
func (s *Set) Classify(heading, content string) Role {
	if IsNoResponse(content) {
		return NoResponse
	}
	k := NormalizeHeading(heading)
	if s != nil {
		if r, ok := s.roles[k]; ok && r != Problem {
			return r
		}
	}
	return headingRole(heading)
}

// IsNoResponse reports whether a section's content is GitHub's answer
// to an empty form field ("_No response_", possibly with blank lines).
func IsNoResponse(content string) bool {
	c := strings.TrimSpace(content)
	return c == "_No response_" || c == "*No response*"
}
