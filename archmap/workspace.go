package archmap

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Crate is one package of a Cargo repository.
type Crate struct {
	// Name is the package name from the crate's Cargo.toml; when the
	// manifest names none, the directory's base name stands in.
	Name string `json:"name"`
	// Dir is the crate directory relative to the repository root, slash
	// separated; "" is a package at the root.
	Dir string `json:"dir"`
	// Description is the [package] description, on one line.
	Description string `json:"description,omitempty"`
	// Lib, ProcMacro and Bin tell the crate's targets (declared, or by
	// convention: src/lib.rs, src/main.rs, src/bin/).
	Lib       bool `json:"lib,omitempty"`
	ProcMacro bool `json:"proc_macro,omitempty"`
	Bin       bool `json:"bin,omitempty"`
	// Deps are the names of the repository's crates this one depends on
	// through normal and build dependencies (target-specific ones
	// included), sorted. They order the layers.
	Deps []string `json:"deps,omitempty"`
	// DevDeps are the repository's crates among its dev-dependencies,
	// sorted; they do not order layers.
	DevDeps []string `json:"dev_deps,omitempty"`
	// Member is set when a workspace lists the crate among its members (or
	// it is a workspace's root package); other crates are packages found
	// beside the workspaces (examples, fuzz targets, excluded crates).
	Member bool `json:"member,omitempty"`
	// SourceDirs are the directories of the crate's targets that lie
	// outside Dir/src/ (a `[[bin]] path = "crates/core/main.rs"`), relative
	// to the repository root; their files belong to the crate.
	SourceDirs []string `json:"source_dirs,omitempty"`
	// Files is the number of .rs files under Dir (not counting nested
	// crates).
	Files int `json:"files,omitempty"`
	// Modules are the crate's top-level modules: directories src/<m>/ and
	// files src/<m>.rs, with their .rs file counts, sorted by name.
	Modules []Module `json:"modules,omitempty"`
}

// Module is a top-level module of a crate.
type Module struct {
	Name  string `json:"name"`
	Files int    `json:"files"`
}

// Warning is a problem found in a manifest that did not stop the reading:
// a TOML error, a members glob that matches nothing, a dependency cycle, a
// workspace dependency that the root does not define.
type Warning struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// String returns "file:line: message".
func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Message)
	}
	return w.File + ": " + w.Message
}

// Workspace is the crate layout of a Cargo repository: every package it
// holds, members of a workspace or not.
type Workspace struct {
	// Crates are sorted by directory.
	Crates []Crate
	// Warnings are the problems met while reading the manifests.
	Warnings []Warning

	byDir    map[string]int // crate index by Dir
	bySource map[string]int // crate index by SourceDirs
}

// skipDir reports whether a directory is never searched for manifests:
// hidden directories, build output, and vendored or third-party trees.
func skipDir(name string) bool {
	switch name {
	case "target", "node_modules", "vendor", "vendored", "third_party", "third-party", "3rdparty":
		return true
	}
	return strings.HasPrefix(name, ".") && name != "."
}

// fixtureDirs are directory names under which a package that no workspace
// lists is a test fixture, not a crate of the repository.
var fixtureDirs = []string{"tests", "test", "test_data", "test-data", "testdata", "fixtures", "ui", "test-fixtures"}

