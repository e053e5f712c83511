// Package githubtest is an in-process fake of the parts of the GitHub REST
// API that package github uses, for tests and benchmarks: pull request and
// issue listings with Link pagination, a PR's commits, files and diff (406
// too_large beyond 300 files), repository issue comments, ETags and 304s,
// a primary rate limit, and injected faults (5xx, reset connections,
// truncated bodies, primary and secondary limits, 401). Like go-github's own
// tests it serves the API under /api-v3/ of an httptest.Server.
//
// [Generate] builds a repository with a real git history on disk, so that
// the same PRs can be gathered through the API or from the local clone.
package githubtest
