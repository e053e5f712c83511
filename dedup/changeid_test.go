package dedup

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sftforge/sftforge/change"
)

func TestChangeID(t *testing.T) {
	lib := change.File{Path: "src/lib.rs", Status: change.StatusModified, Additions: 3, Deletions: 1}
	readme := change.File{Path: "README.md", Status: change.StatusModified, Additions: 1}
	fn := change.Identifier{File: "src/lib.rs", Op: change.OpAdded, Kind: change.KindFunction, Name: "run", Visibility: "pub"}
	body := change.Identifier{File: "src/lib.rs", Op: change.OpModified, Kind: change.KindMethod, Name: "new",
		Owner: "Config", Visibility: "pub", Detail: []string{change.DetailBody}}
	base := ChangeID([]change.File{lib, readme}, []change.Identifier{fn, body})

	with := func(f func(*change.File, *change.Identifier)) string {
		l, b := lib, body
		f(&l, &b)
		return ChangeID([]change.File{l, readme}, []change.Identifier{fn, b})
	}
	tests := []struct {
		name  string
		id    string
		equal bool
	}{
		{"same change again (cherry-pick)", ChangeID([]change.File{lib, readme}, []change.Identifier{fn, body}), true},
		{"files and changes in another order", ChangeID([]change.File{readme, lib}, []change.Identifier{body, fn}), true},
		{"an identifier change listed twice (two commits of a PR)", ChangeID([]change.File{lib, readme}, []change.Identifier{fn, body, fn}), true},
		{"a file split over two commits, same line counts",
			ChangeID([]change.File{{Path: "src/lib.rs", Status: change.StatusModified, Additions: 2},
				{Path: "src/lib.rs", Status: change.StatusModified, Additions: 1, Deletions: 1}, readme},
				[]change.Identifier{fn, body}), true},
		{"the line of an identifier does not count", with(func(_ *change.File, b *change.Identifier) { b.Line = 42 }), true},
		{"another line count", with(func(f *change.File, _ *change.Identifier) { f.Additions = 4 }), false},
		{"another file status", with(func(f *change.File, _ *change.Identifier) { f.Status = change.StatusAdded }), false},
		{"renamed from elsewhere", with(func(f *change.File, _ *change.Identifier) {
			f.Status, f.OldPath = change.StatusRenamed, "src/old.rs"
		}), false},
		{"another operation", with(func(_ *change.File, b *change.Identifier) { b.Op = change.OpRemoved }), false},
		{"another owner", with(func(_ *change.File, b *change.Identifier) { b.Owner = "Other" }), false},
		{"another visibility", with(func(_ *change.File, b *change.Identifier) { b.Visibility = "pub(crate)" }), false},
		{"another cfg", with(func(_ *change.File, b *change.Identifier) { b.Cfg = []string{`cfg(feature="v2")`} }), false},
		{"another detail", with(func(_ *change.File, b *change.Identifier) { b.Detail = []string{change.DetailSignature} }), false},
		{"a file fewer", ChangeID([]change.File{lib}, []change.Identifier{fn, body}), false},
		{"an identifier change fewer", ChangeID([]change.File{lib, readme}, []change.Identifier{fn}), false},
		{"no identifier changes", ChangeID([]change.File{lib, readme}, nil), false},
		{"with the lines' hash", ChangeID([]change.File{lib, readme}, []change.Identifier{fn, body}, "p1"), false},
		{"an empty lines' hash is left out", ChangeID([]change.File{lib, readme}, []change.Identifier{fn, body}, ""), true},
	}
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{32}$`), base)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.equal {
				assert.Equal(t, base, tt.id)
			} else {
				assert.NotEqual(t, base, tt.id)
			}
		})
	}
	withPatches := ChangeID([]change.File{lib}, []change.Identifier{body}, "p1", "p2")
	assert.Equal(t, withPatches, ChangeID([]change.File{lib}, []change.Identifier{body}, "p2", "p1", "p2"), "patches are a set")
	assert.NotEqual(t, withPatches, ChangeID([]change.File{lib}, []change.Identifier{body}, "p1", "p3"),
		"same files, identifiers and line counts, other lines: another change")
	assert.Empty(t, ChangeID(nil, nil), "nothing changed: no ID")
	assert.Empty(t, ChangeID(nil, nil, ""), "nothing changed: no ID")
	assert.NotEmpty(t, ChangeID(nil, []change.Identifier{fn}))
}

// TestChangeIDStable pins the ID of a change: it is part of the records'
// schema, so changing how it is computed changes every record.
func TestChangeIDStable(t *testing.T) {
	id := ChangeID([]change.File{{Path: "src/lib.rs", Status: change.StatusModified, Additions: 3, Deletions: 1}},
		[]change.Identifier{{File: "src/lib.rs", Op: change.OpAdded, Kind: change.KindFunction, Name: "run", Visibility: "pub"}})
	assert.Equal(t, "07ee4986f330d4542fc1e4a4528953bc", id)
}

func TestOpposite(t *testing.T) {
	add := func(name string, cfg ...string) change.Identifier {
		return change.Identifier{File: "src/lib.rs", Op: change.OpAdded, Kind: change.KindFunction, Name: name, Cfg: cfg}
	}
	remove := func(name string, cfg ...string) change.Identifier {
		id := add(name, cfg...)
		id.Op = change.OpRemoved
		return id
	}
	modify := func(name string) change.Identifier {
		id := add(name)
		id.Op, id.Detail = change.OpModified, []string{change.DetailBody}
		return id
	}
	tests := []struct {
		name string
		a, b []change.Identifier
		want bool
	}{
		{"a change and its revert", []change.Identifier{add("run"), modify("main")}, []change.Identifier{remove("run"), modify("main")}, true},
		{"the revert first", []change.Identifier{remove("run")}, []change.Identifier{add("stop"), add("run")}, true},
		{"the same change", []change.Identifier{add("run")}, []change.Identifier{add("run")}, false},
		{"modifications only: cannot tell", []change.Identifier{modify("main")}, []change.Identifier{modify("main")}, false},
		{"another cfg twin", []change.Identifier{add("run", `cfg(feature="v1")`)}, []change.Identifier{remove("run", `cfg(feature="v2")`)}, false},
		{"nothing", nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Opposite(tt.a, tt.b))
			assert.Equal(t, tt.want, Opposite(tt.b, tt.a), "symmetric")
		})
	}
}
