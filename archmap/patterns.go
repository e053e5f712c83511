package archmap

import (
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/sftforge/sftforge/change"
)

// Pattern is a named code pattern of a change with how often it occurs.
type Pattern struct {
	Name  string `json:"name" yaml:"name"`
	Count int    `json:"count"`
}

// ChangeSet is what a [Detector] looks at: one change's files and identifier
// changes, with the classifier that places files in layers.
type ChangeSet struct {
	Files      []change.File
	Changes    []change.Identifier
	Classifier *Classifier
	// What the detectors ask of a file, found once: few files in most
	// changes, searched in order (the last first: a file's changes are
	// consecutive), indexed beyond factsScan.
	facts      []fileFacts
	factsIndex map[string]int
	last       int
	layerWords []layerWords       // SplitWords of the layer IDs met
	added      map[[2]string]bool // addedTypes, once addedDone
	addedDone  bool
}

// fileFacts are a file's layer and role.
type fileFacts struct {
	file, layer string
	role        string // PathRole's, "" for none, once roleDone
	roleDone    bool
}

// layerWords are the words of a layer ID.
type layerWords struct {
	layer string
	words []string
}

// factsScan is how many files a ChangeSet searches in order before it
// indexes them.
const factsScan = 16

// factsOf returns the facts of file, its layer found on the first call.
// The pointer is valid until the next call.
func (s *ChangeSet) factsOf(file string) *fileFacts {
	if s.last < len(s.facts) && s.facts[s.last].file == file {
		return &s.facts[s.last]
	}
	if s.factsIndex != nil {
		if i, ok := s.factsIndex[file]; ok {
			s.last = i
			return &s.facts[i]
		}
	} else {
		for i := range s.facts {
			if s.facts[i].file == file {
				s.last = i
				return &s.facts[i]
			}
		}
	}
	id := ""
	if l, ok := s.Classifier.Classify(file); ok {
		id = l.ID
	}
	if s.facts == nil {
		s.facts = make([]fileFacts, 0, min(len(s.Files)+1, factsScan))
	}
	s.facts = append(s.facts, fileFacts{file: file, layer: id})
	s.last = len(s.facts) - 1
	switch {
	case s.factsIndex != nil:
		s.factsIndex[file] = s.last
	case len(s.facts) > factsScan:
		s.factsIndex = make(map[string]int, 2*len(s.facts))
		for i := range s.facts {
			s.factsIndex[s.facts[i].file] = i
		}
	}
	return &s.facts[s.last]
}

// is reports whether a file plays a role: its layer is the role layer, or
// its path has the role's shape ([PathRole]), as the tests/ directory of a
// crate has, whose files are in the crate's layer.
func (s *ChangeSet) is(file, role string) bool {
	f := s.factsOf(file)
	if f.layer == role {
		return true
	}
	if !f.roleDone {
		f.role, _ = PathRole(file) // "" when none: no role is ""
		f.roleDone = true
	}
	return f.role != "" && f.role == role
}

// layerHas reports whether a file's layer is id, or a layer whose ID has one
// of words ("router_db" for the database, "api" for the API models).
func (s *ChangeSet) layerHas(file, id string, words ...string) bool {
	l := s.LayerOf(file)
	if l == id {
		return true
	}
	i := slices.IndexFunc(s.layerWords, func(lw layerWords) bool { return lw.layer == l })
	if i < 0 {
		s.layerWords = append(s.layerWords, layerWords{l, SplitWords(l)})
		i = len(s.layerWords) - 1
	}
	for _, w := range s.layerWords[i].words {
		if slices.Contains(words, w) {
			return true
		}
	}
	return false
}

// LayerOf returns the layer ID of a file, or "" when no rule matches.
func (s *ChangeSet) LayerOf(file string) string {
	return s.factsOf(file).layer
}

// addedTypes returns the names of structs, enums and unions added in the
// change, keyed by file and name, so that their fields and variants are not
// counted as extensions of existing types.
// It is computed once and must not be modified.
func (s *ChangeSet) addedTypes() map[[2]string]bool {
	if s.addedDone {
		return s.added
	}
	s.addedDone = true
	for i := range s.Changes {
		if c := &s.Changes[i]; c.Op == change.OpAdded && (c.Kind == change.KindStruct || c.Kind == change.KindEnum || c.Kind == change.KindUnion) {
			if s.added == nil {
				s.added = map[[2]string]bool{}
			}
			s.added[[2]string{c.File, c.Name}] = true
		}
	}
	return s.added
}

