package githubtest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/gitlog"
)

// GenerateOptions shapes a generated repository.
type GenerateOptions struct {
	Owner, Name string
	// Dir receives the git repository (a non-bare clone layout with refs
	// refs/heads/main and refs/pull/N/head, as a clone that fetched pull
	// refs has).
	Dir string
	// Merged, Unmerged and Open are the numbers of merged, closed without
	// merge, and open pull requests.
	Merged, Unmerged, Open int
	// Issues is the number of issues; they take numbers 1..Issues and the
	// pull requests the numbers after.
	Issues int
	// LargePR makes the last merged PR touch 305 files (its diff is too
	// large for the diff media type).
	LargePR bool
	// LongPR gives the merged PR before it 101 commits (commit lists need
	// paging).
	LongPR bool
	// OmitPRCommits leaves the PR branches' commits out of the git
	// repository, like a plain clone without refs/pull/*: only main and its
	// squash-merge commits are there.
	OmitPRCommits bool
	// SquashMessage is how merged PRs' squash commits are worded:
	// "" (GitHub's default: for one commit its subject with " (#N)" and its
	// body; for more, the PR title with " (#N)" and a body listing every
	// commit message as a "* message" item) or "edited" (the PR title
	// alone, without the number: a message edited at merge time).
	SquashMessage string
	// Origin, when set, is written as the URL of the repository's "origin"
	// remote (a file:// URL of another generated repository that has the
	// pull refs, for tests that fetch them).
	Origin string
}

