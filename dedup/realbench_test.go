package dedup

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// BenchmarkFindPairsJSONL measures FindPairs over the prompts and
// responses of a merged_dataset.jsonl named by SFTFORGE_BENCH_JSONL (e.g.
// a pipeline run's output), as the merge's near-duplicate filter calls it.
func BenchmarkFindPairsJSONL(b *testing.B) {
	name := os.Getenv("SFTFORGE_BENCH_JSONL")
	if name == "" {
		b.Skip("set SFTFORGE_BENCH_JSONL")
	}
	f, err := os.Open(name)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var prompts, responses []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<30)
	for sc.Scan() {
		var rec struct{ Prompt, Response string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			b.Fatal(err)
		}
		prompts, responses = append(prompts, rec.Prompt), append(responses, rec.Response)
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := (NearOptions{Threshold: DefaultThreshold}).FindPairs(len(prompts),
			func(i int) (string, string) { return prompts[i], responses[i] }, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(prompts)*b.N)/b.Elapsed().Seconds(), "records/s")
}
