package dataset

import (
	"slices"
	"strconv"
	"strings"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/lang"
)

// This file turns a merged record's files and identifier changes into the
// plan the response is written as: key changes as sentences per file
// ("Add field `customer_id` to struct `CustomerListRequest`"), which the
// budget (budget.go) can collapse and summarise.

// changeGroup is the identifier changes of one file that read as one
// sentence: same op, kind, owner and detail.
type changeGroup struct {
	op                       change.Op
	kind                     change.Kind
	owner, ownerNoun, detail string
	names                    []string // distinct, in order of appearance
}

// opVerbs are the sentence verbs of the ops, in the order files list them.
var opVerbs = []struct {
	op   change.Op
	verb string
}{
	{change.OpAdded, "Add"}, {change.OpRemoved, "Remove"}, {change.OpModified, "Modify"},
}

// groupChanges groups a file's code changes (tests false) or test changes
// (change.Identifier.Test) into sentences: Add, then Remove, then Modify,
// each in order of first appearance. owners maps a type name to its kind
// (struct, enum, union) where the changes show it.
func groupChanges(changes []change.Identifier, tests bool, owners *containerKinds, langs lang.Registry) []changeGroup {
	return appendGroups(nil, changes, tests, owners, langs)
}

// appendGroups appends the groups of groupChanges to groups.
func appendGroups(groups []changeGroup, changes []change.Identifier, tests bool, owners *containerKinds, langs lang.Registry) []changeGroup {
	for _, ov := range opVerbs {
		// The op's groups are found by a scan while they are few, then
		// by an index.
		first := len(groups)
		var index map[groupKey]int // of groups[k], k >= first
		for i := range changes {
			c := &changes[i]
			if c.Op != ov.op || c.Test != tests {
				continue
			}
			detail := ""
			if c.Op == change.OpModified {
				detail = strings.Join(c.Detail, ", ")
			}
			key := groupKey{c.Kind, c.Owner, detail}
			g := -1
			if index != nil {
				if k, ok := index[key]; ok {
					g = k
				}
			} else {
				for k := first; k < len(groups); k++ {
					if h := &groups[k]; h.kind == key.kind && h.owner == key.owner && h.detail == key.detail {
						g = k
						break
					}
				}
			}
			if g < 0 {
				g = len(groups)
				groups = append(groups, changeGroup{op: c.Op, kind: c.Kind, owner: c.Owner, detail: detail,
					ownerNoun: langs.OwnerNoun(*c, owners.get(c.Owner))})
				switch {
				case index != nil:
					index[key] = g
				case len(groups)-first > groupScan:
					index = make(map[groupKey]int, 2*groupScan)
					for k := first; k < len(groups); k++ {
						h := &groups[k]
						index[groupKey{h.kind, h.owner, h.detail}] = k
					}
				}
			}
			if h := &groups[g]; !containsString(h.names, c.Name) { // #[cfg] twins read as one item
				h.names = append(h.names, c.Name)
			}
		}
	}
	return groups
}

// groupRuns returns the number of runs of changes of one group in
// changes (consecutive, same op, kind, owner, test and detail): at least
// the number of their groups.
func groupRuns(changes []change.Identifier) int {
	n := 0
	for i := range changes {
		if i == 0 {
			n++
			continue
		}
		a, b := &changes[i-1], &changes[i]
		if a.Op != b.Op || a.Kind != b.Kind || a.Owner != b.Owner || a.Test != b.Test ||
			b.Op == change.OpModified && !slices.Equal(a.Detail, b.Detail) {
			n++
		}
	}
	return n
}

// groupScan is how many groups of an op groupChanges scans before it
// indexes them.
const groupScan = 16