// ownerType returns the last path element of an owner: "a::b::Foo" → "Foo".
func ownerType(owner string) string {
	if i := strings.LastIndex(owner, "::"); i >= 0 {
		return owner[i+2:]
	}
	return owner
}

// Detector finds one code pattern in a change. Detectors are plain values,
// like analyzers in golang.org/x/tools/go/analysis: users build their own and
// pass them to [DetectPatterns] alongside or instead of [DefaultDetectors].
type Detector struct {
	// Name is the pattern's name in the response, e.g. "Add enum variants".
	Name string
	// Doc says what is counted.
	Doc string
	// Count returns how many times the pattern occurs; 0 means absent.
	Count func(s *ChangeSet) int
}

// countWhere counts the items satisfying keep.
func countWhere[T any](items []T, keep func(T) bool) int {
	n := 0
	for _, it := range items {
		if keep(it) {
			n++
		}
	}
	return n
}

// countChanges counts identifier changes satisfying keep.
func countChanges(s *ChangeSet, keep func(change.Identifier) bool) int {
	return countWhere(s.Changes, keep)
}

// countFiles counts files satisfying keep.
func countFiles(s *ChangeSet, keep func(change.File) bool) int { return countWhere(s.Files, keep) }

func isPub(visibility string) bool { return visibility == "pub" }

var typeKinds = []change.Kind{change.KindStruct, change.KindEnum, change.KindUnion, change.KindType}

// queryWords mark the query code of the database layer.
var queryWords = []string{"query", "queries", "db", "dao", "repository", "store", "sql"}

// builtinDetectors is DefaultDetectors made once, for DetectPatterns
// (which does not modify them).
var builtinDetectors = sync.OnceValue(DefaultDetectors)

