// Package sample builds the small embedded sample that the sftforge example
// binary runs on when given no arguments: a Rust payments workspace history
// and the GitHub pull requests and issues that go with it, with no network
// and no token.
//
// [Build] writes a real git repository (go-git, branch main checked out)
// whose history is replayed from fixture files embedded in the module: an
// initial workspace (api_models, diesel_models, domain_models, router with
// core/routes/db/types/services, a connectors crate with two connectors,
// common_utils, redis_interface, config, migrations, tests and docs), then
// squash-merged feature, fix, refactor and docs pull requests whose subjects
// end with "(#N)", one pull request merged with a true merge commit, one
// whose subject has no number, and a version bump by a bot. Next to it,
// github_data/ holds prs.jsonl, issues.jsonl and summary.json in the format
// of package github, with each PR's merge_commit_sha equal to the commit
// Build created, closing links and mentions in PR-template bodies, and
// product-level issues, two of them filed through the workspace's own
// issue forms (.github/ISSUE_TEMPLATE: empty "_No response_" answers, an
// environment block, confirmations, "Are you willing to submit a PR?") for
// the prompts' form cleaning to remove. A few planted fake secrets (a Stripe-style live
// key and an e-mail address in PR text, an AWS key pair in one commit's
// config) give redaction something to find.
//
// Everything is fixed (authors, dates, messages), so two builds produce the
// same commit hashes and byte-identical files.
//
// # Fixture layout
//
// fixture/history/NN-slug/ is one commit: commit.yaml holds the author,
// date, message, optional branch or merged branch, paths to delete or rename
// and the pull request's metadata; tree/ holds the files the commit adds or
// replaces, relative to the previous tree of its branch. fixture/issues.yaml
// lists the issues.
package sample
