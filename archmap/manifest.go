package archmap

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// Manifest is what archmap needs from one Cargo.toml: the package, its
// targets and its dependencies, and the [workspace] section.
type Manifest struct {
	// Package is set when the manifest has a [package] table (it is a
	// crate); PackageName is its name, empty for a virtual workspace
	// manifest or an inherited name.
	Package     bool
	PackageName string
	// Description is [package] description, on one line.
	Description string
	// ProcMacro is [lib] proc-macro = true.
	ProcMacro bool
	// Lib and Bins are the declared targets: a [lib] table, the names of
	// [[bin]] tables. (Targets found by convention, src/lib.rs and
	// src/main.rs, are added by [ReadWorkspace], which sees the files.)
	Lib  bool
	Bins []string
	// TargetPaths are the `path = …` of the [lib], [[bin]], [[example]],
	// [[test]] and [[bench]] tables, relative to the manifest's directory.
	TargetPaths []string
	// Workspace is set when the manifest has a [workspace] table.
	Workspace bool
	// Members are the [workspace] members globs, such as "crates/*".
	Members []string
	// Exclude are the [workspace] exclude paths.
	Exclude []string
	// Deps are the [dependencies] and [build-dependencies], including the
	// target-specific ones ([target.'cfg(..)'.dependencies]), sorted by key.
	Deps []Dependency
	// DevDeps are the [dev-dependencies] (they do not order layers).
	DevDeps []Dependency
	// WorkspaceDeps are [workspace.dependencies], by key.
	WorkspaceDeps map[string]Dependency
	// Inherited lists the [package] keys taken from the workspace
	// (`version.workspace = true`), sorted.
	Inherited []string
	// License and LicenseFile are [package] license and license-file
	// (relative to the manifest's directory), trimmed; "" when absent or
	// taken from the workspace ([Manifest.InheritsLicense]).
	License     string
	LicenseFile string
	// WorkspaceLicense and WorkspaceLicenseFile are [workspace.package]
	// license and license-file, trimmed.
	WorkspaceLicense     string
	WorkspaceLicenseFile string
}

// InheritsLicense reports whether the package takes its licence (license
// or license-file) from its workspace: `license.workspace = true`.
func (m Manifest) InheritsLicense() bool {
	return slices.Contains(m.Inherited, "license") || slices.Contains(m.Inherited, "license-file")
}

// FieldError is a manifest field whose value has the wrong type; the error
// of [ParseManifest] joins one for each such field.
type FieldError struct {
	// File is the name given to ParseManifest; Line the field's line (0
	// when unknown).
	File string
	Line int
	// Key names the field ("members", "package.license").
	Key string
	// Want says what the value should be ("a list of strings").
	Want string
}

// Error returns "file:line: key: want …".
func (e *FieldError) Error() string {
	return fmt.Sprintf("%s:%d: %s: want %s", e.File, e.Line, e.Key, e.Want)
}

// Dependency is one entry of a dependency table.
type Dependency struct {
	// Key is the name the entry is declared under (the name the code uses).
	Key string
	// Package is the package it refers to: `package = "…"` when renamed,
	// else Key.
	Package string
	// Path is the `path = "…"` of a path dependency, relative to the
	// manifest's directory; empty otherwise.
	Path string
	// Workspace is `workspace = true`: the entry is resolved through the
	// workspace root's [workspace.dependencies].
	Workspace bool
	// Line is the line of the entry in the manifest (0 when unknown).
	Line int
}

