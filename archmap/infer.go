package archmap

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Preset names and splits the layers that [Infer] derives from a workspace;
// it never reorders them: the order is always the crate dependency order.
type Preset struct {
	// Name identifies the preset ("hyperswitch").
	Name string
	// Groups propose layers made of several crates (or one, to name it).
	// A group whose crates cannot be one layer without breaking the
	// dependency order (another crate sits between two of them) is split;
	// the crates left out become layers of their own. The order of Groups
	// breaks ties between layers the dependency graph leaves unordered,
	// and orders them when dependencies are unknown.
	Groups []PresetGroup
	// Splits name the module layers of crates that carry several layers.
	Splits []PresetSplit
	// Rules are tried after the crate layers and before the role layers,
	// for paths outside crates; their layers are in Layers.
	Rules  []Rule
	Layers []Layer
}

// PresetGroup is one named layer of a [Preset].
type PresetGroup struct {
	ID, Title string
	// Crates are package names; those the workspace lacks are ignored.
	Crates []string
}

// PresetSplit splits one crate into module layers.
type PresetSplit struct {
	// Crate is the package name.
	Crate string
	// Layers list the module layers in order (the order in which the
	// crate's own modules build on each other, lower first).
	Layers []PresetModules
	// Rest names the layer of the crate's other files (lib.rs, tests,
	// Cargo.toml, unlisted modules).
	Rest PresetGroup
}

// PresetModules is one module layer of a [PresetSplit]: the paths under
// src/ it holds, as prefixes such as "core" (src/core/ and src/core.rs) or
// "types/api".
type PresetModules struct {
	ID, Title string
	Modules   []string
}

// Role layer IDs: layers for files outside crates, and for crates by role
// (examples, benches, fuzz targets, tooling, test support).
const (
	LayerMigrations  = "migrations"
	LayerScripts     = "scripts"
	LayerFrontend    = "frontend"
	LayerAssets      = "assets"
	LayerExamples    = "examples"
	LayerBenches     = "benches"
	LayerFuzz        = "fuzz"
	LayerTooling     = "tooling"
	LayerTestSupport = "test_support"
)

// roleLayers are the layers of files outside crates, in the order a plan
// lists them: schema and dependencies before the code, the rest after.
var roleLayers = []Layer{
	{ID: LayerMigrations, Title: "Database Migrations", Order: 10},
	{ID: LayerBuild, Title: "Build & Dependencies", Order: 20},
	{ID: LayerConfiguration, Title: "Configuration", Order: 900000},
	{ID: LayerFrontend, Title: "Front-end", Order: 900010},
	{ID: LayerScripts, Title: "Scripts", Order: 900020},
	{ID: LayerExamples, Title: "Examples", Order: 900030},
	{ID: LayerTests, Title: "Tests", Order: 900040},
	{ID: LayerDocumentation, Title: "Documentation", Order: 900050},
	{ID: LayerAssets, Title: "Assets", Order: 900060},
	{ID: LayerCI, Title: "CI & Tooling", Order: 900070},
}

// crateRoles are the roles a crate can have, with their layer titles, in
// the order that breaks ties between unordered layers.
var crateRoles = []struct{ id, title string }{
	{LayerTestSupport, "Test support"},
	{LayerTooling, "Tooling"},
	{LayerBenches, "Benchmarks"},
	{LayerFuzz, "Fuzz targets"},
	{LayerExamples, "Examples"},
}

// crateRole returns the role of a crate from its name and directory, or "".
func crateRole(c Crate) string {
	words := append(SplitWords(c.Name), strings.Split(c.Dir, "/")...)
	has := func(ws ...string) bool {
		for _, w := range words {
			if slices.Contains(ws, strings.ToLower(w)) {
				return true
			}
		}
		return false
	}
	switch {
	case has("examples", "example", "demo", "demos"):
		return LayerExamples
	case has("fuzz", "fuzzing", "fuzzer", "fuzzers"):
		return LayerFuzz
	case has("bench", "benches", "benchmark", "benchmarks", "benchmarking"):
		return LayerBenches
	case has("xtask", "xtasks", "tools", "tooling", "devtools", "hsdev", "codegen", "xtool"):
		return LayerTooling
	case has("test", "tests", "testing", "testutils", "fixtures", "mock", "mocks", "harness", "e2e", "stdx_test"):
		return LayerTestSupport
	}
	return ""
}

