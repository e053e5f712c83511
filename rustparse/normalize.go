package rustparse

import "unicode/utf8"

// appendNormalized appends the canonical text of the Rust tokens in src to
// dst: comments and whitespace are dropped, one space is kept between two
// word characters (so `a b` and `ab` stay apart), a comma is followed by one
// space, and a trailing comma before a closing bracket or at the end of src
// is dropped. Dropping it everywhere makes `(x,)` and `(x)` equal, a price
// paid so that the trailing commas rustfmt adds when it wraps a single
// argument do not count as a change. String, character and raw string
// literals are copied verbatim. The same tokens give the same text whatever
// the formatting; src need not be valid Rust.
func appendNormalized(dst, src []byte) []byte {
	var (
		space        bool // whitespace or comment since the last output byte
		comma        bool // a comma is pending
		lastWord     bool // the last output byte is a word character
		i            int
		n            = len(src)
		emittedStart = len(dst)
	)
	for i < n {
		c := src[i]
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			space = true
			i++
			continue
		case c == '/' && i+1 < n && src[i+1] == '/':
			for i < n && src[i] != '\n' {
				i++
			}
			space = true
			continue
		case c == '/' && i+1 < n && src[i+1] == '*':
			i = skipBlockComment(src, i)
			space = true
			continue
		case c == ',':
			comma = true // a run of commas counts as one
			space = false
			i++
			continue
		}
		// c starts a token.
		if comma {
			if c != ')' && c != ']' && c != '}' && c != '>' {
				dst = append(dst, ',', ' ')
				lastWord = false
			}
			comma = false
			space = false
		}
		word := isWordByte(c)
		if space && word && lastWord && len(dst) > emittedStart {
			dst = append(dst, ' ')
		}
		space = false
		switch {
		case word:
			if c == 'r' || c == 'b' || c == 'c' {
				if end, ok := rawStringEnd(src, i); ok {
					dst = append(dst, src[i:end]...)
					i = end
					lastWord = false
					continue
				}
			}
			j := i + 1
			for j < n && isWordByte(src[j]) {
				j++
			}
			dst = append(dst, src[i:j]...)
			i = j
			lastWord = true
		case c == '"':
			end := quotedEnd(src, i, '"')
			dst = append(dst, src[i:end]...)
			i = end
			lastWord = false
		case c == '\'':
			end := charLiteralEnd(src, i)
			dst = append(dst, src[i:end]...)
			i = end
			lastWord = false
		default:
			if (c == '/' || c == '*') && len(dst) > emittedStart && dst[len(dst)-1] == '/' {
				dst = append(dst, ' ') // `x / *y` must not read as a comment
			}
			dst = append(dst, c)
			i++
			lastWord = false
		}
	}
	// A comma ending the range trails the text before something else.
	return dst
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// skipBlockComment returns the index after the (nested) block comment that
// starts at src[i:], or len(src) if it is unterminated.
func skipBlockComment(src []byte, i int) int {
	depth := 0
	n := len(src)
	for i < n {
		switch {
		case src[i] == '/' && i+1 < n && src[i+1] == '*':
			depth++
			i += 2
		case src[i] == '*' && i+1 < n && src[i+1] == '/':
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return n
}

// quotedEnd returns the index after the literal opened by quote at src[i],
// honouring backslash escapes, or len(src) if it is unterminated.
func quotedEnd(src []byte, i int, quote byte) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case quote:
			return j + 1
		}
	}
	return len(src)
}

// charLiteralEnd returns the index after the character literal at src[i],
// or i+1 when the quote starts a lifetime or label.
func charLiteralEnd(src []byte, i int) int {
	if i+1 >= len(src) {
		return i + 1
	}
	if src[i+1] == '\\' {
		return quotedEnd(src, i, '\'')
	}
	_, size := utf8.DecodeRune(src[i+1:])
	if j := i + 1 + size; j < len(src) && src[j] == '\'' {
		return j + 1
	}
	return i + 1
}

// rawStringEnd reports whether a raw string literal (r"..", r#".."#,
// br"..", cr"..") starts at src[i] and returns the index after it.
func rawStringEnd(src []byte, i int) (int, bool) {
	j := i
	if src[j] == 'b' || src[j] == 'c' {
		j++
	}
	if j >= len(src) || src[j] != 'r' {
		return 0, false
	}
	j++
	hashes := 0
	for j < len(src) && src[j] == '#' {
		hashes++
		j++
	}
	if j >= len(src) || src[j] != '"' {
		return 0, false
	}
	for j++; j < len(src); j++ {
		if src[j] != '"' {
			continue
		}
		k := j + 1
		h := 0
		for k < len(src) && h < hashes && src[k] == '#' {
			h++
			k++
		}
		if h == hashes {
			return k, true
		}
	}
	return len(src), true
}

// fnv64 is FNV-1a, 64 bit: stable across runs and machines.
func fnv64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}