// Start is the creation time of the first generated issue and PR.
var Start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Generate builds a repository: a git history in opts.Dir where each PR is a
// branch off main squash-merged back (when merged), and the matching API
// data. Bodies and commit messages use every linking form.
func Generate(opts GenerateOptions) (*Repo, error) {
	g, err := newHistory(opts.Dir)
	if err != nil {
		return nil, err
	}
	repo := &Repo{Owner: opts.Owner, Name: opts.Name, Dir: opts.Dir, Pulls: []*Pull{}, Issues: []*Issue{}, Comments: []*Comment{}}
	for i := 1; i <= opts.Issues; i++ {
		at := Start.Add(time.Duration(i) * time.Minute)
		issue := &Issue{Number: i, Title: fmt.Sprintf("Issue %d: merchants need feature %d", i, i), Body: fmt.Sprintf("As a merchant I want feature %d.\n\n<!-- template -->", i),
			State: "open", Author: "reporter", Labels: []string{"bug"}, Created: at, Updated: at}
		if i%2 == 0 {
			closed := at.Add(time.Hour)
			issue.State, issue.Closed, issue.Updated = "closed", &closed, closed
		}
		repo.Issues = append(repo.Issues, issue)
		if i%3 == 0 {
			repo.Comments = append(repo.Comments, &Comment{Issue: i, Author: "helper", Body: "I can reproduce this.", Created: at.Add(time.Minute)},
				&Comment{Issue: i, Author: "reporter", Body: "Thanks!", Created: at.Add(2 * time.Minute)})
		}
	}
	files := map[string]string{}
	for f := 0; f < 10; f++ {
		files[fmt.Sprintf("crates/core/src/f%d.rs", f)] = fmt.Sprintf("//! module %d\n", f)
	}
	tip, err := g.commit(files, nil, "initial commit", Start)
	if err != nil {
		return nil, err
	}
	total := opts.Merged + opts.Unmerged + opts.Open
	var diffs []prDiff
	for i := 0; i < total; i++ {
		number := opts.Issues + 1 + i
		created := Start.Add(time.Duration(i+1) * time.Hour)
		issue := 0
		if opts.Issues > 0 {
			issue = i%opts.Issues + 1
		}
		p := &Pull{Number: number, Title: fmt.Sprintf("feat(core): change %d", i), Author: fmt.Sprintf("dev%d", i%5),
			Labels: []string{}, Created: created, BaseRef: "main", HeadRef: fmt.Sprintf("feature-%d", i), BaseSHA: tip.String()}
		switch i % 3 {
		case 0:
			p.Body = fmt.Sprintf("## Description\nAdds change %d.\n\nFixes #%d", i, issue)
		case 1:
			p.Body = fmt.Sprintf("Adds change %d.\n\nRelated to #%d\n<!-- fixes #%d -->", i, issue, issue+1)
		default:
			p.Body = fmt.Sprintf("Resolves: other/lib#%d and https://github.com/%s/%s/issues/%d", i+1, opts.Owner, opts.Name, issue)
		}
		if i%4 == 0 {
			p.Labels = append(p.Labels, "A-core")
		}
		// What GitHub links: the body's closing keywords, and for some PRs
		// an issue linked in the Development sidebar only.
		if issue > 0 && i%3 == 0 {
			p.ClosingIssues = append(p.ClosingIssues, issue)
		}
		if issue > 0 && i%5 == 2 && opts.Issues > 1 {
			p.ClosingIssues = append(p.ClosingIssues, (issue%opts.Issues)+1)
		}
		// The branch: k commits off the current tip.
		branch := copyFiles(files)
		k := 1 + i%3
		if opts.LongPR && i == opts.Merged-2 {
			k = 101
		}
		head := tip
		for j := 0; j < k; j++ {
			path := fmt.Sprintf("crates/core/src/f%d.rs", (i+j)%10)
			branch[path] += fmt.Sprintf("pub fn change_%d_%d() {}\n", i, j)
			if j == 0 && i%4 == 0 {
				branch[fmt.Sprintf("crates/pr%d/src/lib.rs", i)] = fmt.Sprintf("pub struct Pr%d;\n", i)
			}
			if j == 0 && opts.LargePR && i == opts.Merged-1 {
				for n := 0; n < 305; n++ {
					branch[fmt.Sprintf("gen/large/f%03d.rs", n)] = fmt.Sprintf("pub const N: u32 = %d;\n", n)
				}
			}
			msg := fmt.Sprintf("change %d step %d", i, j)
			if j == 0 && i%4 == 1 && issue > 0 {
				msg += fmt.Sprintf("\n\nCloses #%d", issue)
			}
			at := created.Add(time.Duration(j) * time.Second)
			g.dryRun = opts.OmitPRCommits
			head, err = g.commit(branch, []plumbing.Hash{head}, msg, at)
			g.dryRun = false
			if err != nil {
				return nil, err
			}
			p.Commits = append(p.Commits, Commit{SHA: head.String(), Message: msg})
		}
		p.HeadSHA = head.String()
		// The diff is read once the repository is on disk.
		diffs = append(diffs, prDiff{p, g.trees[tip], g.trees[head]})
		if !opts.OmitPRCommits {
			if err := g.ref(fmt.Sprintf("refs/pull/%d/head", number), head); err != nil {
				return nil, err
			}
		}
		switch {
		case i < opts.Merged:
			merged := created.Add(50 * time.Minute)
			p.State, p.MergedAt, p.Updated = "closed", &merged, merged
			files = branch
			if tip, err = g.commit(files, []plumbing.Hash{tip}, squashMessage(p, opts.SquashMessage), merged); err != nil {
				return nil, err
			}
			p.MergeCommitSHA = tip.String()
		case i < opts.Merged+opts.Unmerged:
			p.State, p.Updated = "closed", created.Add(40*time.Minute)
		default:
			p.State, p.Updated = "open", created.Add(30*time.Minute)
		}
		repo.Pulls = append(repo.Pulls, p)
	}
	if err := g.ref("refs/heads/main", tip); err != nil {
		return nil, err
	}
	if err := g.write(opts.Origin); err != nil {
		return nil, err
	}
	if err := readDiffs(opts.Dir, diffs); err != nil {
		return nil, err
	}
	return repo, nil
}

// prDiff is a pull request whose diff runs from tree base to tree head
// (trees, since without the PR commits the head commit is not stored).
type prDiff struct {
	pull       *Pull
	base, head plumbing.Hash
}