// Infer derives the layers of a repository from its workspace and returns a
// classifier for them (the preset, when not nil, names and splits them):
//
//   - Crates are grouped into layers: crates that depend on each other in a
//     cycle form one layer (with a warning); crates with a role (examples,
//     benches, fuzz targets, tooling such as xtask, test support, by name
//     and directory) form one layer per role; crates sharing the first word
//     of their name after the project's common prefix ("hir", "hir-def",
//     "hir-ty" in a language server; "sqlx-macros", "sqlx-macros-core") form
//     one layer when there are two to eight of them and they are at most
//     half of the crates (more is the project's name, not a family). A group is kept only
//     when no other crate sits between two of its crates in the dependency
//     graph, so that grouping never breaks the order; crates that would are
//     left as layers of their own. Every other crate is a layer.
//   - Layers are ordered by the crate dependency graph, dependencies first
//     (normal and build dependencies; dev-dependencies do not count); ties
//     are broken by the preset's group order, then role, then name.
//   - A crate that carries much of the code (a quarter of the .rs files and
//     at least 40) is split by its top-level modules: each src/<m>/ with at
//     least 4% of its files is a layer, the rest of the crate another.
//   - Files outside crates get role layers by their shape: migrations,
//     build, configuration, front-end, scripts, examples, tests,
//     documentation, assets, CI.
//
// Each layer lists its crates ([Layer.Crates]); [Classifier.Group] reports,
// per change, those whose files it holds. Paths under a directory that looks
// like a crate but is in none of ws (a crate of another revision that ws
// lacks) get a layer named after the directory.
func Infer(ws *Workspace, preset *Preset) (*Classifier, error) {
	if ws == nil {
		ws = &Workspace{}
	}
	if ws.byDir == nil {
		ws.index()
	}
	plan := planLayers(ws, preset)
	layers := append(slices.Clone(roleLayers), DefaultLayers()...)
	known := map[string]bool{}
	var all []Layer
	add := func(l Layer) {
		if !known[l.ID] {
			known[l.ID] = true
			all = append(all, l)
		}
	}
	// Crate layers first: a role layer with the ID of a crate-role group
	// (examples) takes its place in the order.
	for _, l := range plan.layers {
		add(l)
	}
	if preset != nil {
		for _, l := range preset.Layers {
			add(l)
		}
	}
	for _, l := range layers {
		add(l)
	}
	rules := []Rule{workspaceRule{ws: ws, plan: plan}}
	if preset != nil {
		rules = append(rules, preset.Rules...)
	}
	rules = append(rules, RuleFunc(PathRole), RuleFunc(inferredCrateRule))
	c, err := New(all, rules...)
	if err != nil {
		return nil, err
	}
	c.ws = ws
	c.warnings = append(slices.Clone(ws.Warnings), plan.warnings...)
	return c, nil
}

// ForWorkspace reads the Cargo workspace at the root of fsys (see
// [ReadWorkspace]) and returns the classifier [Infer] derives from it. Use
// os.DirFS for a checkout, a revision's tree (gitlog's Repository.FS), or
// an in-memory fstest.MapFS. Manifest problems are in
// [Classifier.Warnings].
func ForWorkspace(fsys fs.FS) (*Classifier, error) {
	ws, err := ReadWorkspace(fsys)
	if err != nil {
		return nil, err
	}
	return Infer(ws, nil)
}

// layerPlan is the outcome of grouping and ordering a workspace's crates.
type layerPlan struct {
	layers   []Layer
	byCrate  map[string]string   // crate dir → layer ID (unsplit crates)
	splits   map[string]splitSet // crate dir → module layers
	warnings []Warning
}

