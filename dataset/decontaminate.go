package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Reasons records are dropped by [MergeOptions.Exclude],
// [MergeOptions.Benchmark] and [FilterOptions.Licenses], as counted in
// statistics.json.
const (
	DropExcluded     = "excluded"            // its PR, a linked issue or a commit is in the exclude list
	DropContaminated = "contaminated"        // its prompt shares an n-gram with a benchmark text
	DropLicense      = "license_not_allowed" // its licence does not satisfy --licenses
)

// ExcludeList lists PRs, issues and commits whose records are left out of
// the dataset (--exclude): for instance those a benchmark is built from.
type ExcludeList struct {
	refs map[string]bool // "owner/repo#N", lower case
	shas []string        // lower-case hex, 7 to 40 digits
}

var (
	excludeRef = regexp.MustCompile(`^([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+)#([0-9]+)$`)
	hexSHA     = regexp.MustCompile(`^[0-9a-fA-F]{7,40}$`)
	webRef     = regexp.MustCompile(`^/(.+)/(pull|pulls|issues|commit|merge_requests|-/merge_requests|-/issues|-/commit)/([0-9A-Za-z]+)/?$`)
)

// ReadExcludeList reads an exclude list file: one entry a line, a PR or
// an issue as "owner/repo#N" or its URL (https://github.com/owner/repo/pull/N,
// …/issues/N), a commit as its SHA (7 to 40 hex digits) or its URL
// (…/commit/SHA). Blank lines and lines starting with "#" are ignored. A
// line that is none of these is an error naming the file and the line.
func ReadExcludeList(path string) (*ExcludeList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: exclude list: %w", err)
	}
	defer f.Close()
	return ParseExcludeList(f, path)
}

