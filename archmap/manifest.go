package archmap

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Manifest is what archmap needs from a Cargo.toml: the package name and the
// workspace member and exclude globs.
type Manifest struct {
	// PackageName is [package] name; empty for a virtual workspace manifest.
	PackageName string
	// Members are the [workspace] members globs, such as "crates/*".
	Members []string
	// Exclude are the [workspace] exclude paths.
	Exclude []string
}

// ParseManifest reads the parts of a Cargo.toml that archmap uses. It
// understands the TOML syntax Cargo manifests use (tables, array tables,
// dotted and quoted keys, the four string forms, arrays, inline tables,
// comments) and skips every value it does not need. name labels errors,
// which carry the line: "crates/router/Cargo.toml:7: unterminated string".
func ParseManifest(name string, data []byte) (Manifest, error) {
	values, err := parseTOMLStrings(data)
	if err != nil {
		return Manifest{}, fmt.Errorf("%s:%w", name, err)
	}
	var m Manifest
	if v, ok := values["package.name"].(string); ok {
		m.PackageName = v
	}
	var errs []string
	for _, field := range []struct {
		key string
		dst *[]string
	}{{"workspace.members", &m.Members}, {"workspace.exclude", &m.Exclude}} {
		key, dst := field.key, field.dst
		switch v := values[key].(type) {
		case nil:
		case []any:
			for _, e := range v {
				s, ok := e.(string)
				if !ok {
					errs = append(errs, key+" holds a non-string")
					break
				}
				*dst = append(*dst, s)
			}
		default:
			errs = append(errs, key+" is not an array")
		}
	}
	if len(errs) > 0 {
		return Manifest{}, fmt.Errorf("%s: %s", name, strings.Join(errs, "; "))
	}
	return m, nil
}

// tomlParser is a small TOML reader that keeps string and array values under
// their full dotted key and validates the rest only as far as needed to skip
// it correctly.
type tomlParser struct {
	data   []byte
	pos    int
	values map[string]any
}

// tomlError carries the line of a syntax error.
type tomlError struct {
	line int
	msg  string
}

func (e *tomlError) Error() string { return fmt.Sprintf("%d: %s", e.line, e.msg) }

func (p *tomlParser) fail(format string, args ...any) error {
	return &tomlError{line: 1 + bytes.Count(p.data[:min(p.pos, len(p.data))], []byte{'\n'}), msg: fmt.Sprintf(format, args...)}
}

func parseTOMLStrings(data []byte) (map[string]any, error) {
	p := &tomlParser{data: data, values: map[string]any{}}
	table := ""
	for {
		p.skipSpace(true)
		if p.pos >= len(p.data) {
			return p.values, nil
		}
		if p.data[p.pos] == '[' {
			p.pos++
			array := p.pos < len(p.data) && p.data[p.pos] == '['
			if array {
				p.pos++
			}
			key, err := p.key()
			if err != nil {
				return nil, err
			}
			if !p.consume(']') || (array && !p.consume(']')) {
				return nil, p.fail("table header %q: missing ]", key)
			}
			table = key
		} else {
			key, err := p.key()
			if err != nil {
				return nil, err
			}
			if table != "" {
				key = table + "." + key
			}
			if err := p.keyValue(key); err != nil {
				return nil, err
			}
		}
		p.skipSpace(false)
		if p.pos < len(p.data) && p.data[p.pos] != '\n' && p.data[p.pos] != '\r' {
			return nil, p.fail("unexpected %q after value", p.data[p.pos])
		}
	}
}

// keyValue reads "= value" and records it under key.
func (p *tomlParser) keyValue(key string) error {
	if !p.consume('=') {
		return p.fail("key %q: missing =", key)
	}
	v, err := p.value(key)
	if err != nil {
		return err
	}
	if v != nil {
		p.values[key] = v
	}
	return nil
}