// ReadWorkspace reads the Cargo packages of the repository whose root is
// fsys. It finds every Cargo.toml (outside hidden, target/, vendor/ and
// node_modules/ directories), so it handles a root workspace (virtual or
// not), nested workspaces, a single crate, and Rust kept in a
// sub-directory. A package is a crate of the repository when a workspace
// lists it in members (globs, minus exclude) or when no other crate's
// directory and no test-fixture directory holds it. For each crate it reads
// the name, description, targets and its normal and build dependencies on
// other crates of the repository: path dependencies, `workspace = true`
// entries resolved through the root's [workspace.dependencies], renamed
// (`package = …`) and target-specific entries; version-only entries naming
// a crate of the repository count too.
//
// Bad manifests do not stop it: TOML errors, members globs that match
// nothing and unresolvable workspace inheritance become [Workspace.Warnings]
// naming the file and line. The error is only for a file tree that cannot be
// walked.
func ReadWorkspace(fsys fs.FS) (*Workspace, error) {
	ws := &Workspace{}
	var manifests, sources []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			ws.warn(p, 0, "unreadable: %v", err)
			return nil
		}
		if d.IsDir() {
			if p != "." && skipDir(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.Name() == "Cargo.toml":
			manifests = append(manifests, p)
		case strings.HasSuffix(p, ".rs"):
			sources = append(sources, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("archmap: read workspace: %w", err)
	}

	type pkg struct {
		dir    string
		file   string
		man    Manifest
		member bool
		root   string // directory of its workspace root, or "-" for none
	}
	var roots []pkg // workspace roots
	broken := map[string]bool{}
	pkgs := map[string]*pkg{}
	var dirs []string
	for _, file := range manifests {
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			ws.warn(file, 0, "%v", err)
			continue
		}
		m, err := ParseManifest(file, data)
		if err != nil {
			ws.Warnings = append(ws.Warnings, warningOf(file, err))
			broken[file] = true
			if !m.Package && !m.Workspace {
				// A manifest that does not parse still marks a crate.
				if !manifestHasPackage(data) {
					continue
				}
				m.Package, m.PackageName = true, salvageName(data)
			}
		}
		dir := manifestDir(file)
		if m.Workspace {
			roots = append(roots, pkg{dir: dir, file: file, man: m})
		}
		if m.Package {
			pkgs[dir] = &pkg{dir: dir, file: file, man: m, root: "-"}
			dirs = append(dirs, dir)
		}
	}

	// Members of each workspace; the deepest workspace wins.
	slices.SortFunc(roots, func(a, b pkg) int { return cmp.Compare(depth(a.dir), depth(b.dir)) })
	for _, r := range roots {
		if p := pkgs[r.dir]; p != nil {
			p.member, p.root = true, r.dir
		}
		data, _ := fs.ReadFile(fsys, r.file)
		for _, pattern := range r.man.Members {
			full := NormalizePath(path.Join(r.dir, pattern))
			if !doublestar.ValidatePattern(full) {
				ws.warn(r.file, lineOf(data, pattern), "members: invalid glob %q", pattern)
				continue
			}
			matched := false
			for _, d := range dirs {
				if ok, _ := doublestar.Match(full, d); !ok || excluded(r.dir, r.man.Exclude, d) {
					continue
				}
				matched = true
				pkgs[d].member, pkgs[d].root = true, r.dir
			}
			if !matched {
				ws.warn(r.file, lineOf(data, pattern), "members: %q matches no package", pattern)
			}
		}
	}
	// Packages that no workspace lists: crates unless a crate or a fixture
	// directory holds them. Shallow ones first, so that a package's parent
	// crate is decided before it.
	slices.SortFunc(dirs, func(a, b string) int { return cmp.Or(cmp.Compare(depth(a), depth(b)), cmp.Compare(a, b)) })
	kept := map[string]bool{}
	for _, d := range dirs {
		p := pkgs[d]
		if !p.member {
			if insideFixture(d) || insideCrate(kept, d) {
				continue
			}
		}
		kept[d] = true
	}
	rootOf := map[string]Manifest{}
	for _, r := range roots {
		rootOf[r.dir] = r.man
	}
	// The nearest enclosing workspace of a package no workspace lists.
	nearestRoot := func(d string) string {
		for a := d; ; a = parentDir(a) {
			if _, ok := rootOf[a]; ok {
				return a
			}
			if a == "" {
				return "-"
			}
		}
	}
	for _, d := range dirs {
		if !kept[d] {
			continue
		}
		p := pkgs[d]
		name := p.man.PackageName
		if name == "" {
			name = path.Base(d)
			if d == "" {
				name = "root"
			}
			if broken[p.file] {
				name = path.Base(d)
			} else {
				ws.warn(p.file, lineOf(mustRead(fsys, p.file), "name"), "package has no name; using %q", name)
			}
		}
		c := Crate{Name: name, Dir: d, Description: p.man.Description, Lib: p.man.Lib, ProcMacro: p.man.ProcMacro,
			Bin: len(p.man.Bins) > 0, Member: p.member}
		for _, tp := range p.man.TargetPaths {
			sd := manifestDir(NormalizePath(path.Join(d, tp)))
			if sd != d && !strings.HasPrefix(sd+"/", path.Join(d, "src")+"/") && !slices.Contains(c.SourceDirs, sd) {
				c.SourceDirs = append(c.SourceDirs, sd)
			}
		}
		if !c.Lib && exists(fsys, path.Join(d, "src/lib.rs")) {
			c.Lib = true
		}
		if !c.Bin && (exists(fsys, path.Join(d, "src/main.rs")) || exists(fsys, path.Join(d, "src/bin"))) {
			c.Bin = true
		}
		ws.Crates = append(ws.Crates, c)
		if p.root == "-" {
			p.root = nearestRoot(d)
		}
	}
	slices.SortFunc(ws.Crates, func(a, b Crate) int { return cmp.Compare(a.Dir, b.Dir) })
	ws.index()

	// Dependencies, now that every crate is known.
	for i := range ws.Crates {
		c := &ws.Crates[i]
		p := pkgs[c.Dir]
		root, hasRoot := rootOf[p.root]
		if len(p.man.Inherited) > 0 && !hasRoot {
			ws.warn(p.file, lineOf(mustRead(fsys, p.file), p.man.Inherited[0]),
				"package inherits %s from a workspace, but no workspace encloses it", strings.Join(p.man.Inherited, ", "))
		}
		resolve := func(deps []Dependency) []string {
			var out []string
			for _, d := range deps {
				pkgName, dir, hasDir := d.Package, "", false
				switch {
				case d.Workspace:
					wd, ok := root.WorkspaceDeps[d.Key]
					if !ok {
						ws.warn(p.file, d.Line, "dependency %q: workspace = true, but the workspace defines no such dependency", d.Key)
						continue
					}
					if d.Package == d.Key {
						pkgName = wd.Package
					}
					if wd.Path != "" {
						dir, hasDir = NormalizePath(path.Join(p.root, wd.Path)), true
					}
				case d.Path != "":
					dir, hasDir = NormalizePath(path.Join(c.Dir, d.Path)), true
				}
				if hasDir {
					if name, ok := ws.nameAt(dir); ok {
						out = append(out, name)
						continue
					}
				}
				if ws.hasName(pkgName) {
					out = append(out, pkgName)
				}
			}
			slices.Sort(out)
			out = slices.Compact(out)
			if j := slices.Index(out, c.Name); j >= 0 {
				out = slices.Delete(out, j, j+1)
			}
			return out
		}
		c.Deps = resolve(p.man.Deps)
		c.DevDeps = resolve(p.man.DevDeps)
	}

	// Files and top-level modules.
	mods := make([]map[string]int, len(ws.Crates))
	for _, s := range sources {
		i, rest, ok := ws.crateIndex(s)
		if !ok {
			continue
		}
		ws.Crates[i].Files++
		segs := strings.Split(rest, "/")
		if len(segs) < 2 || segs[0] != "src" {
			continue
		}
		m := strings.TrimSuffix(segs[1], ".rs")
		if len(segs) == 2 && (m == "lib" || m == "main" || m == "mod") {
			continue
		}
		if mods[i] == nil {
			mods[i] = map[string]int{}
		}
		mods[i][m]++
	}
	for i, m := range mods {
		for _, name := range sortedKeys(m) {
			ws.Crates[i].Modules = append(ws.Crates[i].Modules, Module{Name: name, Files: m[name]})
		}
	}
	return ws, nil
}

