package dedup

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// DefaultThreshold is the Jaccard similarity of word shingles from which
// two texts are near-duplicates, unless [NearOptions] says otherwise.
const DefaultThreshold = 0.85

// Defaults of [NearOptions].
const (
	DefaultShingleWords = 5
	DefaultHashes       = 128
)

// NearOptions configures near-duplicate detection: texts are cut into
// words (see [Words]), the words into overlapping shingles of
// ShingleWords words, and two texts are near-duplicates when the Jaccard
// similarity of their shingle sets is at least Threshold. MinHash
// signatures of Hashes values, compared in bands (locality-sensitive
// hashing), find the candidate pairs; each candidate pair is then
// compared exactly, so a pair reported is always above the threshold and
// a pair missed is one whose signatures share no band (rare above the
// threshold: see [NearOptions.Bands]).
type NearOptions struct {
	// Threshold is the Jaccard similarity from which texts are
	// near-duplicates, in (0, 1]; 0 means DefaultThreshold.
	Threshold float64
	// ShingleWords is the number of words of a shingle; 0 means
	// DefaultShingleWords. A text of fewer words is one shingle.
	ShingleWords int
	// Hashes is the length of a MinHash signature; 0 means
	// DefaultHashes.
	Hashes int
}

// withDefaults returns o with its zero fields set, or an error for a
// value out of range.
func (o NearOptions) withDefaults() (NearOptions, error) {
	if o.Threshold == 0 {
		o.Threshold = DefaultThreshold
	}
	if o.ShingleWords == 0 {
		o.ShingleWords = DefaultShingleWords
	}
	if o.Hashes == 0 {
		o.Hashes = DefaultHashes
	}
	switch {
	case !(o.Threshold > 0 && o.Threshold <= 1):
		return o, fmt.Errorf("dedup: threshold %v: want a similarity in (0, 1]", o.Threshold)
	case o.ShingleWords < 1:
		return o, fmt.Errorf("dedup: shingle of %d words: want 1 or more", o.ShingleWords)
	case o.Hashes < 1 || o.Hashes > 1024:
		return o, fmt.Errorf("dedup: %d hashes: want 1 to 1024", o.Hashes)
	}
	return o, nil
}

// Validate reports options out of range.
func (o NearOptions) Validate() error {
	_, err := o.withDefaults()
	return err
}

// Bands returns how signatures are cut for locality-sensitive hashing:
// bands of rows values each (bands*rows <= Hashes). Two texts become a
// candidate pair when their signatures agree on every value of one band,
// which happens with probability 1-(1-s^rows)^bands for texts of
// similarity s. Bands picks the longest bands (the fewest candidates
// below the threshold, each of which costs an exact comparison) that
// still find a pair at the threshold with probability 0.97 or more; above
// it the probability grows fast (0.85 with 128 hashes: 14 bands of 9,
// 0.975 at 0.85, 0.998 at 0.9; 2.7% of the pairs at 0.5 are compared).
func (o NearOptions) Bands() (bands, rows int) {
	o, err := o.withDefaults()
	if err != nil {
		return 1, 1
	}
	bands, rows = o.Hashes, 1
	for r := 2; r <= o.Hashes; r++ {
		b := o.Hashes / r
		if 1-math.Pow(1-math.Pow(o.Threshold, float64(r)), float64(b)) < 0.97 {
			break
		}
		bands, rows = b, r
	}
	return bands, rows
}

// Words returns the words of a text as shingles see them: maximal runs of
// letters and digits, lower-cased. Tokens that look like commit hashes
// (seven or more hex digits with at least one digit and one letter) are
// left out, so that texts naming different commits of the same change
// still match.
func Words(text string) []string {
	var words []string
	start := -1
	for i := 0; i <= len(text); {
		r, size := utf8.RuneError, 1
		if i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		word := i < len(text) && (unicode.IsLetter(r) || unicode.IsDigit(r))
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			if w := text[start:i]; !looksLikeHash(w) {
				words = append(words, strings.ToLower(w))
			}
			start = -1
		}
		i += size
	}
	return words
}

// looksLikeHash reports whether w is a hex commit hash or an abbreviation
// of one.
func looksLikeHash(w string) bool {
	if len(w) < 7 {
		return false
	}
	digit, letter := false, false
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case '0' <= c && c <= '9':
			digit = true
		case 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
			letter = true
		default:
			return false
		}
	}
	return digit && letter
}

