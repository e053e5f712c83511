package gitlog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// OpenOptions configure [Open].
type OpenOptions struct {
	// CacheDir is where remote URLs are cloned (bare), one directory per
	// URL; default os.UserCacheDir()/sftforge/repos.
	CacheDir string
	// Progress receives clone and fetch progress; nil is silent. Pass
	// os.Stderr only when it is a terminal.
	Progress io.Writer
	// Logger receives warnings (a failed fetch, a shallow or grafted
	// history, an unreadable commit ending the history); default
	// slog.Default().
	Logger *slog.Logger
}

// Repository is an open git repository. Its methods are safe for concurrent
// use; Close releases its file descriptors.
type Repository struct {
	path   string // the git directory
	source string // what Open was given
	fs     billy.Filesystem
	log    *slog.Logger

	boundaryWarning sync.Once // a shallow or grafted history is reported once
	partialWarning  sync.Once // a partial clone is reported once

	mu   sync.Mutex // guards main and the go-git repository built on it
	main *filesystem.Storage
	repo *git.Repository

	packs   *packSet // nil when the packs could not be read: go-git reads all
	readers *readerPool
	trees   *treeCache
	blobs   *blobCache
}

// Open opens a repository from a local path (a work tree, a directory inside
// one, or a bare repository) or from a remote URL (https://, http://, ssh://,
// git://, file:// or scp-like git@host:owner/repo). A URL is cloned once,
// bare, into opts.CacheDir and fetched on later calls; when that fetch fails
// (offline), the cached copy is used and a warning is logged.
func Open(ctx context.Context, source string, opts OpenOptions) (*Repository, error) {
	if strings.TrimSpace(source) == "" {
		return nil, errors.New("gitlog: open: empty repository path or URL")
	}
	if isURL(source) {
		dir, err := cloneOrFetch(ctx, source, opts)
		if err != nil {
			return nil, err
		}
		return openFS(osfs.New(dir, osfs.WithBoundOS()), dir, dir, source, opts.Logger)
	}
	gitDir, common, err := findGitDir(source)
	if err != nil {
		return nil, err
	}
	var fs billy.Filesystem = osfs.New(gitDir, osfs.WithBoundOS())
	objectsRoot := gitDir
	if common != "" {
		fs = dotgit.NewRepositoryFilesystem(fs, osfs.New(common, osfs.WithBoundOS()))
		objectsRoot = common
	}
	return openFS(fs, gitDir, objectsRoot, source, opts.Logger)
}

// Path returns the repository's git directory (the .git directory, or the
// bare repository itself, or the clone in the cache for a URL).
func (r *Repository) Path() string { return r.path }

// ReleaseCaches drops the decoded trees, blob contents and delta bases the
// repository keeps to speed up a walk (a few hundred megabytes after a
// long one), so that a consumer done walking gets the memory back while
// the repository stays open. Later reads fill the caches again.
func (r *Repository) ReleaseCaches() {
	r.trees.clear()
	r.blobs.contents.clear()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.packs != nil {
		r.packs.bases.clear()
	}
}

// Close closes every file the repository keeps open. It must not be called
// while a walk or a Blob call is running.
func (r *Repository) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	errs := []error{r.readers.close()}
	if r.packs != nil {
		errs = append(errs, r.packs.close())
		r.packs = nil
	}
	if r.main != nil {
		errs = append(errs, r.main.Close())
		r.main = nil
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("gitlog: close %s: %w", r.path, err)
	}
	return nil
}

// newStorage opens go-git's filesystem storage with kept descriptors: the
// default storage reopens the pack for every object read.
func newStorage(fs billy.Filesystem, cacheSize cache.FileSize) *filesystem.Storage {
	return filesystem.NewStorageWithOptions(fs, cache.NewObjectLRU(cacheSize), filesystem.Options{
		KeepDescriptors: true,
		ExclusiveAccess: true,
		// Absolute paths in objects/info/alternates name directories
		// outside the repository.
		AlternatesFS: osfs.New(rootDir(fs.Root()), osfs.WithBoundOS()),
	})
}

// rootDir is the root of the file system holding path ("/" or a volume).
func rootDir(path string) string {
	return filepath.VolumeName(path) + string(filepath.Separator)
}