type splitSet struct {
	prefixes []modulePrefix // longest first
	rest     string
}

type modulePrefix struct{ prefix, layer string }

// group is a set of crates that becomes one layer (or a split crate).
type group struct {
	members []int
	id      string
	title   string
	rank    int // preset group index, else len(preset groups)
	role    int // index in crateRoles + 1, or 0
	named   bool
}

func planLayers(ws *Workspace, preset *Preset) layerPlan {
	plan := layerPlan{byCrate: map[string]string{}, splits: map[string]splitSet{}}
	n := len(ws.Crates)
	if n == 0 {
		return plan
	}
	byName := map[string][]int{}
	for i, c := range ws.Crates {
		byName[c.Name] = append(byName[c.Name], i)
	}
	// A dependency names a package; when several crates share the name,
	// a workspace member wins, then the shallowest directory.
	target := map[string]int{}
	for name, idx := range byName {
		target[name] = slices.MinFunc(idx, func(a, b int) int {
			ca, cb := ws.Crates[a], ws.Crates[b]
			return cmp.Or(-cmp.Compare(boolInt(ca.Member), boolInt(cb.Member)), cmp.Compare(depth(ca.Dir), depth(cb.Dir)), cmp.Compare(ca.Dir, cb.Dir))
		})
	}
	adj := make([][]int, n)
	for i, c := range ws.Crates {
		for _, d := range c.Deps {
			if j, ok := target[d]; ok && j != i {
				adj[i] = append(adj[i], j)
			}
		}
	}

	// Union-find over crates; groups are the roots.
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) { // b joins a
		ra, rb := find(a), find(b)
		if ra != rb {
			parent[rb] = ra
		}
	}

	// Strongly connected components: one layer each. Tarjan's algorithm
	// emits them dependencies first, which is the order groups are
	// contracted in.
	sccs := stronglyConnected(adj)
	topo := make([]int, n)
	for k, scc := range sccs {
		for _, i := range scc {
			topo[i] = k
		}
	}
	for _, scc := range sccs {
		if len(scc) < 2 {
			continue
		}
		var names []string
		for _, i := range scc {
			names = append(names, ws.Crates[i].Name)
			union(scc[0], i)
		}
		slices.Sort(names)
		first := ws.Crates[scc[0]]
		plan.warnings = append(plan.warnings, Warning{File: path.Join(first.Dir, "Cargo.toml"),
			Message: fmt.Sprintf("dependency cycle between crates %s: they form one layer", strings.Join(names, ", "))})
	}

	// wouldCycle reports whether merging the groups of a and b creates a
	// cycle: a path from one to the other through a third group.
	wouldCycle := func(a, b int) bool {
		ra, rb := find(a), find(b)
		if ra == rb {
			return false
		}
		seen := make([]bool, n)
		var stack []int
		push := func(from int) {
			for i := range n {
				if find(i) != from {
					continue
				}
				for _, j := range adj[i] {
					if r := find(j); r != ra && r != rb && !seen[r] {
						seen[r] = true
						stack = append(stack, r)
					}
				}
			}
		}
		push(ra)
		push(rb)
		for len(stack) > 0 {
			g := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for i := range n {
				if find(i) != g {
					continue
				}
				for _, j := range adj[i] {
					r := find(j)
					if r == ra || r == rb {
						return true
					}
					if !seen[r] {
						seen[r] = true
						stack = append(stack, r)
					}
				}
			}
		}
		return false
	}
	// contract merges members greedily, skipping crates that would break
	// the order; it returns the crates that joined.
	contract := func(members []int) []int {
		if len(members) == 0 {
			return nil
		}
		members = slices.Clone(members)
		slices.SortStableFunc(members, func(a, b int) int { return cmp.Compare(topo[a], topo[b]) })
		joined := []int{members[0]}
		for _, m := range members[1:] {
			if wouldCycle(members[0], m) {
				continue
			}
			union(members[0], m)
			joined = append(joined, m)
		}
		return joined
	}

	type label struct {
		id, title  string
		rank, role int
		named      bool
	}
	// A crate that moved keeps its name: its directories are one layer
	// (unless one of them has a role the other lacks, as a fuzz crate
	// reusing its parent's name).
	for _, name := range sortedKeys(byName) {
		idx := byName[name]
		if len(idx) < 2 {
			continue
		}
		byRole := map[string][]int{}
		for _, i := range idx {
			r := crateRole(ws.Crates[i])
			byRole[r] = append(byRole[r], i)
		}
		for _, r := range sortedKeys(byRole) {
			contract(byRole[r])
		}
	}
	labels := map[int]label{} // by group root after contraction
	grouped := make([]bool, n)
	nPreset := 0
	if preset != nil {
		nPreset = len(preset.Groups)
		for gi, g := range preset.Groups {
			var members []int
			for _, name := range g.Crates {
				for _, i := range byName[name] {
					if !grouped[i] {
						members = append(members, i)
					}
				}
			}
			joined := contract(members)
			for _, i := range joined {
				grouped[i] = true
			}
			if len(joined) > 0 {
				labels[find(joined[0])] = label{id: g.ID, title: g.Title, rank: gi, named: true}
			}
			if len(joined) < len(members) {
				var left []string
				for _, i := range members {
					if !slices.Contains(joined, i) {
						left = append(left, ws.Crates[i].Name)
					}
				}
				plan.warnings = append(plan.warnings, Warning{File: "preset " + preset.Name,
					Message: fmt.Sprintf("layer %q: crates %s would break the dependency order; they are layers of their own", g.ID, strings.Join(left, ", "))})
			}
		}
	}
	// Roles.
	for ri, r := range crateRoles {
		var members []int
		for i, c := range ws.Crates {
			if !grouped[i] && crateRole(c) == r.id {
				members = append(members, i)
			}
		}
		joined := contract(members)
		for _, i := range joined {
			grouped[i] = true
		}
		if len(joined) > 0 {
			labels[find(joined[0])] = label{id: r.id, title: r.title, rank: nPreset, role: ri + 1}
		}
	}
	// Families by name.
	var plain []Crate // crates without a role name the project prefix
	for i, c := range ws.Crates {
		if !grouped[i] && crateRole(c) == "" {
			plain = append(plain, c)
		}
	}
	prefix := commonNamePrefix(plain)
	families := map[string][]int{}
	for i, c := range ws.Crates {
		if grouped[i] {
			continue
		}
		if w := familyWord(c.Name, prefix); w != "" {
			families[w] = append(families[w], i)
		}
	}
	for _, w := range sortedKeys(families) {
		members := families[w]
		if len(members) < 2 || len(members) > 8 || 2*len(members) > len(plain) {
			continue // no family, too large, or the project's own name
		}
		joined := contract(members)
		var names []string
		for _, i := range joined {
			names = append(names, ws.Crates[i].Name)
		}
		slices.Sort(names)
		names = slices.Compact(names)
		if len(names) < 2 {
			continue // one crate, maybe in several directories
		}
		for _, i := range joined {
			grouped[i] = true
		}
		// The family is named after its stem crate when it has one, else
		// after its crates.
		id, title := "", listNames(names, 6)
		for _, stem := range []string{prefix + w, w} {
			if slices.Contains(names, stem) {
				id, title = stem, stem+" crates: "+title
				break
			}
		}
		if id == "" {
			id = strings.Join(names, "+")
		}
		labels[find(joined[0])] = label{id: id, title: title, rank: nPreset, named: true}
	}

	// Groups and their dependency edges.
	roots := map[int]*group{}
	var groups []*group
	splitCrates := map[string]bool{}
	if preset != nil {
		for _, s := range preset.Splits {
			splitCrates[s.Crate] = true
		}
	}
	for i := range n {
		r := find(i)
		g := roots[r]
		if g == nil {
			g = &group{rank: nPreset}
			if splitCrates[ws.Crates[i].Name] {
				g.rank = nPreset + 1 // a split crate holds the top layers
			}
			if l, ok := labels[r]; ok {
				g.id, g.title, g.rank, g.role, g.named = l.id, l.title, l.rank, l.role, l.named
			}
			roots[r] = g
			groups = append(groups, g)
		}
		g.members = append(g.members, i)
	}
	gdeps := map[*group]map[*group]bool{}
	for i := range n {
		gi := roots[find(i)]
		for _, j := range adj[i] {
			if gj := roots[find(j)]; gj != gi {
				if gdeps[gi] == nil {
					gdeps[gi] = map[*group]bool{}
				}
				gdeps[gi][gj] = true
			}
		}
	}
	minName := func(g *group) string {
		m := ws.Crates[g.members[0]].Name
		for _, i := range g.members {
			m = min(m, ws.Crates[i].Name)
		}
		return m
	}
	less := func(a, b *group) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.role, b.role), cmp.Compare(minName(a), minName(b)))
	}
	// Kahn's algorithm; the groups are acyclic by construction.
	placed := map[*group]bool{}
	var order []*group
	for len(order) < len(groups) {
		var ready []*group
		for _, g := range groups {
			if placed[g] {
				continue
			}
			ok := true
			for d := range gdeps[g] {
				ok = ok && placed[d]
			}
			if ok {
				ready = append(ready, g)
			}
		}
		if len(ready) == 0 { // cannot happen; place the rest by name
			for _, g := range groups {
				if !placed[g] {
					ready = append(ready, g)
				}
			}
		}
		next := slices.MinFunc(ready, less)
		placed[next] = true
		order = append(order, next)
	}

	// Layers, with unique IDs.
	taken := map[string]bool{}
	for _, l := range roleLayers {
		taken[l.ID] = true
	}
	for _, r := range crateRoles {
		delete(taken, r.id)
	}
	if preset != nil {
		for _, l := range preset.Layers {
			taken[l.ID] = true
		}
	}
	unique := func(id string) string {
		for base, k := id, 2; taken[id]; k++ {
			id = fmt.Sprintf("%s_%d", base, k)
		}
		taken[id] = true
		return id
	}
	split := map[string]PresetSplit{}
	if preset != nil {
		for _, s := range preset.Splits {
			split[s.Crate] = s
		}
	}
	totalFiles := 0
	for _, c := range ws.Crates {
		totalFiles += c.Files
	}
	for k, g := range order {
		base := 1000 + 100*k
		var names []string
		for _, i := range g.members {
			names = append(names, ws.Crates[i].Name)
		}
		slices.Sort(names)
		names = slices.Compact(names)
		// One crate (in one or more directories): the directory with the
		// most files stands for it.
		main := slices.MaxFunc(g.members, func(a, b int) int { return cmp.Compare(ws.Crates[a].Files, ws.Crates[b].Files) })
		if len(names) == 1 && !g.named {
			c := ws.Crates[main]
			s, ok := split[c.Name]
			if !ok && g.role == 0 && c.Files >= 40 && c.Files*4 >= totalFiles {
				s, ok = inferSplit(c)
			}
			if ok {
				plan.addSplit(c, s, base, unique)
				for _, i := range g.members {
					plan.splits[ws.Crates[i].Dir] = plan.splits[c.Dir]
				}
				continue
			}
		}
		id, title := g.id, g.title
		switch {
		case id == "" && len(names) == 1:
			c := ws.Crates[main]
			id, title = c.Name, crateTitle(c)
		case id == "":
			id, title = names[0], strings.Join(names, ", ")
		case !g.named:
			title = title + ": " + listNames(names, 6)
		}
		id = unique(id)
		plan.layers = append(plan.layers, Layer{ID: id, Title: title, Order: base, Crates: names})
		for _, i := range g.members {
			plan.byCrate[ws.Crates[i].Dir] = id
		}
	}
	return plan
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// addSplit adds the module layers of a split crate.
func (p *layerPlan) addSplit(c Crate, s PresetSplit, base int, unique func(string) string) {
	set := splitSet{}
	for j, ml := range s.Layers {
		id := unique(ml.ID)
		p.layers = append(p.layers, Layer{ID: id, Title: ml.Title, Order: base + 1 + j, Crates: []string{c.Name}})
		for _, m := range ml.Modules {
			set.prefixes = append(set.prefixes, modulePrefix{prefix: m, layer: id})
		}
	}
	slices.SortStableFunc(set.prefixes, func(a, b modulePrefix) int { return cmp.Compare(len(b.prefix), len(a.prefix)) })
	rest := s.Rest
	if rest.ID == "" {
		rest.ID, rest.Title = c.Name, crateTitle(c)
	}
	set.rest = unique(rest.ID)
	p.layers = append(p.layers, Layer{ID: set.rest, Title: rest.Title, Order: base + 99, Crates: []string{c.Name}})
	p.splits[c.Dir] = set
}

