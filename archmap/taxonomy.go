package archmap

import "fmt"

func cat(id string, names []string, keywords ...string) Category {
	return Category{ID: id, Names: names, Keywords: keywords}
}

// withVerbs returns c with the verbs that decide it when they start a title.
func withVerbs(c Category, verbs ...string) Category {
	c.Verbs = verbs
	return c
}

// withObjects returns c with the words that decide it when they follow a
// title's verb.
func withObjects(c Category, objects ...string) Category {
	c.Objects = objects
	return c
}

// Taxonomy presets, for [TaxonomyPreset] and the rules file's
// "taxonomy: {preset: …}".
const (
	// TaxonomyGeneric is [DefaultTaxonomy]: actions and repository roles,
	// for any repository.
	TaxonomyGeneric = "generic"
	// TaxonomyPayments is [PaymentsTaxonomy]: the generic one extended
	// with the domain of payment platforms such as juspay/hyperswitch.
	TaxonomyPayments = "payments"
)

// TaxonomyPreset returns the taxonomy a preset names: "" or "generic" for
// [DefaultTaxonomy], "payments" (or "hyperswitch") for [PaymentsTaxonomy].
func TaxonomyPreset(name string) (Taxonomy, error) {
	switch NormalizeName(name) {
	case "", TaxonomyGeneric, "default":
		return DefaultTaxonomy(), nil
	case TaxonomyPayments, "hyperswitch":
		return PaymentsTaxonomy(), nil
	}
	return Taxonomy{}, fmt.Errorf("archmap: unknown taxonomy preset %q (want generic or payments)", name)
}

