#!/usr/bin/env bash
# bench/generate.sh REPO [N] [RUNS]: the commit export against `git log -p`
# on the same commits; see bench/vs_git.sh.
exec "$(dirname "$0")/vs_git.sh" generate "$@"