// groupKey keys the changes of a file that read as one sentence.
type groupKey struct {
	kind          change.Kind
	owner, detail string
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ownerKinds maps the names of the containers among changes (the kinds
// the languages mark lang.Kind.Container: Rust's structs, enums and
// unions) to their kind, so that a member's sentence names its owner
// right (lang.Registry.OwnerNoun).
func ownerKinds(langs lang.Registry, lists ...[]change.Identifier) containerKinds {
	var m containerKinds
	for _, changes := range lists {
		for i := range changes {
			if c := &changes[i]; langs.IsContainer(c.Kind) {
				name := c.Name
				if c.Owner != "" {
					name = c.Owner + "::" + c.Name
				}
				m.set(name, c.Kind)
			}
		}
	}
	return m
}

// containerKinds maps container names to their kind: a list searched in
// order while short (a record has few containers), a map beyond.
type containerKinds struct {
	names []string
	kinds []change.Kind
	index map[string]change.Kind
}

// containerScan is how many containers containerKinds lists before it
// indexes them.
const containerScan = 8

// set maps name to kind.
func (m *containerKinds) set(name string, kind change.Kind) {
	if m.index != nil {
		m.index[name] = kind
		return
	}
	if i := slices.Index(m.names, name); i >= 0 {
		m.kinds[i] = kind
		return
	}
	if len(m.names) == containerScan {
		m.index = make(map[string]change.Kind, 2*containerScan)
		for i, n := range m.names {
			m.index[n] = m.kinds[i]
		}
		m.index[name] = kind
		m.names, m.kinds = nil, nil
		return
	}
	m.names = append(m.names, name)
	m.kinds = append(m.kinds, kind)
}

// get returns the kind of name, "" when it is not a known container.
func (m *containerKinds) get(name string) change.Kind {
	if m == nil {
		return ""
	}
	if m.index != nil {
		return m.index[name]
	}
	if i := slices.Index(m.names, name); i >= 0 {
		return m.kinds[i]
	}
	return ""
}

// collapseAt is the length above which a list of names is collapsed when a
// response is over its budget, and collapseKeep how many names stay.
const (
	collapseAt   = 8
	collapseKeep = 3
)

// sentence renders a group: "Add field `customer_id` to struct
// `CustomerListRequest`", "Add 37 variants to enum `Connector`: `A`, `B`,
// …"; with collapse, lists longer than collapseAt keep their first
// collapseKeep names and end in "… and N more".
func (g *changeGroup) sentence(collapse bool, langs lang.Registry) string {
	return string(g.appendSentence(nil, collapse, langs))
}

// appendSentence appends g.sentence(collapse, langs) to b.
func (g *changeGroup) appendSentence(b []byte, collapse bool, langs lang.Registry) []byte {
	b = append(b, verbOf(g.op)...)
	n := len(g.names)
	b = append(b, ' ')
	if n == 1 {
		b = append(b, langs.KindNoun(g.kind, 1)...)
		b = append(b, " `"...)
		b = append(b, g.names[0]...)
		b = append(b, '`')
	} else {
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, ' ')
		b = append(b, langs.KindNoun(g.kind, n)...)
	}
	if g.ownerNoun != "" {
		b = append(b, ' ')
		b = append(b, g.preposition(langs)...)
		b = append(b, ' ')
		b = append(b, g.ownerNoun...)
	}
	if g.detail != "" {
		b = append(b, " ("...)
		b = append(b, g.detail...)
		b = append(b, ')')
	}
	if n > 1 {
		b = append(b, ": "...)
		shown := g.names
		if collapse && n > collapseAt {
			shown = g.names[:collapseKeep]
		}
		for i, name := range shown {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, '`')
			b = append(b, name...)
			b = append(b, '`')
		}
		if len(shown) < n {
			b = append(b, " … and "...)
			b = strconv.AppendInt(b, int64(n-len(shown)), 10)
			b = append(b, " more"...)
		}
	}
	return b
}

// preposition joins a group's items to their owner: members (the kinds
// the languages mark lang.Kind.Member) are added to, removed from and
// modified of their type; items sit in a module.
func (g *changeGroup) preposition(langs lang.Registry) string {
	if langs.IsMember(g.kind) {
		switch g.op {
		case change.OpRemoved:
			return "from"
		case "modified":
			return "of"
		}
		return "to"
	}
	return "in"
}

// verbOf returns the sentence verb of an op.
func verbOf(op change.Op) string {
	for _, ov := range opVerbs {
		if ov.op == op {
			return ov.verb
		}
	}
	return string(op)
}