// readDiffs fills each pull request's diff and files from the repository
// in dir, with gitlog's diff and patch: git's own text, with full blob
// hashes (`git diff --full-index`, what --repo-dir computes, so that tests
// can compare the two byte for byte).
func readDiffs(dir string, diffs []prDiff) error {
	ctx := context.Background()
	repo, err := gitlog.Open(ctx, dir, gitlog.OpenOptions{})
	if err != nil {
		return fmt.Errorf("githubtest: %w", err)
	}
	defer repo.Close()
	for _, d := range diffs {
		changes, err := repo.Diff(ctx, d.base.String(), d.head.String(), gitlog.DiffOptions{})
		if err != nil {
			return fmt.Errorf("githubtest: PR #%d: %w", d.pull.Number, err)
		}
		text, err := gitlog.Patch(changes, gitlog.PatchOptions{})
		if err != nil {
			return fmt.Errorf("githubtest: PR #%d: %w", d.pull.Number, err)
		}
		files := make([]File, len(changes))
		for i, c := range changes {
			files[i] = File{Path: c.Path, PreviousPath: c.OldPath, Status: string(c.Status), Additions: c.Additions, Deletions: c.Deletions, Patch: filePatch(text, c.Path)}
			if c.Status == change.StatusDeleted {
				files[i].Status = "removed" // GitHub's word
			}
		}
		d.pull.Diff, d.pull.Files = text, files
	}
	return nil
}

// squashMessage words p's squash commit like GitHub: see
// GenerateOptions.SquashMessage.
func squashMessage(p *Pull, style string) string {
	suffix := fmt.Sprintf(" (#%d)", p.Number)
	if style == "edited" {
		return p.Title
	}
	if len(p.Commits) == 0 {
		return p.Title + suffix
	}
	if len(p.Commits) == 1 {
		subject, body, _ := strings.Cut(p.Commits[0].Message, "\n")
		body = strings.TrimLeft(body, "\n")
		if body == "" {
			return subject + suffix
		}
		return subject + suffix + "\n\n" + body
	}
	items := make([]string, len(p.Commits))
	for i, c := range p.Commits {
		items[i] = "* " + c.Message
	}
	return p.Title + suffix + "\n\n" + strings.Join(items, "\n\n")
}

func copyFiles(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// history writes git objects straight into a repository, each once.
type history struct {
	repo   *git.Repository
	mem    *memory.Storage
	dir    string
	stored map[plumbing.Hash]bool
	trees  map[plumbing.Hash]plumbing.Hash // commit -> tree
	dryRun bool                            // compute commit hashes without storing them
}

// newHistory builds in memory; write puts the result on disk as one
// packfile, like a fresh clone (thousands of loose objects would make both
// the generation and the reading slow for no realism).
func newHistory(dir string) (*history, error) {
	mem := memory.NewStorage()
	repo, err := git.Init(mem, nil)
	if err != nil {
		return nil, fmt.Errorf("githubtest: init: %w", err)
	}
	return &history{repo: repo, mem: mem, dir: dir, stored: map[plumbing.Hash]bool{}, trees: map[plumbing.Hash]plumbing.Hash{}}, nil
}

// write creates the repository in h.dir: one packfile, the references,
// HEAD pointing at main, and an origin remote when origin is set.
func (h *history) write(origin string) error {
	disk, err := git.PlainInit(h.dir, false)
	if err != nil {
		return fmt.Errorf("githubtest: init %s: %w", h.dir, err)
	}
	if origin != "" {
		if _, err := disk.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{origin}}); err != nil {
			return fmt.Errorf("githubtest: %s: remote origin: %w", h.dir, err)
		}
	}
	hashes := make([]plumbing.Hash, 0, len(h.mem.Objects))
	for hash := range h.mem.Objects {
		hashes = append(hashes, hash)
	}
	w, err := disk.Storer.(storer.PackfileWriter).PackfileWriter()
	if err != nil {
		return fmt.Errorf("githubtest: %s: %w", h.dir, err)
	}
	if _, err := packfile.NewEncoder(w, h.mem, false).Encode(hashes, 10); err != nil {
		w.Close()
		return fmt.Errorf("githubtest: %s: write pack: %w", h.dir, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("githubtest: %s: index pack: %w", h.dir, err)
	}
	for _, ref := range h.mem.ReferenceStorage {
		if err := disk.Storer.SetReference(ref); err != nil {
			return err
		}
	}
	return disk.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, "refs/heads/main"))
}

