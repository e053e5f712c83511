package dataset

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/pkoukk/tiktoken-go"
	tiktokenloader "github.com/pkoukk/tiktoken-go-loader"
)

// TokenEncoding is the tiktoken encoding used for token counts.
const TokenEncoding = "cl100k_base"

// cl100k_base's BPE file (its name picks the ranks embedded in
// tiktoken-go-loader), special tokens and pre-tokenizer pattern, as
// tiktoken-go defines them.
const (
	cl100kFile    = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
	cl100kPattern = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
)

// tokenEncoder builds the cl100k_base encoder once, from the ranks
// embedded in tiktoken-go-loader, without tiktoken-go's package-level
// loader and encoding cache (tiktoken.SetBpeLoader and GetEncoding change
// a global the rest of the program shares and serialize on its mutex).
// The encoder is safe for concurrent use: encoding reads its tables, and
// regexp2's matcher takes its own lock.
func tokenEncoder() (*tiktoken.Tiktoken, error) {
	t, err := loadTokenTables()
	if err != nil {
		return nil, err
	}
	return t.enc, nil
}

// tokenTables are the cl100k_base encoder and its ranks (token bytes to
// rank), which the ASCII counter (asciiTokens) reads.
type tokenTables struct {
	enc   *tiktoken.Tiktoken
	ranks map[string]int
}

// loadTokenTables builds the tables of tokenEncoder once.
var loadTokenTables = sync.OnceValues(func() (*tokenTables, error) {
	ranks, err := tiktokenloader.NewOfflineLoader().LoadTiktokenBpe(cl100kFile)
	if err != nil {
		return nil, fmt.Errorf("dataset: load %s token encoding: %w", TokenEncoding, err)
	}
	special := map[string]int{tiktoken.ENDOFTEXT: 100257, tiktoken.FIM_PREFIX: 100258, tiktoken.FIM_MIDDLE: 100259,
		tiktoken.FIM_SUFFIX: 100260, tiktoken.ENDOFPROMPT: 100276}
	bpe, err := tiktoken.NewCoreBPE(ranks, special, cl100kPattern)
	if err != nil {
		return nil, fmt.Errorf("dataset: load %s token encoding: %w", TokenEncoding, err)
	}
	set := make(map[string]any, len(special))
	for k := range special {
		set[k] = true
	}
	enc := &tiktoken.Encoding{Name: TokenEncoding, PatStr: cl100kPattern, MergeableRanks: ranks, SpecialTokens: special}
	return &tokenTables{enc: tiktoken.NewTiktoken(bpe, enc, set), ranks: ranks}, nil
})

// encodedLen returns len(enc.EncodeOrdinary(text)): by asciiTokens when
// text is plain ASCII, else by the encoder.
func encodedLen(enc *tiktoken.Tiktoken, text string) int {
	if t, err := loadTokenTables(); err == nil && t.enc == enc {
		if n, ok := asciiTokens(t.ranks, text); ok {
			return n
		}
	}
	return len(enc.EncodeOrdinary(text))
}

// asciiTokens counts the cl100k_base tokens of text as the encoder does
// (the same pieces as its pre-tokenizer, cl100kPattern, and the same
// byte-pair merges), without the backtracking regexp, when text is
// printable ASCII, tabs, line feeds and carriage returns only; ok is
// false otherwise (other bytes are left to the encoder, whose Unicode
// classes this does not reproduce).
//
// At each position the pattern's alternatives are tried in order, as the
// regexp does: a contraction ('s 't 're 've 'm 'll 'd, any case); an
// optional character that is not a letter, digit or line break, then
// letters; one to three digits; an optional space, then characters that
// are not white space, letters or digits, then line breaks; white space
// up to its last line break; white space not followed by a non-space
// (all of a run that ends the text, else all but its last character);
// white space.
func asciiTokens(ranks map[string]int, text string) (n int, ok bool) {
	for i := 0; i < len(text); i++ {
		if c := text[i]; (c < 0x20 || c > 0x7e) && c != '\t' && c != '\n' && c != '\r' {
			return 0, false
		}
	}
	for i := 0; i < len(text); {
		j := asciiPiece(text, i)
		n += pieceTokens(ranks, text[i:j])
		i = j
	}
	return n, true
}