// Shingles returns the set of a text's shingles as sorted, distinct
// 64-bit hashes: each run of n consecutive [Words] (n < 1 means
// DefaultShingleWords), or the whole text when it has fewer than n words.
// A text without words has none.
func Shingles(text string, n int) []uint64 {
	return sortedSet(shingleHashes(text, n))
}

// sortedSet sorts hashes and removes repeats, in place.
func sortedSet(hashes []uint64) []uint64 {
	slices.Sort(hashes)
	return slices.Compact(hashes)
}

// shingleHashes returns the hashes of a text's shingles (see [Shingles])
// in text order, repeats included: what a MinHash signature needs.
func shingleHashes(text string, n int) []uint64 {
	return shingleInPlace(appendWordHashes(nil, text), n)
}

// shingleInPlace turns the word hashes of a text (see appendWordHashes)
// into the hashes of its shingles of n words (n < 1 means
// DefaultShingleWords), in the same array: shingle i is written over word
// i once the words it needs are read.
func shingleInPlace(hashes []uint64, n int) []uint64 {
	if n < 1 {
		n = DefaultShingleWords
	}
	if len(hashes) == 0 {
		return hashes[:0]
	}
	k := min(n, len(hashes))
	for i := 0; i+k <= len(hashes); i++ {
		h := uint64(k)
		for _, w := range hashes[i : i+k] {
			h = mix64(h*0x9e3779b97f4a7c15 ^ w)
		}
		hashes[i] = h
	}
	return hashes[:len(hashes)-k+1]
}

// wordHashes returns fnv64 of each of [Words] of text (see
// appendWordHashes).
func wordHashes(text string) []uint64 { return appendWordHashes(nil, text) }

// appendWordHashes appends fnv64 of each of [Words] of text to hashes,
// without making the words: an ASCII word is lower-cased as it is hashed,
// a word with other characters goes through strings.ToLower as Words
// does. The words of texts joined by characters that are neither letters
// nor digits (white space) are those of each text in turn, so a text in
// parts is hashed part by part.
func appendWordHashes(hashes []uint64, text string) []uint64 {
	start, ascii := -1, true
	for i := 0; i <= len(text); {
		r, size := utf8.RuneError, 1
		word := false
		if i < len(text) {
			if c := text[i]; c < utf8.RuneSelf {
				r = rune(c)
				word = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
			} else {
				r, size = utf8.DecodeRuneInString(text[i:])
				word = unicode.IsLetter(r) || unicode.IsDigit(r)
			}
		}
		switch {
		case word && start < 0:
			start, ascii = i, r < utf8.RuneSelf
		case word:
			ascii = ascii && r < utf8.RuneSelf
		case !word && start >= 0:
			if w := text[start:i]; !looksLikeHash(w) {
				if ascii {
					hashes = append(hashes, fnv64Lower(w))
				} else {
					hashes = append(hashes, fnv64(strings.ToLower(w)))
				}
			}
			start = -1
		}
		i += size
	}
	return hashes
}

