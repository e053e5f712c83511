package dataset

import (
	"math"
	"slices"
	"sort"
	"strings"
	"text/template"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/lang"
)

// DefaultMaxResponseTokens is the default response budget of the binaries
// (--max-response-tokens), in cl100k_base tokens.
const DefaultMaxResponseTokens = 4096

// Compaction steps, in the order they are tried on a response over its
// budget; counted in [MergeStats.Compacted] by the last one a record
// needed.
const (
	CompactCollapseLists    = "collapse_lists"    // lists of more than 8 names keep 3 and "… and N more"
	CompactSummariseDetails = "summarise_details" // per-commit details: counts by kind per file and op, largest files first
	CompactOmitDetails      = "omit_details"      // per-commit details left out, largest commits first
	CompactSummariseFiles   = "summarise_files"   // plan: a file's sentences become counts by kind, largest first
	CompactOmitFileChanges  = "omit_file_changes" // plan: a file keeps its path only, largest first
	CompactCapFiles         = "cap_files"         // plan: at most N files per layer, "… and M more files"
	CompactOmitPatterns     = "omit_patterns"     // code patterns left out
)

// responsePlan is the complete structured response of a merged record,
// from which [ResponseData] is derived at any compaction.
type responsePlan struct {
	base          ResponseData  // Title, Intent, Lead, Patterns
	langs         lang.Registry // the words for kinds, the change lines
	layers        []planLayer
	unclassified  []*planFile
	commits       []*planCommit
	files         []*planFile // every file of the plan, largest sentences first
	fileDetails   int         // (commit, file) pairs with identifier changes
	maxLayerFiles int
}

type planLayer struct {
	layer, title string
	crates       []string
	files        []*planFile
}

type planFile struct {
	path, oldPath string
	status        change.Status
	groups        []*changeGroup // the code changes
	tests         []*changeGroup // the test changes (listed after the code)
	rank          int            // position in responsePlan.files
	size          int            // bytes of the complete sentences, what ranks the files
	// sentences caches the sentences of groups and tests (index 0 and
	// 1) as responsePlan.data lists them: complete, collapsed and
	// summarised (see sentenceForm).
	sentences [2][3][]string
	done      [2][3]bool
}

// Forms of a file's sentences and of a commit's file details: complete,
// with long lists collapsed, summarised by kind.
const (
	formComplete = iota
	formCollapsed
	formSummary
)

// sentenceList returns the sentences of f's code changes (tests false)
// or test changes in form, computed once.
func (f *planFile) sentenceList(tests bool, form int, langs lang.Registry) []string {
	t := b2i(tests)
	if f.done[t][form] {
		return f.sentences[t][form]
	}
	groups := f.groups
	if tests {
		groups = f.tests
	}
	var out []string
	if form == formSummary {
		out = summarySentences(groups, langs)
	} else {
		out = []string{}
		for _, g := range groups {
			out = append(out, g.sentence(form == formCollapsed))
		}
	}
	f.sentences[t][form], f.done[t][form] = out, true
	return out
}

type planCommit struct {
	c    ResponseCommit
	rank int // position by size of the complete detail, largest first
	// fileRank is the position of each file's detail among all the
	// (commit, file) details of the plan, largest first.
	fileRank map[string]int
	files    []*commitFile // c.Files with their changes and details
}

// commitFile is one file of a commit with its identifier changes and
// its part of the commit's detail (writeOneFileDetail) in each form,
// rendered once: a detail at any compaction is its files' parts joined.
type commitFile struct {
	file    change.File
	changes []change.Identifier
	text    [3]string
	done    [3]bool
}

// part returns the file's part of the commit detail in form.
func (cf *commitFile) part(form int, langs lang.Registry) string {
	if !cf.done[form] {
		var b strings.Builder
		writeOneFileDetail(&b, cf.file, cf.changes, form == formCollapsed, form == formSummary, langs)
		cf.text[form], cf.done[form] = b.String(), true
	}
	return cf.text[form]
}

