package redact

// Counts tallies findings by rule ID, for statistics.json. It marshals to
// a JSON object with sorted keys. It is not safe for concurrent use; give
// each worker its own and [Counts.Merge] them.
type Counts map[string]int

// Add counts findings, allocating the map if needed.
func (c *Counts) Add(findings []Finding) {
	if len(findings) == 0 {
		return
	}
	if *c == nil {
		*c = make(Counts)
	}
	for _, f := range findings {
		(*c)[f.RuleID]++
	}
}

// Merge adds the counts of other, allocating the map if needed.
func (c *Counts) Merge(other Counts) {
	if len(other) == 0 {
		return
	}
	if *c == nil {
		*c = make(Counts, len(other))
	}
	for id, n := range other {
		(*c)[id] += n
	}
}

// Total returns the number of findings counted.
func (c Counts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}
