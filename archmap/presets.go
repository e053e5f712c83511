package archmap

import (
	"io/fs"
	"slices"
)

// fileRules are the path-shape rules tried before the layout heuristics:
// manifests, CI, documentation and migrations are recognised by name
// wherever they live.
func fileRules() []Rule {
	var rules []Rule
	rules = append(rules, Globs(LayerBuild,
		"**/Cargo.toml", "**/Cargo.lock", "**/build.rs", "rust-toolchain", "rust-toolchain.toml",
		"**/package.json", "**/package-lock.json", "**/Cargo.nix")...)
	rules = append(rules, Globs(LayerCI,
		".github/**", ".gitlab-ci.yml", ".gitlab/**", ".circleci/**", "**/Dockerfile*",
		"**/docker-compose*.{yml,yaml}", "**/{Makefile,justfile,Justfile}", "**/*.nix", "**/flake.lock",
		"**/.{gitignore,gitattributes,dockerignore,editorconfig}", "**/*.sh")...)
	rules = append(rules, Globs(LayerDocumentation,
		"**/*.{md,mdx,rst,adoc}", "**/{LICENSE,NOTICE,AUTHORS,COPYRIGHT}*", "docs/**")...)
	rules = append(rules, Globs(LayerDatabase, "**/*migrations/**", "**/*.sql")...)
	return rules
}

// DefaultRules returns the rules of [Default] and [ForWorkspace]: the
// file-shape globs followed by a [LayoutRule] over crates (nil infers crates
// from each path).
func DefaultRules(crates []Crate) []Rule {
	return append(fileRules(), LayoutRule{Crates: slices.Clone(crates)})
}

// Default returns a classifier for any Rust repository, without reading its
// manifests: [DefaultLayers] and [DefaultRules] with crates inferred from the
// src/, tests/, benches/ and examples/ directories in each path.
func Default() *Classifier {
	c, err := New(DefaultLayers(), DefaultRules(nil)...)
	if err != nil {
		panic("archmap: default rules: " + err.Error())
	}
	return c
}

// ForWorkspace reads the Cargo workspace at the root of fsys (see
// [ReadWorkspace]) and returns a classifier that knows its crates by
// directory and package name. Use os.DirFS for a checkout, or an in-memory
// fstest.MapFS when only the manifests are at hand.
func ForWorkspace(fsys fs.FS) (*Classifier, error) {
	ws, err := ReadWorkspace(fsys)
	if err != nil {
		return nil, err
	}
	return New(DefaultLayers(), DefaultRules(ws.Crates)...)
}

// HyperswitchRules returns the juspay/hyperswitch preset: every crate the
// repository has had, including renamed ones (storage_models → diesel_models,
// data_models → hyperswitch_domain_models), connectors both in
// router/src/connector and in hyperswitch_connectors, and the sub-directories
// of the router crate, which holds several layers.
func HyperswitchRules() []Rule {
	var rules []Rule
	add := func(layer string, patterns ...string) { rules = append(rules, Globs(layer, patterns...)...) }

	// Anything a crate keeps for tests.
	add(LayerTests, "crates/*/{tests,benches,examples}/**", "crates/test_utils/**",
		"{postman,cypress-tests,cypress-tests-v2,loadtest}/**")
	add(LayerBuild, "**/Cargo.toml", "**/Cargo.lock", "**/build.rs")

	// The router crate: one crate, many layers.
	r := "crates/router/src/"
	add(LayerConnectors, r+"connector{,.rs}", r+"connector/**")
	add(LayerCore, r+"core{,.rs}", r+"core/**", r+"workflows{,.rs}", r+"workflows/**",
		r+"scheduler{,.rs}", r+"scheduler/**", r+"services{,.rs}", r+"services/**",
		r+"analytics{,.rs}", r+"analytics/**", r+"analytics_validator.rs", r+"events{,.rs}", r+"events/**",
		r+"bin/**", r+"scripts{,.rs}", r+"scripts/**")
	add(LayerRoutes, r+"routes{,.rs}", r+"routes/**", r+"compatibility{,.rs}", r+"compatibility/**",
		r+"middleware.rs", r+"cors.rs", r+"lib.rs", r+"openapi.rs")
	add(LayerAPIModels, r+"types/api{,.rs}", r+"types/api/**")
	add(LayerDomainModels, r+"types/domain{,.rs}", r+"types/domain/**")
	add(LayerDatabase, r+"types/storage{,.rs}", r+"types/storage/**", r+"db{,.rs}", r+"db/**",
		r+"connection.rs", r+"db_wrapper.rs", r+"schema.rs")
	add(LayerShared, r+"types{,.rs}", r+"types/**", r+"utils{,.rs}", r+"utils/**", r+"consts{,.rs}",
		r+"consts/**", r+"pii.rs", r+"locale.rs", r+"macros.rs", "crates/router/locales/**")
	add(LayerConfiguration, r+"configs{,.rs}", r+"configs/**", r+"env.rs")
	add(LayerStorage, r+"cache.rs")

	// Crates by name, renamed ones included.
	crates := func(layer string, names ...string) {
		for _, n := range names {
			add(layer, "crates/"+n+"/**")
		}
	}
	crates(LayerAPIModels, "api_models")
	crates(LayerDatabase, "diesel_models", "storage_models")
	crates(LayerDomainModels, "hyperswitch_domain_models", "data_models")
	crates(LayerConnectors, "hyperswitch_connectors", "hyperswitch_interfaces", "external_services", "pm_auth")
	crates(LayerStorage, "storage_impl", "redis_interface", "drainer")
	crates(LayerShared, "common_utils", "common_enums", "common_types", "masking", "cards", "router_env", "events")
	crates(LayerCore, "euclid", "euclid_wasm", "kgraph_utils", "hyperswitch_constraint_graph",
		"payment_methods", "scheduler", "analytics", "currency_conversion", "payment_link", "subscriptions",
		"injector")
	crates(LayerMacros, "router_derive", "euclid_macros", "smithy", "smithy-core", "smithy-generator")
	crates(LayerConfiguration, "connector_configs")
	crates(LayerDocumentation, "openapi")
	crates(LayerCI, "hsdev", "config_importer")

	// Outside crates.
	add(LayerDatabase, "{migrations,v2_migrations,v2_compatible_migrations}/**", "diesel*.toml")
	add(LayerDocumentation, "{api-reference,api-reference-v2,docs}/**", "openapi/**")
	add(LayerConfiguration, "config/**", "keys.conf", "connector_auth.toml.gpg")
	add(LayerConnectors, "connector-template/**")
	add(LayerAPIModels, "proto/**")
	add(LayerCI, "{monitoring,aws,docker,nix,contrib,scripts,.cargo,smithy}/**", "*.toml")
	return append(rules, DefaultRules(nil)...)
}

// Hyperswitch returns a classifier with [DefaultLayers] and
// [HyperswitchRules].
func Hyperswitch() *Classifier {
	c, err := New(DefaultLayers(), HyperswitchRules()...)
	if err != nil {
		panic("archmap: hyperswitch rules: " + err.Error())
	}
	return c
}