// detail returns the commit's detail (commitDetail of its files and
// changes) with long runs collapsed and the files summarise says yes to
// (nil: none) summarised by kind, from the cached parts.
func (pc *planCommit) detail(collapse bool, summarise func(path string) bool, langs lang.Registry) string {
	parts := make([]string, len(pc.files))
	n := 0
	for i, cf := range pc.files {
		form := formComplete
		switch {
		case summarise != nil && summarise(cf.file.Path):
			form = formSummary
		case collapse:
			form = formCollapsed
		}
		parts[i] = cf.part(form, langs)
		n += len(parts[i])
	}
	var b strings.Builder
	b.Grow(n)
	for _, s := range parts {
		b.WriteString(s)
	}
	return strings.TrimRight(b.String(), "\n")
}

// fileStatus is how a file changed in a record: the first commit that
// touched it, else the PR's file list.
type fileStatus struct {
	status  change.Status
	oldPath string
}

// newResponsePlan builds the plan of a record: layers (dependency order)
// and unclassified paths with each file's changes over all commits.
func newResponsePlan(base ResponseData, layers []LayerRecord, unclassified []string,
	commits []ResponseCommit, status map[string]fileStatus, langs lang.Registry) *responsePlan {
	p := &responsePlan{base: base, langs: langs}
	changeLists := make([][]change.Identifier, len(commits))
	for i, c := range commits {
		changeLists[i] = c.Changes
	}
	byFile := changesByFile(changeLists...)
	owners := ownerKinds(langs, changeLists...)
	newFile := func(path string) *planFile {
		st := status[path]
		code, tests := byFile[path], []change.Identifier(nil)
		if slices.ContainsFunc(code, func(c change.Identifier) bool { return c.Test }) {
			code = nil
			for _, c := range byFile[path] {
				if c.Test {
					tests = append(tests, c)
				} else {
					code = append(code, c)
				}
			}
		}
		f := &planFile{path: path, oldPath: st.oldPath, status: st.status, groups: groupChanges(code, owners, langs),
			tests: groupChanges(tests, owners, langs)}
		p.files = append(p.files, f)
		return f
	}
	for _, l := range layers {
		pl := planLayer{layer: l.Layer, title: l.Title, crates: nonNil(l.Crates)}
		for _, path := range l.Files {
			pl.files = append(pl.files, newFile(path))
		}
		p.layers = append(p.layers, pl)
		p.maxLayerFiles = max(p.maxLayerFiles, len(pl.files))
	}
	for _, path := range unclassified {
		p.unclassified = append(p.unclassified, newFile(path))
	}
	p.maxLayerFiles = max(p.maxLayerFiles, len(p.unclassified))
	size := func(f *planFile) int {
		n := 0
		for _, tests := range []bool{false, true} {
			for _, s := range f.sentenceList(tests, formComplete, langs) {
				n += len(s)
			}
		}
		return n
	}
	for i, f := range p.files {
		f.size, f.rank = size(f), i // rank: the position listed, until sorted
	}
	// Largest first; of equal sizes, the last listed first, so that the
	// first layers keep their sentences longest.
	sort.Slice(p.files, func(i, j int) bool {
		a, b := p.files[i], p.files[j]
		if a.size != b.size {
			return a.size > b.size
		}
		return a.rank > b.rank
	})
	for i, f := range p.files {
		f.rank = i
	}
	type fileDetail struct {
		c    *planCommit
		path string
		size int
	}
	var details []fileDetail
	for _, c := range commits {
		pc := &planCommit{c: c, fileRank: map[string]int{}}
		commitByFile := byFile // one commit: the record's changes are its
		if len(commits) > 1 {
			commitByFile = changesByFile(c.Changes)
		}
		for _, f := range c.Files {
			pc.files = append(pc.files, &commitFile{file: f, changes: commitByFile[f.Path]})
		}
		pc.c.Detail = pc.detail(false, nil, langs)
		p.commits = append(p.commits, pc)
		for _, cf := range pc.files {
			if len(cf.changes) > 0 {
				details = append(details, fileDetail{c: pc, path: cf.file.Path, size: len(strings.TrimRight(cf.part(formComplete, langs), "\n"))})
			}
		}
	}
	sort.SliceStable(details, func(i, j int) bool { return details[i].size > details[j].size })
	for i, d := range details {
		d.c.fileRank[d.path] = i
	}
	p.fileDetails = len(details)
	bySize := append([]*planCommit(nil), p.commits...)
	sort.SliceStable(bySize, func(i, j int) bool { return len(bySize[i].c.Detail) > len(bySize[j].c.Detail) })
	for i, c := range bySize {
		c.rank = i
	}
	return p
}