// ASCII classes of cl100kPattern: \p{L}, \p{N}, \s and [\r\n].
func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isASCIIDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isASCIISpace(c byte) bool  { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isLineBreak(c byte) bool   { return c == '\n' || c == '\r' }

// isASCIIOther reports whether c is none of a letter, a digit and white
// space ([^\s\p{L}\p{N}]).
func isASCIIOther(c byte) bool { return !isASCIILetter(c) && !isASCIIDigit(c) && !isASCIISpace(c) }

// asciiPiece returns the end of the pre-tokenizer's piece that starts at
// i < len(text) in an ASCII text (see asciiTokens).
func asciiPiece(text string, i int) int {
	c := text[i]
	letters := func(j int) int {
		for j < len(text) && isASCIILetter(text[j]) {
			j++
		}
		return j
	}
	// (?i:'s|'t|'re|'ve|'m|'ll|'d)
	if c == '\'' && i+1 < len(text) {
		switch c1 := text[i+1] | 0x20; c1 {
		case 's', 't', 'm', 'd':
			return i + 2
		case 'r', 'v', 'l':
			want := byte('e')
			if c1 == 'l' {
				want = 'l'
			}
			if i+2 < len(text) && text[i+2]|0x20 == want && isASCIILetter(text[i+2]) {
				return i + 3
			}
		}
	}
	// [^\r\n\p{L}\p{N}]?\p{L}+
	if isASCIILetter(c) {
		return letters(i + 1)
	}
	if !isLineBreak(c) && !isASCIIDigit(c) && i+1 < len(text) && isASCIILetter(text[i+1]) {
		return letters(i + 2)
	}
	// \p{N}{1,3}
	if isASCIIDigit(c) {
		j := i + 1
		for j < len(text) && j < i+3 && isASCIIDigit(text[j]) {
			j++
		}
		return j
	}
	//  ?[^\s\p{L}\p{N}]+[\r\n]*
	k := i
	if c == ' ' && i+1 < len(text) && isASCIIOther(text[i+1]) {
		k = i + 1
	}
	if isASCIIOther(text[k]) {
		j := k + 1
		for j < len(text) && isASCIIOther(text[j]) {
			j++
		}
		for j < len(text) && isLineBreak(text[j]) {
			j++
		}
		return j
	}
	// c is white space: the run it starts.
	j := i + 1
	for j < len(text) && isASCIISpace(text[j]) {
		j++
	}
	// \s*[\r\n]+: up to the run's last line break.
	for k := j - 1; k >= i; k-- {
		if isLineBreak(text[k]) {
			return k + 1
		}
	}
	// \s+(?!\S), else \s+.
	if j < len(text) && j-1 > i {
		return j - 1
	}
	return j
}

// pieceTokens counts the tokens of one piece of the pre-tokenizer: one
// when it is a token, else the parts left by tiktoken's byte-pair merge
// (the lowest-ranked adjacent pair merged first, the leftmost of equal
// ranks).
func pieceTokens(ranks map[string]int, piece string) int {
	if _, ok := ranks[piece]; ok || len(piece) <= 1 {
		return min(len(piece), 1)
	}
	const none = math.MaxInt
	// starts[p] is where part p begins; rank[p] the rank of parts p and
	// p+1 merged (none when that is no token).
	var buf [2][64]int
	starts, rank := buf[0][:0], buf[1][:0]
	if len(piece) >= len(buf[0]) {
		starts, rank = make([]int, 0, len(piece)+1), make([]int, 0, len(piece)+1)
	}
	for p := 0; p <= len(piece); p++ {
		starts = append(starts, p)
	}
	rank = rank[:len(starts)]
	get := func(p, skip int) int {
		if p+skip+2 < len(starts) {
			if r, ok := ranks[piece[starts[p]:starts[p+skip+2]]]; ok {
				return r
			}
		}
		return none
	}
	for p := range rank {
		rank[p] = get(p, 0)
	}
	for len(starts) > 1 {
		minRank, at := none, -1
		for p := 0; p < len(starts)-1; p++ {
			if rank[p] < minRank {
				minRank, at = rank[p], p
			}
		}
		if at < 0 {
			break
		}
		rank[at] = get(at, 1)
		if at > 0 {
			rank[at-1] = get(at-1, 1)
		}
		starts = append(starts[:at+1], starts[at+2:]...)
		rank = append(rank[:at+1], rank[at+2:]...)
	}
	return len(starts) - 1
}

// Chunking bounds of CountTokens. tiktoken-go's pre-tokenizer (a
// backtracking regexp) and its byte-pair merge cost more than linear time
// in the length of one piece (a 40 KB run of letters or spaces took 8 s, a
// 160 KB one 90 s), so text is encoded in chunks.
const (
	// tokenChunk is the most bytes encoded in one call.
	tokenChunk = 4 << 10
	// tokenRun is the longest stretch encoded without a safe split point;
	// a longer one (a base64 blob, a line of '=', text without spaces) is
	// cut every tokenRun bytes, at a rune boundary.
	tokenRun = 256
	// tokenParallel is the length above which chunks are counted on
	// every CPU.
	tokenParallel = 256 << 10
)

// CountTokens returns the number of cl100k_base tokens in text. The BPE
// ranks are loaded from the files embedded in tiktoken-go-loader: nothing
// is downloaded at run time.
//
// The time is linear in len(text): text is encoded in chunks of at most
// 4 KB that end before a space followed by a non-space character (where
// cl100k_base's pre-tokenizer always starts a new piece, so the count is
// exact), and a stretch of more than 256 bytes without such a space is cut
// every 256 bytes, which may change the count by at most about two tokens
// per cut (measured against one-call encoding: exact on commit messages,
// Rust code and prose; +0.1% on base64, +0.4% on CJK without spaces, +1.2%
// on minified JSON, +2.3% on one word repeated). Long texts are counted on
// every CPU.
func CountTokens(text string) (int, error) {
	tokenEnc, err := tokenEncoder()
	if err != nil {
		return 0, err
	}
	if len(text) <= tokenParallel {
		return countSegments(tokenEnc, text), nil
	}
	// A long text: its chunks are counted on every CPU.
	var chunks []string
	for len(text) > 0 {
		n := nextTokenChunk(text)
		chunks = append(chunks, text[:n])
		text = text[n:]
	}
	var next, total atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(chunks)) {
		wg.Go(func() {
			sum := 0
			for i := next.Add(1) - 1; i < int64(len(chunks)); i = next.Add(1) - 1 {
				sum += encodedLen(tokenEnc, chunks[i])
			}
			total.Add(int64(sum))
		})
	}
	wg.Wait()
	return int(total.Load()), nil
}