// ParseManifest reads the parts of a Cargo.toml that archmap and package
// license use, with github.com/BurntSushi/toml. name labels errors, which
// carry the line: "crates/router/Cargo.toml:7: …". A field of the wrong
// type is a [FieldError] (joined with the others) and leaves the rest read.
func ParseManifest(name string, data []byte) (Manifest, error) {
	var doc map[string]any
	if _, err := toml.Decode(string(data), &doc); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if pe.LastKey != "" {
				msg = fmt.Sprintf("key %q: %s", pe.LastKey, msg)
			}
			return Manifest{}, fmt.Errorf("%s:%d: %s", name, pe.Position.Line, msg)
		}
		return Manifest{}, fmt.Errorf("%s: %w", name, err)
	}
	var m Manifest
	var errs []error
	lines := keyLines{data: data}
	bad := func(key, want string) {
		errs = append(errs, &FieldError{File: name, Line: lineOf(data, key), Key: key, Want: want})
	}
	// licence reads a licence field of table; inheritable fields may be
	// {workspace = true} (listed in Inherited).
	licence := func(table map[string]any, field, key string, inheritable bool) string {
		switch v := table[field].(type) {
		case nil:
			return ""
		case string:
			return strings.TrimSpace(v)
		case map[string]any:
			if _, ok := v["workspace"].(bool); ok && inheritable {
				return ""
			}
		}
		want := "a string"
		if inheritable {
			want += " or {workspace = true}"
		}
		errs = append(errs, &FieldError{File: name, Line: lineOf(data, field), Key: key, Want: want})
		return ""
	}
	pkg, hasPkg := doc["package"].(map[string]any)
	m.Package = hasPkg
	// A name inherited from the workspace (name.workspace = true) is not a
	// string; it names no crate of its own.
	m.PackageName, _ = pkg["name"].(string)
	if d, ok := pkg["description"].(string); ok {
		m.Description = strings.Join(strings.Fields(d), " ")
	}
	for k, v := range pkg {
		if t, ok := v.(map[string]any); ok && t["workspace"] == true {
			m.Inherited = append(m.Inherited, k)
		}
	}
	slices.Sort(m.Inherited)
	if hasPkg {
		m.License = licence(pkg, "license", "package.license", true)
		m.LicenseFile = licence(pkg, "license-file", "package.license-file", true)
	}
	if lib, ok := doc["lib"].(map[string]any); ok {
		m.Lib = true
		m.ProcMacro = lib["proc-macro"] == true || lib["proc_macro"] == true
		if p, ok := lib["path"].(string); ok {
			m.TargetPaths = append(m.TargetPaths, p)
		}
	}
	for _, kind := range []string{"bin", "example", "test", "bench"} {
		targets, _ := doc[kind].([]map[string]any)
		for _, t := range targets {
			if n, ok := t["name"].(string); ok && kind == "bin" {
				m.Bins = append(m.Bins, n)
			}
			if p, ok := t["path"].(string); ok {
				m.TargetPaths = append(m.TargetPaths, p)
			}
		}
	}
	if ws, ok := doc["workspace"].(map[string]any); ok {
		m.Workspace = true
		var err error
		if m.Members, err = stringList(ws["members"]); err != nil {
			bad("members", "a list of strings")
		}
		if m.Exclude, err = stringList(ws["exclude"]); err != nil {
			bad("exclude", "a list of strings")
		}
		if p, ok := ws["package"].(map[string]any); ok {
			m.WorkspaceLicense = licence(p, "license", "workspace.package.license", false)
			m.WorkspaceLicenseFile = licence(p, "license-file", "workspace.package.license-file", false)
		}
		if t, ok := ws["dependencies"].(map[string]any); ok {
			m.WorkspaceDeps = map[string]Dependency{}
			for _, d := range dependencies(&lines, t) {
				m.WorkspaceDeps[d.Key] = d
			}
		}
	}
	tables := func(t map[string]any, dev bool) {
		for _, key := range []string{"dependencies", "build-dependencies", "build_dependencies", "dev-dependencies", "dev_dependencies"} {
			deps, ok := t[key].(map[string]any)
			if !ok {
				continue
			}
			if strings.HasPrefix(key, "dev") == dev {
				if dev {
					m.DevDeps = append(m.DevDeps, dependencies(&lines, deps)...)
				} else {
					m.Deps = append(m.Deps, dependencies(&lines, deps)...)
				}
			}
		}
	}
	for _, dev := range []bool{false, true} {
		tables(doc, dev)
		if targets, ok := doc["target"].(map[string]any); ok {
			for _, spec := range sortedKeys(targets) {
				if t, ok := targets[spec].(map[string]any); ok {
					tables(t, dev)
				}
			}
		}
	}
	return m, errors.Join(errs...)
}

// dependencies reads one dependency table, sorted by key; lines finds
// their lines.
func dependencies(lines *keyLines, table map[string]any) []Dependency {
	var out []Dependency
	for _, key := range sortedKeys(table) {
		d := Dependency{Key: key, Package: key, Line: lines.of(key)}
		if t, ok := table[key].(map[string]any); ok {
			if p, ok := t["package"].(string); ok && p != "" {
				d.Package = p
			}
			d.Path, _ = t["path"].(string)
			d.Workspace = t["workspace"] == true
		}
		out = append(out, d)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func stringList(v any) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, errors.New("not a list")
	}
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, ok := x.(string)
		if !ok {
			return nil, errors.New("not a string")
		}
		out = append(out, s)
	}
	return out, nil
}

// keyLines finds the lines of many keys of one manifest, as lineOf does,
// reading the manifest once: a manifest's dependencies each look their
// line up.
type keyLines struct {
	data []byte
	defs map[string]int // key -> the first line defining it; nil until needed
}

// of returns lineOf(data, key).
func (k *keyLines) of(key string) int {
	if k.defs == nil {
		k.index()
	}
	if n, ok := k.defs[key]; ok {
		return n
	}
	return lineOf(k.data, key) // only mentioned, or not at all
}

// index notes, for each line, the keys it defines in lineOf's sense: the
// line, less leading spaces and quotes, starts with the key, and what
// follows the key, less spaces and quotes, starts with "=" or ".".
func (k *keyLines) index() {
	k.defs = map[string]int{}
	data := k.data
	for n := 1; ; n++ {
		line, rest, more := bytes.Cut(data, []byte("\n"))
		t := bytes.TrimLeft(line, " \t\"'")
		for j := 0; j < len(t); j++ {
			switch t[j] {
			case '"', '\'', ' ', '\t', '=', '.':
				after := bytes.TrimLeft(t[j:], "\"' \t")
				if len(after) > 0 && (after[0] == '=' || after[0] == '.') {
					if _, seen := k.defs[string(t[:j])]; !seen {
						k.defs[string(t[:j])] = n
					}
				}
			}
		}
		if !more {
			return
		}
		data = rest
	}
}

// lineOf returns the 1-based line of the first line of data that starts
// with key (after spaces and an optional quote), or that mentions it; 0 when
// none does. TOML's decoder keeps no key positions, and a warning should
// still point at a line.
func lineOf(data []byte, key string) int {
	// Line by line without splitting data: a manifest's dependencies each
	// look their line up.
	mention := 0
	for n := 1; ; n++ {
		line, rest, more := bytes.Cut(data, []byte("\n"))
		t := bytes.TrimLeft(line, " \t\"'")
		if bytes.HasPrefix(t, []byte(key)) {
			after := bytes.TrimLeft(t[len(key):], "\"' \t")
			if len(after) > 0 && (after[0] == '=' || after[0] == '.') {
				return n
			}
		}
		if mention == 0 && bytes.Contains(line, []byte(key)) {
			mention = n
		}
		if !more {
			return mention
		}
		data = rest
	}
}
