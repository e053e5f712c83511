package report

import (
	"fmt"
	"html"
	"math"
	"sort"
	"strings"
)

// The charts are SVG drawn here: bars, stacked bars, histograms and a
// heatmap, each with <title> tooltips and text labels, sized by a viewBox
// so the page scales with the window.

const (
	chartWidth = 760
	labelWidth = 220 // left margin of horizontal bar charts
	barHeight  = 18
	barGap     = 4
)

// palette colours series (colour-blind safe, after Okabe and Ito).
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
	"#999999", "#882255", "#44AA99", "#117733"}

// esc escapes text for SVG and HTML.
func esc(s string) string { return html.EscapeString(s) }

// kv is one labelled count.
type kv struct {
	k string
	v int
}

// byCount returns m's entries by descending count, then name; at most n
// (0: all), the rest summed into "other" when more.
func byCount(m map[string]int, n int) []kv {
	out := make([]kv, 0, len(m))
	for k, v := range m {
		out = append(out, kv{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].v != out[j].v {
			return out[i].v > out[j].v
		}
		return out[i].k < out[j].k
	})
	if n > 0 && len(out) > n {
		rest := 0
		for _, e := range out[n-1:] {
			rest += e.v
		}
		out = append(out[:n-1], kv{fmt.Sprintf("other (%d)", len(out)-n+1), rest})
	}
	return out
}

// svgOpen starts an SVG of the given height.
func svgOpen(b *strings.Builder, id string, height int, label string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="plot" data-chart="%s" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`,
		id, chartWidth, height, chartWidth, height, esc(label))
}

// empty is a chart without data: a short text in place of the plot.
func empty(id, label string) string {
	var b strings.Builder
	svgOpen(&b, id, 40, label)
	b.WriteString(`<text x="10" y="25" class="none">nothing to show</text></svg>`)
	return b.String()
}

// hbars draws horizontal bars of counts, largest first.
func hbars(id, label string, m map[string]int, n int, color string) string {
	rows := byCount(m, n)
	if len(rows) == 0 {
		return empty(id, label)
	}
	max := rows[0].v
	for _, r := range rows {
		max = maxInt(max, r.v)
	}
	h := len(rows)*(barHeight+barGap) + 10
	var b strings.Builder
	svgOpen(&b, id, h, label)
	plot := float64(chartWidth - labelWidth - 60)
	for i, r := range rows {
		y := 5 + i*(barHeight+barGap)
		w := math.Max(1, plot*float64(r.v)/float64(maxInt(max, 1)))
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="label" text-anchor="end">%s</text>`, labelWidth-6, y+13, esc(short(r.k, 34)))
		fmt.Fprintf(&b, `<rect class="bar" x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s: %d</title></rect>`,
			labelWidth, y, w, barHeight, color, esc(r.k), r.v)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="value">%d</text>`, float64(labelWidth)+w+4, y+13, r.v)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// stacked draws one horizontal bar per row key, split by column key, from
// counts keyed "row\tcolumn", with a legend of the columns.
func stacked(id, label string, m map[string]int, maxRows int) string {
	rows, cols := map[string]int{}, map[string]int{}
	for k, v := range m {
		r, c, _ := strings.Cut(k, "\t")
		rows[r] += v
		cols[c] += v
	}
	rowOrder := byCount(rows, 0)
	if len(rowOrder) > maxRows {
		rowOrder = rowOrder[:maxRows]
	}
	colOrder := byCount(cols, 0)
	if len(rowOrder) == 0 {
		return empty(id, label)
	}
	colour := map[string]string{}
	for i, c := range colOrder {
		colour[c.k] = palette[i%len(palette)]
	}
	legendRows := (len(colOrder) + 4) / 5
	h := len(rowOrder)*(barHeight+barGap) + 16 + legendRows*18
	var b strings.Builder
	svgOpen(&b, id, h, label)
	plot := float64(chartWidth - labelWidth - 60)
	max := rowOrder[0].v
	for i, r := range rowOrder {
		y := 5 + i*(barHeight+barGap)
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="label" text-anchor="end">%s</text>`, labelWidth-6, y+13, esc(short(r.k, 34)))
		x := float64(labelWidth)
		for _, c := range colOrder {
			v := m[r.k+"\t"+c.k]
			if v == 0 {
				continue
			}
			w := plot * float64(v) / float64(max)
			fmt.Fprintf(&b, `<rect class="bar" x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s, %s: %d</title></rect>`,
				x, y, w, barHeight, colour[c.k], esc(r.k), esc(c.k), v)
			x += w
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="value">%d</text>`, x+4, y+13, r.v)
	}
	ly := len(rowOrder)*(barHeight+barGap) + 14
	for i, c := range colOrder {
		x, y := 10+(i%5)*150, ly+(i/5)*18
		fmt.Fprintf(&b, `<rect class="key" x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d" class="legend">%s (%d)</text>`,
			x, y, colour[c.k], x+16, y+10, esc(short(c.k, 18)), c.v)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// heatmap draws how many records hold both layers of each pair of the n
