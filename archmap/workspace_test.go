package archmap

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mapFS builds a file system from path/content pairs.
func mapFS(pathContent ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for i := 0; i+1 < len(pathContent); i += 2 {
		m[pathContent[i]] = &fstest.MapFile{Data: []byte(pathContent[i+1])}
	}
	return m
}

func pkgToml(name string, extra ...string) string {
	return "[package]\nname = \"" + name + "\"\nversion = \"0.1.0\"\n" + strings.Join(extra, "\n") + "\n"
}

// shop is a virtual workspace with every kind of dependency entry.
func shop() fstest.MapFS {
	return mapFS(
		"Cargo.toml", `[workspace]
members = ["crates/*", "tools/xtask"]
exclude = ["crates/legacy"]

[workspace.dependencies]
shop-types = { path = "crates/types" }
db = { path = "crates/persistence", package = "shop-db" }
serde = "1"
`,
		"crates/types/Cargo.toml", pkgToml("shop-types", `description = "Types shared by every crate."`, "[dependencies]\nserde.workspace = true"),
		"crates/types/src/lib.rs", "",
		"crates/persistence/Cargo.toml", pkgToml("shop-db", "[dependencies]\nshop-types = { workspace = true }"),
		"crates/persistence/src/lib.rs", "",
		"crates/macros/Cargo.toml", pkgToml("shop-macros", "[lib]\nproc-macro = true"),
		"crates/macros/src/lib.rs", "",
		// renamed path dependency, build dependency, target dependency,
		// dev-dependency (which does not order layers)
		"crates/engine/Cargo.toml", pkgToml("shop-core",
			"[dependencies]\nstore = { path = \"../persistence\", package = \"shop-db\" }",
			"[build-dependencies]\nshop-macros = { path = \"../macros\" }",
			"[target.'cfg(unix)'.dependencies]\nshop-types = { workspace = true }",
			"[dev-dependencies]\nshop-api = { path = \"../api\" }"),
		"crates/engine/src/main.rs", "",
		"crates/engine/tests/fixtures/app/Cargo.toml", pkgToml("fixture-app"), // a fixture, not a crate
		"crates/api/Cargo.toml", pkgToml("shop-api", "[dependencies]\ncore = { path = \"../engine\", package = \"shop-core\" }\ndb.workspace = true"),
		"crates/api/src/lib.rs", "",
		"crates/legacy/Cargo.toml", pkgToml("shop-legacy"), // excluded: a crate of its own
		"tools/xtask/Cargo.toml", pkgToml("xtask", "[dependencies]\nshop-types = { path = \"../../crates/types\" }"),
		"tools/xtask/src/main.rs", "",
		// a nested workspace
		"fuzz/Cargo.toml", "[package]\nname = \"shop-fuzz\"\n[workspace]\nmembers = [\".\"]\n[dependencies]\nshop-api = { path = \"../crates/api\" }\n",
		// standalone examples beside the workspace
		"examples/demo/Cargo.toml", pkgToml("demo", "[dependencies]\nshop-api = { path = \"../../crates/api\" }"),
		"examples/demo/src/main.rs", "",
		"target/debug/build/x/Cargo.toml", pkgToml("junk"),
		"docs/guide.md", "",
	)
}