// compaction says how far a response is compacted; the zero value is the
// complete response.
type compaction struct {
	collapse, noPatterns bool
	detailSummary        int // (commit, file) details summarised by kind, largest first
	detailOmit           int // commits whose details are left out, largest first
	fileSummary          int // files whose sentences are summarised, largest first
	fileBare             int // files listed without sentences, largest first
	fileCap              int // files listed per layer; 0: all
}

// lastStep names the last compaction step c applies, "" for none.
func (c *compaction) lastStep(p *responsePlan) string {
	step := ""
	for _, st := range compactionSteps {
		if st.get(c, p) > 0 {
			step = st.name
		}
	}
	return step
}

// compactionSteps are the steps in order: each has a size (how many
// increments it has for a plan) and sets k increments on a compaction.
var compactionSteps = []struct {
	name string
	size func(p *responsePlan) int
	set  func(c *compaction, p *responsePlan, k int)
	get  func(c *compaction, p *responsePlan) int
}{
	{CompactCollapseLists, func(*responsePlan) int { return 1 },
		func(c *compaction, _ *responsePlan, k int) { c.collapse = k > 0 },
		func(c *compaction, _ *responsePlan) int { return b2i(c.collapse) }},
	{CompactSummariseDetails, func(p *responsePlan) int { return p.fileDetails },
		func(c *compaction, _ *responsePlan, k int) { c.detailSummary = k },
		func(c *compaction, _ *responsePlan) int { return c.detailSummary }},
	{CompactOmitDetails, func(p *responsePlan) int { return len(p.commits) },
		func(c *compaction, _ *responsePlan, k int) { c.detailOmit = k },
		func(c *compaction, _ *responsePlan) int { return c.detailOmit }},
	{CompactSummariseFiles, func(p *responsePlan) int { return len(p.files) },
		func(c *compaction, _ *responsePlan, k int) { c.fileSummary = k },
		func(c *compaction, _ *responsePlan) int { return c.fileSummary }},
	{CompactOmitFileChanges, func(p *responsePlan) int { return len(p.files) },
		func(c *compaction, _ *responsePlan, k int) { c.fileBare = k },
		func(c *compaction, _ *responsePlan) int { return c.fileBare }},
	{CompactCapFiles, func(p *responsePlan) int { return max(p.maxLayerFiles-1, 0) },
		func(c *compaction, p *responsePlan, k int) {
			c.fileCap = 0
			if k > 0 {
				c.fileCap = p.maxLayerFiles - k
			}
		},
		func(c *compaction, p *responsePlan) int {
			if c.fileCap == 0 {
				return 0
			}
			return p.maxLayerFiles - c.fileCap
		}},
	{CompactOmitPatterns, func(p *responsePlan) int { return min(len(p.base.Patterns), 1) },
		func(c *compaction, _ *responsePlan, k int) { c.noPatterns = k > 0 },
		func(c *compaction, _ *responsePlan) int { return b2i(c.noPatterns) }},
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// data returns the template data of the plan at compaction c.
func (p *responsePlan) data(c compaction) ResponseData {
	d := p.base
	d.Compacted = c.lastStep(p)
	d.Layers = []ResponseLayer{}
	d.Unclassified = []ResponseFile{}
	d.Tests = []ResponseFile{}
	sentences := func(f *planFile, tests bool) []string {
		switch {
		case f.rank < c.fileBare:
			return []string{}
		case f.rank < c.fileSummary:
			return f.sentenceList(tests, formSummary, p.langs)
		case c.collapse:
			return f.sentenceList(tests, formCollapsed, p.langs)
		}
		return f.sentenceList(tests, formComplete, p.langs)
	}
	files := func(fs []*planFile) (out []ResponseFile, more int) {
		out = []ResponseFile{}
		for i, f := range fs {
			if c.fileCap > 0 && i >= c.fileCap {
				return out, len(fs) - i
			}
			out = append(out, ResponseFile{Path: f.path, OldPath: f.oldPath, Status: f.status, Changes: sentences(f, false)})
		}
		return out, 0
	}
	// The test changes, after the code: the files that have some, in the
	// plan's order, with the same compaction as their code sentences.
	var lists [][]*planFile
	for _, l := range p.layers {
		lists = append(lists, l.files)
	}
	for _, fs := range append(lists, p.unclassified) {
		for _, f := range fs {
			if len(f.tests) > 0 && f.rank >= c.fileBare {
				d.Tests = append(d.Tests, ResponseFile{Path: f.path, OldPath: f.oldPath, Status: f.status, Changes: sentences(f, true)})
			}
		}
	}
	for _, l := range p.layers {
		rl := ResponseLayer{Layer: l.layer, Title: l.title, Crates: l.crates}
		rl.Files, rl.MoreFiles = files(l.files)
		d.Layers = append(d.Layers, rl)
	}
	d.Unclassified, d.MoreUnclassified = files(p.unclassified)
	if c.noPatterns {
		d.Patterns = []PatternRecord{}
	}
	d.Commits = []ResponseCommit{}
	for _, pc := range p.commits {
		if pc.rank < c.detailOmit {
			d.OmittedCommits++
			continue
		}
		rc := pc.c
		if c.collapse || c.detailSummary > 0 {
			rc.Detail = pc.detail(c.collapse, func(path string) bool {
				r, ok := pc.fileRank[path]
				return ok && r < c.detailSummary
			}, p.langs)
		}
		d.Commits = append(d.Commits, rc)
	}
	return d
}

// fitResponse renders the plan with t (nil: as DefaultResponseTemplate
// does, see renderDefaultResponse) and, when the response has more
// than budget tokens (budget > 0), compacts it step by step until it fits:
// collapse long lists, summarise or leave out per-commit details,
// summarise then strip files' sentences (largest first), list fewer files
// per layer, leave out patterns. A response within the budget is the
// complete one, unchanged. Tokens are counted for the complete response
// and for candidates the byte-length estimate (calibrated on the counts
// made) says fit; each step finds its smallest sufficient increment by
// bisection on the estimate. It returns the text, its token count and the
// last step applied ("" when none); the text is still over the budget
// when no step made it fit.
func fitResponse(t *template.Template, p *responsePlan, budget int) (string, int, string, error) {
	var c compaction
	text, err := renderWith(t, p.data(c))
	if err != nil {
		return "", 0, "", err
	}
	// A response near the budget is counted whole; a long one far over it
	// never is: its tokens per byte are estimated from samples.
	ratio := 0.0
	if budget > 0 && len(text) > 2*sampleChunks*sampleBytes {
		if ratio, err = sampledRatio(text); err != nil {
			return "", 0, "", err
		}
	}
	if ratio == 0 || float64(len(text))*ratio <= float64(budget)*1.25 {
		tokens, err := CountTokens(text)
		if err != nil || budget <= 0 || tokens <= budget {
			return text, tokens, "", err
		}
		ratio = float64(tokens) / float64(max(len(text), 1))
	}
	aim := float64(budget) * 0.98
	estimate := func(s string) float64 { return float64(len(s)) * ratio }
	render := func(c compaction) (string, error) { return renderWith(t, p.data(c)) }
	for i, st := range compactionSteps {
		size := st.size(p)
		if size == 0 {
			continue
		}
		full := c
		st.set(&full, p, size)
		fullText, err := render(full)
		if err != nil {
			return "", 0, "", err
		}
		lo, hi := 0, size // lo: known not to fit; hi: fits by the estimate
		for tries := 0; tries < 4 && estimate(fullText) <= aim && lo < size; tries++ {
			hi = size
			s := fullText // the rendering at hi
			for hi-lo > 1 {
				mid := lo + (hi-lo)/2
				cm := c
				st.set(&cm, p, mid)
				ms, err := render(cm)
				if err != nil {
					return "", 0, "", err
				}
				if estimate(ms) <= aim {
					hi, s = mid, ms
				} else {
					lo = mid
				}
			}
			cand := c
			st.set(&cand, p, hi)
			n, err := CountTokens(s)
			if err != nil {
				return "", 0, "", err
			}
			if n <= budget {
				return giveBack(t, p, cand, i, s, n, budget)
			}
			// The estimate was short: recalibrate on what was counted.
			ratio = math.Max(ratio, float64(n)/float64(max(len(s), 1))*1.01)
			lo = hi
		}
		c = full
		text = fullText
	}
	tokens, err := CountTokens(text)
	return text, tokens, c.lastStep(p), err
}

// giveBack undoes what it can of the steps up to step last of a
// compaction that fits (text, tokens): the estimate that chose it may
// have been pessimistic, and a later step can leave room for an earlier
// one (summarising a huge file's sentences leaves room for the per-commit
// details that were left out before). Each step, latest first, goes back
// to its smallest increment that still fits, estimated with the
// token-per-byte ratio of the fitting text and confirmed by a count. It
// returns the text, its count and the last step still applied.
func giveBack(t *template.Template, p *responsePlan, c compaction, last int, text string, tokens, budget int) (string, int, string, error) {
	aim := float64(budget) * 0.98
	for j := last; j >= 0; j-- {
		st := compactionSteps[j]
		cur := st.get(&c, p)
		if cur == 0 {
			continue
		}
		ratio := float64(tokens) / float64(max(len(text), 1))
		fits := func(k int) (compaction, string, bool, error) {
			ck := c
			st.set(&ck, p, k)
			s, err := renderWith(t, p.data(ck))
			return ck, s, float64(len(s))*ratio <= aim, err
		}
		lo, hi := -1, cur // lo: does not fit by the estimate; hi: fits
		var ck compaction // the compaction at hi (when below cur) and its text
		var s string
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			cm, ms, ok, err := fits(mid)
			if err != nil {
				return "", 0, "", err
			}
			if ok {
				hi, ck, s = mid, cm, ms
			} else {
				lo = mid
			}
		}
		if hi == cur {
			continue
		}
		n, err := CountTokens(s)
		if err != nil {
			return "", 0, "", err
		}
		if n <= budget {
			c, text, tokens = ck, s, n
		}
	}
	return text, tokens, c.lastStep(p), nil
}

