// Package license finds the licence of the files of a Rust repository at
// a revision, as an SPDX expression: from the `license` and `license-file`
// fields of the Cargo manifests (a crate's own, or its workspace's through
// `license.workspace = true`) and from the repository's licence files
// (LICENSE, LICENSE-MIT, COPYING, UNLICENSE…), classified with
// github.com/google/licensecheck. Expressions are checked and compared with
// github.com/github/go-spdx.
//
// The rule, for a set of paths at one revision (see [Detector.Detect]):
//
//  1. each path takes the licence of its crate: the nearest Cargo.toml
//     above it with a [package] licence (`license`, else the text of
//     `license-file`, else, for `license.workspace = true`, the workspace
//     root's [workspace.package] licence);
//  2. the distinct licences of the crates are joined with AND: a change
//     that spans crates under different licences is under all of them;
//     paths in no crate with a licence (documentation, CI files) add none;
//  3. when no path is in a crate with a licence, the repository's: the
//     root Cargo.toml's [package] or [workspace.package] licence, else the
//     licence files at the root. Several licence files are alternatives
//     (joined with OR), the convention of Rust repositories (LICENSE-MIT
//     and LICENSE-APACHE: "at your option").
//
// Results are cached by blob (a manifest's or a licence file's content), so
// that the same manifest read at thousands of revisions is parsed and
// classified once. The package knows nothing of git: a revision is an
// [fs.FS] (gitlog's Repository.FS), optionally a [Hasher].
package license

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/github/go-spdx/v2/spdxexp"
	"github.com/google/licensecheck"

	"github.com/sftforge/sftforge/archmap"
)

// Manifest is a Cargo manifest as [archmap.ParseManifest] reads it; the
// licence is in its License, LicenseFile, InheritsLicense,
// WorkspaceLicense and WorkspaceLicenseFile.
type Manifest = archmap.Manifest

// ReadManifest reads a Cargo.toml with [archmap.ParseManifest] for its
// licence. The error is a TOML error or a licence field of the wrong type
// (naming it); other fields' problems are archmap's to report and do not
// stop the licence from being read.
func ReadManifest(data []byte) (Manifest, error) {
	m, err := archmap.ParseManifest("Cargo.toml", data)
	var errs []error
	for _, e := range unjoin(err) {
		var fe *archmap.FieldError
		if errors.As(e, &fe) && !strings.Contains(fe.Key, "license") {
			continue
		}
		errs = append(errs, e)
	}
	if err := errors.Join(errs...); err != nil {
		return m, fmt.Errorf("license: %w", err)
	}
	return m, nil
}

// unjoin returns the errors errors.Join joined into err, or err alone.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err != nil {
		return []error{err}
	}
	return nil
}

// spdxSpacer spaces out the parentheses of an SPDX expression and reads
// Cargo's old "/" as OR (one Replacer: building one costs more than using it).
var spdxSpacer = strings.NewReplacer("(", " ( ", ")", " ) ", "/", " OR ")

// Normalize checks an SPDX expression and returns it in canonical form:
// operators upper case, Cargo's old "/" separator read as OR, spaces
// collapsed. An expression go-spdx does not accept is an error.
func Normalize(expr string) (string, error) {
	var toks []string
	for _, f := range strings.Fields(spdxSpacer.Replace(expr)) {
		switch u := strings.ToUpper(f); u {
		case "AND", "OR", "WITH":
			f = u
		}
		toks = append(toks, f)
	}
	out := strings.ReplaceAll(strings.ReplaceAll(strings.Join(toks, " "), "( ", "("), " )", ")")
	if out == "" {
		return "", errors.New("license: empty SPDX expression")
	}
	if _, err := spdxexp.ExtractLicenses(out); err != nil {
		return "", fmt.Errorf("license: SPDX expression %q: %w", expr, err)
	}
	return out, nil
}

// Satisfies reports whether expr is satisfied by the allowed licences (SPDX
// identifiers): "MIT OR Apache-2.0" by [MIT], "MIT AND Apache-2.0" only by
// both. An empty expr (licence unknown) satisfies nothing.
func Satisfies(expr string, allowed []string) (bool, error) {
	if expr == "" {
		return false, nil
	}
	return spdxexp.Satisfies(expr, allowed)
}

