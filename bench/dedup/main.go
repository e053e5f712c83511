// Command dedup reads the merged_dataset.jsonl of sftforge outputs and
// prints, one row per directory, what the duplicate filters would remove
// from those records (records of the same change, near-duplicates at the
// threshold; on an output written with --near-dup 0 --keep-same-change,
// what a default run removes) and how long each filter takes, then how
// long the dataset files take to write without and with Parquet, with a
// few example pairs. Used by bench/dedup.sh.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/dedup"
)

func main() {
	threshold := flag.Float64("near-dup", dedup.DefaultThreshold, "near-duplicate threshold")
	examples := flag.Int("examples", 5, "example pairs printed per directory and kind")
	flag.Parse()
	fmt.Println("| output | records | same change | near-duplicates | similar but opposite (kept) | change IDs | change grouping | near-dup (MinHash-LSH + Jaccard) | write JSONL | write JSONL + Parquet |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|")
	var notes []string
	for _, dir := range flag.Args() {
		row, ex, err := measure(dir, *threshold, *examples)
		if err != nil {
			fmt.Fprintln(os.Stderr, "dedup:", err)
			os.Exit(1)
		}
		fmt.Println(row)
		notes = append(notes, ex...)
	}
	for _, n := range notes {
		fmt.Println(n)
	}
}

func measure(dir string, threshold float64, examples int) (string, []string, error) {
	f, err := os.Open(filepath.Join(dir, "merged_dataset.jsonl"))
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	var recs []dataset.MergedRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<28)
	for sc.Scan() {
		var r dataset.MergedRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return "", nil, err
		}
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		return "", nil, err
	}
	// The file is in the dataset's order, newest first, as the filters
	// see the records.
	var notes []string
	// What computing the change IDs costs in the merge, measured here on
	// the identifier changes the records list (the merge hashes the same
	// with the files and patch IDs).
	start := time.Now()
	for i := range recs {
		idents := make([]change.Identifier, len(recs[i].Metadata.Changes))
		for j, c := range recs[i].Metadata.Changes {
			idents[j] = c.Identifier
		}
		dedup.ChangeID(nil, idents, recs[i].Metadata.ChangeID)
	}
	idTime := time.Since(start)
	start = time.Now()
	first := map[string]int{}
	var kept []int
	same := 0
	for i := range recs {
		k := dataset.SameChangeKey(&recs[i])
		if j, ok := first[k]; ok && k != "" {
			same++
			if same <= examples {
				notes = append(notes, fmt.Sprintf("%s same change: %q (%s) repeats %q (%s)", dir,
					recs[i].Metadata.Title, recs[i].Metadata.MergedAt, recs[j].Metadata.Title, recs[j].Metadata.MergedAt))
			}
			continue
		}
		first[k] = i
		kept = append(kept, i)
	}
	changeTime := time.Since(start)
	start = time.Now()
	opposite := 0
	ms, err := dedup.NearOptions{Threshold: threshold}.FindFunc(len(kept), func(i int) string {
		return dataset.NearDuplicateText(&recs[kept[i]])
	}, func(i, j int) bool {
		if dataset.Opposite(&recs[kept[i]], &recs[kept[j]]) {
			opposite++
			if opposite <= examples {
				notes = append(notes, fmt.Sprintf("%s kept (a change and its revert): %q ~ %q", dir,
					recs[kept[i]].Metadata.Title, recs[kept[j]].Metadata.Title))
			}
			return false
		}
		return true
	})
	if err != nil {
		return "", nil, err
	}
	nearTime := time.Since(start)
	near := 0
	for i, m := range ms {
		if m.Of < 0 {
			continue
		}
		near++
		if near <= examples {
			a, b := &recs[kept[i]], &recs[kept[m.Of]]
			notes = append(notes, fmt.Sprintf("%s near-duplicate (%.3f): %q (%s) ~ %q (%s)", dir, m.Similarity,
				a.Metadata.Title, a.Metadata.MergedAt, b.Metadata.Title, b.Metadata.MergedAt))
		}
	}
	var writes [2]time.Duration
	for i, none := range []bool{true, false} {
		tmp, err := os.MkdirTemp("", "dedup-bench-")
		if err != nil {
			return "", nil, err
		}
		start := time.Now()
		_, err = dataset.WriteDataset(filepath.Join(tmp, "out"), recs, dataset.MergeStats{}, dataset.WriteOptions{NoParquet: none})
		writes[i] = time.Since(start)
		os.RemoveAll(tmp)
		if err != nil {
			return "", nil, err
		}
	}
	return fmt.Sprintf("| %s | %d | %d | %d | %d | %s | %s | %s | %s | %s |", filepath.Base(dir), len(recs), same, near, opposite,
		idTime.Round(time.Millisecond), changeTime.Round(time.Millisecond), nearTime.Round(time.Millisecond),
		writes[0].Round(time.Millisecond), writes[1].Round(time.Millisecond)), notes, nil
}
