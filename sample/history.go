package sample

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// mainBranch is the branch every step commits to unless it names another.
const mainBranch = "main"

// person is a git identity.
type person struct {
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
}

// rename moves a file; the step's tree/ may also give the file new content.
type rename struct {
	From string `yaml:"from"`
	To   string `yaml:"to"`
}

// prMeta is the pull request a step merges. For a squash merge Commits are
// the messages of the PR's own commits, which do not reach the history; for
// a true merge they are left out and taken from the merged branch.
type prMeta struct {
	Number    int      `yaml:"number"`
	Title     string   `yaml:"title"`
	Author    string   `yaml:"author"`
	Labels    []string `yaml:"labels"`
	HeadRef   string   `yaml:"head_ref"`
	CreatedAt string   `yaml:"created_at"`
	Body      string   `yaml:"body"`
	Commits   []string `yaml:"commits"`
}

// stepMeta is a step's commit.yaml.
type stepMeta struct {
	// Branch is the branch the commit goes on; empty means main. A branch
	// that does not exist yet forks from main's current tip.
	Branch string `yaml:"branch"`
	// Merge names a branch this commit merges as its second parent.
	Merge     string   `yaml:"merge"`
	Author    person   `yaml:"author"`
	Committer *person  `yaml:"committer"`
	Date      string   `yaml:"date"`
	Message   string   `yaml:"message"`
	Delete    []string `yaml:"delete"`
	Rename    []rename `yaml:"rename"`
	PR        *prMeta  `yaml:"pr"`
}

// step is one commit of the fixture history: its metadata and the files
// (from its tree/ directory) that it adds or replaces.
type step struct {
	Name  string // directory name, e.g. "03-feat-refund-reason"
	Meta  stepMeta
	When  time.Time
	Files map[string][]byte
}

// Subject returns the first line of the commit message.
func (s *step) Subject() string {
	subject, _, _ := strings.Cut(s.Meta.Message, "\n")
	return subject
}

// issueMeta is one issue of issues.yaml.
type issueMeta struct {
	Number    int           `yaml:"number"`
	Title     string        `yaml:"title"`
	Body      string        `yaml:"body"`
	State     string        `yaml:"state"`
	Author    string        `yaml:"author"`
	Labels    []string      `yaml:"labels"`
	CreatedAt string        `yaml:"created_at"`
	ClosedAt  string        `yaml:"closed_at"`
	Comments  []commentMeta `yaml:"comments"`
}

// commentMeta is one comment on an issue.
type commentMeta struct {
	Author    string `yaml:"author"`
	Body      string `yaml:"body"`
	CreatedAt string `yaml:"created_at"`
}

// fixture is the whole embedded sample: the history steps in order and the
// issues.
type fixture struct {
	Steps  []*step
	Issues []issueMeta
}

const (
	historyDir = "history"
	issuesFile = "issues.yaml"
	metaFile   = "commit.yaml"
	treeDir    = "tree"
)

// stepNameRE is the shape of a step directory: a number that orders the
// steps, then a slug.
var stepNameRE = regexp.MustCompile(`^[0-9]{2,}-[a-z0-9-]+$`)

// loadFixture reads the history steps under history/ (in directory name
// order) and issues.yaml from fsys. Errors name the file.
func loadFixture(fsys fs.FS) (*fixture, error) {
	entries, err := fs.ReadDir(fsys, historyDir)
	if err != nil {
		return nil, fmt.Errorf("sample: fixture: %w", err)
	}
	fx := &fixture{}
	for _, e := range entries {
		if !e.IsDir() || !stepNameRE.MatchString(e.Name()) {
			return nil, fmt.Errorf("sample: fixture: %s: not a step directory (want NN-slug/)", path.Join(historyDir, e.Name()))
		}
		st, err := loadStep(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		fx.Steps = append(fx.Steps, st)
	}
	if len(fx.Steps) == 0 {
		return nil, fmt.Errorf("sample: fixture: %s: no steps", historyDir)
	}
	b, err := fs.ReadFile(fsys, issuesFile)
	if err != nil {
		return nil, fmt.Errorf("sample: fixture: %w", err)
	}
	if err := decodeStrict(b, &fx.Issues); err != nil {
		return nil, fmt.Errorf("sample: fixture: %s: %w", issuesFile, err)
	}
	return fx, nil
}

// loadStep reads one step directory.
func loadStep(fsys fs.FS, name string) (*step, error) {
	dir := path.Join(historyDir, name)
	metaPath := path.Join(dir, metaFile)
	b, err := fs.ReadFile(fsys, metaPath)
	if err != nil {
		return nil, fmt.Errorf("sample: fixture: %w", err)
	}
	st, err := parseStep(name, b)
	if err != nil {
		return nil, fmt.Errorf("sample: fixture: %s: %w", metaPath, err)
	}
	root := path.Join(dir, treeDir)
	if _, err := fs.Stat(fsys, root); err != nil {
		return st, nil // a step may only delete or rename
	}
	err = fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		st.Files[strings.TrimPrefix(p, root+"/")] = content
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sample: fixture: %s: %w", root, err)
	}
	return st, nil
}

// parseStep decodes and checks a step's commit.yaml.
func parseStep(name string, b []byte) (*step, error) {
	st := &step{Name: name, Files: map[string][]byte{}}
	if err := decodeStrict(b, &st.Meta); err != nil {
		return nil, err
	}
	m := &st.Meta
	var err error
	if st.When, err = time.Parse(time.RFC3339, m.Date); err != nil {
		return nil, fmt.Errorf("date: %w", err)
	}
	switch {
	case m.Author.Name == "" || m.Author.Email == "":
		return nil, fmt.Errorf("author: name and email are required")
	case m.Committer != nil && (m.Committer.Name == "" || m.Committer.Email == ""):
		return nil, fmt.Errorf("committer: name and email are required")
	case strings.TrimSpace(m.Message) == "":
		return nil, fmt.Errorf("message is empty")
	case m.Merge != "" && m.Branch != "" && m.Branch != mainBranch:
		return nil, fmt.Errorf("merge: only main merges branches")
	}
	m.Message = strings.TrimRight(m.Message, " \t\n") + "\n"
	for _, p := range slices.Concat(m.Delete, renamePaths(m.Rename)) {
		if !validPath(p) {
			return nil, fmt.Errorf("path %q: want a clean relative path", p)
		}
	}
	if pr := m.PR; pr != nil {
		if m.Branch != "" && m.Branch != mainBranch {
			return nil, fmt.Errorf("pr: only a commit on %s merges a pull request", mainBranch)
		}
		if pr.Number <= 0 || pr.Author == "" || pr.HeadRef == "" {
			return nil, fmt.Errorf("pr: number, author and head_ref are required")
		}
		if _, err := time.Parse(time.RFC3339, pr.CreatedAt); err != nil {
			return nil, fmt.Errorf("pr: created_at: %w", err)
		}
		if pr.Title == "" {
			pr.Title = strings.TrimSuffix(st.Subject(), fmt.Sprintf(" (#%d)", pr.Number))
		}
		if m.Merge == "" && len(pr.Commits) == 0 {
			return nil, fmt.Errorf("pr: a squash merge lists its commits")
		}
	}
	return st, nil
}

func renamePaths(rs []rename) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.From, r.To)
	}
	return out
}

// validPath reports whether p is a clean, relative, slash-separated path.
func validPath(p string) bool {
	return p != "" && p != "." && path.Clean(p) == p && !strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "../")
}

// decodeStrict decodes YAML rejecting unknown keys, so a typo in a fixture
// is an error rather than a silently missing value.
func decodeStrict(b []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	return dec.Decode(v)
}