// countChunked counts text chunk by chunk (see nextTokenChunk), as
// CountTokens did before it memoised segments: the reference of
// countSegments.
func countChunked(enc *tiktoken.Tiktoken, text string) int {
	total := 0
	for len(text) > 0 {
		n := nextTokenChunk(text)
		total += len(enc.EncodeOrdinary(text[:n]))
		text = text[n:]
	}
	return total
}

// tokenMemo caches the token counts of short segments. The texts counted
// (responses above all) are made of the same words again and again (kinds,
// visibilities, paths, identifiers), and the pre-tokenizer, a backtracking
// regexp, costs far more than a map lookup. A text's segments are looked
// up under one read lock, and those missing added under one write lock:
// the merge's workers count at the same time, and a lock per segment
// cost them more than the lookups.
var tokenMemo = struct {
	sync.RWMutex
	counts map[string]int32
}{counts: map[string]int32{}}

// Bounds of tokenMemo: a segment is at most tokenRun bytes, and the memo
// starts afresh past tokenMemoEntries (at most 32 MiB of keys; a few MiB
// on real responses).
const (
	tokenMemoKey     = tokenRun
	tokenMemoEntries = 1 << 17
)

// countSegments counts text segment by segment, each from one safe split
// point to the next (see nextTokenSegment), with their counts memoised:
// the same count as countChunked, as the segments end at the same forced
// cuts and otherwise only at safe points.
func countSegments(enc *tiktoken.Tiktoken, text string) int {
	total := 0
	var buf [16]string
	missed := buf[:0] // the segments the memo lacks, counted after the lookups
	tokenMemo.RLock()
	for len(text) > 0 {
		n := nextTokenSegment(text)
		seg := text[:n]
		text = text[n:]
		if n > tokenMemoKey {
			missed = append(missed, seg)
			continue
		}
		if c, ok := tokenMemo.counts[seg]; ok {
			total += int(c)
		} else {
			missed = append(missed, seg)
		}
	}
	tokenMemo.RUnlock()
	if len(missed) == 0 {
		return total
	}
	var cbuf [16]int32
	counts := cbuf[:0]
	for _, seg := range missed {
		c := int32(encodedLen(enc, seg))
		counts = append(counts, c)
		total += int(c)
	}
	tokenMemo.Lock()
	for i, seg := range missed {
		if len(seg) > tokenMemoKey {
			continue
		}
		if len(tokenMemo.counts) >= tokenMemoEntries {
			tokenMemo.counts = map[string]int32{}
		}
		if _, ok := tokenMemo.counts[seg]; !ok {
			tokenMemo.counts[strings.Clone(seg)] = counts[i]
		}
	}
	tokenMemo.Unlock()
	return total
}