// WorkspaceFromPaths infers crates from repository paths alone, for when
// no manifest can be read (a commit export without its repository): a
// directory holding a Cargo.toml, or the part of a path before its first
// src/, tests/, benches/ or examples/ segment, is a crate named after the
// directory. Such crates have no dependencies, so their layers are ordered
// by name. A crate's files and modules count its source files, as isSource
// says (nil: [RustSource]).
func WorkspaceFromPaths(paths []string, isSource func(path string) bool) *Workspace {
	isSource = sourceOr(isSource)
	ws := &Workspace{}
	seen := map[string]bool{}
	add := func(dir string) {
		if seen[dir] {
			return
		}
		seen[dir] = true
		name := path.Base(dir)
		if dir == "" {
			name = "root"
		}
		ws.Crates = append(ws.Crates, Crate{Name: name, Dir: dir})
	}
	for _, p := range paths {
		p = NormalizePath(p)
		if path.Base(p) == "Cargo.toml" {
			add(manifestDir(p))
			continue
		}
		if d, ok := inferCrateDir(p); ok {
			add(d)
		}
	}
	slices.SortFunc(ws.Crates, func(a, b Crate) int { return cmp.Compare(a.Dir, b.Dir) })
	ws.index()
	mods := map[int]map[string]int{}
	for _, p := range paths {
		p = NormalizePath(p)
		if !isSource(p) {
			continue
		}
		i, rest, ok := ws.crateIndex(p)
		if !ok {
			continue
		}
		ws.Crates[i].Files++
		if segs := strings.Split(rest, "/"); len(segs) >= 3 && segs[0] == "src" {
			if mods[i] == nil {
				mods[i] = map[string]int{}
			}
			mods[i][segs[1]]++
		}
	}
	for i, m := range mods {
		for _, name := range sortedKeys(m) {
			ws.Crates[i].Modules = append(ws.Crates[i].Modules, Module{Name: name, Files: m[name]})
		}
	}
	return ws
}

