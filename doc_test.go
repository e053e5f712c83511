package sftforge_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestExportedIdentifiersDocumented fails for every package without a
// package comment and every exported identifier of
// the module's packages (the Beam example is a module of its own and has
// its own packages) that has no godoc comment: a type, function, method of
// an exported type, or a constant or variable outside a documented group.
// It reads the source files as `go list ./...` finds them: every directory
// with Go files, without testdata, hidden and underscore directories, and
// without test files.
func TestExportedIdentifiersDocumented(t *testing.T) {
	var missing []string
	packageDoc := map[string]bool{} // directory -> has a package comment
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if p != "." && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if p != "." {
				if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
					return filepath.SkipDir // another module
				}
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		missing = append(missing, undocumented(fset, f)...)
		dir := filepath.Dir(p)
		packageDoc[dir] = packageDoc[dir] || f.Doc != nil
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir, ok := range packageDoc {
		if !ok {
			missing = append(missing, dir+": package")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("%s has no doc comment", m)
	}
}

// undocumented lists "file:line: name" for the exported identifiers of f
// without a doc comment.
func undocumented(fset *token.FileSet, f *ast.File) []string {
	var out []string
	add := func(n ast.Node, name string) {
		pos := fset.Position(n.Pos())
		out = append(out, pos.Filename+":"+strconv.Itoa(pos.Line)+": "+name)
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() || d.Doc != nil {
				continue
			}
			name := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) > 0 {
				recv := receiverType(d.Recv.List[0].Type)
				if !ast.IsExported(recv) {
					continue // a method of an unexported type is not documented by godoc
				}
				name = recv + "." + name
			}
			add(d, name)
		case *ast.GenDecl:
			if d.Tok == token.IMPORT {
				continue
			}
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() && s.Doc == nil && s.Comment == nil && (d.Doc == nil || d.Lparen.IsValid()) {
						add(s, s.Name.Name)
					}
				case *ast.ValueSpec:
					if d.Doc != nil || s.Doc != nil || s.Comment != nil {
						continue
					}
					for _, n := range s.Names {
						if n.IsExported() {
							add(n, n.Name)
						}
					}
				}
			}
		}
	}
	return out
}

// receiverType is the name of a method's receiver type (T of *T, T[K]).
func receiverType(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}