// nextTokenSegment returns the length of the next segment of text: up to
// its first safe split point after its start, or, when there is none
// within tokenRun bytes, tokenRun bytes cut at a rune start (the forced
// cut nextTokenChunk makes there too).
func nextTokenSegment(text string) int {
	for i := 1; i < len(text); i++ {
		if i > tokenRun {
			return runeStart(text, tokenRun)
		}
		if text[i] == ' ' && safeSplit(text, i) {
			return i
		}
	}
	return len(text)
}

// nextTokenChunk returns the length of the next chunk of text to encode:
// all of it when short, else up to the last safe split point within
// tokenChunk bytes, or tokenRun bytes (cut at a rune start) when the text
// starts with a longer stretch without one.
func nextTokenChunk(text string) int {
	if len(text) <= tokenRun {
		return len(text)
	}
	last := 0 // last safe split point found
	for i := 1; i < len(text) && i <= tokenChunk; i++ {
		if i-last > tokenRun {
			if last > 0 {
				return last
			}
			return runeStart(text, tokenRun)
		}
		if text[i] == ' ' && safeSplit(text, i) {
			last = i
		}
	}
	if len(text) <= tokenChunk {
		return len(text)
	}
	return last // > 0: the loop returns when a stretch is longer than tokenRun < tokenChunk
}

// safeSplit reports whether text may be cut before the space at i: the
// character after it is not white space, so cl100k_base's pre-tokenizer
// starts a piece with that space (" word", " (", or a lone " " before
// digits) and ends the one before it there, whatever precedes (a word, or
// a white-space run, whose last space is left for the next piece by
// `\s+(?!\S)`).
func safeSplit(text string, i int) bool {
	if i+1 >= len(text) {
		return false
	}
	after, _ := utf8.DecodeRuneInString(text[i+1:])
	return !unicode.IsSpace(after)
}

// runeStart returns the largest rune start <= n (n itself if none is
// found within utf8.UTFMax bytes).
func runeStart(text string, n int) int {
	for k := n; k > 0 && k > n-utf8.UTFMax; k-- {
		if utf8.RuneStart(text[k]) {
			return k
		}
	}
	return n
}