func TestReadWorkspace(t *testing.T) {
	ws, err := ReadWorkspace(shop())
	require.NoError(t, err)
	assert.Empty(t, ws.Warnings)
	type row struct {
		name, dir   string
		deps, dev   []string
		member, lib bool
	}
	var got []row
	for _, c := range ws.Crates {
		got = append(got, row{c.Name, c.Dir, c.Deps, c.DevDeps, c.Member, c.Lib})
	}
	assert.Equal(t, []row{
		{"shop-api", "crates/api", []string{"shop-core", "shop-db"}, nil, true, true},
		{"shop-core", "crates/engine", []string{"shop-db", "shop-macros", "shop-types"}, []string{"shop-api"}, true, false},
		{"shop-legacy", "crates/legacy", nil, nil, false, false},
		{"shop-macros", "crates/macros", nil, nil, true, true},
		{"shop-db", "crates/persistence", []string{"shop-types"}, nil, true, true},
		{"shop-types", "crates/types", nil, nil, true, true},
		{"demo", "examples/demo", []string{"shop-api"}, nil, false, false},
		{"shop-fuzz", "fuzz", []string{"shop-api"}, nil, true, false},
		{"xtask", "tools/xtask", []string{"shop-types"}, nil, true, false},
	}, got)
	c, ok := ws.CrateOf("crates/macros/src/lib.rs")
	require.True(t, ok)
	assert.True(t, c.ProcMacro)
	c, _ = ws.CrateOf("crates/types/src/lib.rs")
	assert.Equal(t, "Types shared by every crate.", c.Description)
	_, ok = ws.CrateOf("crates/engine/tests/fixtures/app/src/main.rs")
	require.True(t, ok, "a fixture belongs to the crate holding it")
}

func TestInferLayers(t *testing.T) {
	ws, err := ReadWorkspace(shop())
	require.NoError(t, err)
	c, err := Infer(ws, nil)
	require.NoError(t, err)
	var got []string
	for _, l := range c.Layers() {
		if len(l.Crates) > 0 {
			got = append(got, l.ID+"="+strings.Join(l.Crates, ","))
		}
	}
	// Dependencies first; the family "shop-" prefix is the project's, so
	// no family forms; examples, fuzz and tooling are role layers.
	assert.Equal(t, []string{
		"shop-legacy=shop-legacy",
		"shop-macros=shop-macros",
		"shop-types=shop-types",
		"shop-db=shop-db",
		"shop-core=shop-core",
		"shop-api=shop-api",
		"tooling=xtask",
		"fuzz=shop-fuzz",
		"examples=demo",
	}, got)
	l, _ := c.Layer("shop-types")
	assert.Equal(t, "shop-types: Types shared by every crate", l.Title)
	l, _ = c.Layer("shop-macros")
	assert.Equal(t, "shop-macros (procedural macros)", l.Title)

	runClassify(t, c, []classifyCase{
		{"crates/persistence/src/orders.rs", "shop-db"},
		{"crates/persistence/README.md", "shop-db"},
		{"crates/engine/tests/it.rs", "shop-core"},
		{"tools/xtask/src/main.rs", LayerTooling},
		{"Cargo.toml", LayerBuild},
		{"Cargo.lock", LayerBuild},
		{"docs/guide.md", LayerDocumentation},
		{".github/workflows/ci.yml", LayerCI},
		{"migrations/001_init/up.sql", LayerMigrations},
		{"scripts/release.sh", LayerScripts},
		{"config/default.toml", LayerConfiguration},
		{"web/app.tsx", LayerFrontend},
		{"crates/gone/src/lib.rs", "gone"}, // not in the workspace: named after its directory
	})

	groups, unclassified := c.Group([]string{"crates/api/src/lib.rs", "docs/guide.md", "crates/types/src/lib.rs",
		"crates/persistence/src/lib.rs", "NOTES"})
	var rows []string
	for _, g := range groups {
		rows = append(rows, g.Layer.ID+":"+strings.Join(g.Crates, ","))
	}
	assert.Equal(t, []string{"shop-types:shop-types", "shop-db:shop-db", "shop-api:shop-api", "documentation:"}, rows)
	assert.Equal(t, []string{"NOTES"}, unclassified)
}

