package dataset

import (
	"bytes"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"unicode"

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
// from which [ResponseData] is derived at any compaction. What only the
// compaction of a response over its budget needs (the files' and
// details' sizes and ranks, the texts of their forms) is computed when
// first needed (rank): most responses are rendered once, complete.
type responsePlan struct {
	base          responseBase
	langs         lang.Registry // the words for kinds, the change lines
	layers        []planLayer
	unclassified  []*planFile
	commits       []*planCommit
	files         []*planFile // every file of the plan; once ranked, largest sentences first
	fileDetails   int         // (commit, file) pairs with identifier changes, once ranked
	maxLayerFiles int
	ranked        bool   // rank has run
	scratch       []byte // where the parts of details are rendered
}

// responseBase is what a response has whatever its compaction: the
// fields of ResponseData the plan is given.
type responseBase struct {
	title    string
	intent   IntentRecord
	lead     string
	patterns []PatternRecord
}

type planLayer struct {
	layer, title string
	crates       []string
	files        []*planFile
}

type planFile struct {
	path, oldPath string
	status        change.Status
	groups        []changeGroup // the code changes
	tests         []changeGroup // the test changes (listed after the code)
	rank          int           // position in responsePlan.files: listed, then (ranked) by size
	size          int           // bytes of the complete sentences, what ranks the files (ranked)
	// sentences caches the sentences of groups and tests (index 0 and
	// 1) as responsePlan.data lists them: complete, collapsed and
	// summarised (see sentenceForm); nil until one is asked for.
	sentences *[2][3]*[]string
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
	if f.sentences == nil {
		f.sentences = new([2][3]*[]string)
	}
	cached := &f.sentences[b2i(tests)][form]
	if *cached != nil {
		return **cached
	}
	groups := f.groups
	if tests {
		groups = f.tests
	}
	var out []string
	if form == formSummary {
		out = summarySentences(groups, langs)
	} else {
		out = make([]string, 0, len(groups))
		for i := range groups {
			out = append(out, groups[i].sentence(form == formCollapsed, langs))
		}
	}
	*cached = &out
	return out
}

// appendSentences appends f's sentences of code changes (tests false) or
// test changes in form to b, each on a line of the default response.
func (f *planFile) appendSentences(b []byte, tests bool, form int, langs lang.Registry) []byte {
	if form == formSummary {
		for _, s := range f.sentenceList(tests, form, langs) {
			b = append(b, "\n     - "...)
			b = append(b, s...)
		}
		return b
	}
	groups := f.groups
	if tests {
		groups = f.tests
	}
	for i := range groups {
		b = append(b, "\n     - "...)
		b = groups[i].appendSentence(b, form == formCollapsed, langs)
	}
	return b
}

type planCommit struct {
	c          ResponseCommit // Detail: the complete one, once detailDone
	detailDone bool
	rank       int // position by size of the complete detail, largest first (ranked)
	detailLen  int // length of the complete detail (ranked)
	// fileRank is the position of each file's detail among all the
	// (commit, file) details of the plan, largest first (ranked).
	fileRank map[string]int
	files    []commitFile // c.Files with their changes and details
}

// commitFile is one file of a commit with its identifier changes and
// its part of the commit's detail (appendOneFileDetail) in each form,
// rendered once: a detail at any compaction is its files' parts joined.
type commitFile struct {
	file    change.File
	changes []change.Identifier
	text    *[3]string // by form; nil, or "", until rendered (a part is never empty)
}

// part returns the file's part of the commit detail in form, rendered in
// *scratch (which it may grow) and copied out at its size.
func (cf *commitFile) part(form int, langs lang.Registry, scratch *[]byte) string {
	if cf.text == nil {
		cf.text = new([3]string)
	}
	if cf.text[form] == "" {
		*scratch = appendOneFileDetail((*scratch)[:0], cf.file, cf.changes, form == formCollapsed, form == formSummary, langs)
		cf.text[form] = string(*scratch)
	}
	return cf.text[form]
}

// partForm is the form of a file's part of the detail of pc at
// compaction c.
func (pc *planCommit) partForm(cf *commitFile, c *compaction) int {
	if c.detailSummary > 0 {
		if r, ok := pc.fileRank[cf.file.Path]; ok && r < c.detailSummary {
			return formSummary
		}
	}
	if c.collapse {
		return formCollapsed
	}
	return formComplete
}

// detail returns the commit's detail (commitDetail of its files and
// changes) with long runs collapsed and the files summarise says yes to
// (nil: none) summarised by kind, from the cached parts.
func (pc *planCommit) detail(collapse bool, summarise func(path string) bool, langs lang.Registry) string {
	var scratch []byte
	n := 0
	for i := range pc.files {
		cf := &pc.files[i]
		n += len(cf.part(pc.form(cf, collapse, summarise), langs, &scratch))
	}
	b := make([]byte, 0, n)
	for i := range pc.files {
		cf := &pc.files[i]
		b = append(b, cf.part(pc.form(cf, collapse, summarise), langs, &scratch)...)
	}
	return string(trimNewlines(b, 0))
}

func (pc *planCommit) form(cf *commitFile, collapse bool, summarise func(path string) bool) int {
	switch {
	case summarise != nil && summarise(cf.file.Path):
		return formSummary
	case collapse:
		return formCollapsed
	}
	return formComplete
}

// completeDetail returns the commit's complete detail, computed once.
func (pc *planCommit) completeDetail(langs lang.Registry) string {
	if !pc.detailDone {
		pc.c.Detail, pc.detailDone = pc.detail(false, nil, langs), true
	}
	return pc.c.Detail
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
	p := &responsePlan{base: responseBase{base.Title, base.Intent, base.Lead, base.Patterns}, langs: langs}
	changeLists := make([][]change.Identifier, len(commits))
	for i, c := range commits {
		changeLists[i] = c.Changes
	}
	byFile := changesByFile(changeLists...)
	owners := ownerKinds(langs, changeLists...)
	// The files, listed in order, in one allocation; the layers' and the
	// unclassified are runs of p.files (rank sorts a copy).
	nFiles := len(unclassified)
	for _, l := range layers {
		nFiles += len(l.Files)
	}
	store := make([]planFile, nFiles)
	p.files = make([]*planFile, 0, nFiles)
	newFiles := func(paths []string) []*planFile {
		first := len(p.files)
		for _, path := range paths {
			st := status[path]
			// The code groups, then the test groups, in one slice sized
			// for the usual file (a group per run of changes, or fewer).
			cs := byFile.get(path)
			gs := appendGroups(make([]changeGroup, 0, min(groupRuns(cs), 16)), cs, false, &owners, langs)
			k := len(gs)
			gs = appendGroups(gs, cs, true, &owners, langs)
			f := &store[len(p.files)]
			*f = planFile{path: path, oldPath: st.oldPath, status: st.status, groups: gs[:k:k], tests: gs[k:],
				rank: len(p.files)} // rank: the position listed, until ranked
			p.files = append(p.files, f)
		}
		return p.files[first:len(p.files):len(p.files)]
	}
	p.layers = make([]planLayer, 0, len(layers))
	for _, l := range layers {
		pl := planLayer{layer: l.Layer, title: l.Title, crates: nonNil(l.Crates), files: newFiles(l.Files)}
		p.layers = append(p.layers, pl)
		p.maxLayerFiles = max(p.maxLayerFiles, len(pl.files))
	}
	p.unclassified = newFiles(unclassified)
	p.maxLayerFiles = max(p.maxLayerFiles, len(p.unclassified))
	nCommitFiles := 0
	for _, c := range commits {
		nCommitFiles += len(c.Files)
	}
	pcs := make([]planCommit, len(commits))
	cfs := make([]commitFile, 0, nCommitFiles)
	p.commits = make([]*planCommit, len(commits))
	for i, c := range commits {
		pc := &pcs[i]
		pc.c = c
		commitByFile := byFile // one commit: the record's changes are its
		if len(commits) > 1 {
			commitByFile = changesByFile(c.Changes)
		}
		first := len(cfs)
		for _, f := range c.Files {
			cfs = append(cfs, commitFile{file: f, changes: commitByFile.get(f.Path)})
		}
		pc.files = cfs[first:len(cfs):len(cfs)]
		p.commits[i] = pc
	}
	return p
}

// rank computes, once, what the compaction of the plan needs: the sizes
// of the files' complete sentences and of the commits' (and their
// files') complete details, and the ranks by size they give.
func (p *responsePlan) rank() {
	if p.ranked {
		return
	}
	p.ranked = true
	scratch := p.scratch
	for _, f := range p.files {
		n := 0
		for _, groups := range [2][]changeGroup{f.groups, f.tests} {
			for i := range groups {
				scratch = groups[i].appendSentence(scratch[:0], false, p.langs)
				n += len(scratch)
			}
		}
		f.size = n
	}
	p.scratch = scratch
	// Largest first; of equal sizes, the last listed first, so that the
	// first layers keep their sentences longest. (The layers hold runs
	// of the listed order: the ranks sort a copy.)
	p.files = slices.Clone(p.files)
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
	for _, pc := range p.commits {
		pc.fileRank = map[string]int{}
		n, last := 0, ""
		for i := range pc.files {
			cf := &pc.files[i]
			part := cf.part(formComplete, p.langs, &p.scratch)
			n, last = n+len(part), part
			if len(cf.changes) > 0 {
				details = append(details, fileDetail{c: pc, path: cf.file.Path, size: len(strings.TrimRight(part, "\n"))})
			}
		}
		// The detail is the parts joined without the newlines ending the
		// last (a part is never only newlines).
		pc.detailLen = n - (len(last) - len(strings.TrimRight(last, "\n")))
	}
	sort.SliceStable(details, func(i, j int) bool { return details[i].size > details[j].size })
	for i, d := range details {
		d.c.fileRank[d.path] = i
	}
	p.fileDetails = len(details)
	bySize := slices.Clone(p.commits)
	sort.SliceStable(bySize, func(i, j int) bool { return bySize[i].detailLen > bySize[j].detailLen })
	for i, c := range bySize {
		c.rank = i
	}
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
	{CompactOmitPatterns, func(p *responsePlan) int { return min(len(p.base.patterns), 1) },
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
	if c != (compaction{}) {
		p.rank()
	}
	d := ResponseData{Title: p.base.title, Intent: p.base.intent, Lead: p.base.lead, Patterns: p.base.patterns}
	d.Compacted = c.lastStep(p)
	d.Layers = []ResponseLayer{}
	d.Unclassified = []ResponseFile{}
	d.Tests = []ResponseFile{}
	sentences := func(f *planFile, tests bool) []string {
		if f.rank < c.fileBare {
			return []string{}
		}
		return f.sentenceList(tests, c.sentenceForm(f), p.langs)
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
	for _, fs := range p.listed() {
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
		} else {
			rc.Detail = pc.completeDetail(p.langs)
		}
		d.Commits = append(d.Commits, rc)
	}
	return d
}

// listed returns the files of the layers, then the unclassified, in the
// plan's order.
func (p *responsePlan) listed() [][]*planFile {
	lists := make([][]*planFile, 0, len(p.layers)+1)
	for _, l := range p.layers {
		lists = append(lists, l.files)
	}
	return append(lists, p.unclassified)
}

// sentenceForm is the form of f's sentences at c (f not bare).
func (c *compaction) sentenceForm(f *planFile) int {
	switch {
	case f.rank < c.fileSummary:
		return formSummary
	case c.collapse:
		return formCollapsed
	}
	return formComplete
}

// appendResponse appends the response at compaction c as
// DefaultResponseTemplate renders p.data(c), surrounding white space
// untrimmed, without the template package and without the intermediate
// strings of ResponseData: sentences and details are written straight
// into b (the parts of details as cached once the plan is ranked).
func (p *responsePlan) appendResponse(b []byte, c compaction) []byte {
	if c != (compaction{}) {
		p.rank()
	}
	files := func(fs []*planFile, tests bool) {
		for i, f := range fs {
			if tests {
				if len(f.tests) == 0 || f.rank < c.fileBare {
					continue
				}
			} else if c.fileCap > 0 && i >= c.fileCap {
				b = append(b, "\n   - … and "...)
				b = append(b, plural(len(fs)-i, "more file")...)
				return
			}
			b = append(b, "\n   - "...)
			b = appendHeading(b, f.path, f.oldPath, f.status)
			if f.rank >= c.fileBare {
				b = f.appendSentences(b, tests, c.sentenceForm(f), p.langs)
			}
		}
	}
	b = append(b, p.base.lead...)
	b = append(b, '\n')
	for i, l := range p.layers {
		b = append(b, '\n')
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, ". "...)
		b = append(b, l.title...)
		files(l.files, false)
		b = append(b, '\n')
	}
	if len(p.unclassified) > 0 {
		b = append(b, "\nOther files:"...)
		files(p.unclassified, false)
		b = append(b, '\n')
	}
	if p.hasTests(&c) {
		b = append(b, "\nTest changes:"...)
		for _, l := range p.layers {
			files(l.files, true)
		}
		files(p.unclassified, true)
		b = append(b, '\n')
	}
	if len(p.base.patterns) > 0 && !c.noPatterns {
		b = append(b, "\nCode patterns:"...)
		for _, pt := range p.base.patterns {
			b = append(b, "\n- "...)
			b = append(b, pt.Name...)
			b = append(b, " ("...)
			b = strconv.AppendInt(b, int64(pt.Count), 10)
			b = append(b, ')')
		}
		b = append(b, '\n')
	}
	omitted := 0
	for _, pc := range p.commits {
		if pc.rank < c.detailOmit {
			omitted++
			continue
		}
		b = append(b, "\nIdentifier changes in commit "...)
		b = append(b, pc.c.Short()...)
		b = append(b, " ("...)
		b = append(b, pc.c.Subject...)
		b = append(b, "):\n"...)
		start := len(b)
		for i := range pc.files {
			cf := &pc.files[i]
			if p.ranked {
				b = append(b, cf.part(pc.partForm(cf, &c), p.langs, &p.scratch)...)
			} else { // complete: written once
				b = appendOneFileDetail(b, cf.file, cf.changes, false, false, p.langs)
			}
		}
		b = trimNewlines(b, start)
		b = append(b, '\n')
	}
	if omitted != 0 {
		b = append(b, "\nIdentifier changes of "...)
		b = strconv.AppendInt(b, int64(omitted), 10)
		b = append(b, ' ')
		if omitted < len(p.commits) {
			b = append(b, "more "...)
		}
		if omitted == 1 {
			b = append(b, "commit"...)
		} else {
			b = append(b, "commits"...)
		}
		b = append(b, " left out for length."...)
	}
	return b
}

// hasTests reports whether the response at c lists test changes.
func (p *responsePlan) hasTests(c *compaction) bool {
	for _, f := range p.files {
		if len(f.tests) > 0 && f.rank >= c.fileBare {
			return true
		}
	}
	return false
}

// fitResponse renders the plan with t (nil: as DefaultResponseTemplate
// does, see appendResponse) and, when the response has more than budget
// tokens (budget > 0), compacts it step by step until it fits: collapse
// long lists, summarise or leave out per-commit details, summarise then
// strip files' sentences (largest first), list fewer files per layer,
// leave out patterns. A response within the budget is the complete one,
// unchanged. Tokens are counted for the complete response and for
// candidates the byte-length estimate (calibrated on the counts made)
// says fit; each step finds its smallest sufficient increment by
// bisection on the estimate. It returns the text, its token count and the
// last step applied ("" when none); the text is still over the budget
// when no step made it fit.
func fitResponse(t *template.Template, p *responsePlan, budget int) (string, int, string, error) {
	r := responseRenderer{t: t, p: p}
	defer r.release()
	var c compaction
	n, err := r.size(c)
	if err != nil {
		return "", 0, "", err
	}
	// A response near the budget is counted whole; a long one far over it
	// never is: its tokens per byte are estimated from samples.
	ratio := 0.0
	if budget > 0 && n > 2*sampleChunks*sampleBytes {
		if ratio, err = r.sampledRatio(c); err != nil {
			return "", 0, "", err
		}
	}
	if ratio == 0 || float64(n)*ratio <= float64(budget)*1.25 {
		text, err := r.text(c)
		if err != nil {
			return "", 0, "", err
		}
		tokens, err := CountTokens(text)
		if err != nil || budget <= 0 || tokens <= budget {
			return text, tokens, "", err
		}
		ratio = float64(tokens) / float64(max(len(text), 1))
	}
	aim := float64(budget) * 0.98
	estimate := func(n int) float64 { return float64(n) * ratio }
	p.rank() // the steps' sizes
	for i, st := range compactionSteps {
		size := st.size(p)
		if size == 0 {
			continue
		}
		full := c
		st.set(&full, p, size)
		fullN, err := r.size(full)
		if err != nil {
			return "", 0, "", err
		}
		lo, hi := 0, size // lo: known not to fit; hi: fits by the estimate
		for tries := 0; tries < 4 && estimate(fullN) <= aim && lo < size; tries++ {
			hi = size
			for hi-lo > 1 {
				mid := lo + (hi-lo)/2
				cm := c
				st.set(&cm, p, mid)
				mn, err := r.size(cm)
				if err != nil {
					return "", 0, "", err
				}
				if estimate(mn) <= aim {
					hi = mid
				} else {
					lo = mid
				}
			}
			cand := c
			st.set(&cand, p, hi)
			s, err := r.text(cand)
			if err != nil {
				return "", 0, "", err
			}
			n, err := CountTokens(s)
			if err != nil {
				return "", 0, "", err
			}
			if n <= budget {
				return giveBack(&r, p, cand, i, s, n, budget)
			}
			// The estimate was short: recalibrate on what was counted.
			ratio = math.Max(ratio, float64(n)/float64(max(len(s), 1))*1.01)
			lo = hi
		}
		c = full
	}
	text, err := r.text(c)
	if err != nil {
		return "", 0, "", err
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
func giveBack(r *responseRenderer, p *responsePlan, c compaction, last int, text string, tokens, budget int) (string, int, string, error) {
	aim := float64(budget) * 0.98
	for j := last; j >= 0; j-- {
		st := compactionSteps[j]
		cur := st.get(&c, p)
		if cur == 0 {
			continue
		}
		ratio := float64(tokens) / float64(max(len(text), 1))
		lo, hi := -1, cur // lo: does not fit by the estimate; hi: fits
		var ck compaction // the compaction at hi (when below cur)
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			cm := c
			st.set(&cm, p, mid)
			n, err := r.size(cm)
			if err != nil {
				return "", 0, "", err
			}
			if float64(n)*ratio <= aim {
				hi, ck = mid, cm
			} else {
				lo = mid
			}
		}
		if hi == cur {
			continue
		}
		s, err := r.text(ck)
		if err != nil {
			return "", 0, "", err
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

// responseRenderer renders a plan at the compactions fitResponse tries:
// with a template, each rendering kept by compaction; as
// DefaultResponseTemplate (t nil) into one buffer, which gives the
// length the search needs without a string, and a string only for a
// text that is counted or kept.
type responseRenderer struct {
	t     *template.Template
	p     *responsePlan
	texts map[compaction]string // t's renderings
	buf   *[]byte               // the default rendering of last, from responseBufs
	text0 int                   // where the trimmed text starts in *buf
	text1 int                   // and ends
	last  compaction
	have  bool // buf holds the rendering of last
}

// render renders the default response at c into the buffer.
func (r *responseRenderer) render(c compaction) {
	if r.have && r.last == c {
		return
	}
	if r.buf == nil {
		select {
		case r.buf = <-responseBufs:
		default:
			r.buf = new([]byte)
		}
	}
	b := r.p.appendResponse((*r.buf)[:0], c)
	*r.buf = b
	// The text is trimmed of surrounding white space, as
	// RenderResponse trims the template's.
	trimmed := bytes.TrimSpace(b)
	r.text0 = len(b) - len(bytes.TrimLeftFunc(b, unicode.IsSpace))
	r.text1 = r.text0 + len(trimmed)
	r.last, r.have = c, true
}

// size returns the length of the response at c.
func (r *responseRenderer) size(c compaction) (int, error) {
	if r.t != nil {
		s, err := r.text(c)
		return len(s), err
	}
	r.render(c)
	return r.text1 - r.text0, nil
}

// text returns the response at c.
func (r *responseRenderer) text(c compaction) (string, error) {
	if r.t != nil {
		if s, ok := r.texts[c]; ok {
			return s, nil
		}
		s, err := RenderResponse(r.t, r.p.data(c))
		if err != nil {
			return "", err
		}
		if r.texts == nil {
			r.texts = map[compaction]string{}
		}
		r.texts[c] = s
		return s, nil
	}
	r.render(c)
	return string((*r.buf)[r.text0:r.text1]), nil
}

// sampledRatio is [sampledRatio] of the response at c.
func (r *responseRenderer) sampledRatio(c compaction) (float64, error) {
	if r.t != nil {
		s, err := r.text(c)
		if err != nil {
			return 0, err
		}
		return sampledRatio(s)
	}
	r.render(c)
	return sampledRatio((*r.buf)[r.text0:r.text1])
}

// release gives the buffer back to responseBufs, unless it grew past
// maxPooledResponse bytes (a huge response: left to the collector) or
// the list is full.
func (r *responseRenderer) release() {
	if r.buf != nil && cap(*r.buf) <= maxPooledResponse {
		select {
		case responseBufs <- r.buf:
		default:
		}
	}
	r.buf, r.have = nil, false
}

// responseBufs holds the buffers of the default rendering, one per
// worker of the merge or so: a free list, not a sync.Pool, which a merge
// allocating fast empties at every collection (a response's buffer then
// grows again from nothing). It holds at most a few MB.
var responseBufs = make(chan *[]byte, 8)

const maxPooledResponse = 256 << 10

// sampleChunks and sampleBytes say how a long text's tokens per byte are
// estimated: from sampleChunks pieces of sampleBytes spread over it.
const (
	sampleChunks = 4
	sampleBytes  = 4096
)

// sampledRatio estimates the tokens per byte of a long text from a few
// pieces spread over it, each cut at line starts.
func sampledRatio[S ~string | ~[]byte](text S) (float64, error) {
	tokens, nbytes := 0, 0
	for i := range sampleChunks {
		start := i * (len(text) - sampleBytes) / (sampleChunks - 1)
		if j := indexByte(text[start:], '\n'); j >= 0 && start > 0 {
			start += j + 1
		}
		end := min(start+sampleBytes, len(text))
		if j := lastIndexByte(text[start:end], '\n'); j > 0 {
			end = start + j + 1
		}
		n, err := CountTokens(string(text[start:end]))
		if err != nil {
			return 0, err
		}
		tokens += n
		nbytes += end - start
	}
	return float64(tokens) / float64(max(nbytes, 1)), nil
}

func indexByte[S ~string | ~[]byte](s S, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

func lastIndexByte[S ~string | ~[]byte](s S, c byte) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// changesByFile groups the identifier changes of lists by their file,
// each file's in order, in one allocation (the groups must not be
// appended to).
func changesByFile(lists ...[]change.Identifier) fileChanges {
	if len(lists) == 1 {
		if byFile, ok := runsByFile(lists[0]); ok {
			return byFile
		}
	}
	var byFile fileChanges
	var count []int // by file
	n := 0
	for _, l := range lists {
		n += len(l)
		for i := range l {
			k := byFile.find(l[i].File)
			if k < 0 {
				byFile.add(l[i].File, nil)
				count = append(count, 0)
				k = len(count) - 1
			}
			count[k]++
		}
	}
	backing := make([]change.Identifier, n)
	at := 0
	for k, c := range count {
		byFile.lists[k] = backing[at : at : at+c]
		at += c
	}
	for _, l := range lists {
		for i := range l {
			k := byFile.find(l[i].File)
			byFile.lists[k] = append(byFile.lists[k], l[i])
		}
	}
	return byFile
}

// runsByFile is changesByFile of one list whose changes of each file are
// consecutive (as a commit lists them): each file's are a slice of the
// list, capped so that an append copies. ok is false when a file's
// changes are not consecutive.
func runsByFile(l []change.Identifier) (byFile fileChanges, ok bool) {
	for start := 0; start < len(l); {
		end := start + 1
		for end < len(l) && l[end].File == l[start].File {
			end++
		}
		if byFile.find(l[start].File) >= 0 {
			return fileChanges{}, false
		}
		byFile.add(l[start].File, l[start:end:end])
		start = end
	}
	return byFile, true
}

// fileChanges are identifier changes by file (changesByFile), in order of
// first appearance: a list searched in order while short (a record has
// few files), indexed beyond fileScan files.
type fileChanges struct {
	paths []string
	lists [][]change.Identifier
	index map[string]int
}

// fileScan is how many files fileChanges searches in order before it
// indexes them.
const fileScan = 8

// find returns the position of path, -1 when it has no changes.
func (fc *fileChanges) find(path string) int {
	if fc.index != nil {
		if k, ok := fc.index[path]; ok {
			return k
		}
		return -1
	}
	for k, p := range fc.paths {
		if p == path {
			return k
		}
	}
	return -1
}

// get returns the changes of path, nil when none.
func (fc *fileChanges) get(path string) []change.Identifier {
	if k := fc.find(path); k >= 0 {
		return fc.lists[k]
	}
	return nil
}

// add appends a file and its changes (the file must not be there).
func (fc *fileChanges) add(path string, l []change.Identifier) {
	fc.paths = append(fc.paths, path)
	fc.lists = append(fc.lists, l)
	switch {
	case fc.index != nil:
		fc.index[path] = len(fc.paths) - 1
	case len(fc.paths) > fileScan:
		fc.index = make(map[string]int, 2*len(fc.paths))
		for k, p := range fc.paths {
			fc.index[p] = k
		}
	}
}