// openFS opens the repository whose git directory is fs (gitDir on disk) and
// whose objects are under objectsRoot/objects.
func openFS(fs billy.Filesystem, gitDir, objectsRoot, source string, log *slog.Logger) (*Repository, error) {
	// The packs first: go-git reports a corrupt pack index as a missing
	// HEAD reference.
	packs, err := openPacks(filepath.Join(objectsRoot, "objects"))
	if err != nil {
		return nil, fmt.Errorf("gitlog: open %s: %w", source, err)
	}
	st := newStorage(fs, 16*cache.MiByte)
	repo, err := git.Open(st, nil)
	if err != nil {
		_ = st.Close()
		_ = packs.close()
		return nil, fmt.Errorf("gitlog: open %s: %w", source, err)
	}
	if log == nil {
		log = slog.Default()
	}
	return &Repository{
		packs:   packs,
		path:    gitDir,
		source:  source,
		fs:      fs,
		log:     log,
		main:    st,
		repo:    repo,
		readers: newReaderPool(fs),
		trees:   newTreeCache(200_000),
		blobs:   newBlobCache(64 << 20),
	}, nil
}

// findGitDir resolves a local path to its git directory, walking up from a
// directory inside a work tree like git does. For a linked work tree it also
// returns the common directory that holds the objects.
func findGitDir(path string) (gitDir, common string, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", "", fmt.Errorf("gitlog: open %s: %w", path, err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return "", "", fmt.Errorf("gitlog: open %s: %w", path, err)
	}
	if !info.IsDir() {
		return "", "", fmt.Errorf("gitlog: open %s: not a directory", path)
	}
	for dir := abs; ; {
		if isGitDir(dir) {
			return dir, "", nil
		}
		dotGit := filepath.Join(dir, ".git")
		if fi, err := os.Stat(dotGit); err == nil {
			if fi.IsDir() && isGitDir(dotGit) {
				return dotGit, "", nil
			}
			if !fi.IsDir() {
				return resolveGitFile(dotGit)
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", "", fmt.Errorf("gitlog: open %s: not a git repository (nor any parent directory)", path)
		}
		dir = parent
	}
}

// isGitDir reports whether dir looks like a git directory: HEAD plus
// objects/ and refs/, or HEAD plus a commondir file (a linked work tree).
func isGitDir(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, "HEAD")); err != nil {
		return false
	}
	if isDir(filepath.Join(dir, "objects")) && isDir(filepath.Join(dir, "refs")) {
		return true
	}
	_, err := os.Stat(filepath.Join(dir, "commondir"))
	return err == nil
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// resolveGitFile follows a ".git" file ("gitdir: <path>") to the git
// directory of a linked work tree or submodule.
func resolveGitFile(file string) (gitDir, common string, err error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", "", fmt.Errorf("gitlog: open %s: %w", file, err)
	}
	line := strings.TrimSpace(string(b))
	target, ok := strings.CutPrefix(line, "gitdir:")
	if !ok {
		return "", "", fmt.Errorf("gitlog: open %s: not a git directory file (no \"gitdir:\" line)", file)
	}
	gitDir = strings.TrimSpace(target)
	if !filepath.IsAbs(gitDir) {
		gitDir = filepath.Join(filepath.Dir(file), gitDir)
	}
	if !isGitDir(gitDir) {
		return "", "", fmt.Errorf("gitlog: open %s: %s is not a git directory", file, gitDir)
	}
	if c, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		common = strings.TrimSpace(string(c))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitDir, common)
		}
	}
	return gitDir, common, nil
}

var scpLike = regexp.MustCompile(`^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^/\\]`)

// isURL reports whether source names a remote rather than a local path.
func isURL(source string) bool {
	for _, scheme := range []string{"https://", "http://", "ssh://", "git://", "file://", "git+ssh://", "ssh+git://"} {
		if strings.HasPrefix(strings.ToLower(source), scheme) {
			return true
		}
	}
	return scpLike.MatchString(source)
}

// cacheDirFor returns the clone directory of a URL inside cacheDir: a
// readable name plus a short hash of the exact URL, so distinct URLs never
// share a clone.
func cacheDirFor(cacheDir, rawURL string) string {
	name := rawURL
	if u, err := url.Parse(rawURL); err == nil && u.Scheme != "" {
		name = u.Host + "/" + u.Path
	} else if at := strings.Index(rawURL, "@"); at >= 0 {
		name = strings.Replace(rawURL[at+1:], ":", "/", 1)
	}
	name = strings.TrimSuffix(strings.Trim(name, "/"), ".git")
	slug := strings.Trim(nonSlug.ReplaceAllString(name, "_"), "_")
	if len(slug) > 80 {
		slug = slug[len(slug)-80:]
	}
	sum := sha256.Sum256([]byte(rawURL))
	return filepath.Join(cacheDir, slug+"-"+hex.EncodeToString(sum[:4])+".git")
}