// DefaultTaxonomy returns the built-in vocabulary for any repository: the
// generic actions (add_feature, fix_bug, enhance, refactor, perf, deps,
// revert, release, style, build, ci, test, docs, chore), named by
// conventional-commit types, labels and template boxes and recognised by
// the verb that starts a title, and the feature types every repository
// shares (documentation, ci, dependencies, build, release, tests…). A
// change's own area (a label, a scope, the crate it touches) is its feature
// type as the repository names it, so no domain vocabulary is needed; a
// domain one, such as [PaymentsTaxonomy], only maps names onto its IDs and
// adds keywords.
func DefaultTaxonomy() Taxonomy {
	return Taxonomy{
		FeatureTypes: []Category{
			cat("documentation", []string{"docs", "doc", "documentation", "readme", "book", "guide", "rustdoc", "typo", "typos"},
				"documentation", "docs", "readme", "doc comment", "typo"),
			cat("ci", []string{"ci", "cd", "ci_cd", "github", "workflows", "workflow", "actions", "github_actions", "ci_tooling", "ci_and_tooling"},
				"ci", "workflow", "github action"),
			cat("dependencies", []string{"deps", "dep", "dependencies", "dependency", "dependency_updates", "cargo_lock", "deps_dev"},
				"dependency", "dependencies", "cargo lock"),
			cat("build", []string{"build", "cargo", "toolchain", "msrv", "packaging", "nix", "docker", "rust_toolchain"},
				"build", "msrv", "toolchain", "docker"),
			cat("release", []string{"release", "releases", "version", "changelog"}, "release", "changelog"),
			cat("tests", []string{"test", "tests", "testing", "e2e", "bench", "benches", "benchmark", "benchmarks", "fuzz"},
				"test", "benchmark", "fuzz"),
			cat("macros", []string{"macro", "macros", "derive", "proc_macro", "codegen"}, "macro", "derive", "proc macro"),
			cat("configuration", []string{"config", "configs", "configuration", "settings"}, "config", "configuration", "setting"),
			cat("cli", []string{"cli", "command_line", "args", "flags"}, "cli", "command line", "flag"),
			cat("error_handling", []string{"error", "errors", "error_handling"}, "error message", "error handling"),
			cat("performance", []string{"perf", "performance", "bench"}, "performance"),
			cat("api", []string{"api", "apis", "openapi", "public_api"}, "public api", "openapi", "endpoint"),
			cat("storage", []string{"db", "database", "storage", "cache", "kv"}, "database", "storage", "cache", "query"),
			cat("authentication", []string{"auth", "authentication", "authn", "authz", "authorization"},
				"authentication", "authorization", "oauth", "jwt", "password", "login"),
			cat("logging", []string{"logging", "log", "logs", "tracing", "telemetry", "metrics", "observability"},
				"logging", "tracing", "telemetry", "metric"),
		},
		Actions: []Category{
			withVerbs(cat("add_feature", []string{"feat", "feature", "new_feature", "features", "add_feature", "new"},
				"add", "added", "adding", "introduce", "implement", "implemented", "support", "new", "create", "enable"),
				"add", "added", "adding", "implement", "implemented", "implementing", "introduce", "introduced", "support",
				"supported", "create", "enable", "expose", "provide", "allow", "new", "initial", "init", "teach", "emit",
				"generate", "infer", "show", "offer", "accept", "complete", "detect", "recognize", "recognise", "lower",
				"parse", "resolve", "derive", "impl", "log", "annotate", "give", "redirect", "serialize", "deserialize",
				"permit", "start", "colorize", "color", "colour", "highlight", "register", "insert", "compute",
				"calculate", "validate", "export", "import", "declare", "define", "apply",
				"let", "attach", "wire", "hook", "unseal", "open", "stabilize", "stabilise", "propagate", "forward",
				"suggest", "warn", "diagnose", "autocomplete", "goto", "go", "record", "experimental"),
			withVerbs(cat("fix_bug", []string{"fix", "fixes", "fixed", "bugfix", "bug", "hotfix", "fix_bug", "bug_fix", "security", "regression"},
				"fix", "fixed", "fixing", "bug", "incorrect", "wrong", "broken", "crash", "panic", "regression", "issue"),
				"fix", "fixes", "fixed", "fixing", "correct", "correctly", "repair", "prevent", "avoid", "handle", "workaround",
				"work", "don", "dont", "do", "never", "ensure", "properly", "restore", "unbreak", "guard", "check", "ignore",
				"respect", "catch", "mitigate", "patch", "stop", "address", "handle", "recover", "unbreak", "reset",
				"escape", "sanitize", "sanitise", "validate", "deal", "tolerate", "survive", "allow"),
			withVerbs(cat("enhance", []string{"enhancement", "enhance", "improvement", "improve", "enhancements", "improvements"},
				"enhance", "improve", "improvement", "extend", "upgrade", "better", "clearer", "stricter"),
				"improve", "improves", "improved", "enhance", "extend", "tweak", "adjust", "make", "update", "updated", "updates",
				"change", "changed", "better", "polish", "tune", "refine", "relax", "increase", "decrease", "limit",
				"render", "set", "keep", "return", "print", "report", "normalize", "sort", "prefer", "include", "reject",
				"require", "disallow", "guarantee", "run", "track", "trim", "close", "decrement", "increment", "customize",
				"obey", "take", "preserve", "sprinkle", "force", "treat", "expand", "mark", "try", "put", "append", "more",
				"further", "stricter", "clearer", "less", "default", "configure", "reword", "shorten", "lengthen", "bound",
				"cap", "restrict", "loosen", "tighten", "enforce", "raise", "lower", "emit", "skip", "filter", "deny",
				"forbid", "disable", "retry", "reconnect", "await", "spawn", "wait", "notify", "clear", "reset",
				"pick", "choose", "select", "display", "output", "bring", "upstream", "backport", "adapt", "align",
				"match", "harden", "modernize", "modernise", "follow", "honor", "honour", "accept"),
			withVerbs(cat("refactor", []string{"refactor", "refactoring", "cleanup", "internal", "restructure", "clean"},
				"refactor", "refactoring", "restructure", "rename", "cleanup", "clean up", "simplify", "deprecate",
				"reorganize", "extract"),
				"refactor", "refactored", "rename", "renamed", "move", "moved", "extract", "simplify", "clean", "cleanup",
				"remove", "removed", "delete", "drop", "replace", "use", "split", "merge", "reorganize", "reorganise",
				"restructure", "inline", "unify", "dedup", "deduplicate", "consolidate", "rewrite", "migrate", "switch",
				"port", "deprecate", "hide", "unexport", "store", "pass", "turn", "convert", "generalize", "generalise",
				"rework", "tidy", "reduce", "shrink", "factor", "reuse", "share", "wrap", "unwrap",
				"encapsulate", "decouple", "separate", "reimplement", "revamp", "lift", "flatten", "touch", "polish",
				"internalize", "privatize", "seal"),
			withObjects(withVerbs(cat("perf", []string{"perf", "performance", "optimization", "optimisation", "optimizations", "speed", "speedup"},
				"performance", "optimize", "optimise", "optimization", "faster", "speed up", "perf", "allocation", "latency"),
				"optimize", "optimise", "optimized", "speed", "speedup", "accelerate", "cache", "memoize", "parallelize"), "performance", "perf", "allocation", "allocations"),
			withObjects(withVerbs(cat("deps", []string{"deps", "dep", "dependencies", "dependency", "dependency_updates", "dependency_update", "deps_dev"},
				"dependency", "dependencies", "bump"),
				"bump", "bumped", "bumps", "upgrade", "upgraded", "downgrade", "pin", "unpin", "vendor"), "dependency", "dependencies", "deps", "dep", "lockfile", "cargo_lock"),
			withVerbs(cat("revert", []string{"revert", "reverts", "rollback"}, "revert"),
				"revert", "reverts", "reverted", "reapply", "undo", "rollback", "unrevert"),
			withObjects(withVerbs(cat("release", []string{"release", "releases", "version", "changelog", "publish"}, "release", "changelog"),
				"release", "released", "publish", "prepare", "tag"), "changelog", "version", "release"),
			withObjects(withVerbs(cat("style", []string{"style", "fmt", "format", "formatting", "lint", "lints", "clippy", "rustfmt", "cosmetic"},
				"rustfmt", "clippy", "formatting", "whitespace", "lint"),
				"format", "formatted", "reformat", "fmt", "rustfmt", "appease", "satisfy", "silence", "rewrap", "reindent",
				"clippy", "whitespace"), "clippy", "rustfmt", "fmt", "formatting", "lint", "lints", "warning", "whitespace"),
			withObjects(withVerbs(cat("build", []string{"build", "cargo", "msrv", "toolchain", "compile", "packaging"},
				"build", "msrv", "toolchain", "compile"),
				"build", "compile", "link"), "msrv", "toolchain", "build"),
			withObjects(withVerbs(cat("ci", []string{"ci", "cd", "ci_cd", "workflow", "workflows", "github_actions", "actions"},
				"ci", "workflow", "github action"),
				"ci"), "ci", "workflow", "workflows", "pipeline"),
			withObjects(withVerbs(cat("test", []string{"test", "tests", "testing", "e2e", "bench", "benches", "benchmark", "benchmarks", "fuzz"},
				"test", "testing", "coverage", "benchmark"),
				"test", "tests", "bench", "benchmark", "fuzz", "snapshot"), "test", "tests", "testing", "benchmark", "benchmarks", "bench", "benches", "snapshot", "fuzzer"),
			withObjects(withVerbs(cat("docs", []string{"docs", "doc", "documentation", "readme", "typo", "typos", "comment", "comments", "rustdoc", "book"},
				"docs", "documentation", "readme", "typo", "doc comment"),
				"document", "documented", "doc", "docs", "explain", "describe", "clarify", "comment", "mention", "typo"), "doc", "docs", "documentation", "readme", "comment", "comments", "typo", "docstring", "rustdoc", "example"),
			withVerbs(cat("chore", []string{"chore", "chores", "minor", "misc", "maintenance", "housekeeping", "meta", "tooling"},
				"chore"),
				"chore", "sync", "regenerate", "housekeeping"),
		},
		Entities: []Category{},
	}
}