// skipSpace skips blanks and comments, and newlines too when newlines is set.
func (p *tomlParser) skipSpace(newlines bool) {
	for p.pos < len(p.data) {
		switch c := p.data[p.pos]; {
		case c == ' ' || c == '\t':
			p.pos++
		case (c == '\n' || c == '\r') && newlines:
			p.pos++
		case c == '#':
			for p.pos < len(p.data) && p.data[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

func (p *tomlParser) consume(c byte) bool {
	p.skipSpace(false)
	if p.pos < len(p.data) && p.data[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

// key reads a possibly dotted, possibly quoted key and returns its parts
// joined by dots.
func (p *tomlParser) key() (string, error) {
	var parts []string
	for {
		p.skipSpace(false)
		if p.pos >= len(p.data) {
			return "", p.fail("missing key")
		}
		switch c := p.data[p.pos]; {
		case c == '"' || c == '\'':
			s, err := p.str()
			if err != nil {
				return "", err
			}
			parts = append(parts, s)
		case isBareKeyByte(c):
			start := p.pos
			for p.pos < len(p.data) && isBareKeyByte(p.data[p.pos]) {
				p.pos++
			}
			parts = append(parts, string(p.data[start:p.pos]))
		default:
			return "", p.fail("unexpected %q in key", c)
		}
		if !p.consume('.') {
			return strings.Join(parts, "."), nil
		}
	}
}

func isBareKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value reads one value. Strings come back as string, arrays as []any (with
// nil for values that are neither), everything else as nil.
func (p *tomlParser) value(key string) (any, error) {
	p.skipSpace(false)
	if p.pos >= len(p.data) {
		return nil, p.fail("key %q: missing value", key)
	}
	switch c := p.data[p.pos]; c {
	case '"', '\'':
		return p.str()
	case '[':
		p.pos++
		arr := []any{}
		for {
			p.skipSpace(true)
			if p.pos < len(p.data) && p.data[p.pos] == ']' {
				p.pos++
				return arr, nil
			}
			v, err := p.value(key)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
			p.skipSpace(true)
			if p.pos < len(p.data) && p.data[p.pos] == ',' {
				p.pos++
				continue
			}
			if p.pos < len(p.data) && p.data[p.pos] == ']' {
				p.pos++
				return arr, nil
			}
			return nil, p.fail("key %q: unterminated array", key)
		}
	case '{':
		p.pos++
		p.skipSpace(false)
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			p.pos++
			return nil, nil
		}
		for {
			k, err := p.key()
			if err != nil {
				return nil, err
			}
			if err := p.keyValue(key + "." + k); err != nil {
				return nil, err
			}
			if p.consume(',') {
				continue
			}
			if p.consume('}') {
				return nil, nil
			}
			return nil, p.fail("key %q: unterminated inline table", key)
		}
	default:
		// Numbers, booleans and dates: up to the next delimiter.
		start := p.pos
		for p.pos < len(p.data) && !strings.ContainsRune(",]}#\r\n", rune(p.data[p.pos])) {
			p.pos++
		}
		if len(bytes.TrimSpace(p.data[start:p.pos])) == 0 {
			return nil, p.fail("key %q: missing value", key)
		}
		return nil, nil
	}
}

// str reads a basic, literal, multi-line basic or multi-line literal string.
func (p *tomlParser) str() (string, error) {
	q := p.data[p.pos]
	multi := bytes.HasPrefix(p.data[p.pos:], []byte{q, q, q})
	if multi {
		p.pos += 3
		// A newline right after the opening delimiter is trimmed.
		if bytes.HasPrefix(p.data[p.pos:], []byte("\r\n")) {
			p.pos += 2
		} else if p.pos < len(p.data) && p.data[p.pos] == '\n' {
			p.pos++
		}
	} else {
		p.pos++
	}
	var b strings.Builder
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == q && !multi:
			p.pos++
			return b.String(), nil
		case c == q && bytes.HasPrefix(p.data[p.pos:], []byte{q, q, q}):
			// Up to two quotes may end the content right before the delimiter.
			end := p.pos + 3
			for n := 0; n < 2 && end < len(p.data) && p.data[end] == q; n++ {
				b.WriteByte(q)
				end++
			}
			p.pos = end
			return b.String(), nil
		case (c == '\n' || c == '\r') && !multi:
			return "", p.fail("unterminated string")
		case c == '\\' && q == '"':
			if err := p.escape(&b, multi); err != nil {
				return "", err
			}
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", p.fail("unterminated string")
}

// escape decodes one escape sequence of a basic string at p.pos.
func (p *tomlParser) escape(b *strings.Builder, multi bool) error {
	p.pos++
	if p.pos >= len(p.data) {
		return p.fail("unterminated string")
	}
	c := p.data[p.pos]
	p.pos++
	switch c {
	case 'b':
		b.WriteByte('\b')
	case 't':
		b.WriteByte('\t')
	case 'n':
		b.WriteByte('\n')
	case 'f':
		b.WriteByte('\f')
	case 'r':
		b.WriteByte('\r')
	case 'e':
		b.WriteByte(0x1b)
	case '"', '\\':
		b.WriteByte(c)
	case 'x', 'u', 'U':
		n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
		if p.pos+n > len(p.data) {
			return p.fail("short \\%c escape", c)
		}
		v, err := strconv.ParseUint(string(p.data[p.pos:p.pos+n]), 16, 32)
		if err != nil || !utf8.ValidRune(rune(v)) {
			return p.fail("invalid \\%c escape", c)
		}
		b.WriteRune(rune(v))
		p.pos += n
	case ' ', '\t', '\r', '\n':
		// Line-ending backslash: skip the newline and following blanks.
		if !multi {
			return p.fail("invalid escape \\%q", c)
		}
		p.pos--
		for p.pos < len(p.data) && strings.ContainsRune(" \t\r\n", rune(p.data[p.pos])) {
			p.pos++
		}
	default:
		return p.fail("invalid escape \\%c", c)
	}
	return nil
}