var nonSlug = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// headsRefSpec keeps a bare clone's branches up to date on fetch.
const headsRefSpec = config.RefSpec("+refs/heads/*:refs/heads/*")

// cloneOrFetch makes sure a bare clone of rawURL exists in the cache and is
// up to date, and returns its directory.
func cloneOrFetch(ctx context.Context, rawURL string, opts OpenOptions) (string, error) {
	cacheDir := opts.CacheDir
	if cacheDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("gitlog: open %s: no cache directory: %w", rawURL, err)
		}
		cacheDir = filepath.Join(base, "sftforge", "repos")
	}
	dir := cacheDirFor(cacheDir, rawURL)
	if isGitDir(dir) {
		if err := fetch(ctx, dir, rawURL, opts.Progress); err != nil {
			if ctx.Err() != nil {
				return "", err
			}
			log := opts.Logger
			if log == nil {
				log = slog.Default()
			}
			log.Warn("gitlog: fetch failed, using the cached clone", "url", rawURL, "dir", dir, "err", err)
		}
		return dir, nil
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return "", fmt.Errorf("gitlog: open %s: create cache directory: %w", rawURL, err)
	}
	// Clone next to the final directory and rename, so an interrupted clone
	// never looks like a usable one.
	tmp, err := mkdirTemp(cacheDir, filepath.Base(dir)+".tmp-")
	if err != nil {
		return "", fmt.Errorf("gitlog: open %s: %w", rawURL, err)
	}
	defer os.RemoveAll(tmp)
	repo, err := git.PlainCloneContext(ctx, tmp, true, &git.CloneOptions{
		URL:      rawURL,
		Progress: opts.Progress,
		Tags:     git.NoTags,
	})
	if err != nil {
		return "", fmt.Errorf("gitlog: clone %s: %w", rawURL, err)
	}
	if err := ensureHeadsRefSpec(repo); err != nil {
		return "", fmt.Errorf("gitlog: clone %s: %w", rawURL, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if isGitDir(dir) { // another process won the race
			return dir, nil
		}
		return "", fmt.Errorf("gitlog: clone %s: %w", rawURL, err)
	}
	return dir, nil
}

// ensureHeadsRefSpec makes origin's fetch refspec update refs/heads/*, so that
// HEAD of the bare clone moves on fetch.
func ensureHeadsRefSpec(repo *git.Repository) error {
	cfg, err := repo.Config()
	if err != nil {
		return err
	}
	remote, ok := cfg.Remotes[git.DefaultRemoteName]
	if !ok {
		return errors.New("clone has no origin remote")
	}
	remote.Fetch = []config.RefSpec{headsRefSpec}
	return repo.SetConfig(cfg)
}

// fetch updates the bare clone in dir from its origin remote.
func fetch(ctx context.Context, dir, rawURL string, progress io.Writer) error {
	st := filesystem.NewStorage(osfs.New(dir, osfs.WithBoundOS()), cache.NewObjectLRUDefault())
	defer st.Close()
	repo, err := git.Open(st, nil)
	if err != nil {
		return fmt.Errorf("gitlog: fetch %s into %s: %w", rawURL, dir, err)
	}
	err = repo.FetchContext(ctx, &git.FetchOptions{
		RemoteName: git.DefaultRemoteName,
		RefSpecs:   []config.RefSpec{headsRefSpec},
		Progress:   progress,
		Tags:       git.NoTags,
		Force:      true,
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return fmt.Errorf("gitlog: fetch %s into %s: %w", rawURL, dir, err)
	}
	return nil
}

// mkdirTemp is os.MkdirTemp with the mode of an ordinary directory (0755
// less the umask) instead of 0700: the clone it becomes is renamed into
// place as it is.
func mkdirTemp(dir, prefix string) (string, error) {
	for {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		err := os.Mkdir(name, 0o755)
		if !errors.Is(err, os.ErrExist) {
			return name, err
		}
	}
}