// most frequent layers (the diagonal: the layer's own count).
func heatmap(id, label string, layers, pairs map[string]int, n int) string {
	top := byCount(layers, 0)
	if len(top) > n {
		top = top[:n]
	}
	if len(top) == 0 {
		return empty(id, label)
	}
	count := func(a, b string) int {
		if a == b {
			return layers[a]
		}
		if a > b {
			a, b = b, a
		}
		return pairs[a+"\t"+b]
	}
	max := 1
	for _, l := range top {
		max = maxInt(max, l.v)
	}
	cell := minInt(28, (chartWidth-labelWidth-70)/len(top)) // room for the last column label
	top2 := 120                                             // room for the column labels
	h := top2 + cell*len(top) + 10
	var b strings.Builder
	svgOpen(&b, id, h, label)
	for j, c := range top {
		x := labelWidth + j*cell + cell/2
		fmt.Fprintf(&b, `<text class="label" transform="translate(%d,%d) rotate(-60)">%s</text>`, x+4, top2-4, esc(short(c.k, 22)))
	}
	for i, r := range top {
		y := top2 + i*cell
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="label" text-anchor="end">%s</text>`, labelWidth-6, y+cell/2+4, esc(short(r.k, 34)))
		for j, c := range top {
			v := count(r.k, c.k)
			// Square root scale: pairs are much rarer than layers.
			t := math.Sqrt(float64(v) / float64(max))
			fmt.Fprintf(&b, `<rect class="cell" x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s + %s: %d</title></rect>`,
				labelWidth+j*cell, y, cell-1, cell-1, blue(t), esc(r.k), esc(c.k), v)
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// blue is a colour from white (0) to dark blue (1).
func blue(t float64) string {
	t = math.Max(0, math.Min(1, t))
	r := int(247 - t*(247-8))
	g := int(251 - t*(251-48))
	bl := int(255 - t*(255-107))
	return fmt.Sprintf("#%02x%02x%02x", r, g, bl)
}

// timeline draws records per month, from the first month to the last.
func timeline(id, label string, months map[string]int) string {
	if len(months) == 0 {
		return empty(id, label)
	}
	keys := make([]string, 0, len(months))
	for k := range months {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	all := monthRange(keys[0], keys[len(keys)-1])
	if all == nil {
		all = keys
	}
	max := 1
	for _, k := range all {
		max = maxInt(max, months[k])
	}
	const h, left, bottom = 220, 50, 40
	plotH := float64(h - bottom - 10)
	bw := float64(chartWidth-left-10) / float64(len(all))
	var b strings.Builder
	svgOpen(&b, id, h, label)
	axes(&b, left, h-bottom, max, plotH)
	step := int(math.Ceil(float64(len(all)) / 12))
	for i, k := range all {
		v := months[k]
		x := float64(left) + float64(i)*bw
		bh := plotH * float64(v) / float64(max)
		fmt.Fprintf(&b, `<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %d</title></rect>`,
			x+bw*0.1, float64(h-bottom)-bh, math.Max(bw*0.8, 0.5), bh, palette[0], k, v)
		if i%step == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="tick" text-anchor="middle">%s</text>`, x+bw/2, h-bottom+16, k)
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// monthRange lists the months from a to b ("YYYY-MM"), nil when they do
// not parse or span more than 100 years.
func monthRange(a, b string) []string {
	var ya, ma, yb, mb int
	if _, err := fmt.Sscanf(a, "%4d-%2d", &ya, &ma); err != nil {
		return nil
	}
	if _, err := fmt.Sscanf(b, "%4d-%2d", &yb, &mb); err != nil {
		return nil
	}
	n := (yb-ya)*12 + mb - ma
	if n < 0 || n > 1200 {
		return nil
	}
	out := make([]string, 0, n+1)
	for i := 0; i <= n; i++ {
		m := ma - 1 + i
		out = append(out, fmt.Sprintf("%04d-%02d", ya+m/12, m%12+1))
	}
	return out
}

// axes draws a y axis with a few ticks and the x axis line.
func axes(b *strings.Builder, left, base, max int, plotH float64) {
	fmt.Fprintf(b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`, left, base, chartWidth-10, base)
	for _, t := range ticks(max) {
		y := float64(base) - plotH*float64(t)/float64(max)
		fmt.Fprintf(b, `<line class="grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/><text x="%d" y="%.1f" class="tick" text-anchor="end">%d</text>`,
			left, y, chartWidth-10, y, left-4, y+4, t)
	}
}

