package archmap

import (
	"path"
	"slices"
	"strings"
)

// KeywordLayer assigns Layer to a path segment containing any of Words
// (whole words, as split by [SplitWords]).
type KeywordLayer struct {
	Layer string   `json:"layer" yaml:"layer"`
	Words []string `json:"words" yaml:"words"`
}

// DefaultKeywords returns the word table of the layout heuristics in priority
// order: when one segment holds words of several layers, the earlier entry
// wins ("diesel_models" is the database, "api_models" the API models).
func DefaultKeywords() []KeywordLayer {
	return []KeywordLayer{
		{LayerTests, []string{"test", "tests", "testing", "bench", "benches", "benchmark", "benchmarks",
			"testdata", "fixtures", "e2e", "cypress", "postman", "loadtest"}},
		{LayerDocumentation, []string{"doc", "docs", "documentation", "readme", "changelog", "openapi",
			"swagger", "reference", "guide", "guides", "images"}},
		{LayerCI, []string{"github", "gitlab", "ci", "scripts", "script", "docker", "dockerfile",
			"compose", "makefile", "justfile", "nix", "flake", "hooks", "tools", "tooling", "xtask",
			"monitoring", "helm", "k8s", "kubernetes", "terraform", "contrib", "deploy", "deployment",
			"typos", "deepsource", "codecov", "gitignore", "gitattributes", "dockerignore", "cog", "devtools", "devcontainer"}},
		{LayerMacros, []string{"macro", "macros", "derive", "proc", "codegen", "generator"}},
		{LayerConfiguration, []string{"config", "configs", "configuration", "configurations", "settings", "conf", "env", "environment"}},
		{LayerBuild, []string{"cargo", "toolchain"}},
		{LayerConnectors, []string{"connector", "connectors", "client", "clients", "integration",
			"integrations", "gateway", "gateways", "external"}},
		{LayerDatabase, []string{"diesel", "schema", "schemas", "migration", "migrations", "db", "database",
			"databases", "store", "stores", "sql", "query", "queries", "repository", "repositories", "dao",
			"postgres", "sqlx", "orm"}},
		{LayerStorage, []string{"storage", "cache", "caching", "redis", "kv", "memcache", "blob", "blobs"}},
		{LayerDomainModels, []string{"domain", "entity", "entities"}},
		{LayerRoutes, []string{"route", "routes", "handler", "handlers", "server", "http", "web",
			"endpoint", "endpoints", "controller", "controllers", "middleware", "rest"}},
		{LayerCore, []string{"core", "service", "services", "business", "logic", "engine", "workflow", "workflows",
			"job", "jobs", "worker", "workers", "scheduler", "task", "tasks", "main", "lib", "bin"}},
		{LayerAPIModels, []string{"api", "apis", "models", "model", "dto", "dtos", "proto", "protos",
			"request", "requests", "response", "responses"}},
		{LayerShared, []string{"common", "utils", "util", "utilities", "types", "shared", "helpers",
			"consts", "constants", "prelude", "enums", "error", "errors", "metrics", "logger", "logging", "telemetry", "locale", "locales", "i18n",
			"translations"}},
	}
}

// LayoutRule is the built-in heuristic for Rust repositories. For a path it
// tries, in order:
//
//  1. any segment (directory or file stem) holding a word of the tests layer,
//     and a crate's top-level tests/, benches/ and examples/ directories;
//  2. the words of the crate's name and directory ("api_models",
//     "diesel_models", "router_derive"…);
//  3. the words of each segment inside the crate, from the root down, then
//     the file stem ("src/core/payments.rs" is core, "src/db.rs" the database).
//
// Paths outside any crate go straight to step 3. Crates come from Crates when
// set (see [ReadWorkspace]); for paths in none of them, as for every path
// when Crates is empty, a crate is inferred from the first src/, tests/,
// benches/ or examples/ segment of the path.
type LayoutRule struct {
	// Crates are the known workspace members. Optional.
	Crates []Crate
	// Keywords is the word table in priority order; nil means
	// [DefaultKeywords].
	Keywords []KeywordLayer
}

var crateTopDirs = []string{"src", "tests", "benches", "examples"}

// Match implements [Rule].
func (r LayoutRule) Match(p string) (string, bool) {
	keywords := r.Keywords // nil: the default table
	segs := strings.Split(p, "/")
	if len(segs) == 0 || p == "" {
		return "", false
	}
	// The file stem stands for the last segment: "db.rs" → "db".
	last := segs[len(segs)-1]
	if ext := path.Ext(last); ext != "" && ext != last {
		segs[len(segs)-1] = strings.TrimSuffix(last, ext)
	}

	crate, rest, inCrate := r.findCrate(segs)
	if inCrate && len(rest) > 1 && slices.Contains(crateTopDirs[1:], rest[0]) {
		return LayerTests, true
	}
	for _, seg := range segs {
		if kw := keywordLayer(keywords, seg); kw == LayerTests {
			return LayerTests, true
		}
	}
	if inCrate {
		for _, name := range []string{crate.Name, path.Base(crate.Dir)} {
			if name == "" || name == "." {
				continue
			}
			if id := keywordLayer(keywords, name); id != "" {
				return id, true
			}
		}
		segs = rest
	}
	for _, seg := range segs {
		if seg == "src" {
			continue
		}
		if id := keywordLayer(keywords, seg); id != "" {
			return id, true
		}
	}
	return "", false
}

// innermostCrate returns the crate whose directory holds the path of
// segments segs most closely (the longest directory; "" is the root) and
// how many segments that directory has.
func innermostCrate(crates []Crate, segs []string) (best Crate, dirSegs int, found bool) {
	dirSegs = -1
	for _, c := range crates {
		n := 0
		if c.Dir != "" {
			n = strings.Count(c.Dir, "/") + 1
			if n >= len(segs) || strings.Join(segs[:n], "/") != c.Dir {
				continue
			}
		}
		if n > dirSegs {
			best, dirSegs, found = c, n, true
		}
	}
	return best, dirSegs, found
}

// findCrate returns the crate holding the path and the segments inside it.
func (r LayoutRule) findCrate(segs []string) (Crate, []string, bool) {
	if best, n, found := innermostCrate(r.Crates, segs); found {
		return best, segs[n:], true
	}
	// A crate that is no longer a member (history) is inferred below.
	for i, seg := range segs[:len(segs)-1] {
		if slices.Contains(crateTopDirs, seg) {
			return Crate{Dir: strings.Join(segs[:i], "/")}, segs[i:], true
		}
	}
	return Crate{}, segs, false
}

var (
	defaultKeywords = DefaultKeywords()
	// defaultKeywordRank maps each default keyword to the index of its
	// first entry, so the default table is searched without a scan.
	defaultKeywordRank = func() map[string]int {
		rank := map[string]int{}
		for i, kw := range defaultKeywords {
			for _, w := range kw.Words {
				if _, seen := rank[w]; !seen {
					rank[w] = i
				}
			}
		}
		return rank
	}()
)

// keywordLayer returns the layer of the first keyword entry sharing a word
// with s, or "". nil keywords means the default table.
func keywordLayer(keywords []KeywordLayer, s string) string {
	words := SplitWords(s)
	if keywords == nil {
		best := -1
		for _, w := range words {
			if i, ok := defaultKeywordRank[w]; ok && (best < 0 || i < best) {
				best = i
			}
		}
		if best < 0 {
			return ""
		}
		return defaultKeywords[best].Layer
	}
	for _, kw := range keywords {
		for _, w := range words {
			if slices.Contains(kw.Words, w) {
				return kw.Layer
			}
		}
	}
	return ""
}