// fnv64Lower is fnv64 of an ASCII string lower-cased.
func fnv64Lower(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// Jaccard returns the Jaccard similarity of two sets of sorted, distinct
// values (as [Shingles] returns them): the size of their intersection
// over the size of their union; 0 when both are empty.
func Jaccard(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			inter++
			i++
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// Similarity returns the Jaccard similarity of the shingle sets of two
// texts under o (the exact measure that [NearOptions.Find] applies to
// candidate pairs).
func (o NearOptions) Similarity(a, b string) float64 {
	o, err := o.withDefaults()
	if err != nil {
		return 0
	}
	return Jaccard(Shingles(a, o.ShingleWords), Shingles(b, o.ShingleWords))
}

// Sketch is a text's MinHash signature cut into bands: one key per band.
// Texts that share a key (same band, same values) are candidate
// near-duplicates.
type Sketch struct {
	Bands []uint64
}

// Sketch returns the band keys of a text's signature under o; a text
// without words has none (it is never a near-duplicate).
func (o NearOptions) Sketch(text string) (Sketch, error) {
	o, err := o.withDefaults()
	if err != nil {
		return Sketch{}, err
	}
	return o.sketch(shingleHashes(text, o.ShingleWords)), nil
}

// sketch computes the band keys of a shingle set (repeats and order do
// not matter); o has its defaults.
func (o NearOptions) sketch(shingles []uint64) Sketch {
	if len(shingles) == 0 {
		return Sketch{}
	}
	bands, _ := o.Bands()
	return Sketch{Bands: o.sketchInto(make([]uint64, bands), shingles)}
}

// sketchInto is sketch writing the band keys into keys (of length
// bands, as Bands says), which it returns; shingles is not empty.
//
// Value i of the signature is the minimum of permA[i]*s+permB[i] over the
// shingles s. The minima are taken four hash functions at a time over all
// the shingles, in registers: the same values as taking each shingle in
// turn through every hash function (minHashes), with a quarter of the
// loads and no stores in the inner loop.
func (o NearOptions) sketchInto(keys, shingles []uint64) []uint64 {
	bands, rows := o.Bands()
	var buf [1024]uint64 // Hashes <= 1024
	sig := minHashes(buf[:bands*rows], shingles)
	for b := range keys[:bands] {
		h := uint64(b+1) * 0xff51afd7ed558ccd
		for _, v := range sig[b*rows : (b+1)*rows] {
			h = mix64(h ^ v)
		}
		keys[b] = h
	}
	return keys[:bands]
}

// minHashes sets sig[i] to the minimum of permA[i]*s+permB[i] over the
// shingles s (math.MaxUint64 when there are none) and returns sig;
// len(sig) <= 1024.
func minHashes(sig, shingles []uint64) []uint64 {
	pa, pb := permA[:len(sig)], permB[:len(sig)]
	i := 0
	for ; i+3 <= len(sig); i += 3 {
		sig[i], sig[i+1], sig[i+2] = minHashes3((*[3]uint64)(pa[i:]), (*[3]uint64)(pb[i:]), shingles)
	}
	for ; i < len(sig); i++ {
		a, b, m := pa[i], pb[i], uint64(math.MaxUint64)
		for _, s := range shingles {
			m = min(m, a*s+b)
		}
		sig[i] = m
	}
	return sig
}

// minHashes3 returns the minima of a[k]*s+b[k] over the shingles s for
// three hash functions k, kept in registers (three, not more: the
// coefficients, minima and loop fit in amd64's registers).
func minHashes3(a, b *[3]uint64, shingles []uint64) (m0, m1, m2 uint64) {
	a0, a1, a2 := a[0], a[1], a[2]
	b0, b1, b2 := b[0], b[1], b[2]
	m0, m1, m2 = math.MaxUint64, math.MaxUint64, math.MaxUint64
	for _, s := range shingles {
		// One multiply-add per hash function: s is a mixed 64-bit
		// hash, and the high bits of a*s+b (which decide the
		// minimum) depend on all of its bits.
		m0 = min(m0, a0*s+b0)
		m1 = min(m1, a1*s+b1)
		m2 = min(m2, a2*s+b2)
	}
	return m0, m1, m2
}

// permA and permB are the fixed coefficients of the hash functions of a
// signature (at most 1024), drawn from a fixed seed.
var permA, permB = func() (a, b [1024]uint64) {
	state := uint64(0x5f3759df_cafef00d)
	next := func() uint64 {
		state += 0x9e3779b97f4a7c15
		return mix64(state)
	}
	for i := range a {
		a[i] = next() | 1
		b[i] = next()
	}
	return a, b
}()

// mix64 is splitmix64's finaliser.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// fnv64 is FNV-1a over the bytes of s.
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// Match says whether a text is a near-duplicate of an earlier one.
type Match struct {
	// Of is the index of the earliest earlier text whose similarity is at
	// least the threshold, or -1.
	Of int
	// Similarity is the Jaccard similarity with text Of (0 when Of is -1).
	Similarity float64
}

// Find compares n texts, given in priority order (text(i) for i in
// [0, n); e.g. newest first), and returns for each whether an earlier
// text is a near-duplicate of it: the earliest earlier text that shares a
// band key with it and whose exact similarity is at least the threshold.
// A text that matches only texts that are themselves near-duplicates is
// still reported, so the result does not depend on the order in which
// pairs are examined (the distributed pipeline examines them by band).
// Keeping the texts whose Of is -1 keeps one of each group.
//
// Find holds the band keys of every text (Bands()×8 bytes each), not the
// texts: text(i) is called once per text and again for each candidate
// pair.
func (o NearOptions) Find(n int, text func(i int) string) ([]Match, error) {
	return o.FindFunc(n, text, nil)
}

// FindFunc is [NearOptions.Find] where accept, when not nil, also decides
// whether texts i and j (j < i) whose similarity reaches the threshold are
// near-duplicates: a caller that knows more than the texts (see
// [Opposite]) can refuse a pair.
//
// The texts are cut and sketched on every CPU, a batch at a time, and
// their candidate pairs compared likewise: text and accept may be called
// from several goroutines at once. The result is that of comparing the
// texts one by one in order.
func (o NearOptions) FindFunc(n int, text func(i int) string, accept func(i, j int) bool) ([]Match, error) {
	return o.find(n, func(i int, hashes []uint64) []uint64 { return appendWordHashes(hashes, text(i)) }, accept)
}

// FindPairs is [NearOptions.FindFunc] over texts in two parts (e.g. a
// record's prompt and response): text i is a and b joined by characters
// that are neither letters nor digits, such as "\n\n". The result is
// that of FindFunc with text(i) = a + "\n\n" + b; the joined texts are
// never made.
func (o NearOptions) FindPairs(n int, text func(i int) (a, b string), accept func(i, j int) bool) ([]Match, error) {
	return o.find(n, func(i int, hashes []uint64) []uint64 {
		a, b := text(i)
		return appendWordHashes(appendWordHashes(hashes, a), b)
	}, accept)
}

// find is FindFunc over the texts' word hashes: words(i, hashes) appends
// those of text i to hashes. What it holds per text (the band keys in
// buckets) has no pointers, and the buffers of a batch are reused by the
// next: the collector neither scans the one nor sees garbage from the
// other.
//
// A candidate pair is compared through hash sets of shingles (see
// shingleSet) rather than sorted sets: a text's shingles go into a set
// once, and each candidate's are looked up in it, with the same counts,
// so the same similarity, as [Jaccard] of the sorted sets.
func (o NearOptions) find(n int, words func(i int, hashes []uint64) []uint64, accept func(i, j int) bool) ([]Match, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	workers := runtime.GOMAXPROCS(0)
	bands, _ := o.Bands()
	// The texts sharing a band key: head[key] is 1 + the slot (text i's
	// band b is slot i*bands+b) of the last text with the key, and
	// next[slot] 1 + the slot of the one before it (0: none).
	head := newKeyHeads(n * bands) // at most; grown, it would leave its smaller tables behind
	next := make([]int32, n*bands)
	out := make([]Match, n)
	batch := min(max(findBatch, 8*workers), max(n, 1))
	sets := make([][]uint64, batch)     // the shingles of the batch's texts, in text order
	keys := make([]uint64, batch*bands) // the band keys of the batch's texts
	nKeys := make([]bool, batch)        // whether a text has band keys (words)
	cands := make([][]int32, batch)     // the earlier texts sharing a band, sorted
	// Each worker's scratch: the shingles of a text of an earlier batch,
	// and the sets of the texts compared.
	type scratch struct {
		other     []uint64
		own, seen shingleSet
	}
	scratches := make([]scratch, workers)
	// The texts of earlier batches that are candidates of more than one
	// of the batch's texts (sorted), and their shingles, made once per
	// batch; at most a batch of them (a bound on the memory).
	var shared []int32
	var sharedSets [][]uint64
	var far []int32 // scratch: the earlier batches' candidates
	shingles := func(i int, buf []uint64) []uint64 {
		return shingleInPlace(words(i, buf[:0]), o.ShingleWords)
	}
	for start := 0; start < n; start += batch {
		end := min(n, start+batch)
		parallel(end-start, workers, func(_, k int) {
			sets[k] = shingles(start+k, sets[k])
			if nKeys[k] = len(sets[k]) > 0; nKeys[k] {
				o.sketchInto(keys[k*bands:(k+1)*bands], sets[k])
			}
		})
		for k := range end - start {
			i := start + k
			out[i] = Match{Of: -1}
			cs := cands[k][:0]
			if nKeys[k] {
				for b, key := range keys[k*bands : (k+1)*bands] {
					h := head.of(key)
					for s := *h; s != 0; s = next[s-1] {
						cs = append(cs, (s-1)/int32(bands))
					}
					slot := int32(i*bands + b)
					next[slot] = *h
					*h = slot + 1
				}
			}
			if len(cs) > 1 {
				slices.Sort(cs)
				cs = slices.Compact(cs)
			}
			cands[k] = cs
		}
		far = far[:0]
		for k := range end - start {
			for _, j := range cands[k] {
				if int(j) < start {
					far = append(far, j)
				}
			}
		}
		slices.Sort(far)
		shared = shared[:0]
		for x := 0; x < len(far) && len(shared) < batch; {
			y := x + 1
			for y < len(far) && far[y] == far[x] {
				y++
			}
			if y-x > 1 {
				shared = append(shared, far[x])
			}
			x = y
		}
		for len(sharedSets) < len(shared) {
			sharedSets = append(sharedSets, nil)
		}
		parallel(len(shared), workers, func(_, x int) {
			sharedSets[x] = shingles(int(shared[x]), sharedSets[x])
		})
		parallel(end-start, workers, func(w, k int) {
			if len(cands[k]) == 0 {
				return
			}
			sc := &scratches[w]
			i := start + k
			sc.own.reset(len(sets[k]))
			nOwn := 0
			for _, h := range sets[k] {
				if sc.own.add(h) {
					nOwn++
				}
			}
			for _, j := range cands[k] {
				var other []uint64
				if int(j) >= start {
					other = sets[int(j)-start]
				} else if x, ok := slices.BinarySearch(shared, j); ok {
					other = sharedSets[x]
				} else {
					sc.other = shingles(int(j), sc.other)
					other = sc.other
				}
				// The Jaccard similarity of the two sets of distinct
				// shingles: |A∩B| / (|A|+|B|-|A∩B|), as Jaccard counts it.
				sc.seen.reset(len(other))
				nOther, inter := 0, 0
				for _, h := range other {
					if sc.seen.add(h) {
						nOther++
						if sc.own.has(h) {
							inter++
						}
					}
				}
				if s := float64(inter) / float64(nOwn+nOther-inter); s >= o.Threshold && (accept == nil || accept(i, int(j))) {
					out[i] = Match{Of: int(j), Similarity: s}
					break
				}
			}
		})
		for k := range cands {
			cands[k] = cands[k][:0]
		}
	}
	return out, nil
}

// keyHeads maps band keys to int32 values (find's head: 1 + the slot of
// the last text with the key), 0 for a key never set: open addressing in
// two arrays without pointers, sized once for all the keys, which a map
// of that size would cost more to make, fill and look up.
type keyHeads struct {
	keys []uint64
	vals []int32 // 0: an empty slot, as long as its key is not set
	mask uint64
}

// newKeyHeads returns a keyHeads for up to n keys (at most 70% full).
func newKeyHeads(n int) *keyHeads {
	size := 16
	for size*7 < n*10 {
		size *= 2
	}
	return &keyHeads{keys: make([]uint64, size), vals: make([]int32, size), mask: uint64(size - 1)}
}

// of returns the value of key, to read or set (a new key's is 0; setting
// it to a value other than 0 adds the key).
func (t *keyHeads) of(key uint64) *int32 {
	// Band keys are mixed (see sketchInto): their low bits are as good an
	// index as any.
	for p := key & t.mask; ; p = (p + 1) & t.mask {
		if t.vals[p] == 0 {
			t.keys[p] = key
			return &t.vals[p]
		}
		if t.keys[p] == key {
			return &t.vals[p]
		}
	}
}

// shingleSet is a set of shingle hashes for comparisons: open addressing
// in a table of at least twice as many slots as values, emptied in O(1)
// (a slot is in use when its stamp is the set's generation).
type shingleSet struct {
	keys   []uint64
	stamps []uint32
	gen    uint32
	mask   uint64
}

// reset empties the set for up to n values.
func (s *shingleSet) reset(n int) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	if size > len(s.keys) {
		s.keys, s.stamps, s.gen = make([]uint64, size), make([]uint32, size), 0
	}
	s.mask = uint64(size - 1)
	if s.gen++; s.gen == 0 { // wrapped: stamps of every earlier generation may repeat
		clear(s.stamps)
		s.gen = 1
	}
}

// add adds h and reports whether it was not in the set.
func (s *shingleSet) add(h uint64) bool {
	// Shingle hashes are mixed (see shingleInPlace): their low bits are
	// as good an index as any.
	for p := h & s.mask; ; p = (p + 1) & s.mask {
		if s.stamps[p] != s.gen {
			s.keys[p], s.stamps[p] = h, s.gen
			return true
		}
		if s.keys[p] == h {
			return false
		}
	}
}

// has reports whether h is in the set.
func (s *shingleSet) has(h uint64) bool {
	for p := h & s.mask; ; p = (p + 1) & s.mask {
		if s.stamps[p] != s.gen {
			return false
		}
		if s.keys[p] == h {
			return true
		}
	}
}

// findBatch is the number of texts FindFunc cuts and sketches at a time
// (at least 8 per CPU): it holds their shingles, not all the texts'. A
// variable for tests.
var findBatch = 1024

// parallel calls f(w, k) for k in [0, n) on up to workers goroutines,
// w in [0, workers) being the goroutine's number (no two calls with the
// same w run at once), and returns when all calls are over.
func parallel(n, workers int, f func(w, k int)) {
	if workers <= 1 || n <= 1 {
		for k := range n {
			f(0, k)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range min(workers, n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(w, i)
			}
		})
	}
	wg.Wait()
}