func (h *history) ref(name string, hash plumbing.Hash) error {
	return h.repo.Storer.SetReference(plumbing.NewHashReference(plumbing.ReferenceName(name), hash))
}

func (h *history) store(o interface {
	Encode(plumbing.EncodedObject) error
}) (plumbing.Hash, error) {
	obj := &plumbing.MemoryObject{}
	if err := o.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return h.save(obj)
}

// save stores obj unless an identical object already is.
func (h *history) save(obj plumbing.EncodedObject) (plumbing.Hash, error) {
	if hash := obj.Hash(); h.stored[hash] {
		return hash, nil
	}
	hash, err := h.repo.Storer.SetEncodedObject(obj)
	if err == nil {
		h.stored[hash] = true
	}
	return hash, err
}

func (h *history) blob(content string) (plumbing.Hash, error) {
	obj := &plumbing.MemoryObject{}
	obj.SetType(plumbing.BlobObject)
	if _, err := obj.Write([]byte(content)); err != nil {
		return plumbing.ZeroHash, err
	}
	return h.save(obj)
}

// tree stores the tree of files under prefix ("" for the root).
func (h *history) tree(files map[string]string, prefix string) (plumbing.Hash, error) {
	entries := map[string]object.TreeEntry{}
	subdirs := map[string]bool{}
	for path, content := range files {
		if !strings.HasPrefix(path, prefix) {
			continue
		}
		rest := path[len(prefix):]
		if dir, _, found := strings.Cut(rest, "/"); found {
			subdirs[dir] = true
			continue
		}
		hash, err := h.blob(content)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries[rest] = object.TreeEntry{Name: rest, Mode: filemode.Regular, Hash: hash}
	}
	for dir := range subdirs {
		hash, err := h.tree(files, prefix+dir+"/")
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries[dir] = object.TreeEntry{Name: dir, Mode: filemode.Dir, Hash: hash}
	}
	t := &object.Tree{}
	for _, e := range entries {
		t.Entries = append(t.Entries, e)
	}
	// git sorts directories as if their name ended with "/".
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(t.Entries, func(i, j int) bool { return key(t.Entries[i]) < key(t.Entries[j]) })
	return h.store(t)
}

func (h *history) commit(files map[string]string, parents []plumbing.Hash, msg string, at time.Time) (plumbing.Hash, error) {
	tree, err := h.tree(files, "")
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("githubtest: tree: %w", err)
	}
	sig := object.Signature{Name: "Dev", Email: "dev@example.com", When: at}
	c := &object.Commit{Author: sig, Committer: sig, Message: msg, TreeHash: tree, ParentHashes: parents}
	var hash plumbing.Hash
	if h.dryRun {
		obj := &plumbing.MemoryObject{}
		if err := c.Encode(obj); err != nil {
			return plumbing.ZeroHash, err
		}
		hash = obj.Hash()
	} else if hash, err = h.store(c); err != nil {
		return plumbing.ZeroHash, err
	}
	h.trees[hash] = tree
	return hash, nil
}

// filePatch cuts one file's hunks out of a whole diff, as the files API
// gives them.
func filePatch(diff, path string) string {
	for _, section := range strings.Split("\n"+diff, "\ndiff --git ") {
		header, _, _ := strings.Cut(section, "\n")
		if !strings.HasSuffix(header, " b/"+path) {
			continue
		}
		if i := strings.Index(section, "\n@@"); i >= 0 {
			return strings.TrimSuffix(section[i+1:], "\n")
		}
	}
	return ""
}
