#!/usr/bin/env bash
# bench/pipeline.sh REPO [N] [RUNS]: the whole offline pipeline (sftforge
# --repo) against `git log -p` on the same commits; see bench/vs_git.sh.
exec "$(dirname "$0")/vs_git.sh" sftforge "$@"