// PaymentsTaxonomy returns [DefaultTaxonomy] extended with the vocabulary of
// payment platforms, tuned on juspay/hyperswitch: feature types such as
// connector_integration, refund, payout and payment_methods, the names its
// scopes and labels use for them, and payment entities. It applies only
// where asked for: the hyperswitch preset, or a rules file's
// "taxonomy: {preset: payments}"; elsewhere its words mislead ("void" is a
// payment in a payments platform, a type in a SQL toolkit).
func PaymentsTaxonomy() Taxonomy {
	return DefaultTaxonomy().Extend(Taxonomy{
		FeatureTypes: []Category{
			cat("connector_integration", []string{"connector", "connectors", "connector_integration", "ucs", "hyperswitch_connectors"},
				"connector", "gateway", "psp", "payment processor"),
			cat("webhook", []string{"webhook", "webhooks", "outgoing_webhooks", "incoming_webhooks"}, "webhook"),
			cat("search_filter", []string{"search", "filter", "filters", "list", "pm_list"},
				"search", "filter", "pagination", "paginate", "sort by"),
			cat("validation", []string{"validation", "validations", "validator"},
				"validation", "validate", "validator", "sanitize", "sanitise"),
			cat("authentication", []string{"auth", "authentication", "authn", "authz", "authorization", "3ds", "sso", "jwt"},
				"authentication", "authenticate", "auth", "3ds", "three ds", "jwt", "sso", "oauth", "totp", "2fa",
				"api key", "password", "login"),
			cat("user_management", []string{"users", "user", "user_roles", "roles", "rbac"},
				"user role", "invite", "signup", "sign up", "sign in", "rbac", "permission"),
			cat("routing", []string{"routing", "euclid", "dynamic_routing"},
				"routing", "routing algorithm", "success rate", "volume split"),
			cat("analytics", []string{"analytics", "metrics", "events", "opensearch", "kafka", "audit_trail",
				"observability", "logging", "tracing"},
				"analytics", "metric", "clickhouse", "opensearch", "kafka", "dashboard", "observability"),
			cat("configuration", []string{"config", "configs", "configuration", "env", "superposition"},
				"config", "configuration", "environment variable", "env var", "setting", "feature flag"),
			cat("storage", []string{"db", "database", "diesel", "storage", "storage_impl", "redis", "drainer",
				"migrations", "migration", "cache", "kv", "diesel_models", "storage_models"},
				"migration", "database", "db", "redis", "cache", "schema", "column", "diesel", "query"),
			cat("api", []string{"api", "apis", "openapi", "api_models", "api_contract"},
				"openapi", "api contract", "endpoint", "api"),
			cat("refund", []string{"refund", "refunds"}, "refund"),
			cat("payout", []string{"payout", "payouts"}, "payout"),
			cat("dispute", []string{"dispute", "disputes", "chargeback"}, "dispute", "chargeback"),
			cat("mandate", []string{"mandate", "mandates", "recurring"}, "mandate", "recurring payment", "setup mandate"),
			cat("subscription", []string{"subscription", "subscriptions", "billing", "revenue_recovery", "invoice"},
				"subscription", "billing", "invoice", "revenue recovery"),
			cat("payment_methods", []string{"payment_methods", "payment_method", "pm", "pm_auth", "vault", "cards", "wallet", "wallets"},
				"payment method", "card", "wallet", "vault", "tokenization", "tokenize", "locker", "network token"),
			cat("fraud_risk", []string{"frm", "fraud", "risk", "blocklist"}, "fraud", "frm", "risk", "blocklist"),
			cat("customer", []string{"customer", "customers", "returning_customer"}, "customer"),
			cat("merchant_account", []string{"platform", "merchant_account", "merchant", "admin", "organization",
				"profile", "business_profile", "tenant", "multitenancy"},
				"merchant account", "business profile", "organization", "platform merchant", "tenant"),
			cat("ci_tooling", []string{"ci", "cd", "ci_cd", "cypress", "postman", "build", "deps", "dependency_updates",
				"version", "release", "changelog", "github", "workflows", "docker"},
				"ci", "workflow", "github action", "cypress", "postman", "release", "lint", "clippy"),
			cat("documentation", []string{"docs", "doc", "documentation", "readme"}, "documentation", "docs", "readme"),
			cat("payment", []string{"payment", "payments", "core", "payment_intent", "payment_attempt"},
				"payment", "capture", "authorize", "authorise", "void", "cancel", "payment intent", "payment attempt",
				"checkout", "surcharge", "incremental authorization"),
		},
		Entities: []Category{
			cat("customer", []string{"customer", "customers"}, "customer"),
			cat("payment", []string{"payment", "payments"}, "payment", "payment intent", "payment attempt"),
			cat("refund", []string{"refund", "refunds"}, "refund"),
			cat("mandate", []string{"mandate", "mandates"}, "mandate"),
			cat("dispute", []string{"dispute", "disputes"}, "dispute", "chargeback"),
			cat("payout", []string{"payout", "payouts"}, "payout"),
			cat("payment_method", []string{"payment_method", "payment_methods", "pm"}, "payment method"),
			cat("card", []string{"card", "cards"}, "card"),
			cat("wallet", []string{"wallet", "wallets"}, "wallet", "apple pay", "google pay", "paypal"),
			cat("merchant", []string{"merchant", "merchants", "merchant_account"}, "merchant"),
			cat("business_profile", []string{"profile", "business_profile"}, "business profile", "profile"),
			cat("organization", []string{"organization", "org", "tenant"}, "organization", "organisation", "tenant"),
			cat("user", []string{"user", "users"}, "user"),
			cat("api_key", []string{"api_key", "api_keys"}, "api key"),
			cat("connector", []string{"connector", "connectors"}, "connector"),
			cat("webhook", []string{"webhook", "webhooks"}, "webhook"),
			cat("subscription", []string{"subscription", "subscriptions"}, "subscription"),
			cat("invoice", []string{"invoice", "invoices"}, "invoice"),
			cat("address", []string{"address"}, "address", "billing address", "shipping address"),
			cat("routing_algorithm", nil, "routing algorithm", "routing rule"),
			cat("token", []string{"token", "tokens", "tokenization"}, "token", "network token", "tokenization"),
			cat("blocklist", []string{"blocklist"}, "blocklist"),
			cat("event", []string{"event", "events"}, "event"),
		},
	})
}
