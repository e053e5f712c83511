package gitlog

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/go-git/go-git/v5"
)

// RemoteURL returns where the repository comes from: the URL [Open] was
// given, else the URL of the local repository's "origin" remote (the first
// of its URLs), "" when it has none.
func (r *Repository) RemoteURL() (string, error) {
	if isURL(r.source) {
		return r.source, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.main == nil {
		return "", fmt.Errorf("gitlog: %s: repository is closed", r.path)
	}
	cfg, err := r.repo.Config()
	if err != nil {
		return "", fmt.Errorf("gitlog: %s: read config: %w", r.path, err)
	}
	if rc, ok := cfg.Remotes[git.DefaultRemoteName]; ok && len(rc.URLs) > 0 {
		return rc.URLs[0], nil
	}
	return "", nil
}

// WebURL turns a remote URL into the web address of the repository on its
// host: https://github.com/owner/repo for https://github.com/owner/repo.git,
// git@github.com:owner/repo.git, ssh://git@github.com/owner/repo and
// git://github.com/owner/repo. User names, passwords, ports, queries and a
// trailing ".git" are dropped. Local paths and file:// URLs have no web
// address (ok is false), nor has a URL without an owner and a name.
func WebURL(remote string) (web string, ok bool) {
	remote = strings.TrimSpace(remote)
	var host, p string
	if scpLike.MatchString(remote) && !strings.Contains(remote, "://") {
		at := strings.Index(remote, "@")
		host, p, _ = strings.Cut(remote[at+1:], ":")
	} else {
		u, err := url.Parse(remote)
		if err != nil {
			return "", false
		}
		switch strings.ToLower(u.Scheme) {
		case "https", "http", "ssh", "git", "git+ssh", "ssh+git":
		default:
			return "", false
		}
		host, p = u.Hostname(), u.Path
	}
	p = strings.TrimSuffix(strings.Trim(path.Clean("/"+p), "/"), ".git")
	if host == "" || strings.Count(p, "/") < 1 || strings.ContainsAny(host, "/\\ ") {
		return "", false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", false
		}
	}
	return "https://" + strings.ToLower(host) + "/" + p, true
}

// FileHash implements license.Hasher (an optional interface of a file
// system): the object id of a file's blob, without reading it. A
// directory is an error.
func (f *revFS) FileHash(name string) (string, error) {
	e, err := f.lookup("hash", name)
	if err != nil {
		return "", err
	}
	if e.isDir() || e.isGitlink() {
		return "", &fs.PathError{Op: "hash", Path: name, Err: errors.New("is a directory")}
	}
	return e.hash.String(), nil
}
