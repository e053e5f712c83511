package badinput_test

// Rows of issue 14's items 3 and 7: the binaries' shared command line
// (internal/cli) reports bad usage the same way everywhere (exit 2, the
// flag named, nothing written), --help exits 0 in every binary, and a
// rules file's allow_paths (never used) is refused.
func init() { badInputs = append(badInputs, cliInputs...) }

var cliInputs = []badInput{
	{
		name: "generate: --since is not a date",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{f.Path("repo"), "--since", "yesterday", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{`generate: --since "yesterday": want YYYY-MM-DD or RFC 3339`},
		check:  absent("out"),
	},
	{
		name: "sftforge: --since is not a date",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"--since", "2024-13-45", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{`sftforge: --since "2024-13-45": want YYYY-MM-DD or RFC 3339`},
		check:  absent("out"),
	},
	{
		name: "generate: --until is not a date",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{f.Path("repo"), "--until", "soon", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{`generate: --until "soon": want YYYY-MM-DD or RFC 3339`},
		check:  absent("out"),
	},
	{
		name: "sftforge: -m -1",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"-m", "-1", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"sftforge: --min-lines -1: want 0 or more"},
		check:  absent("out"),
	},
	{
		name: "gather: --retries -1",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"acme", "pay", "--retries", "-1", "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"gather: --retries -1: want 0 or more"},
		check:  absent("out"),
	},
	{
		name: "sftforge: a positional argument",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{f.Path("repo"), "-o", f.Path("out")}}
		},
		code:   2,
		stderr: []string{"sftforge: unexpected argument ", "(use --repo PATH or --github OWNER/REPO)"},
		check:  absent("out"),
	},
	{
		name: "merge: the rules file has redact.allow_paths",
		bin:  "merge",
		setup: func(f *fixture) invocation {
			rules := f.Write("rules.yaml", "redact:\n  allow_patterns: ['^sk_test_FAKE']\n  allow_paths: ['crates/**/fixtures/**']\n")
			return invocation{Args: []string{f.Path("gh"), f.Path("export"), "--rules", rules, "-o", f.Path("out")},
				Guard: []string{rules}}
		},
		code:   2,
		stderr: []string{"rules.yaml:3: redact.allow_paths is not supported: records hold no file contents"},
		check:  absent("out"),
	},
	{
		name: "sftforge: the rules file has redact.allow_paths",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			rules := f.Write("rules.yaml", "redact:\n  allow_paths: ['tests/**']\n")
			return invocation{Args: []string{"--rules", rules, "-o", f.Path("out")}, Guard: []string{rules}}
		},
		code:   2,
		stderr: []string{"rules.yaml:2: redact.allow_paths is not supported"},
		check:  absent("out"),
	},
	{
		name: "sftforge: --help",
		bin:  "sftforge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"--help", "-o", f.Path("out")}}
		},
		code:   0,
		stderr: []string{"Usage:\n  sftforge ", "--commits-as-prs[=true|false]", "(default true)"},
		check:  absent("out"),
	},
	{
		name: "generate: --help",
		bin:  "generate",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"--help", "-o", f.Path("out")}}
		},
		code:   0,
		stderr: []string{"Usage: generate REPO [flags]", "--rev string"},
		check:  absent("out"),
	},
	{
		name: "merge: -h",
		bin:  "merge",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"-h", "-o", f.Path("out")}}
		},
		code:   0,
		stderr: []string{"Usage: merge GITHUB_DIR EXPORT_DIR", "--max-response-tokens int"},
		check:  absent("out"),
	},
	{
		name: "gather: --help",
		bin:  "gather",
		setup: func(f *fixture) invocation {
			return invocation{Args: []string{"--help", "-o", f.Path("out")}}
		},
		code:   0,
		stdout: []string{"Usage: gather OWNER REPO"},
		check:  absent("out"),
	},
}