// inferCrateDir returns the directory before the first src/, tests/,
// benches/ or examples/ segment of a path.
func inferCrateDir(p string) (string, bool) {
	segs := strings.Split(p, "/")
	for i, seg := range segs[:len(segs)-1] {
		if slices.Contains(crateTopDirs, seg) {
			return strings.Join(segs[:i], "/"), true
		}
	}
	return "", false
}

// UnionWorkspaces merges workspaces read at several revisions, newest
// first: a crate directory takes its description from the newest workspace
// that has it, so crates that moved or disappeared keep the manifest of a
// revision where they existed. Warnings are kept once each.
func UnionWorkspaces(newestFirst ...*Workspace) *Workspace {
	out := &Workspace{}
	seenDir := map[string]bool{}
	seenWarn := map[Warning]bool{}
	for _, ws := range newestFirst {
		if ws == nil {
			continue
		}
		for _, c := range ws.Crates {
			if !seenDir[c.Dir] {
				seenDir[c.Dir] = true
				out.Crates = append(out.Crates, c)
			}
		}
		for _, w := range ws.Warnings {
			if !seenWarn[w] {
				seenWarn[w] = true
				out.Warnings = append(out.Warnings, w)
			}
		}
	}
	slices.SortFunc(out.Crates, func(a, b Crate) int { return cmp.Compare(a.Dir, b.Dir) })
	out.index()
	return out
}

// CrateOf returns the crate holding a repository path: the crate with the
// deepest directory above it. A package at the repository root holds only
// its own src/, tests/, benches/, examples/ and build.rs; the rest of the
// root is documentation, CI and the like.
func (ws *Workspace) CrateOf(p string) (Crate, bool) {
	if ws == nil {
		return Crate{}, false
	}
	i, _, ok := ws.crateIndex(NormalizePath(p))
	if !ok {
		return Crate{}, false
	}
	return ws.Crates[i], true
}

func (ws *Workspace) index() {
	ws.byDir = make(map[string]int, len(ws.Crates))
	ws.bySource = map[string]int{}
	for i, c := range ws.Crates {
		ws.byDir[c.Dir] = i
	}
	for i, c := range ws.Crates {
		for _, d := range c.SourceDirs {
			if _, taken := ws.byDir[d]; !taken && d != "" {
				ws.bySource[d] = i
			}
		}
	}
}