// ValidateList checks a list of allowed licences (each an SPDX identifier,
// as --licenses takes them) and returns the first bad one's error.
func ValidateList(ids []string) error {
	if len(ids) == 0 {
		return errors.New("license: empty licence list")
	}
	for _, id := range ids {
		if ok, _ := spdxexp.ValidateLicenses([]string{id}); !ok || strings.ContainsAny(strings.TrimSpace(id), " ()") {
			return fmt.Errorf("license: %q is not an SPDX licence identifier (e.g. MIT, Apache-2.0, BSD-3-Clause)", id)
		}
	}
	return nil
}

// MinCoverage is the share of a licence file's words (percent) that must
// match known licences for [Classify] to name them.
const MinCoverage = 75

// Classify returns the SPDX identifiers of the licences a licence file's
// text holds, in order, or nil when it is not recognised (less than
// [MinCoverage] percent of it matches licence texts). Identifiers
// licensecheck knows that are not SPDX are left out.
func Classify(text []byte) []string {
	cov := licensecheck.Scan(text)
	if cov.Percent < MinCoverage {
		return nil
	}
	var ids []string
	for _, m := range cov.Match {
		if m.IsURL || slices.Contains(ids, m.ID) {
			continue
		}
		if ok, _ := spdxexp.ValidateLicenses([]string{m.ID}); ok {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

// Warm builds the matcher [Classify] uses (licensecheck's, about a second
// of CPU, once per process) if it is not built yet. Classify builds it at
// its first call, while other calls wait: a caller about to classify
// licence texts on several goroutines can build it beforehand, alongside
// other work.
func Warm() { licensecheck.Scan(nil) }

// IsLicenseFile reports whether a file name is a licence file's: LICENSE,
// LICENCE, COPYING or UNLICENSE, with any suffix (LICENSE-MIT,
// LICENSE.txt), in any case.
func IsLicenseFile(name string) bool {
	u := strings.ToUpper(name)
	for _, p := range licenseNames {
		if strings.HasPrefix(u, p) {
			return true
		}
	}
	return false
}

// Hasher is an optional interface of a file system: a stable name of a
// file's content, read without reading the content (gitlog's revision file
// system gives the blob's object id). [Detector] caches by it; without it,
// by the content's SHA-256. A missing file's error wraps fs.ErrNotExist.
type Hasher interface {
	FileHash(name string) (string, error)
}

// Detector finds licences at revisions (see the package comment), caching
// what it read by blob. Its zero value is ready; it is safe for concurrent
// use.
type Detector struct {
	mu        sync.Mutex
	manifests map[string]manifestEntry // by content key
	texts     map[string][]string      // licence file classifications, by content key
}

type manifestEntry struct {
	m   Manifest
	err error
}

// Detect returns the SPDX expression of paths (repository-relative, "/"
// separated) in the revision fsys by the package's rule, "" when no
// licence is found. A manifest
// that does not parse, or whose licence is not an SPDX expression, is
// skipped as if absent (the error is returned with the result).
func (d *Detector) Detect(fsys fs.FS, paths []string) (string, error) {
	expr, _, err := d.DetectTracked(fsys, paths)
	return expr, err
}

// DetectTracked is [Detect], also reporting whether the result depends
// only on files [Affects] reports: then two revisions that differ only in
// other files give the same result for paths' directories. It is false
// when a manifest's license-file names another file.
func (d *Detector) DetectTracked(fsys fs.FS, paths []string) (expr string, tracked bool, err error) {
	return d.At(fsys).Detect(paths)
}

// At returns the lookups of one revision, fsys, which keep what they find
// per directory for the next: many lookups at one revision (or at
// revisions that differ only in files [Affects] does not report, for the
// results reported as tracked) read each manifest once.
func (d *Detector) At(fsys fs.FS) *Revision {
	return &Revision{d: d, fsys: fsys, crate: map[string]dirLicense{}}
}

// Revision is the licence lookups of one revision (see [Detector.At]).
// It is safe for concurrent use.
type Revision struct {
	d     *Detector
	fsys  fs.FS
	mu    sync.Mutex            // guards crate and repo
	crate map[string]dirLicense // directory -> crate licence, found without error
	repo  *dirLicense           // the repository's, found without error
}

// Carry gives r what from, the lookups of another revision, found that
// cannot differ at r: changed lists the paths that differ between the two
// revisions, of which only those [Affects] reports matter. A directory's
// licence depends on the manifests of the directory and of those above
// it, so it is carried unless a changed path lies in one of them; one
// found through a license-file, which may lie anywhere, is never carried.
// Call Carry before r's first lookup; from may be in use.
func (r *Revision) Carry(from *Revision, changed []string) {
	dirs := map[string]bool{}
	for _, p := range changed {
		if Affects(p) {
			dirs[path.Dir(p)] = true
		}
	}
	changedAbove := func(dir string) bool {
		for {
			if dirs[dir] {
				return true
			}
			if dir == "." || dir == "/" {
				return false
			}
			dir = path.Dir(dir)
		}
	}
	type entry struct {
		dir string
		l   dirLicense
	}
	var carried []entry
	from.mu.Lock()
	for dir, l := range from.crate {
		if !l.viaFile && !changedAbove(dir) {
			carried = append(carried, entry{dir, l})
		}
	}
	var repo *dirLicense
	if from.repo != nil && !from.repo.viaFile && !dirs["."] {
		l := *from.repo
		repo = &l
	}
	from.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range carried {
		if _, ok := r.crate[e.dir]; !ok {
			r.crate[e.dir] = e.l
		}
	}
	if r.repo == nil {
		r.repo = repo
	}
}

// dirLicense is a licence found for a directory (or the repository).
type dirLicense struct {
	expr string // "" none
	// tracked: found from files Affects reports only (not through a
	// license-file of another name).
	tracked bool
	// viaFile: found through a license-file, which may lie anywhere in
	// the repository (not only in the directory or above it).
	viaFile bool
	// failed: found with an error, here or in a parent directory, in
	// this lookup; kept for the lookup only, so that the next reports the
	// error again.
	failed bool
}

// Detect is [Detector.DetectTracked] at the revision. Lookups run
// concurrently: the revision is locked only to read and store what was
// found (two lookups may find the same directory at the same time).
func (r *Revision) Detect(paths []string) (expr string, tracked bool, err error) {
	var exprs []string
	var errs []error
	tracked = true
	add := func(l dirLicense) {
		tracked = tracked && l.tracked
		if l.expr != "" && !slices.Contains(exprs, l.expr) {
			exprs = append(exprs, l.expr)
		}
	}
	var failed map[string]dirLicense // this lookup's directories found with an error
	for _, p := range paths {
		l, err := r.crateLicense(path.Dir(p), &failed)
		if err != nil {
			errs = append(errs, err)
		}
		add(l)
	}
	if len(exprs) == 0 {
		l, err := r.repoLicense()
		if err != nil {
			errs = append(errs, err)
		}
		add(l)
	}
	return Join(exprs), tracked, errors.Join(errs...)
}

// Affects reports whether adding, changing or deleting the file at p (a
// repository path, "/" separated) can change what [Detector.Detect]
// finds at a revision, other than as a manifest's license-file: p is a
// Cargo manifest or a licence file ([IsLicenseFile]), or lies in a
// directory so named. [Globs] select at least these paths.
func Affects(p string) bool {
	for seg := range strings.SplitSeq(p, "/") {
		if seg == "Cargo.toml" || IsLicenseFile(seg) {
			return true
		}
	}
	return false
}

// licenseNames are the prefixes [IsLicenseFile] looks for.
var licenseNames = []string{"LICENSE", "LICENCE", "COPYING", "UNLICENSE"}

// Globs returns doublestar patterns that select every path [Affects]
// reports (and a few more: directories are matched by name only), for a
// walk that looks for the commits changing licences.
func Globs() []string {
	names := []string{"Cargo.toml"}
	for _, n := range licenseNames {
		var b strings.Builder
		for _, c := range n { // any case, as IsLicenseFile
			b.WriteString("[" + string(c) + strings.ToLower(string(c)) + "]")
		}
		names = append(names, b.String()+"*")
	}
	var out []string
	for _, n := range names {
		out = append(out, "**/"+n, "**/"+n+"/**")
	}
	return out
}

// Join joins SPDX expressions with AND, each compound one in parentheses,
// sorted and without repeats; "" for none.
func Join(exprs []string) string {
	var parts []string
	for _, e := range exprs {
		if e == "" {
			continue
		}
		if strings.ContainsRune(e, ' ') && !(strings.HasPrefix(e, "(") && strings.HasSuffix(e, ")")) {
			e = "(" + e + ")"
		}
		if !slices.Contains(parts, e) {
			parts = append(parts, e)
		}
	}
	if len(parts) == 1 {
		return strings.TrimSuffix(strings.TrimPrefix(parts[0], "("), ")")
	}
	slices.Sort(parts)
	return strings.Join(parts, " AND ")
}

// crateLicense is the licence of the nearest crate at or above dir.
// What it finds with an error goes to *failed (made when needed) instead
// of the revision's cache, and is reported once per lookup.
func (r *Revision) crateLicense(dir string, failed *map[string]dirLicense) (dirLicense, error) {
	r.mu.Lock()
	l, ok := r.crate[dir]
	r.mu.Unlock()
	if ok {
		return l, nil
	}
	if l, ok := (*failed)[dir]; ok {
		return l, nil
	}
	l = dirLicense{tracked: true}
	m, ok, err := r.manifest(path.Join(dir, "Cargo.toml"))
	var up error
	switch {
	case ok && m.Package && m.License != "":
		l.expr, err = Normalize(m.License)
	case ok && m.Package && m.LicenseFile != "":
		l.expr, l.tracked, err = r.fileLicense(path.Join(dir, m.LicenseFile))
		l.viaFile = true
	case ok && m.Package && m.InheritsLicense():
		l.expr, l.tracked, l.viaFile, err = r.workspaceLicense(dir)
	case dir != ".":
		l, up = r.crateLicense(path.Dir(dir), failed)
	}
	if err != nil || up != nil || l.failed {
		l.failed = true
		if *failed == nil {
			*failed = map[string]dirLicense{}
		}
		(*failed)[dir] = l
	} else {
		r.mu.Lock()
		r.crate[dir] = l
		r.mu.Unlock()
	}
	return l, errors.Join(err, up)
}

// workspaceLicense is the [workspace.package] licence of the nearest
// workspace manifest at or above dir.
func (r *Revision) workspaceLicense(dir string) (expr string, tracked, viaFile bool, err error) {
	for {
		m, ok, err := r.manifest(path.Join(dir, "Cargo.toml"))
		if err != nil {
			return "", true, false, err
		}
		if ok && m.Workspace {
			switch {
			case m.WorkspaceLicense != "":
				expr, err := Normalize(m.WorkspaceLicense)
				return expr, true, false, err
			case m.WorkspaceLicenseFile != "":
				expr, tracked, err := r.fileLicense(path.Join(dir, m.WorkspaceLicenseFile))
				return expr, tracked, true, err
			}
			return "", true, false, nil
		}
		if dir == "." {
			return "", true, false, nil
		}
		dir = path.Dir(dir)
	}
}

// repoLicense is the repository's licence: the root manifest's, else the
// root's licence files, as alternatives.
func (r *Revision) repoLicense() (dirLicense, error) {
	r.mu.Lock()
	found := r.repo
	r.mu.Unlock()
	if found != nil {
		return *found, nil
	}
	l := dirLicense{tracked: true}
	var err error
	l.expr, l.tracked, l.viaFile, err = r.rootLicense()
	if err == nil {
		r.mu.Lock()
		r.repo = &l
		r.mu.Unlock()
	}
	return l, err
}

func (r *Revision) rootLicense() (expr string, tracked, viaFile bool, err error) {
	m, ok, err := r.manifest("Cargo.toml")
	if ok {
		switch {
		case m.Package && m.License != "":
			expr, err := Normalize(m.License)
			return expr, true, false, err
		case m.Package && m.LicenseFile != "":
			expr, tracked, err := r.fileLicense(m.LicenseFile)
			return expr, tracked, true, err
		case m.Workspace && m.WorkspaceLicense != "":
			expr, err := Normalize(m.WorkspaceLicense)
			return expr, true, false, err
		case m.Workspace && m.WorkspaceLicenseFile != "":
			expr, tracked, err := r.fileLicense(m.WorkspaceLicenseFile)
			return expr, tracked, true, err
		}
	}
	entries, derr := fs.ReadDir(r.fsys, ".")
	if derr != nil {
		return "", true, false, errors.Join(err, fmt.Errorf("license: read the root directory: %w", derr))
	}
	var ids []string
	for _, de := range entries {
		if de.IsDir() || !IsLicenseFile(de.Name()) {
			continue
		}
		found, ferr := r.classified(de.Name())
		if ferr != nil {
			err = errors.Join(err, ferr)
		}
		for _, id := range found {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return strings.Join(ids, " OR "), true, false, err
}

// fileLicense is the licence of a license-file: its identifiers, as
// alternatives; tracked is false when [Affects] does not report the file.
func (r *Revision) fileLicense(name string) (expr string, tracked bool, err error) {
	name = path.Clean(name)
	tracked = !fs.ValidPath(name) || Affects(name)
	ids, err := r.classified(name)
	return strings.Join(ids, " OR "), tracked, err
}

// key names a file's content; ok is false when it does not exist.
func (r *Revision) key(name string) (key string, data []byte, ok bool, err error) {
	if !fs.ValidPath(name) {
		return "", nil, false, nil // a license-file outside the repository
	}
	if h, isHasher := r.fsys.(Hasher); isHasher {
		key, err = h.FileHash(name)
		if errors.Is(err, fs.ErrNotExist) {
			return "", nil, false, nil
		}
		return key, nil, err == nil, err
	}
	data, err = fs.ReadFile(r.fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, false, nil
	}
	if err != nil {
		return "", nil, false, err
	}
	sum := sha256.Sum256(data)
	return string(sum[:]), data, true, nil
}

// manifest reads (or finds in the cache) the manifest at name.
func (r *Revision) manifest(name string) (Manifest, bool, error) {
	key, data, ok, err := r.key(name)
	if !ok || err != nil {
		return Manifest{}, false, wrap(name, err)
	}
	r.d.mu.Lock()
	e, cached := r.d.manifests[key]
	r.d.mu.Unlock()
	if !cached {
		if data == nil {
			if data, err = fs.ReadFile(r.fsys, name); err != nil {
				return Manifest{}, false, wrap(name, err)
			}
		}
		e.m, e.err = ReadManifest(data)
		r.d.mu.Lock()
		if r.d.manifests == nil {
			r.d.manifests = map[string]manifestEntry{}
		}
		r.d.manifests[key] = e
		r.d.mu.Unlock()
	}
	if e.err != nil {
		return Manifest{}, false, wrap(name, e.err)
	}
	return e.m, true, nil
}

// classified classifies (or finds in the cache) the licence file name.
func (r *Revision) classified(name string) ([]string, error) {
	key, data, ok, err := r.key(name)
	if !ok || err != nil {
		return nil, wrap(name, err)
	}
	r.d.mu.Lock()
	ids, cached := r.d.texts[key]
	r.d.mu.Unlock()
	if cached {
		return ids, nil
	}
	if data == nil {
		if data, err = fs.ReadFile(r.fsys, name); err != nil {
			return nil, wrap(name, err)
		}
	}
	ids = Classify(data)
	r.d.mu.Lock()
	if r.d.texts == nil {
		r.d.texts = map[string][]string{}
	}
	r.d.texts[key] = ids
	r.d.mu.Unlock()
	return ids, nil
}

func wrap(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", name, err)
}
