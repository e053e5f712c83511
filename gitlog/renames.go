package gitlog

import (
	"cmp"
	"slices"
)

// Rename detection, after git's diffcore-rename: first deleted and added
// files with the same blob are paired, then the remaining ones by content
// similarity, measured on line-sized chunks as git's diffcore-delta does.
// The similarity pass compares every deleted file with every added one, so
// it runs only when their product is at most RenameLimit²; exact pairing is
// linear and always runs.

// minSimilarity is git's default rename threshold (-M50%), in percent.
const minSimilarity = 50

// maxChunk is the longest chunk of a content signature, as in git.
const maxChunk = 64

// chunkCount is how many bytes of a file fall in chunks with a given hash.
type chunkCount struct {
	hash  uint32
	bytes int
}

// signature splits content into chunks that end at a newline or after
// maxChunk bytes, ignoring a CR before LF, and returns the bytes per chunk
// hash, sorted by hash.
func signature(content []byte) []chunkCount {
	var out []chunkCount
	const offset, prime = 2166136261, 16777619 // FNV-1a
	h, n := uint32(offset), 0
	for i, c := range content {
		if c == '\r' && i+1 < len(content) && content[i+1] == '\n' {
			continue
		}
		h = (h ^ uint32(c)) * prime
		n++
		if c == '\n' || n == maxChunk {
			out = append(out, chunkCount{h, n})
			h, n = offset, 0
		}
	}
	if n > 0 {
		out = append(out, chunkCount{h, n})
	}
	slices.SortFunc(out, func(a, b chunkCount) int { return cmp.Compare(a.hash, b.hash) })
	merged := out[:0]
	for _, c := range out {
		if k := len(merged) - 1; k >= 0 && merged[k].hash == c.hash {
			merged[k].bytes += c.bytes
			continue
		}
		merged = append(merged, c)
	}
	return merged
}

// similarity returns how much of the larger file the smaller one's chunks
// cover, in percent, or 0 when the sizes alone rule out minSimilarity.
func similarity(src, dst []chunkCount, srcSize, dstSize int) int {
	maxSize, minSize := max(srcSize, dstSize), min(srcSize, dstSize)
	if maxSize == 0 || (maxSize-minSize)*100 > maxSize*(100-minSimilarity) {
		return 0
	}
	return copiedBytes(src, dst) * 100 / maxSize
}

// copiedBytes is how many bytes of src's chunks dst has too: for each
// chunk hash both have, the smaller byte count (git's estimate of the
// bytes copied from one file to the other). Both are sorted by hash.
func copiedBytes(src, dst []chunkCount) int {
	copied := 0
	for i, j := 0, 0; i < len(src) && j < len(dst); {
		switch {
		case src[i].hash < dst[j].hash:
			i++
		case src[i].hash > dst[j].hash:
			j++
		default:
			copied += min(src[i].bytes, dst[j].bytes)
			i++
			j++
		}
	}
	return copied
}

// renameSide is a deleted (source) or added (destination) file that may be
// part of a rename.
type renameSide struct {
	index   int // into the commit's file list
	path    string
	hash    string
	content []byte // nil when not loaded (too large, binary or unreadable)
}

// renamePair pairs sources[src] with destinations[dst].
type renamePair struct{ src, dst int }

// findRenames pairs deleted files (sources) with added ones (destinations):
// first identical blobs, preferring the same base name, then, when
// len(sources)*len(destinations) <= limit², the most similar contents with at
// least minSimilarity percent. Each file is in at most one pair.
func findRenames(sources, destinations []renameSide, limit int) []renamePair {
	var pairs []renamePair
	usedSrc := make([]bool, len(sources))
	usedDst := make([]bool, len(destinations))

	byHash := make(map[string][]int)
	for i, s := range sources {
		byHash[s.hash] = append(byHash[s.hash], i)
	}
	for j, d := range destinations {
		cands := byHash[d.hash]
		best := -1
		for _, i := range cands {
			if usedSrc[i] {
				continue
			}
			if best < 0 || (baseName(sources[i].path) == baseName(d.path) && baseName(sources[best].path) != baseName(d.path)) {
				best = i
			}
		}
		if best >= 0 {
			usedSrc[best], usedDst[j] = true, true
			pairs = append(pairs, renamePair{best, j})
		}
	}

	var srcLeft, dstLeft []int
	for i, s := range sources {
		if !usedSrc[i] && len(s.content) > 0 {
			srcLeft = append(srcLeft, i)
		}
	}
	for j, d := range destinations {
		if !usedDst[j] && len(d.content) > 0 {
			dstLeft = append(dstLeft, j)
		}
	}
	if len(srcLeft) == 0 || len(dstLeft) == 0 || len(srcLeft)*len(dstLeft) > limit*limit {
		return pairs
	}
	srcSig := make([][]chunkCount, len(sources))
	for _, i := range srcLeft {
		srcSig[i] = signature(sources[i].content)
	}
	type candidate struct{ score, src, dst int }
	var cands []candidate
	for _, j := range dstLeft {
		dstSig := signature(destinations[j].content)
		for _, i := range srcLeft {
			s := similarity(srcSig[i], dstSig, len(sources[i].content), len(destinations[j].content))
			if s >= minSimilarity {
				cands = append(cands, candidate{s, i, j})
			}
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := cmp.Compare(destinations[a.dst].path, destinations[b.dst].path); c != 0 {
			return c
		}
		return cmp.Compare(sources[a.src].path, sources[b.src].path)
	})
	for _, c := range cands {
		if usedSrc[c.src] || usedDst[c.dst] {
			continue
		}
		usedSrc[c.src], usedDst[c.dst] = true, true
		pairs = append(pairs, renamePair{c.src, c.dst})
	}
	return pairs
}

func baseName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}
