// Package github fetches what the dataset needs from GitHub: merged pull
// requests with their problem statements, commits, changed files and patches,
// the issues they close, and the issue texts.
//
// [Gather] is the entry point. It lists pull requests newest first, fetches
// each one's commits and diff (two requests per PR; none with a local clone,
// see [GatherOptions.RepoDir]), parses closing links with [ParseLinks], lists
// all issues, and appends the records to prs.jsonl and issues.jsonl as whole
// lines with a checkpoint, so a killed run resumes where it stopped. A
// summary.json with counts closes the run.
//
// The HTTP stack is go-github v66 over go-github-ratelimit (primary and
// secondary limits), bounded retries with backoff for 5xx, resets and
// truncated bodies, an on-disk ETag cache (a 304 costs no rate limit) and a
// cap on requests in flight. The token never appears in output, logs or
// errors.
//
// [ReadPRs] and [ReadIssues] read the JSONL files back for later stages; the
// package githubtest holds an in-process fake GitHub for tests.
package github