// summarySentences summarises groups by kind, one sentence per op: "Add
// 12 functions, 3 structs and 40 fields".
func summarySentences(groups []changeGroup, langs lang.Registry) []string {
	var out []string
	for _, ov := range opVerbs {
		var kinds []change.Kind
		counts := map[change.Kind]int{}
		for i := range groups {
			g := &groups[i]
			if g.op != ov.op {
				continue
			}
			if counts[g.kind] == 0 {
				kinds = append(kinds, g.kind)
			}
			counts[g.kind] += len(g.names)
		}
		if len(kinds) == 0 {
			continue
		}
		parts := make([]string, len(kinds))
		for i, k := range kinds {
			parts[i] = strconv.Itoa(counts[k]) + " " + langs.KindNoun(k, counts[k])
		}
		out = append(out, ov.verb+" "+joinAnd(parts))
	}
	return out
}

// joinAnd joins "a", "b", "c" as "a, b and c".
func joinAnd(parts []string) string {
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// leadActions phrase the lead of each generic action ("To %s this %s:"
// with the verb and noun), and name the feature types the action already
// says ("To implement this CI change:", not "this ci CI change").
var leadActions = map[string]struct {
	verb, noun string
	redundant  []string
}{
	"add_feature": {"implement", "feature", nil},
	"enhance":     {"implement", "enhancement", nil},
	"fix_bug":     {"fix", "bug", nil},
	"refactor":    {"implement", "refactoring", nil},
	"perf":        {"implement", "performance improvement", []string{"performance"}},
	"deps":        {"implement", "dependency update", []string{"dependencies"}},
	"revert":      {"revert", "change", nil},
	"release":     {"prepare", "release", []string{"release"}},
	"style":       {"implement", "style change", nil},
	"build":       {"implement", "build change", []string{"build"}},
	"ci":          {"implement", "CI change", []string{"ci", "ci_tooling"}},
	"test":        {"implement", "test change", []string{"tests"}},
	"docs":        {"implement", "documentation change", []string{"documentation"}},
	"chore":       {"implement", "maintenance change", nil},
}

// featureLead is the first line of a merged response, from the record's
// intent: "To implement this payment feature:", "To fix this storage
// bug:", "To implement this CI change:"; "To implement this change:" when
// the intent names neither a feature type nor an action.
func featureLead(in IntentRecord) string {
	a, ok := leadActions[in.Action]
	if !ok {
		a.verb, a.noun = "implement", "change"
	}
	feature := in.FeatureType
	if feature == "none" || containsString(a.redundant, feature) {
		feature = ""
	}
	if feature == "" && in.Action == "add_feature" {
		a.noun = "change"
	}
	feature = strings.TrimSpace(strings.ReplaceAll(feature, "_", " "))
	return "To " + a.verb + " this " + withSpace(feature) + a.noun + ":"
}

func withSpace(s string) string {
	if s == "" {
		return ""
	}
	return s + " "
}

// commitDetail renders a commit's files and identifier changes as the
// commit export does ([RenderCommitResponse] without its heading), with
// long runs of one kind and owner collapsed, and the changes of the files
// summarise says summarised by kind (nil: none).
func commitDetail(files []change.File, changes []change.Identifier, collapse bool, summarise func(path string) bool, langs lang.Registry) string {
	return string(trimNewlines(appendFileDetail(nil, files, changes, collapse, summarise, langs), 0))
}

// trimNewlines returns b without the newlines that end b[start:].
func trimNewlines(b []byte, start int) []byte {
	for len(b) > start && b[len(b)-1] == '\n' {
		b = b[:len(b)-1]
	}
	return b
}

// appendFileDetail appends each file and its changes grouped as Add,
// Remove and Modify to b. With collapse, more than collapseAt changes of
// one kind and owner in a section keep their first collapseKeep lines and
// a line "… and N more"; in a file summarise says yes to, a section is one
// line of counts by kind.
func appendFileDetail(b []byte, files []change.File, changes []change.Identifier, collapse bool, summarise func(path string) bool, langs lang.Registry) []byte {
	byFile := changesByFile(changes)
	for _, f := range files {
		b = appendOneFileDetail(b, f, byFile.get(f.Path), collapse, summarise != nil && summarise(f.Path), langs)
	}
	return b
}

// appendOneFileDetail appends one file of [appendFileDetail] with its
// changes cs (those of the commit whose File is f.Path), summarised by
// kind when summarised says so: a commit's detail is its files' in order,
// each depending only on the file, its changes, collapse and summarised
// (what responsePlan caches).
func appendOneFileDetail(b []byte, f change.File, cs []change.Identifier, collapse, summarised bool, langs lang.Registry) []byte {
	b = append(b, "\n**"...)
	b = append(b, f.Path...)
	b = append(b, "**"...)
	switch f.Status {
	case change.StatusAdded:
		b = append(b, " (new file)"...)
	case change.StatusDeleted:
		b = append(b, " (deleted)"...)
	case change.StatusRenamed:
		b = append(b, " (renamed from "...)
		b = append(b, f.OldPath...)
		b = append(b, ')')
	}
	b = append(b, '\n')
	if len(cs) == 0 {
		return append(b, "  (no identifier changes)\n"...)
	}
	// The changes' language renders their lines: looked up once for the
	// file (cs are its changes, c.File is f.Path).
	fileLang := langs.For(f.Path)
	for _, sec := range fileSections {
		// The section's changes are cs's of its op and test, in order;
		// one change is the usual section. They are read in place.
		in := func(c *change.Identifier) bool { return c.Op == sec.op && c.Test == sec.test }
		if countFunc(cs, in) == 0 {
			continue
		}
		if summarised {
			counts, kinds := map[change.Kind]int{}, []change.Kind(nil)
			for i := range cs {
				if c := &cs[i]; in(c) {
					if counts[c.Kind] == 0 {
						kinds = append(kinds, c.Kind)
					}
					counts[c.Kind]++
				}
			}
			parts := make([]string, len(kinds))
			for i, k := range kinds {
				parts[i] = strconv.Itoa(counts[k]) + " " + langs.KindNoun(k, counts[k])
			}
			b = append(b, "  "...)
			b = append(b, sec.title...)
			b = append(b, ": "...)
			b = append(b, joinAnd(parts)...)
			b = append(b, '\n')
			continue
		}
		b = append(b, "  "...)
		b = append(b, sec.title...)
		b = append(b, ":\n"...)
		// Runs of one kind and owner are counted only to be collapsed.
		var size, shown map[kindOwner]int
		if collapse {
			size, shown = map[kindOwner]int{}, map[kindOwner]int{}
			for i := range cs {
				if c := &cs[i]; in(c) {
					size[kindOwner{c.Kind, c.Owner}]++
				}
			}
		}
		for i := range cs {
			c := &cs[i]
			if !in(c) {
				continue
			}
			if collapse {
				key := kindOwner{c.Kind, c.Owner}
				n := size[key]
				if n > collapseAt {
					shown[key]++
					switch {
					case shown[key] == collapseKeep+1:
						b = append(b, "    - … and "...)
						b = strconv.AppendInt(b, int64(n-collapseKeep), 10)
						b = append(b, " more "...)
						b = append(b, langs.KindNoun(c.Kind, n-collapseKeep)...)
						if c.Owner != "" {
							b = append(b, " of "...)
							b = append(b, c.Owner...)
						}
						b = append(b, '\n')
						continue
					case shown[key] > collapseKeep:
						continue
					}
				}
			}
			b = append(b, "    - "...)
			l := fileLang
			if c.File != f.Path {
				l = langs.For(c.File)
			}
			if l != nil && l.Render != nil {
				b = append(b, l.Render(*c)...)
			} else {
				b = c.Append(b) // the shared renderer, change.Identifier.String
			}
			b = append(b, '\n')
		}
	}
	return b
}

// kindOwner keys the runs of changes of one kind and owner.
type kindOwner struct {
	kind  change.Kind
	owner string
}

// countFunc counts the elements of s that f reports.
func countFunc[T any](s []T, f func(*T) bool) int {
	n := 0
	for i := range s {
		if f(&s[i]) {
			n++
		}
	}
	return n
}