// ticks returns up to five round values from 0 to max.
func ticks(max int) []int {
	if max <= 0 {
		return []int{0}
	}
	step := niceStep(float64(max) / 4)
	var out []int
	for v := 0; v <= max; v += step {
		out = append(out, v)
	}
	return out
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten (at least 1).
func niceStep(x float64) int {
	if x <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return int(m * p)
		}
	}
	return int(10 * p)
}

// histogram draws the distribution of values in about 30 bins of a round
// width, with the budget (when above 0) marked by a red line.
func histogram(id, label string, values []int, budget int, color string) string {
	if len(values) == 0 {
		return empty(id, label)
	}
	hi := budget
	for _, v := range values {
		hi = maxInt(hi, v)
	}
	width := niceStep(float64(hi+1) / 30)
	bins := make([]int, hi/width+1)
	over := 0
	for _, v := range values {
		bins[maxInt(v, 0)/width]++
		if budget > 0 && v > budget {
			over++
		}
	}
	max := 1
	for _, c := range bins {
		max = maxInt(max, c)
	}
	const h, left, bottom = 220, 50, 40
	plotH := float64(h - bottom - 10)
	span := float64(len(bins) * width)
	scale := float64(chartWidth-left-10) / span
	var b strings.Builder
	svgOpen(&b, id, h, label)
	axes(&b, left, h-bottom, max, plotH)
	for i, c := range bins {
		if c == 0 {
			continue
		}
		x := float64(left) + float64(i*width)*scale
		bh := plotH * float64(c) / float64(max)
		fmt.Fprintf(&b, `<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%d–%d tokens: %d</title></rect>`,
			x, float64(h-bottom)-bh, math.Max(float64(width)*scale-1, 0.5), bh, color, i*width, (i+1)*width-1, c)
	}
	for _, t := range ticks(len(bins) * width) {
		x := float64(left) + float64(t)*scale
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="tick" text-anchor="middle">%d</text>`, x, h-bottom+16, t)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" class="tick" text-anchor="end">tokens</text>`, chartWidth-10, h-6)
	if budget > 0 {
		x := float64(left) + float64(budget)*scale
		fmt.Fprintf(&b, `<line class="budget" x1="%.1f" y1="5" x2="%.1f" y2="%d"><title>budget: %d tokens</title></line>`, x, x, h-bottom, budget)
		fmt.Fprintf(&b, `<text x="%.1f" y="16" class="budget-label" text-anchor="end">budget %d (%d over)</text>`, x-4, budget, over)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// short cuts a label to n runes with an ellipsis.
func short(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}
