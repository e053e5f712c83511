package dataset

import (
	"context"
	"log/slog"

	"github.com/sftforge/sftforge/github/forms"
	"github.com/sftforge/sftforge/gitlog"
)

// MaxFormRevisions bounds how many past revisions of the issue forms and
// pull request templates [FormsForRepo] reads, spread evenly over the
// walked commits.
const MaxFormRevisions = 16

// FormsForRepo reads the issue forms and pull request templates of repo at
// rev (default HEAD) and at up to MaxFormRevisions of history (the walked
// commits' hashes, e.g. the export's), spread evenly, so a heading an older
// form had is still known. Reading a revision's templates costs a few tree
// reads, not a walk. A template that does not parse is logged and left
// out; a repository without templates gives an empty set (the generic
// rules of package forms still apply).
func FormsForRepo(ctx context.Context, repo *gitlog.Repository, rev string, history []string, log *slog.Logger) (*forms.Set, error) {
	if log == nil {
		log = slog.Default()
	}
	if rev == "" {
		rev = "HEAD"
	}
	set := forms.NewSet()
	warned := map[string]bool{}
	load := func(rev string) error {
		fsys, err := repo.FS(ctx, rev)
		if err != nil {
			return err
		}
		s, errs := forms.Load(fsys)
		for _, err := range errs {
			if !warned[err.Error()] {
				warned[err.Error()] = true
				log.Warn("issue form or template left out", "revision", rev, "err", err)
			}
		}
		set = set.With(s.Templates()...)
		return nil
	}
	if err := load(rev); err != nil {
		return nil, err
	}
	for _, h := range evenly(history, MaxFormRevisions) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := load(h); err != nil {
			continue // a commit this clone lacks
		}
	}
	return set, nil
}
