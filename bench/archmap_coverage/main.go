// Command archmap_coverage reads repository-relative paths, one per line, on
// standard input, classifies them with an archmap preset and prints how many
// land in no layer: overall, for .rs files, and for .rs files under crates/.
// With -subjects, the lines are commit subjects instead and it prints how
// intent detection distributes them. Used by bench/archmap_coverage.sh.
//
// With -repo, it reads the repository itself: the layers inferred from its
// Cargo workspace over the walked range (as sftforge does), every changed
// path of each first-parent commit of the range as one record, and prints
// issue 13's layer figures (see layers.go).
package main

import (
	"bufio"
	"cmp"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/sftforge/sftforge/archmap"
)

func main() {
	preset := flag.String("preset", "hyperswitch", "classifier: hyperswitch, default, or workspace (with -root); with -repo: auto, workspace, hyperswitch or keywords")
	root := flag.String("root", "", "checkout whose Cargo.toml the workspace preset reads")
	label := flag.String("label", "paths", "what the input is, for the report")
	show := flag.Int("show", 10, "print up to this many unclassified .rs paths under crates/")
	subjects := flag.Bool("subjects", false, "input lines are commit subjects: report detected intent")
	repo := flag.String("repo", "", "repository: report the layer figures of its first-parent history")
	n := flag.Int("n", 0, "with -repo: newest N first-parent commits (0 = all)")
	header := flag.Bool("header", false, "with -repo: print the table header first")
	flag.Parse()
	var err error
	if *repo != "" {
		err = runRepo(os.Stdout, *repo, *n, *preset, *header, *show)
	} else if *subjects {
		err = runIntent(os.Stdin, os.Stdout, *label, *show)
	} else {
		err = run(os.Stdin, os.Stdout, *preset, *root, *label, *show)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "archmap_coverage:", err)
		os.Exit(1)
	}
}

type tally struct{ total, unclassified int }

func (t tally) String() string {
	share := 0.0
	if t.total > 0 {
		share = 100 * float64(t.unclassified) / float64(t.total)
	}
	return fmt.Sprintf("%d of %d unclassified (%.3f%%)", t.unclassified, t.total, share)
}

func run(in io.Reader, out io.Writer, preset, root, label string, show int) error {
	var c *archmap.Classifier
	switch preset {
	case "hyperswitch":
		c = archmap.Hyperswitch()
	case "default":
		c = archmap.Default()
	case "workspace":
		var err error
		if c, err = archmap.ForWorkspace(os.DirFS(root)); err != nil {
			return err
		}
		for _, w := range c.Warnings() {
			fmt.Fprintln(os.Stderr, "warning:", w)
		}
	default:
		return fmt.Errorf("unknown preset %q", preset)
	}
	var all, rs, crates tally
	layers := map[string]int{}
	var missed []string
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		p := strings.TrimSpace(sc.Text())
		if p == "" {
			continue
		}
		l, ok := c.Classify(p)
		isRS := strings.HasSuffix(p, ".rs")
		inCrates := isRS && strings.HasPrefix(p, "crates/")
		all.total++
		if isRS {
			rs.total++
		}
		if inCrates {
			crates.total++
		}
		if ok {
			layers[l.ID]++
			continue
		}
		all.unclassified++
		if isRS {
			rs.unclassified++
		}
		if inCrates {
			crates.unclassified++
			if !slices.Contains(missed, p) {
				missed = append(missed, p)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s, preset %s\n", label, preset)
	fmt.Fprintf(out, "  all paths:          %v\n", all)
	fmt.Fprintf(out, "  .rs paths:          %v\n", rs)
	fmt.Fprintf(out, "  .rs under crates/:  %v\n", crates)
	fmt.Fprintf(out, "  by layer:")
	for _, l := range c.Layers() {
		if layers[l.ID] > 0 {
			fmt.Fprintf(out, " %s=%d", l.ID, layers[l.ID])
		}
	}
	fmt.Fprintln(out)
	for i, p := range missed {
		if i == show {
			fmt.Fprintf(out, "  … %d more\n", len(missed)-show)
			break
		}
		fmt.Fprintf(out, "  unclassified: %s\n", p)
	}
	return nil
}

// runIntent detects the intent of each subject and prints the distribution
// of feature types and actions, and up to show subjects without a feature
// type.
func runIntent(in io.Reader, out io.Writer, label string, show int) error {
	features, actions := map[string]int{}, map[string]int{}
	sources := map[string]int{}
	var none []string
	n := 0
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		it := archmap.DetectIntent(archmap.IntentInput{Title: sc.Text()})
		n++
		features[it.FeatureType]++
		actions[it.Action]++
		sources[string(it.FeatureTypeSource)]++
		if it.FeatureType == "" && len(none) < show {
			none = append(none, sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	pct := func(k int) string { return fmt.Sprintf("%d (%.1f%%)", k, 100*float64(k)/float64(max(n, 1))) }
	fmt.Fprintf(out, "%s: %d subjects\n", label, n)
	fmt.Fprintf(out, "  no feature type: %s; no action: %s\n", pct(features[""]), pct(actions[""]))
	for _, dim := range []struct {
		name string
		m    map[string]int
	}{{"feature types", features}, {"actions", actions}, {"feature type decided by", sources}} {
		keys := slices.SortedFunc(maps.Keys(dim.m), func(a, b string) int { return cmp.Or(dim.m[b]-dim.m[a], strings.Compare(a, b)) })
		fmt.Fprintf(out, "  %s:", dim.name)
		for _, k := range keys {
			if k != "" {
				fmt.Fprintf(out, " %s=%d", k, dim.m[k])
			}
		}
		fmt.Fprintln(out)
	}
	for _, s := range none {
		fmt.Fprintf(out, "  no feature type: %s\n", s)
	}
	return nil
}