// ParseExcludeList reads an exclude list (see [ReadExcludeList]) from r;
// name names it in errors.
func ParseExcludeList(r io.Reader, name string) (*ExcludeList, error) {
	l := &ExcludeList{refs: map[string]bool{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := l.add(line); err != nil {
			return nil, fmt.Errorf("dataset: %s:%d: %w", name, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("dataset: %s: %w", name, err)
	}
	return l, nil
}

func (l *ExcludeList) add(entry string) error {
	if m := excludeRef.FindStringSubmatch(entry); m != nil {
		l.refs[strings.ToLower(m[1]+"#"+strings.TrimLeft(m[2], "0"))] = true
		return nil
	}
	if hexSHA.MatchString(entry) {
		l.shas = append(l.shas, strings.ToLower(entry))
		return nil
	}
	if u, err := url.Parse(entry); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		if m := webRef.FindStringSubmatch(u.Path); m != nil {
			repo := strings.TrimSuffix(m[1], "/-")
			if strings.Contains(m[2], "commit") {
				if hexSHA.MatchString(m[3]) {
					l.shas = append(l.shas, strings.ToLower(m[3]))
					return nil
				}
			} else if n, err := strconv.Atoi(m[3]); err == nil && n > 0 && strings.Contains(repo, "/") {
				l.refs[strings.ToLower(repo+"#"+strconv.Itoa(n))] = true
				return nil
			}
		}
	}
	return fmt.Errorf("%q: want owner/repo#N, a commit SHA (7 to 40 hex digits) or a PR, issue or commit URL", entry)
}

// Len is the number of entries.
func (l *ExcludeList) Len() int { return len(l.refs) + len(l.shas) }

// Match reports whether a record's PR, one of its linked issues (of the
// same repository) or one of its commits is listed.
func (l *ExcludeList) Match(md *MergedMetadata) bool {
	if l == nil {
		return false
	}
	repo := strings.ToLower(md.Repo)
	if md.PRNumber > 0 && l.refs[repo+"#"+strconv.Itoa(md.PRNumber)] {
		return true
	}
	for _, n := range md.LinkedIssues {
		if l.refs[repo+"#"+strconv.Itoa(n)] {
			return true
		}
	}
	for _, sha := range l.shas {
		for _, c := range append([]string{md.MergeCommit}, md.Commits...) {
			if c != "" && strings.HasPrefix(strings.ToLower(c), sha) {
				return true
			}
		}
	}
	return false
}

// DefaultDecontaminateNGram is the default n-gram length of
// decontamination (--decontaminate-ngram), in words: 13, as GPT-3's and
// most later benchmark decontaminations use.
const DefaultDecontaminateNGram = 13

// DefaultBenchmarkFields are the fields of a benchmark record read by
// default (--decontaminate-field): SWE-bench's problem statement, or a
// plain text.
var DefaultBenchmarkFields = []string{"problem_statement", "text"}

// Benchmark holds the word n-grams of a benchmark's texts; a prompt that
// shares one with them is contaminated (--decontaminate).
type Benchmark struct {
	n     int
	grams map[uint64]struct{}
	texts int
}

// ReadBenchmark reads a JSONL benchmark file: each line a JSON object whose
// first present field of fields (default [DefaultBenchmarkFields]) is the
// text; its word n-grams (n words, default [DefaultDecontaminateNGram])
// are kept. A line that is not a JSON object, or has none of the fields as
// a string, is an error naming the file and the line; blank lines are
// skipped. Texts shorter than n words have no n-gram and never match.
func ReadBenchmark(path string, fields []string, n int) (*Benchmark, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: benchmark: %w", err)
	}
	defer f.Close()
	return ParseBenchmark(f, path, fields, n)
}

// ParseBenchmark reads a benchmark (see [ReadBenchmark]) from r; name
// names it in errors.
func ParseBenchmark(r io.Reader, name string, fields []string, n int) (*Benchmark, error) {
	if n <= 0 {
		n = DefaultDecontaminateNGram
	}
	if len(fields) == 0 {
		fields = DefaultBenchmarkFields
	}
	b := &Benchmark{n: n, grams: map[uint64]struct{}{}}
	br := bufio.NewReaderSize(r, 1<<20)
	for line := 1; ; line++ {
		data, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(data)) > 0 {
			var obj map[string]json.RawMessage
			if jerr := json.Unmarshal(data, &obj); jerr != nil || obj == nil {
				return nil, fmt.Errorf("dataset: %s:%d: not a JSON object", name, line)
			}
			text, ok := "", false
			for _, f := range fields {
				if raw, present := obj[f]; present {
					if jerr := json.Unmarshal(raw, &text); jerr != nil {
						return nil, fmt.Errorf("dataset: %s:%d: field %q is not a string", name, line, f)
					}
					ok = true
					break
				}
			}
			if !ok {
				return nil, fmt.Errorf("dataset: %s:%d: none of the text fields %s", name, line, strings.Join(fields, ", "))
			}
			b.texts++
			for _, h := range ngrams(text, n) {
				b.grams[h] = struct{}{}
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("dataset: %s:%d: %w", name, line, err)
		}
	}
	if b.texts == 0 {
		return nil, fmt.Errorf("dataset: %s: no benchmark records", name)
	}
	return b, nil
}

// Texts is the number of benchmark texts read.
func (b *Benchmark) Texts() int { return b.texts }

// NGrams is the number of distinct n-grams of the benchmark's texts.
func (b *Benchmark) NGrams() int { return len(b.grams) }

// Contaminated reports whether text shares an n-gram with the benchmark.
func (b *Benchmark) Contaminated(text string) bool {
	if b == nil {
		return false
	}
	return slices.ContainsFunc(ngrams(text, b.n), func(h uint64) bool {
		_, ok := b.grams[h]
		return ok
	})
}

// ngrams returns the hashes of the n-word windows of text: words are runs
// of letters and digits, compared in lower case, so punctuation, case and
// markup do not hide a copy. Each word is hashed once (FNV-1a) and the
// windows' hashes roll over the words' (a polynomial hash modulo 2^64), so
// the cost is linear in the text whatever n.
func ngrams(text string, n int) []uint64 {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) < n {
		return nil
	}
	const prime = 1099511628211 // FNV's 64-bit prime, odd: multiplication is invertible mod 2^64
	top := uint64(1)            // prime^(n-1)
	for range n - 1 {
		top *= prime
	}
	wordHash := func(w string) uint64 {
		h := uint64(14695981039346656037)
		for i := 0; i < len(w); i++ {
			h ^= uint64(w[i])
			h *= prime
		}
		return h
	}
	hashes := make([]uint64, len(words))
	for i, w := range words {
		hashes[i] = wordHash(w)
	}
	out := make([]uint64, 0, len(words)-n+1)
	var h uint64
	for i, wh := range hashes {
		if i >= n {
			h -= hashes[i-n] * top
		}
		h = h*prime + wh
		if i >= n-1 {
			out = append(out, h)
		}
	}
	return out
}