func (ws *Workspace) crateIndex(p string) (int, string, bool) {
	if ws.byDir == nil {
		ws.index()
	}
	for d := parentDir(p); ; d = parentDir(d) {
		if i, ok := ws.bySource[d]; ok {
			return i, strings.TrimPrefix(p, d+"/"), true
		}
		if i, ok := ws.byDir[d]; ok {
			rest := strings.TrimPrefix(strings.TrimPrefix(p, d), "/")
			if d == "" && !rootCrateOwns(rest) {
				return 0, "", false
			}
			return i, rest, true
		}
		if d == "" {
			return 0, "", false
		}
	}
}

// rootCrateOwns reports whether a path at the repository root belongs to a
// package at the root.
func rootCrateOwns(p string) bool {
	first, _, nested := strings.Cut(p, "/")
	return (nested && slices.Contains(crateTopDirs, first)) || p == "build.rs"
}

func (ws *Workspace) nameAt(dir string) (string, bool) {
	if i, ok := ws.byDir[dir]; ok {
		return ws.Crates[i].Name, true
	}
	return "", false
}

func (ws *Workspace) hasName(name string) bool {
	for _, c := range ws.Crates {
		if c.Name == name {
			return true
		}
	}
	return false
}

func (ws *Workspace) warn(file string, line int, format string, args ...any) {
	ws.Warnings = append(ws.Warnings, Warning{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// warningOf turns a ParseManifest error ("file:line: msg") into a Warning.
func warningOf(file string, err error) Warning {
	msg := err.Error()
	var errs interface{ Unwrap() []error }
	if errors.As(err, &errs) && len(errs.Unwrap()) > 0 {
		msg = errs.Unwrap()[0].Error()
	}
	w := Warning{File: file, Message: strings.TrimPrefix(msg, file+": ")}
	if rest, ok := strings.CutPrefix(msg, file+":"); ok {
		var line int
		if n, _ := fmt.Sscanf(rest, "%d:", &line); n == 1 {
			w.Line = line
			w.Message = strings.TrimSpace(strings.TrimPrefix(rest, fmt.Sprintf("%d:", line)))
		}
	}
	return w
}

// manifestHasPackage reports whether a manifest has a [package] table, also
// when it does not parse (so a crate with a broken manifest still counts).
func manifestHasPackage(data []byte) bool {
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "[package]" {
			return true
		}
	}
	return false
}

// salvageName finds `name = "…"` in the [package] table of a manifest
// that does not parse.
func salvageName(data []byte) string {
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") {
			in = t == "[package]"
			continue
		}
		if rest, ok := strings.CutPrefix(t, "name"); in && ok {
			rest = strings.TrimSpace(rest)
			if v, ok := strings.CutPrefix(rest, "="); ok {
				v = strings.TrimSpace(v)
				if len(v) > 2 && (v[0] == '"' || v[0] == '\'') && strings.IndexByte(v[1:], v[0]) > 0 {
					return v[1 : 1+strings.IndexByte(v[1:], v[0])]
				}
			}
		}
	}
	return ""
}

func excluded(root string, exclude []string, dir string) bool {
	for _, e := range exclude {
		e = NormalizePath(path.Join(root, e))
		if dir == e || strings.HasPrefix(dir, e+"/") {
			return true
		}
		if ok, _ := doublestar.Match(e, dir); ok {
			return true
		}
	}
	return false
}

func insideFixture(dir string) bool {
	for _, seg := range strings.Split(dir, "/") {
		if slices.Contains(fixtureDirs, seg) {
			return true
		}
	}
	return false
}

func insideCrate(kept map[string]bool, dir string) bool {
	for d := parentDir(dir); d != ""; d = parentDir(d) {
		if kept[d] {
			return true
		}
	}
	return false
}

func manifestDir(file string) string {
	d := path.Dir(file)
	if d == "." {
		return ""
	}
	return d
}

// parentDir returns the parent of a slash path, "" at the top.
func parentDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

func depth(dir string) int {
	if dir == "" {
		return 0
	}
	return strings.Count(dir, "/") + 1
}

func exists(fsys fs.FS, name string) bool {
	_, err := fs.Stat(fsys, name)
	return err == nil
}

func mustRead(fsys fs.FS, name string) []byte {
	b, _ := fs.ReadFile(fsys, name)
	return b
}
