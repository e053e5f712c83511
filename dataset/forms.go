package dataset

import (
	"context"
	"log/slog"

	"github.com/sftforge/sftforge/github/forms"
	"github.com/sftforge/sftforge/gitlog"
)

// MaxFormRevisions bounds how many past revisions of the issue forms and
// pull request templates [FormsForRepo] reads, spread evenly over the
// commits that changed them.
const MaxFormRevisions = 32

// formGlobs select the files GitHub reads issue forms and pull request
// templates from (see forms.Load), in .github/, docs/ or the root.
var formGlobs = []string{
	"{.github/,docs/,}{ISSUE_TEMPLATE,issue_template,PULL_REQUEST_TEMPLATE,pull_request_template}/*",
	"{.github/,docs/,}{ISSUE_TEMPLATE,issue_template,PULL_REQUEST_TEMPLATE,pull_request_template}.md",
}

// FormsForRepo reads the issue forms and pull request templates of the
// walked range of repo: those at walk.Rev (default HEAD), and those of the
// revisions before each change to them (at most MaxFormRevisions), so a
// heading an older form had is still known. A template that does not parse
// is logged and left out; a repository without templates gives an empty
// set (the generic fallbacks still apply).
func FormsForRepo(ctx context.Context, repo *gitlog.Repository, walk gitlog.WalkOptions, log *slog.Logger) (*forms.Set, error) {
	if log == nil {
		log = slog.Default()
	}
	rev := walk.Rev
	if rev == "" {
		rev = "HEAD"
	}
	set := forms.NewSet()
	load := func(rev string) error {
		fsys, err := repo.FS(ctx, rev)
		if err != nil {
			return err
		}
		s, errs := forms.Load(fsys)
		for _, err := range errs {
			log.Warn("issue form or template left out", "revision", rev, "err", err)
		}
		set = set.With(s.Templates()...)
		return nil
	}
	if err := load(rev); err != nil {
		return nil, err
	}
	sel := gitlog.WalkOptions{Rev: rev, MaxCommits: walk.MaxCommits, Since: walk.Since, Until: walk.Until,
		AllParents: walk.AllParents, Include: formGlobs}
	var changed []string
	for c, err := range repo.ChangedPaths(ctx, sel) {
		if err != nil {
			return nil, err
		}
		changed = append(changed, c.Hash)
	}
	for _, h := range evenly(changed, MaxFormRevisions) {
		if err := load(h + "~1"); err != nil {
			continue // the root commit: nothing before it
		}
	}
	return set, nil
}
