package archmap

import (
	"path"
	"slices"
	"strings"
)

// crateParents are directories whose sub-directories are crates, even
// without a src/ directory ("crates/core/main.rs").
var crateParents = []string{"crates", "components", "packages", "libs", "lib"}

// PathArea returns the crate and module of a repository path, from its
// layout alone: the crate is the directory holding the last src/ segment
// ("src/mito2/src/cache/mod.rs" is crate "mito2", module
// "src/cache/mod.rs"), else the first tests/, benches/ or examples/
// segment, else a directory under crates/ (or components/, packages/,
// libs/); the crate name is that directory's name, "" for the root crate.
// ok is false for paths outside any crate (docs/, .github/, Cargo.toml at
// the root). Crates known from the workspace, when given, win: the one
// with the longest directory holding the path names it.
func PathArea(p string, crates ...Crate) (crate, module string, ok bool) {
	if len(crates) == 0 {
		return layoutArea(p)
	}
	segs := strings.Split(p, "/")
	if c, n, found := innermostCrate(crates, segs); found {
		crate = c.Name
		if crate == "" {
			crate = path.Base(c.Dir)
		}
		if n == 0 && crate == "." {
			crate = ""
		}
		return crate, strings.Join(segs[n:], "/"), true
	}
	return layoutArea(p)
}

// layoutArea is PathArea from the layout alone (no crate given, or none
// holding p), without splitting p: a module is the rest of p from its
// first segment.
func layoutArea(p string) (crate, module string, ok bool) {
	last := strings.LastIndexByte(p, '/') // the directories end there
	if last < 0 {
		return "", "", false
	}
	src, tests, parent := -1, -1, -1 // offsets of the segments found
	var srcCrate, testsCrate, parentCrate, prev string
	for start := 0; start <= last; {
		end := start + strings.IndexByte(p[start:], '/')
		switch d := p[start:end]; {
		case d == "src":
			src, srcCrate = start, prev
		case tests < 0 && (d == "tests" || d == "benches" || d == "examples"):
			tests, testsCrate = start, prev
		}
		if parent < 0 && end < last && slices.Contains(crateParents, p[start:end]) {
			// The next segment is a directory too: the crate.
			next := end + 1 + strings.IndexByte(p[end+1:], '/')
			parent, parentCrate = next+1, p[end+1:next]
		}
		prev = p[start:end]
		start = end + 1
	}
	switch {
	case src >= 0:
		return srcCrate, p[src:], true
	case tests >= 0:
		return testsCrate, p[tests:], true
	case parent >= 0:
		return parentCrate, p[parent:], true
	}
	return "", "", false
}

// CountAreas turns a change's files into the [Area] values of an
// [IntentInput]: each source file (as isSource says; nil: [RustSource])
// counts towards its crate and module (see [PathArea]), every other file
// (documentation, CI, manifests, migrations) and every source file outside
// crates towards its layer, as layerOf names it ("" leaves it out); source
// files keep their layer too. Areas are listed in the order their first
// file appears.
func CountAreas(paths []string, layerOf func(path string) string, isSource func(path string) bool, crates ...Crate) []Area {
	isSource = sourceOr(isSource)
	var out []Area
	index := map[Area]int{}
	for _, p := range paths {
		var a Area
		if layerOf != nil {
			a.Layer = layerOf(p)
		}
		crate, module, ok := PathArea(p, crates...)
		switch {
		case ok && isSource(p):
			a.Crate, a.Module = crate, module
		case a.Layer == "":
			continue
		}
		if i, seen := index[a]; seen {
			out[i].Files++
			continue
		}
		index[a] = len(out)
		a.Files = 1
		out = append(out, a)
	}
	return out
}

// CratePrefix returns the word that most crate names of a repository start
// with, when at least a fifth of them (and at least two) do: "sqlx" for
// sqlx-core, sqlx-postgres and sqlx-macros; "" for crates named freely (hir,
// ide, syntax…). [IntentInput.Project] drops it from crate names.
func CratePrefix(names []string) string {
	count := map[string]int{}
	distinct := map[string]bool{}
	for _, n := range names {
		if n == "" || distinct[n] {
			continue
		}
		distinct[n] = true
		if words := SplitWords(n); len(words) > 0 {
			count[words[0]]++
		}
	}
	best := ""
	for w, c := range count {
		if c > count[best] || (c == count[best] && w < best) {
			best = w
		}
	}
	if count[best] >= 2 && 5*count[best] >= len(distinct) {
		return best
	}
	return ""
}

// LargeCrates returns the crates that hold at least share (0 < share ≤ 1)
// of the source paths among paths (as isSource says; nil: [RustSource];
// see [PathArea]); the root crate ("") is never one. A change inside them
// is about one of their modules.
func LargeCrates(paths []string, share float64, isSource func(path string) bool, crates ...Crate) []string {
	isSource = sourceOr(isSource)
	count := map[string]int{}
	total := 0
	for _, p := range paths {
		if !isSource(p) {
			continue
		}
		if c, _, ok := PathArea(p, crates...); ok {
			total++
			count[c]++
		}
	}
	var out []string
	for c, n := range count {
		if c != "" && float64(n) >= share*float64(total) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}