// inferSplit splits a crate by its top-level modules: each module with at
// least 4% of the crate's files (and 4 files) is a layer.
func inferSplit(c Crate) (PresetSplit, bool) {
	s := PresetSplit{Crate: c.Name}
	for _, m := range c.Modules {
		if m.Files >= 4 && m.Files*25 >= c.Files {
			s.Layers = append(s.Layers, PresetModules{ID: c.Name + "::" + m.Name,
				Title: c.Name + "::" + m.Name, Modules: []string{m.Name}})
		}
	}
	if len(s.Layers) < 2 {
		return s, false
	}
	return s, true
}

// crateTitle names a crate's layer: its name, its role, the first sentence
// of its description.
func crateTitle(c Crate) string {
	t := c.Name
	if c.ProcMacro {
		t += " (procedural macros)"
	}
	if d := firstSentence(c.Description, 90); d != "" {
		t += ": " + d
	}
	return t
}

func firstSentence(s string, limit int) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSuffix(s, ".")
	if len(s) > limit {
		cut := strings.LastIndexByte(s[:limit], ' ')
		if cut < limit/2 {
			cut = limit
		}
		s = s[:cut] + "…"
	}
	return s
}

func listNames(names []string, limit int) string {
	if len(names) <= limit {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:limit], ", ") + fmt.Sprintf(" and %d more", len(names)-limit)
}

