// Package redact removes secrets and personal data from text before it is
// written to a training file.
//
// A [Redactor] finds credentials with the default rule set of gitleaks
// (github.com/zricethezav/gitleaks/v8: about 220 provider rules with
// keyword prefilters, entropy thresholds and allow-lists), a few curated
// rules gitleaks lacks (passwords in connection URLs, Azure storage account
// keys, Adyen and Checkout.com keys, AWS secret keys, Authorization
// headers, secret literals in Rust forms such as const API_KEY: &str = "…")
// and any rules the user adds. Each
// secret is replaced by a typed placeholder such as
// <REDACTED:aws-access-token>; e-mail addresses become <EMAIL> and,
// optionally, @-mentions become <USER>:
//
//	r, err := redact.New(redact.Config{})
//	clean, findings := r.Redact(text)
//
// The zero [Config] is the safe default: every rule on, e-mail addresses
// redacted. [Config.KnownSecrets] adds exact strings (the run's GitHub
// token) that are replaced whatever the rules say. [LoadConfig] reads the `redact:` section of a YAML rules file
// (the same file archmap reads) for extra rules and allow-lists.
// [PlaceholderShare] tells how much of a text is placeholders, for callers
// that drop records which are mostly redacted, and [Counts] tallies
// findings by rule for statistics.
//
// What it does not do: it never decodes base64 or other encodings to look
// inside them, it does not honour in-source `gitleaks:allow` comments (a
// repository's own annotations must not let a secret into a dataset), and
// gitleaks rules that only apply to certain file names (Terraform, NuGet,
// Kubernetes YAML, .p12 files) are inactive because texts are scanned
// without a file name.
package redact
