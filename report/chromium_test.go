package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromium returns the path of a Chromium (or Chrome) binary, or skips
// the test saying how to get one.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no headless browser: install Chromium (Debian: apt-get install chromium) to render report.html; .ci/run installs it")
	return ""
}

// chartBox is what the browser reports of one chart.
type chartBox struct {
	ID     string  `json:"id"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	Shapes int     `json:"shapes"` // drawn marks: bars, cells, lines
	Empty  bool    `json:"empty"`  // "nothing to show"
}

// TestReportInChromium renders report.html in headless Chromium: every
// chart is laid out with a size and drawn marks, the examples are there
// as text (no markup of theirs became elements), and the page asks for
// nothing over the network.
func TestReportInChromium(t *testing.T) {
	bin := chromium(t)
	if testing.Short() {
		t.Skip("starts a browser")
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		s    *Summary
	}{
		{"full", testSummary()},
		{"empty", &Summary{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := filepath.Join(dir, tc.name+".html")
			f, err := os.Create(page)
			require.NoError(t, err)
			require.NoError(t, Render(f, tc.s, Options{Title: "paygate", ResponseBudget: 2000}))
			require.NoError(t, f.Close())

			opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
				chromedp.DisableGPU, chromedp.WindowSize(900, 1200), chromedp.UserDataDir(filepath.Join(dir, "profile-"+tc.name)))
			actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
			defer cancel()
			var mu sync.Mutex
			var requests []string
			ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
				mu.Lock()
				defer mu.Unlock()
				switch e := ev.(type) {
				case *network.EventRequestWillBeSent:
					requests = append(requests, e.Request.URL)
				case network.EventRequestWillBeSent:
					requests = append(requests, e.Request.URL)
				}
			}))
			defer cancel()
			ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
			defer cancel()

			require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("file://"+page), chromedp.WaitReady("main")))
			title, err := chromedp.Run(ctx, chromedp.Title())
			require.NoError(t, err)
			charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartBox](`Array.from(document.querySelectorAll("figure.chart")).map(f => {
				const svg = f.querySelector("svg");
				const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
				return {id: f.dataset.chart, width: r.width, height: r.height,
					shapes: svg ? svg.querySelectorAll("rect, line").length : 0,
					empty: !!(svg && svg.querySelector("text.none"))};
			})`))
			require.NoError(t, err)
			examples, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("article.example").length`))
			require.NoError(t, err)
			scripts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("script").length`))
			require.NoError(t, err)
			assert.Equal(t, "paygate — report", title)
			var ids []string
			for _, c := range charts {
				ids = append(ids, c.ID)
				assert.Greater(t, c.Width, 300.0, "chart %s width", c.ID)
				assert.Greater(t, c.Height, 20.0, "chart %s height", c.ID)
				if tc.name == "full" {
					assert.False(t, c.Empty, "chart %s has data", c.ID)
					assert.Positive(t, c.Shapes, "chart %s draws marks", c.ID)
				} else {
					assert.True(t, c.Empty, "chart %s says it has nothing to show", c.ID)
				}
			}
			assert.Equal(t, ChartIDs, ids, "every chart, in order")
			assert.Zero(t, scripts, "no script element (the examples' <script> text stays text)")
			if tc.name == "full" {
				assert.Equal(t, MaxExamples, examples)
			}
			mu.Lock()
			defer mu.Unlock()
			assert.NotEmpty(t, requests, "the listener sees the page's own request")
			for _, u := range requests {
				assert.True(t, strings.HasPrefix(u, "file://"), "request to %s", u)
			}
		})
	}
}
