package archmap

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseManifest(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want Manifest
	}{
		{"hyperswitch", `[workspace]
resolver = "2"
members = ["crates/*"]
package.edition = "2021"

[workspace.dependencies]
tracing = { version = "0.1.41" }

[workspace.lints.rust]
rust_2018_idioms = { level = "warn", priority = -1 } # trailing comment
`, Manifest{Workspace: true, Members: []string{"crates/*"},
			WorkspaceDeps: map[string]Dependency{"tracing": {Key: "tracing", Package: "tracing", Line: 7}}}},
		{"multi-line members with comments and trailing comma", `
[workspace]
members = [
    "crates/a", # the first
    'crates/b',
    # a comment line
    "crates/c",
]
exclude = ["crates/old"]
`, Manifest{Workspace: true, Members: []string{"crates/a", "crates/b", "crates/c"}, Exclude: []string{"crates/old"}}},
		{"package", `[package]
name = "router"
version = "0.2.0"
authors = ["a <a@example.com>"]
description = """
A multi-line "description"
with [workspace] members = ["nope"] inside.
"""
license = '''raw \n'''
[[bin]]
name = "scheduler"
[dependencies]
serde = { version = "1", features = ["derive"] }
`, Manifest{Package: true, PackageName: "router", Bins: []string{"scheduler"},
			Description: `A multi-line "description" with [workspace] members = ["nope"] inside.`,
			Deps:        []Dependency{{Key: "serde", Package: "serde", Line: 13}}, License: `raw \n`}},
		{"licences", "[package]\nlicense = \" MIT \"\nlicense-file.workspace = true\n[workspace.package]\nlicense = \"Apache-2.0\"\nlicense-file = \"L\"\n",
			Manifest{Package: true, License: "MIT", Inherited: []string{"license-file"}, Workspace: true, WorkspaceLicense: "Apache-2.0", WorkspaceLicenseFile: "L"}},
		{"dotted top-level keys", "workspace.members = [\"x\", \"y\"]\npackage.name = \"root\"\n", Manifest{Package: true, PackageName: "root", Workspace: true, Members: []string{"x", "y"}}},
		{"quoted keys and escapes", "[\"package\"]\n\"name\" = \"a\\u0062c\\t\"\n", Manifest{Package: true, PackageName: "abc\t"}},
		{"dates numbers booleans", "[package]\nname = \"n\"\npublish = false\nx = 1979-05-27 07:32:00Z\ny = [1, 2.5, true]\n", Manifest{Package: true, PackageName: "n"}},
		{"crlf", "[workspace]\r\nmembers = [\"a\"]\r\n", Manifest{Workspace: true, Members: []string{"a"}}},
		{"empty", "", Manifest{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseManifest("Cargo.toml", []byte(tc.src))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestParseManifestErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unterminated string", "[package]\nname = \"x\n", "Cargo.toml:2: "},
		{"missing =", "[package]\n\nname \"x\"\n", "Cargo.toml:3: "},
		{"header", "[package\nname = \"x\"\n", "Cargo.toml:2: "},
		{"garbage after value", "a = \"x\" y\n", "Cargo.toml:1: "},
		{"bad escape", "a = \"\\q\"\n", "Cargo.toml:1: "},
		{"members of numbers", "[workspace]\nmembers = [1]\n", "Cargo.toml"},
		{"missing value", "a =\n", "Cargo.toml:1: "},
		{"unterminated inline table", "a = { b = 1\n", "Cargo.toml:1: "},
		{"licence of a list", "[package]\nname = \"x\"\nlicense = [\"MIT\"]\n", "Cargo.toml:3: package.license: want a string or {workspace = true}"},
		{"workspace licence inherited", "[workspace.package]\nlicense.workspace = true\n", "Cargo.toml:2: workspace.package.license: want a string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseManifest("Cargo.toml", []byte(tc.src))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func FuzzParseManifest(f *testing.F) {
	for _, seed := range []string{
		"[workspace]\nmembers = [\"crates/*\"]\n",
		"[package]\nname = \"a\"\n[dependencies]\nx = { version = \"1\", features = [\"y\"] }\n",
		"a = \"\"\"\nmulti\"\"\"\"\nb = '''x'''\n",
		"[[bin]]\nname = 'b'\n# comment\n",
		"a = \"\\u00e9\\\n  b\"\n",
		"x = [[1, 2], [\"a\"]]\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest("Cargo.toml", data)
		if err != nil {
			assert.Contains(t, err.Error(), "Cargo.toml")
			return
		}
		// Whatever parsed once parses the same way again.
		again, err := ParseManifest("Cargo.toml", data)
		require.NoError(t, err)
		assert.Equal(t, m, again)
	})
}

func TestLineOf(t *testing.T) {
	manifest := "[package]\nname = \"x\"\n\n[dependencies]\nserde = \"1\"\n\"quoted\" = { path = \"../q\" }\ntokio.workspace = true\n# serde_json is not here\nlast=1"
	tests := []struct {
		name string
		data string
		key  string
		want int
	}{
		{"key at a line start", manifest, "serde", 5},
		{"quoted key", manifest, "quoted", 6},
		{"dotted key", manifest, "tokio", 7},
		{"only mentioned", manifest, "serde_json", 8},
		{"last line without a newline", manifest, "last", 9},
		{"absent", manifest, "rand", 0},
		{"empty data", "", "serde", 0},
		{"prefix of a longer key is no definition", "serde_json = 1\nserde = 2\n", "serde", 2},
		{"indented", "[workspace]\nmembers = [\n  \"crates/*\",\n]\n", "crates/*", 3},
		{"CRLF lines", "a = 1\r\nb = 2\r\n", "b", 2},
		{"trailing newline: no extra line", "a = 1\n", "a", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, lineOf([]byte(tt.data), tt.key))
			lines := keyLines{data: []byte(tt.data)}
			assert.Equal(t, tt.want, lines.of(tt.key), "keyLines")
		})
	}
}

// FuzzKeyLines checks keyLines, which indexes a manifest's lines once,
// against lineOf.
func FuzzKeyLines(f *testing.F) {
	f.Add("[dependencies]\nserde = \"1\"\n\"q\" = 1\ntokio.workspace = true\n", "serde")
	f.Add("a.b.c = 1\n", "a.b")
	f.Add("x =\n\n= y\n", "")
	f.Add(" 'k' \t.= 2", "k")
	f.Fuzz(func(t *testing.T, data, key string) {
		lines := keyLines{data: []byte(data)}
		if got, want := lines.of(key), lineOf([]byte(data), key); got != want {
			t.Fatalf("keyLines.of(%q) = %d, lineOf = %d in %q", key, got, want, data)
		}
	})
}
