// Command report measures report.html on dataset directories written by
// sftforge (issue 15, item 7): its size, and the time to summarise the
// records and render the page against a baseline measured in the same
// run, encoding the same records as merged_dataset.jsonl lines (median of
// -runs). With -png it also takes a full-page screenshot of the first
// directory's report.html in headless Chromium (docs/report.png is made
// so, by bench/report.sh).
//
// Usage: go run ./bench/report [-runs 5] [-png OUT.png] DATASET_DIR...
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sftforge/sftforge/dataset"
	"github.com/sftforge/sftforge/report"
)

func main() {
	runs := flag.Int("runs", 5, "timed runs per directory (median)")
	png := flag.String("png", "", "write a full-page screenshot of the first directory's report.html here")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: report [-runs N] [-png OUT] DATASET_DIR...")
		os.Exit(2)
	}
	fmt.Printf("%-28s %8s %10s %12s %12s %7s\n", "dataset", "records", "html bytes", "render", "jsonl encode", "ratio")
	for _, dir := range flag.Args() {
		if err := measure(dir, *runs); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if *png != "" {
		if err := screenshot(filepath.Join(flag.Arg(0), "report.html"), *png); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func measure(dir string, runs int) error {
	recs, err := readRecords(filepath.Join(dir, "merged_dataset.jsonl"))
	if err != nil {
		return err
	}
	var st dataset.Statistics
	b, err := os.ReadFile(filepath.Join(dir, "statistics.json"))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	page, err := os.Stat(filepath.Join(dir, "report.html"))
	if err != nil {
		return err
	}
	render := func() error {
		var s report.Summary
		for i := range recs {
			rr := dataset.ReportRecord(&recs[i])
			s.Add(&rr)
		}
		return dataset.RenderReport(io.Discard, &s, st, dataset.WriteOptions{ResponseBudget: dataset.DefaultMaxResponseTokens})
	}
	encode := func() error {
		w := bufio.NewWriter(io.Discard)
		for i := range recs {
			line, err := json.Marshal(&recs[i])
			if err != nil {
				return err
			}
			w.Write(line)
			w.WriteByte('\n')
		}
		return w.Flush()
	}
	tr, err := median(runs, render)
	if err != nil {
		return err
	}
	te, err := median(runs, encode)
	if err != nil {
		return err
	}
	fmt.Printf("%-28s %8d %10d %12s %12s %7.2f\n", filepath.Base(dir), len(recs), page.Size(),
		tr.Round(time.Microsecond), te.Round(time.Microsecond), float64(tr)/float64(te))
	return nil
}

func median(runs int, f func() error) (time.Duration, error) {
	var ds []time.Duration
	for range max(runs, 1) {
		start := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}

func readRecords(path string) ([]dataset.MergedRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []dataset.MergedRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	for sc.Scan() {
		var r dataset.MergedRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		recs = append(recs, r)
	}
	return recs, sc.Err()
}

// screenshot writes a full-page PNG of page, 900 CSS pixels wide, with
// one example record shown (its texts cut short).
func screenshot(page, out string) error {
	abs, err := filepath.Abs(page)
	if err != nil {
		return err
	}
	bin := "chromium"
	if p, err := exec.LookPath(bin); err == nil {
		bin = p
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(900, 1200), chromedp.Flag("hide-scrollbars", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+abs), chromedp.WaitReady("main")); err != nil {
		return err
	}
	// The README shows the charts and the start of one example.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("article.example").forEach((a, i) => {
		if (i > 0) a.remove(); else a.querySelectorAll("pre").forEach(p => p.style.maxHeight = "90px");
	})`)); err != nil {
		return err
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return err
	}
	return os.WriteFile(out, png, 0o644)
}
