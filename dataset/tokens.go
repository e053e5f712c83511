package dataset

import (
	"fmt"
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
var tokenEncoder = sync.OnceValues(func() (*tiktoken.Tiktoken, error) {
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
	return tiktoken.NewTiktoken(bpe, enc, set), nil
})

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
				sum += len(tokenEnc.EncodeOrdinary(chunks[i]))
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
// regexp, costs far more than a map lookup.
var tokenMemo = struct {
	sync.Mutex
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
	for len(text) > 0 {
		n := nextTokenSegment(text)
		seg := text[:n]
		text = text[n:]
		if n > tokenMemoKey {
			total += len(enc.EncodeOrdinary(seg))
			continue
		}
		tokenMemo.Lock()
		c, ok := tokenMemo.counts[seg]
		tokenMemo.Unlock()
		if !ok {
			c = int32(len(enc.EncodeOrdinary(seg)))
			tokenMemo.Lock()
			if len(tokenMemo.counts) >= tokenMemoEntries {
				tokenMemo.counts = map[string]int32{}
			}
			tokenMemo.counts[strings.Clone(seg)] = c
			tokenMemo.Unlock()
		}
		total += int(c)
	}
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