// commonNamePrefix returns the project prefix most crate names share
// ("sqlx-", "embassy-", "hyperswitch_"), when at least 40% of them do.
func commonNamePrefix(crates []Crate) string {
	counts := map[string]int{}
	for _, c := range crates {
		if i := strings.IndexAny(c.Name, "-_"); i > 0 {
			counts[c.Name[:i+1]]++
		}
	}
	best, bestN := "", 0
	for _, p := range sortedKeys(counts) {
		if counts[p] > bestN {
			best, bestN = p, counts[p]
		}
	}
	if bestN*5 >= 2*len(crates) && bestN >= 3 {
		return best
	}
	return ""
}

// familyWord returns the first word of a crate name after the project
// prefix: "hir-def" → "hir", "sqlx-macros-core" (prefix "sqlx-") → "macros".
// A name that is only the prefix has no family.
func familyWord(name, prefix string) string {
	rest := strings.TrimPrefix(name, prefix)
	if rest == "" {
		return ""
	}
	if i := strings.IndexAny(rest, "-_"); i > 0 {
		return rest[:i]
	}
	return rest
}

// stronglyConnected returns the strongly connected components of a graph
// (Tarjan), each sorted, in a deterministic order.
func stronglyConnected(adj [][]int) [][]int {
	n := len(adj)
	index := make([]int, n)
	low := make([]int, n)
	on := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	var out [][]int
	next := 0
	var visit func(v int)
	visit = func(v int) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		on[v] = true
		for _, w := range adj[v] {
			if index[w] < 0 {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if on[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var comp []int
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				on[w] = false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			slices.Sort(comp)
			out = append(out, comp)
		}
	}
	for v := range n {
		if index[v] < 0 {
			visit(v)
		}
	}
	return out
}

// workspaceRule classifies the paths under a crate of the workspace.
type workspaceRule struct {
	ws   *Workspace
	plan layerPlan
}

// Match implements [Rule].
func (r workspaceRule) Match(p string) (string, bool) {
	i, rest, ok := r.ws.crateIndex(p)
	if !ok {
		return "", false
	}
	c := r.ws.Crates[i]
	if s, split := r.plan.splits[c.Dir]; split {
		if src, ok := strings.CutPrefix(rest, "src/"); ok {
			for _, m := range s.prefixes {
				if src == m.prefix+".rs" || strings.HasPrefix(src, m.prefix+"/") {
					return m.layer, true
				}
			}
		}
		return s.rest, true
	}
	id, ok := r.plan.byCrate[c.Dir]
	return id, ok
}

// inferredCrateRule gives a path under a crate-like directory that no
// workspace lists (src/, tests/, benches/, examples/) a layer named after
// the directory.
func inferredCrateRule(p string) (string, bool) {
	d, ok := inferCrateDir(p)
	if !ok {
		return "", false
	}
	if d == "" {
		return LayerBuild, strings.HasPrefix(p, "src/")
	}
	return path.Base(d), true
}

// PathRole returns the role layer of a path by its shape, wherever it is:
// migrations, build files, CI, documentation, scripts, tests, front-end,
// configuration, examples and assets. It reports false for paths of no
// recognisable role (Rust sources among them).
func PathRole(p string) (string, bool) {
	p = NormalizePath(p)
	// The segments, on the stack for all but very deep paths.
	var arr [32]string
	segs := arr[:0]
	for {
		i := strings.IndexByte(p, '/')
		if i < 0 {
			segs = append(segs, p)
			break
		}
		segs = append(segs, p[:i])
		p = p[i+1:]
	}
	base := segs[len(segs)-1]
	lower := strings.ToLower(base)
	ext := strings.TrimPrefix(path.Ext(lower), ".")
	dirs := segs[:len(segs)-1]
	inDir := func(names ...string) bool {
		for _, d := range dirs {
			if slices.Contains(names, strings.ToLower(d)) {
				return true
			}
		}
		return false
	}
	top := ""
	if len(dirs) > 0 {
		top = strings.ToLower(dirs[0])
	}
	switch {
	case ext == "sql" || slices.ContainsFunc(dirs, func(d string) bool { return strings.HasSuffix(strings.ToLower(d), "migrations") }):
		return LayerMigrations, true
	case top == ".github" || top == ".gitlab" || top == ".circleci" || top == ".buildkite" || top == ".ci" ||
		top == ".config" || top == ".devcontainer" || top == ".husky" ||
		strings.HasPrefix(lower, "dockerfile") || strings.HasSuffix(lower, ".dockerfile") ||
		strings.HasPrefix(lower, "docker-compose") || strings.HasPrefix(lower, ".gitlab-ci") ||
		slices.Contains([]string{".gitignore", ".gitattributes", ".dockerignore", ".editorconfig", ".mailmap",
			"codecov.yml", ".codecov.yml", "renovate.json", ".pre-commit-config.yaml", "cog.toml", ".typos.toml",
			"_typos.toml", "typos.toml", ".deepsource.toml", ".gitmodules", "netlify.toml", "vercel.json",
			".git-blame-ignore-revs", "dependabot.yml"}, lower) ||
		inDir("docker", "helm", "k8s", "kubernetes", "terraform", "deploy", "deployment", "ci", "monitoring", "grafana"):
		return LayerCI, true
	case base == "Cargo.toml" || base == "Cargo.lock" || base == "build.rs" || strings.HasPrefix(lower, "rust-toolchain") ||
		lower == "rust-version" || lower == "homebrewformula" || lower == "pkgbuild" ||
		inDir("pkg", "packaging", "package", "dist", "debian", "rpm", "homebrew", "snap", "installer", "installers", "nsis", "wix") ||
		top == ".cargo" || slices.Contains([]string{"clippy.toml", ".clippy.toml", "rustfmt.toml", ".rustfmt.toml",
		"deny.toml", "makefile", "justfile", "makefile.toml", "flake.lock", "flake.nix", "shell.nix", "default.nix",
		"taplo.toml", ".taplo.toml", "cross.toml", "nextest.toml", "dist-workspace.toml", "release.toml", "release-plz.toml"}, lower) ||
		ext == "nix" || ext == "mk" || ext == "cmake" || lower == "cmakelists.txt":
		return LayerBuild, true
	case slices.Contains([]string{"md", "mdx", "rst", "adoc", "asciidoc", "txt", "markdown", "tex"}, ext) ||
		strings.HasPrefix(lower, "license") || strings.HasPrefix(lower, "licence") || strings.HasPrefix(lower, "unlicense") || strings.HasPrefix(lower, "copying") ||
		strings.HasPrefix(lower, "copyright") || strings.HasPrefix(lower, "notice") || strings.HasPrefix(lower, "authors") ||
		strings.HasPrefix(lower, "changelog") || strings.HasPrefix(lower, "contributing") || lower == "code_of_conduct" ||
		strings.HasPrefix(lower, "readme") || strings.HasPrefix(lower, "faq") || strings.HasPrefix(lower, "guide") ||
		inDir("docs", "doc", "documentation", "book", "api-reference", "api-reference-v2", "website", "site", "rfcs", "manual"):
		return LayerDocumentation, true
	case slices.Contains([]string{"sh", "bash", "zsh", "fish", "ps1", "bat", "cmd", "py", "rb", "pl", "awk"}, ext) ||
		slices.Contains([]string{"compile", "configure", "bootstrap", "install", "build"}, lower) ||
		inDir("scripts", "script", "bin", "complete", "completion", "completions", "hooks"):
		return LayerScripts, true
	case inDir("tests", "test", "testdata", "test_data", "test-data", "fixtures", "e2e", "benches", "bench",
		"benchmarks", "postman", "loadtest", "cypress", "cypress-tests", "cypress-tests-v2", "snapshots", "fuzz") ||
		slices.ContainsFunc(dirs, func(d string) bool { return strings.HasPrefix(strings.ToLower(d), "bench") }) ||
		strings.HasPrefix(lower, "bench") ||
		ext == "snap" || ext == "stderr" || ext == "stdout":
		return LayerTests, true
	case top == "examples" || top == "example":
		return LayerExamples, true
	case slices.Contains([]string{"js", "jsx", "mjs", "cjs", "ts", "tsx", "vue", "svelte", "css", "scss", "sass", "less",
		"html", "htm", "hbs", "ejs"}, ext) || slices.Contains([]string{"package.json", "package-lock.json", "yarn.lock",
		"pnpm-lock.yaml", "tsconfig.json", ".npmrc", ".prettierrc", ".eslintrc", ".nvmrc"}, lower) ||
		inDir("frontend", "web", "ui", "editors", "editor", "vscode", "node_modules", "static", "public", "www"):
		return LayerFrontend, true
	case slices.Contains([]string{"toml", "yaml", "yml", "json", "json5", "ini", "conf", "cfg", "env", "properties",
		"xml", "ron", "gpg", "pem", "proto", "graphql", "thrift", "fbs", "avsc", "capnp"}, ext) ||
		strings.HasPrefix(lower, ".env") || inDir("config", "configs", "conf", "etc", "settings", "proto", "protos") ||
		slices.Contains([]string{"vim", "lua", "el", "code-workspace"}, ext) || strings.HasPrefix(lower, "ctags") ||
		(strings.HasPrefix(base, ".") && ext == strings.TrimPrefix(lower, ".")):
		return LayerConfiguration, true
	case slices.Contains([]string{"png", "jpg", "jpeg", "gif", "svg", "ico", "webp", "bmp", "ttf", "otf", "woff", "woff2",
		"mp4", "webm", "pdf", "csv", "tsv", "parquet", "wasm", "bin", "dat", "db", "gz", "zip", "tar", "lock", "drawio", "excalidraw"}, ext) ||
		inDir("assets", "images", "img", "static", "media", "data", "resources", "res"):
		return LayerAssets, true
	}
	return "", false
}