// sampleChunks and sampleBytes say how a long text's tokens per byte are
// estimated: from sampleChunks pieces of sampleBytes spread over it.
const (
	sampleChunks = 4
	sampleBytes  = 4096
)

// sampledRatio estimates the tokens per byte of a long text from a few
// pieces spread over it, each cut at line starts.
func sampledRatio(text string) (float64, error) {
	tokens, bytes := 0, 0
	for i := range sampleChunks {
		start := i * (len(text) - sampleBytes) / (sampleChunks - 1)
		if j := strings.IndexByte(text[start:], '\n'); j >= 0 && start > 0 {
			start += j + 1
		}
		end := min(start+sampleBytes, len(text))
		if j := strings.LastIndexByte(text[start:end], '\n'); j > 0 {
			end = start + j + 1
		}
		n, err := CountTokens(text[start:end])
		if err != nil {
			return 0, err
		}
		tokens += n
		bytes += end - start
	}
	return float64(tokens) / float64(max(bytes, 1)), nil
}

// changesByFile groups the identifier changes of lists by their file,
// each file's in order, in one allocation (the groups must not be
// appended to).
func changesByFile(lists ...[]change.Identifier) map[string][]change.Identifier {
	if len(lists) == 1 {
		if byFile, ok := runsByFile(lists[0]); ok {
			return byFile
		}
	}
	n := 0
	count := map[string]int{}
	for _, l := range lists {
		n += len(l)
		for i := range l {
			count[l[i].File]++
		}
	}
	backing := make([]change.Identifier, 0, n)
	byFile := make(map[string][]change.Identifier, len(count))
	for _, l := range lists {
		for _, c := range l {
			g, ok := byFile[c.File]
			if !ok {
				k := len(backing)
				backing = backing[:k+count[c.File]]
				g = backing[k:k:len(backing)]
			}
			byFile[c.File] = append(g, c)
		}
	}
	return byFile
}

// runsByFile is changesByFile of one list whose changes of each file are
// consecutive (as a commit lists them): each file's are a slice of the
// list, capped so that an append copies. ok is false when a file's
// changes are not consecutive.
func runsByFile(l []change.Identifier) (byFile map[string][]change.Identifier, ok bool) {
	byFile = map[string][]change.Identifier{}
	for start := 0; start < len(l); {
		end := start + 1
		for end < len(l) && l[end].File == l[start].File {
			end++
		}
		if _, seen := byFile[l[start].File]; seen {
			return nil, false
		}
		byFile[l[start].File] = l[start:end:end]
		start = end
	}
	return byFile, true
}