// DefaultDetectors returns the built-in detectors in the order their
// patterns are reported.
func DefaultDetectors() []Detector {
	return []Detector{
		{Name: "Add new module/file", Doc: "added source files (Classifier.IsSource) outside tests", Count: func(s *ChangeSet) int {
			return countFiles(s, func(f change.File) bool {
				return f.Status == change.StatusAdded && s.Classifier.IsSource(f.Path) && !s.is(f.Path, LayerTests)
			})
		}},
		{Name: "Add new types", Doc: "added structs, enums, unions and type aliases", Count: func(s *ChangeSet) int {
			return countChanges(s, func(c change.Identifier) bool { return c.Op == change.OpAdded && slices.Contains(typeKinds, c.Kind) })
		}},
		{Name: "Extend types with new fields", Doc: "fields added to structs that existed before", Count: func(s *ChangeSet) int {
			fresh := s.addedTypes()
			return countChanges(s, func(c change.Identifier) bool {
				return c.Op == change.OpAdded && c.Kind == change.KindField && !fresh[[2]string{c.File, ownerType(c.Owner)}]
			})
		}},
		{Name: "Add enum variants", Doc: "variants added to enums that existed before", Count: func(s *ChangeSet) int {
			fresh := s.addedTypes()
			return countChanges(s, func(c change.Identifier) bool {
				return c.Op == change.OpAdded && c.Kind == change.KindVariant && !fresh[[2]string{c.File, ownerType(c.Owner)}]
			})
		}},
		{Name: "Add public functions", Doc: "added pub functions and methods", Count: func(s *ChangeSet) int {
			return countChanges(s, func(c change.Identifier) bool {
				return c.Op == change.OpAdded && (c.Kind == change.KindFunction || c.Kind == change.KindMethod) && isPub(c.Visibility)
			})
		}},
		{Name: "Add internal functions", Doc: "added functions and methods that are not pub, outside tests and trait impls", Count: func(s *ChangeSet) int {
			return countChanges(s, func(c change.Identifier) bool {
				return c.Op == change.OpAdded && (c.Kind == change.KindFunction || c.Kind == change.KindMethod) && !isPub(c.Visibility) &&
					!strings.Contains(c.Owner, " for ") && !s.is(c.File, LayerTests)
			})
		}},
		{Name: "Implement trait for type", Doc: "added impl blocks of the form Trait for Type", Count: func(s *ChangeSet) int {
			return countChanges(s, func(c change.Identifier) bool {
				return c.Op == change.OpAdded && c.Kind == change.KindImpl && strings.Contains(c.Name, " for ")
			})
		}},
		{Name: "Add traits", Doc: "added trait definitions", Count: func(s *ChangeSet) int {
			return countChanges(s, func(c change.Identifier) bool { return c.Op == change.OpAdded && c.Kind == change.KindTrait })
		}},
		{Name: "Add constants", Doc: "added consts and statics", Count: func(s *ChangeSet) int {
			return countChanges(s, func(c change.Identifier) bool {
				return c.Op == change.OpAdded && (c.Kind == change.KindConst || c.Kind == change.KindStatic || c.Kind == change.KindAssocConst)
			})
		}},
		{Name: "Add macros", Doc: "added macro_rules! macros", Count: func(s *ChangeSet) int {
			return countChanges(s, func(c change.Identifier) bool { return c.Op == change.OpAdded && c.Kind == change.KindMacro })
		}},
		{Name: "Change function signatures", Doc: "functions and methods whose signature changed", Count: func(s *ChangeSet) int {
			return countChanges(s, func(c change.Identifier) bool {
				return c.Op == change.OpModified && (c.Kind == change.KindFunction || c.Kind == change.KindMethod) && slices.Contains(c.Detail, "signature")
			})
		}},
		{Name: "Modify database queries", Doc: "functions and methods changed in the query code of the database layer (files or directories named query, queries, db, store…)", Count: func(s *ChangeSet) int {
			return countChanges(s, func(c change.Identifier) bool {
				return (c.Kind == change.KindFunction || c.Kind == change.KindMethod) && s.layerHas(c.File, LayerDatabase, "database", "db") && hasQueryWord(c.File)
			})
		}},
		{Name: "Add database migrations", Doc: "added SQL files", Count: func(s *ChangeSet) int {
			return countFiles(s, func(f change.File) bool { return f.Status == change.StatusAdded && path.Ext(f.Path) == ".sql" })
		}},
		{Name: "Change API contract", Doc: "pub items added, removed or changed in the API models layer", Count: func(s *ChangeSet) int {
			return countChanges(s, func(c change.Identifier) bool {
				return s.layerHas(c.File, LayerAPIModels, "api") && (isPub(c.Visibility) || c.Kind == change.KindField || c.Kind == change.KindVariant)
			})
		}},
		{Name: "Add configuration", Doc: "configuration files with added lines", Count: func(s *ChangeSet) int {
			return countFiles(s, func(f change.File) bool { return f.Additions > 0 && s.is(f.Path, LayerConfiguration) })
		}},
		{Name: "Add tests", Doc: "test files with added lines", Count: func(s *ChangeSet) int {
			return countFiles(s, func(f change.File) bool { return f.Additions > 0 && s.is(f.Path, LayerTests) })
		}},
		{Name: "Update dependencies", Doc: "manifests and lock files (Classifier.IsManifest) changed", Count: func(s *ChangeSet) int {
			return countFiles(s, func(f change.File) bool { return s.Classifier.IsManifest(f.Path) })
		}},
		{Name: "Update documentation", Doc: "documentation files changed", Count: func(s *ChangeSet) int {
			return countFiles(s, func(f change.File) bool { return s.is(f.Path, LayerDocumentation) })
		}},
		{Name: "Remove dead code", Doc: "removed items other than fields and variants", Count: func(s *ChangeSet) int {
			return countChanges(s, func(c change.Identifier) bool {
				return c.Op == change.OpRemoved && c.Kind != change.KindField && c.Kind != change.KindVariant && c.Kind != change.KindImpl && c.Kind != change.KindMod
			})
		}},
	}
}

func hasQueryWord(file string) bool {
	for _, seg := range strings.Split(file, "/") {
		for _, w := range SplitWords(strings.TrimSuffix(seg, path.Ext(seg))) {
			if slices.Contains(queryWords, w) {
				return true
			}
		}
	}
	return false
}

// DetectPatterns runs detectors (nil means [DefaultDetectors]) over one
// change and returns the patterns found, in detector order, with their
// counts. A nil classifier means [Default].
func DetectPatterns(files []change.File, changes []change.Identifier, c *Classifier, detectors ...Detector) []Pattern {
	if c == nil {
		c = Default()
	}
	if detectors == nil {
		detectors = builtinDetectors()
	}
	s := &ChangeSet{Files: files, Changes: changes, Classifier: c}
	// Found on the stack, returned at their number.
	var arr [24]Pattern
	found := arr[:0]
	for _, d := range detectors {
		if d.Count == nil {
			continue
		}
		if n := d.Count(s); n > 0 {
			found = append(found, Pattern{Name: d.Name, Count: n})
		}
	}
	return append([]Pattern{}, found...)
}
