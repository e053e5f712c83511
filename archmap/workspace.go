package archmap

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"

	"github.com/bmatcuk/doublestar/v4"
)

// Workspace is the crate layout of a Cargo repository.
type Workspace struct {
	// Crates are the members, sorted by directory; a root package has Dir "".
	Crates []Crate
}

// ReadWorkspace reads Cargo.toml at the root of fsys, expands its
// [workspace] members globs (minus exclude), and reads each member's
// package name. A repository whose root manifest is a single package yields
// that one crate. Members without a Cargo.toml are skipped, as Cargo's
// globs do.
func ReadWorkspace(fsys fs.FS) (Workspace, error) {
	root, err := readManifest(fsys, "Cargo.toml")
	if err != nil {
		return Workspace{}, err
	}
	var ws Workspace
	if root.PackageName != "" {
		ws.Crates = append(ws.Crates, Crate{Name: root.PackageName, Dir: ""})
	}
	excluded := map[string]bool{}
	for _, e := range root.Exclude {
		excluded[NormalizePath(e)] = true
	}
	seen := map[string]bool{"": true}
	var errs []error
	for _, pattern := range root.Members {
		pattern = NormalizePath(pattern)
		if !doublestar.ValidatePattern(pattern) {
			errs = append(errs, fmt.Errorf("archmap: Cargo.toml: members: invalid glob %q", pattern))
			continue
		}
		// A member is a directory holding a Cargo.toml.
		manifests, err := doublestar.Glob(fsys, pattern+"/Cargo.toml")
		if err != nil {
			errs = append(errs, fmt.Errorf("archmap: Cargo.toml: members %q: %w", pattern, err))
			continue
		}
		for _, m := range manifests {
			dir := path.Dir(m)
			if seen[dir] || excluded[dir] {
				continue
			}
			seen[dir] = true
			man, err := readManifest(fsys, m)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ws.Crates = append(ws.Crates, Crate{Name: man.PackageName, Dir: dir})
		}
	}
	slices.SortFunc(ws.Crates, func(a, b Crate) int { return cmp.Compare(a.Dir, b.Dir) })
	return ws, errors.Join(errs...)
}

func readManifest(fsys fs.FS, name string) (Manifest, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Manifest{}, fmt.Errorf("archmap: read %s: %w", name, err)
	}
	m, err := ParseManifest(name, data)
	if err != nil {
		return Manifest{}, fmt.Errorf("archmap: %w", err)
	}
	return m, nil
}