func TestWorkspaceShapes(t *testing.T) {
	tests := []struct {
		name  string
		fsys  fstest.MapFS
		path  string
		layer string
	}{
		{"single crate", mapFS("Cargo.toml", pkgToml("tool"), "src/main.rs", "", "src/cli/args.rs", ""), "src/cli/args.rs", "tool"},
		{"single crate: root files are roles", mapFS("Cargo.toml", pkgToml("tool"), "src/main.rs", ""), "README.md", LayerDocumentation},
		{"root package with members", mapFS("Cargo.toml", pkgToml("app", "[workspace]\nmembers = [\"lib/*\"]"),
			"lib/util/Cargo.toml", pkgToml("util"), "src/main.rs", ""), "lib/util/src/x.rs", "util"},
		{"rust in a sub-directory", mapFS("rust/Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n",
			"rust/crates/engine/Cargo.toml", pkgToml("engine"), "app/index.ts", ""), "rust/crates/engine/src/lib.rs", "engine"},
		{"sub-directory front-end", mapFS("rust/Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n",
			"rust/crates/engine/Cargo.toml", pkgToml("engine"), "app/index.ts", ""), "app/index.ts", LayerFrontend},
		{"no manifest at all", mapFS("main.rs", ""), "src/lib.rs", LayerBuild},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ForWorkspace(tc.fsys)
			require.NoError(t, err)
			runClassify(t, c, []classifyCase{{tc.path, tc.layer}})
		})
	}
}

func TestBadManifests(t *testing.T) {
	tests := []struct {
		name  string
		fsys  fstest.MapFS
		want  string // a warning containing this
		path  string // still classified into this crate's layer
		crate string
	}{
		{"bad TOML in a member", mapFS("Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n",
			"a/Cargo.toml", "[package]\nname = \"a\n", "b/Cargo.toml", pkgToml("b")),
			"a/Cargo.toml:2: ", "a/src/lib.rs", "a"},
		{"bad TOML at the root", mapFS("Cargo.toml", "[workspace]\nmembers = [\"a\"\n", "a/Cargo.toml", pkgToml("a")),
			"Cargo.toml:", "a/src/lib.rs", "a"},
		{"members glob matching nothing", mapFS("Cargo.toml", "[workspace]\nmembers = [\n  \"a\",\n  \"gone/*\",\n]\n",
			"a/Cargo.toml", pkgToml("a")), `Cargo.toml:4: members: "gone/*" matches no package`, "a/src/lib.rs", "a"},
		{"members not a list", mapFS("Cargo.toml", "[workspace]\nmembers = \"a\"\n", "a/Cargo.toml", pkgToml("a")),
			"Cargo.toml:2: members", "a/src/lib.rs", "a"},
		{"invalid glob", mapFS("Cargo.toml", "[workspace]\nmembers = [\"a/[\"]\n", "a/Cargo.toml", pkgToml("a")),
			"invalid glob", "a/src/lib.rs", "a"},
		{"workspace dependency the root lacks", mapFS("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n",
			"a/Cargo.toml", pkgToml("a", "[dependencies]\nserde.workspace = true")),
			`a/Cargo.toml:5: dependency "serde": workspace = true`, "a/src/lib.rs", "a"},
		{"inheritance without a workspace", mapFS("a/Cargo.toml", "[package]\nname = \"a\"\nversion.workspace = true\n"),
			"a/Cargo.toml:3: package inherits version", "a/src/lib.rs", "a"},
		{"package without a name", mapFS("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n", "a/Cargo.toml", "[package]\nversion = \"1\"\n"),
			`a/Cargo.toml: package has no name; using "a"`, "a/src/lib.rs", "a"},
		{"dependency cycle", mapFS("Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n",
			"a/Cargo.toml", pkgToml("a", "[dependencies]\nb = { path = \"../b\" }"),
			"b/Cargo.toml", pkgToml("b", "[dependencies]\na = { path = \"../a\" }")),
			"dependency cycle between crates a, b", "b/src/lib.rs", "a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ForWorkspace(tc.fsys)
			require.NoError(t, err)
			var warnings []string
			for _, w := range c.Warnings() {
				warnings = append(warnings, w.String())
			}
			assert.True(t, strings.Contains(strings.Join(warnings, "\n"), tc.want), "warnings %q lack %q", warnings, tc.want)
			groups, unclassified := c.Group([]string{tc.path})
			assert.Empty(t, unclassified)
			require.Len(t, groups, 1)
			assert.Contains(t, groups[0].Crates, strings.TrimSuffix(strings.SplitN(tc.path, "/", 2)[0], "/"))
			assert.Contains(t, groups[0].Layer.Crates, tc.crate)
		})
	}
}

