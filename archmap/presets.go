package archmap

import (
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

// HyperswitchPreset returns the juspay/hyperswitch preset for [Infer]: it
// names the layers of hyperswitch's crates in its own vocabulary (API
// models, database, domain models, connectors, storage…), including crates
// it has renamed (storage_models → diesel_models, data_models →
// hyperswitch_domain_models), and splits the router crate, which holds
// several layers, by module. The order stays the crate dependency order:
// shared utilities and macros first, then the API and database models, the
// domain models, the connectors and storage, the services, and the
// router's own layers last (types, database access, connectors, services,
// core, routes). Groups are listed in that order, which is the order used
// when the dependencies are unknown.
func HyperswitchPreset() *Preset {
	r := PresetSplit{Crate: "router", Rest: PresetGroup{ID: "router", Title: "Router crate (lib.rs, binaries, tests)"}}
	mod := func(id, title string, modules ...string) {
		r.Layers = append(r.Layers, PresetModules{ID: id, Title: title, Modules: modules})
	}
	mod("router_api_types", "API Types (router::types::api)", "types/api")
	mod("router_domain_types", "Domain Types (router::types::domain)", "types/domain")
	mod("router_db", "Database Access (router::db, router::types::storage)", "db", "types/storage", "connection", "db_wrapper", "schema")
	mod("router_shared", "Shared Types & Utilities (router::types, utils, consts)", "types", "utils", "consts", "pii", "locale", "macros", "cache")
	mod("router_configuration", "Configuration (router::configs)", "configs", "env")
	mod("router_connectors", "Connector Integration (router::connector)", "connector")
	mod("router_services", "Services (router::services)", "services")
	mod(LayerCore, "Core Business Logic (router::core, workflows)", "core", "workflows", "scheduler", "analytics",
		"analytics_validator", "events", "bin", "scripts")
	mod(LayerRoutes, "API Routes & Handlers (router::routes)", "routes", "compatibility", "middleware", "cors", "openapi")
	return &Preset{
		Name: "hyperswitch",
		Groups: []PresetGroup{
			{ID: LayerMacros, Title: "Macros & Code Generation", Crates: []string{"router_derive", "euclid_macros", "smithy-core", "smithy"}},
			{ID: LayerShared, Title: "Shared Types & Utilities", Crates: []string{"router_env", "common_enums", "common_utils", "masking", "cards", "events"}},
			{ID: "routing_rules", Title: "Routing Rules Engine (euclid)", Crates: []string{"hyperswitch_constraint_graph", "euclid"}},
			{ID: "common_types", Title: "Common Request/Response Types", Crates: []string{"common_types"}},
			{ID: LayerAPIModels, Title: "API Request/Response Models", Crates: []string{"api_models"}},
			{ID: LayerDatabase, Title: "Database Models & Queries (Diesel)", Crates: []string{"diesel_models", "storage_models"}},
			{ID: "payment_link", Title: "Payment Links", Crates: []string{"payment_link"}},
			{ID: LayerDomainModels, Title: "Domain Models (Business Logic Types)", Crates: []string{"hyperswitch_domain_models", "data_models"}},
			{ID: LayerConnectors, Title: "External Connector Integration", Crates: []string{"hyperswitch_interfaces", "hyperswitch_connectors", "external_services", "pm_auth"}},
			{ID: LayerStorage, Title: "Storage & Caching", Crates: []string{"redis_interface", "storage_impl", "drainer"}},
			{ID: "core_services", Title: "Core Services (scheduler, payment methods, analytics…)", Crates: []string{
				"scheduler", "payment_methods", "analytics", "subscriptions", "currency_conversion", "injector"}},
			{ID: "routing_wasm", Title: "Routing & Connector Configuration (WASM, graphs)", Crates: []string{"kgraph_utils", "connector_configs", "euclid_wasm"}},
			{ID: "openapi", Title: "API Documentation (OpenAPI)", Crates: []string{"openapi"}},
			{ID: LayerTooling, Title: "Tooling", Crates: []string{"hsdev", "config_importer", "smithy-generator"}},
			{ID: LayerTestSupport, Title: "Test Support", Crates: []string{"test_utils"}},
		},
		Splits: []PresetSplit{r},
		Rules: append(Globs(LayerConnectors, "connector-template/**"),
			append(Globs(LayerAPIModels, "proto/**"), Globs(LayerCI, "aws/**", "smithy/**")...)...),
	}
}

// hyperswitchCrates are the crates the preset knows, for [Hyperswitch].
func hyperswitchCrates() []string {
	var names []string
	p := HyperswitchPreset()
	for _, g := range p.Groups {
		names = append(names, g.Crates...)
	}
	for _, s := range p.Splits {
		names = append(names, s.Crate)
	}
	return names
}

// Hyperswitch returns the classifier of [HyperswitchPreset] over the crates
// it knows, laid out as in juspay/hyperswitch (crates/<name>), without
// reading the repository. With the repository at hand, prefer
// Infer(ws, HyperswitchPreset()) over its real workspace, which orders the
// layers by the real dependencies and knows every crate.
func Hyperswitch() *Classifier {
	var paths []string
	for _, n := range hyperswitchCrates() {
		paths = append(paths, "crates/"+n+"/Cargo.toml")
	}
	c, err := Infer(WorkspaceFromPaths(paths, nil), HyperswitchPreset())
	if err != nil {
		panic("archmap: hyperswitch preset: " + err.Error())
	}
	return c
}
