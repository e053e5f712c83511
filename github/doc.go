// Package github fetches what the dataset needs from GitHub: merged pull
// requests with their problem statements, commits, changed files and patches,
// the issues they close, and the issue texts.
//
// [Gather] is the entry point. It lists pull requests most recently updated
// first, through GraphQL when the server answers it (100 PRs a request with
// their commit messages and GitHub's own closing references) and through
// REST otherwise, fetches each one's diff (and, through REST, its commits),
// parses closing links with [ParseLinks], lists the issues, and appends the
// records to prs.jsonl and issues.jsonl as whole lines with a checkpoint,
// so a killed run resumes where it stopped. A summary.json with counts
// closes the run. With a local clone ([GatherOptions.RepoDir]) commits and
// patches come from git: the PR heads a plain clone lacks are fetched over
// git ([GatherOptions.PullHeads]), or read from GitHub's squash messages
// ([ParseSquashMessage]). Running Gather again over a finished output
// refreshes it: only what changed since is fetched.
//
// Requests per merged PR (TestGatherRequestsPerPRByMode): REST 2.03, GraphQL
// 1.02, with a clone 0.03 (REST) and 0.02 (GraphQL); an unchanged refresh
// 0.02.
//
// The HTTP stack is go-github v66 over go-github-ratelimit (primary and
// secondary limits), bounded retries with backoff for 5xx, resets and
// truncated bodies, an on-disk ETag cache (a 304 costs no rate limit) and a
// cap on requests in flight. The token never appears in output, logs or
// errors.
//
// Inputs are checked before any request: [ValidateRepo] holds owner and
// repository names to GitHub's naming rules (so `axum?x=`, `..` or
// `repo#frag` never reach another API path), and [ReadTokenFile] and
// [ValidateToken] refuse an empty, multi-line or malformed token instead of
// carrying on unauthenticated or retrying a request that cannot succeed.
//
// [ReadPRs] and [ReadIssues] read the JSONL files back for later stages; the
// package githubtest holds an in-process fake GitHub for tests.
package github
