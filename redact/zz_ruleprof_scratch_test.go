package redact

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/zricethezav/gitleaks/v8/detect"
)

func TestRuleProfScratch(t *testing.T) {
	path := os.Getenv("RP_TEXT")
	if path == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(path)
	r, _ := New(Config{})
	e := r.secrets
	per := map[string]time.Duration{}
	runs := map[string]int{}
	var segBytes, winBytes int
	prof := func(d *detect.Detector, seg string) {
		low := strings.ToLower(seg)
		for id, rule := range d.Config.Rules {
			hit := false
			for _, k := range rule.Keywords {
				if strings.Contains(low, k) {
					hit = true
					break
				}
			}
			if !hit {
				continue
			}
			t0 := time.Now()
			rule.Regex.FindAllStringIndex(seg, -1)
			per[id] += time.Since(t0)
			runs[id]++
		}
	}
	t0 := time.Now()
	for _, rec := range benchRecords(string(data)) {
		segs, wins := e.segments(rec)
		for _, s := range segs {
			segBytes += s.end - s.start
			prof(e.segmented, rec[s.start:s.end])
		}
		for _, s := range wins {
			winBytes += s.end - s.start
			prof(e.generic, rec[s.start:s.end])
		}
	}
	type kv struct {
		id string
		d  time.Duration
	}
	var all []kv
	var tot time.Duration
	for k, v := range per {
		all = append(all, kv{k, v})
		tot += v
	}
	sort.Slice(all, func(i, j int) bool { return all[i].d > all[j].d })
	fmt.Println("bytes", len(data), "segbytes", segBytes, "winbytes", winBytes, "total regex", tot, "wall", time.Since(t0))
	for _, x := range all[:min(15, len(all))] {
		fmt.Println(x.id, x.d, runs[x.id], e.rules[x.id].Keywords)
	}
}
