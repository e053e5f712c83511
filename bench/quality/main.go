// Command quality reads sftforge output directories and prints, one row per
// directory, the dataset-quality figures of issue 13: changed files in no
// layer, intent coverage, bot drops, response sizes against the budget,
// prompts that start with a merge line or name their own PR number. It reads
// the records generically (map[string]any), so it measures any version of
// the schema. Used by bench/quality.sh.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

func main() {
	samples := flag.Int("intents", 0, "also print this many random intents per directory")
	flag.Parse()
	fmt.Println("| repository | records | files in no layer | feature none | action none | dropped bot | dropped size | max resp tokens | p99 | merge-line prompts | own-PR prompts |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|")
	var intents []string
	for _, dir := range flag.Args() {
		row, ints, err := measure(dir, *samples)
		if err != nil {
			fmt.Fprintln(os.Stderr, "quality:", err)
			os.Exit(1)
		}
		fmt.Println(row)
		intents = append(intents, ints...)
	}
	for _, s := range intents {
		fmt.Println(s)
	}
}

// mergeLine matches the merge lines of GitHub, bors/homu and merge queues.
var mergeLine = regexp.MustCompile(`(?i)^(merge pull request #\d+|merge #\d+|auto merge of #\d+|merge branch '|merge remote-tracking branch)`)

func measure(dir string, samples int) (string, []string, error) {
	name := filepath.Base(filepath.Clean(dir))
	f, err := os.Open(filepath.Join(dir, "merged_dataset.jsonl"))
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	var recs, files, unclassified, noFeature, noAction, mergePrompts, ownPR int
	var intents []string
	for sc.Scan() {
		var r struct {
			Prompt   string         `json:"prompt"`
			Metadata map[string]any `json:"metadata"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return "", nil, fmt.Errorf("%s: record %d: %w", dir, recs+1, err)
		}
		recs++
		md := r.Metadata
		unc := list(md["unclassified"])
		unclassified += len(unc)
		files += len(unc)
		for _, l := range list(md["layers"]) {
			if m, ok := l.(map[string]any); ok {
				files += len(list(m["files"]))
			}
		}
		in, _ := md["intent"].(map[string]any)
		ft, _ := in["feature_type"].(string)
		ac, _ := in["action"].(string)
		if ft == "" || ft == "none" {
			noFeature++
		}
		if ac == "" || ac == "none" {
			noAction++
		}
		if mergeLine.MatchString(strings.TrimSpace(r.Prompt)) {
			mergePrompts++
		}
		if n, ok := md["pr_number"].(float64); ok && n > 0 {
			num := strconv.Itoa(int(n))
			if regexp.MustCompile(`#` + num + `\b`).MatchString(r.Prompt) {
				ownPR++
			}
		}
		title, _ := md["title"].(string)
		intents = append(intents, fmt.Sprintf("%s | %q → %s / %s", name, title, ft, ac))
	}
	if err := sc.Err(); err != nil {
		return "", nil, fmt.Errorf("%s: %w", dir, err)
	}
	var st struct {
		Filtered       map[string]int `json:"filtered"`
		ResponseTokens struct {
			P99 float64 `json:"p99"`
			Max float64 `json:"max"`
		} `json:"response_tokens"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "statistics.json"))
	if err != nil {
		return "", nil, err
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return "", nil, fmt.Errorf("%s/statistics.json: %w", dir, err)
	}
	size := 0
	for k, v := range st.Filtered {
		if strings.Contains(k, "token") || strings.Contains(k, "size") || strings.Contains(k, "bytes") || strings.Contains(k, "too_long") {
			size += v
		}
	}
	pct := func(a, b int) string {
		if b == 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
	}
	row := fmt.Sprintf("| %s | %d | %s | %s | %s | %d | %d | %.0f | %.0f | %d | %d |", name, recs,
		pct(unclassified, files), pct(noFeature, recs), pct(noAction, recs), st.Filtered["bot_author"], size,
		st.ResponseTokens.Max, st.ResponseTokens.P99, mergePrompts, ownPR)
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(intents), func(i, j int) { intents[i], intents[j] = intents[j], intents[i] })
	if samples < len(intents) {
		intents = intents[:samples]
	}
	sort.Strings(intents)
	return row, intents, nil
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}