func TestUnionWorkspaces(t *testing.T) {
	// Old revision: crates core and storage_models; new: storage_models was
	// renamed diesel_models (moved), and a crate was removed.
	old, err := ReadWorkspace(mapFS(
		"Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n",
		"crates/core/Cargo.toml", pkgToml("core", "[dependencies]\nstorage_models = { path = \"../storage_models\" }"),
		"crates/storage_models/Cargo.toml", pkgToml("storage_models"),
		"crates/removed/Cargo.toml", pkgToml("removed", "[dependencies]\ncore = { path = \"../core\" }"),
	))
	require.NoError(t, err)
	cur, err := ReadWorkspace(mapFS(
		"Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n",
		"crates/core/Cargo.toml", pkgToml("core", "[dependencies]\ndiesel_models = { path = \"../diesel_models\" }"),
		"crates/diesel_models/Cargo.toml", pkgToml("diesel_models"),
	))
	require.NoError(t, err)
	ws := UnionWorkspaces(cur, old)
	c, err := Infer(ws, nil)
	require.NoError(t, err)
	runClassify(t, c, []classifyCase{
		{"crates/storage_models/src/schema.rs", "storage_models"},
		{"crates/diesel_models/src/schema.rs", "diesel_models"},
		{"crates/removed/src/lib.rs", "removed"},
		{"crates/core/src/lib.rs", "core"},
	})
	order := func(id string) int { l, _ := c.Layer(id); return l.Order }
	assert.Less(t, order("diesel_models"), order("core"))
	assert.Less(t, order("core"), order("removed"))
	// The newest manifest of core wins: it depends on diesel_models.
	cr, _ := ws.CrateOf("crates/core/src/lib.rs")
	assert.Equal(t, []string{"diesel_models"}, cr.Deps)
}

func TestFamiliesAndSplits(t *testing.T) {
	files := []string{
		"Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n",
		"crates/base/Cargo.toml", pkgToml("ra-base"),
		"crates/hir/Cargo.toml", pkgToml("ra-hir", "[dependencies]\nra-hir-def = { path = \"../hir-def\" }"),
		"crates/hir-def/Cargo.toml", pkgToml("ra-hir-def", "[dependencies]\nra-base = { path = \"../base\" }"),
		"crates/ide/Cargo.toml", pkgToml("ra-ide", "[dependencies]\nra-hir = { path = \"../hir\" }"),
		"crates/ide/src/lib.rs", "",
	}
	for i := range 30 {
		files = append(files, "crates/ide/src/completion/f"+string(rune('a'+i%26))+string(rune('a'+i/26))+".rs", "")
	}
	for i := range 20 {
		files = append(files, "crates/ide/src/hover/f"+string(rune('a'+i))+".rs", "")
	}
	files = append(files, "crates/ide/src/tiny.rs", "")
	c, err := ForWorkspace(mapFS(files...))
	require.NoError(t, err)
	var got []string
	for _, l := range c.Layers() {
		if len(l.Crates) > 0 {
			got = append(got, l.ID)
		}
	}
	assert.Equal(t, []string{"ra-base", "ra-hir", "ra-ide::completion", "ra-ide::hover", "ra-ide"}, got)
	runClassify(t, c, []classifyCase{
		{"crates/hir-def/src/lib.rs", "ra-hir"},
		{"crates/ide/src/completion/fa.rs", "ra-ide::completion"},
		{"crates/ide/src/tiny.rs", "ra-ide"},
	})
}

func TestWorkspaceFromPaths(t *testing.T) {
	ws := WorkspaceFromPaths([]string{"crates/a/src/lib.rs", "crates/b/Cargo.toml", "src/main.rs", "docs/x.md"}, nil)
	var dirs []string
	for _, c := range ws.Crates {
		dirs = append(dirs, c.Name+"@"+c.Dir)
	}
	assert.Equal(t, []string{"root@", "a@crates/a", "b@crates/b"}, dirs)
}
