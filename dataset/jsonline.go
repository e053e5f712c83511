package dataset

import (
	"strconv"
	"unicode/utf8"
)

// The JSON lines of the dataset files are written by hand rather than by
// encoding/json's reflection: a record line is most of the write's CPU
// time otherwise. appendRecordLine writes exactly the bytes of
// [Format.Encode] (a json.Encoder without HTML escaping) and its newline;
// jsonline_test.go compares the two on every field and on fuzzed strings.

// appendRecordLine appends the line of a record in format f (the empty
// format is sft), newline included, to dst. It returns f.Validate()'s
// error for an unknown format.
func appendRecordLine(dst []byte, f Format, system, prompt, response string, md *MergedMetadata) ([]byte, error) {
	dst, err := appendRecordHead(dst, f, system, prompt, response)
	if err != nil {
		return dst, err
	}
	return appendRecordTail(appendMergedMetadata(dst, md)), nil
}

// appendRecordHead appends the start of a record's line in format f, up
// to its metadata: the metadata, then appendRecordTail, complete it (a
// record's lines in two formats share the encoding of their metadata).
func appendRecordHead(dst []byte, f Format, system, prompt, response string) ([]byte, error) {
	switch f {
	case FormatSFT, "":
		dst = append(dst, `{"prompt":`...)
		dst = appendJSONString(dst, prompt)
		dst = append(dst, `,"response":`...)
		dst = appendJSONString(dst, response)
	case FormatMessages:
		dst = append(dst, `{"messages":[{"role":"system","content":`...)
		dst = appendJSONString(dst, system)
		dst = append(dst, `},{"role":"user","content":`...)
		dst = appendJSONString(dst, prompt)
		dst = append(dst, `},{"role":"assistant","content":`...)
		dst = appendJSONString(dst, response)
		dst = append(dst, `}]`...)
	case FormatCompletion:
		dst = append(dst, `{"prompt":`...)
		dst = appendJSONString(dst, prompt)
		dst = append(dst, `,"completion":`...)
		dst = appendJSONString(dst, response)
	case FormatAlpaca:
		dst = append(dst, `{"instruction":`...)
		dst = appendJSONString(dst, system)
		dst = append(dst, `,"input":`...)
		dst = appendJSONString(dst, prompt)
		dst = append(dst, `,"output":`...)
		dst = appendJSONString(dst, response)
	default:
		return dst, f.Validate()
	}
	return append(dst, `,"metadata":`...), nil
}

// appendRecordTail appends the end of a record's line, after its
// metadata.
func appendRecordTail(dst []byte) []byte { return append(dst, "}\n"...) }

// appendMergedMetadata appends md as encoding/json encodes a
// [MergedMetadata]: its fields in order, nil slices as null.
func appendMergedMetadata(dst []byte, md *MergedMetadata) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendJSONString(dst, md.ID)
	dst = append(dst, `,"repo":`...)
	dst = appendJSONString(dst, md.Repo)
	dst = append(dst, `,"url":`...)
	dst = appendJSONString(dst, md.URL)
	dst = append(dst, `,"pr_number":`...)
	dst = strconv.AppendInt(dst, int64(md.PRNumber), 10)
	dst = append(dst, `,"title":`...)
	dst = appendJSONString(dst, md.Title)
	dst = append(dst, `,"created_at":`...)
	dst = appendJSONString(dst, md.CreatedAt)
	dst = append(dst, `,"merged_at":`...)
	dst = appendJSONString(dst, md.MergedAt)
	dst = append(dst, `,"base_commit":`...)
	dst = appendJSONString(dst, md.BaseCommit)
	dst = append(dst, `,"merge_commit":`...)
	dst = appendJSONString(dst, md.MergeCommit)
	dst = append(dst, `,"license":`...)
	dst = appendJSONString(dst, md.License)
	dst = append(dst, `,"author":`...)
	dst = appendJSONString(dst, md.Author)
	dst = append(dst, `,"labels":`...)
	dst = appendJSONStrings(dst, md.Labels)
	dst = append(dst, `,"intent":{"feature_type":`...)
	dst = appendJSONString(dst, md.Intent.FeatureType)
	dst = append(dst, `,"action":`...)
	dst = appendJSONString(dst, md.Intent.Action)
	dst = append(dst, `,"entities":`...)
	dst = appendJSONStrings(dst, md.Intent.Entities)
	dst = append(dst, `},"layers":`...)
	dst = appendJSONList(dst, md.Layers, func(dst []byte, l *LayerRecord) []byte {
		dst = append(dst, `{"layer":`...)
		dst = appendJSONString(dst, l.Layer)
		dst = append(dst, `,"title":`...)
		dst = appendJSONString(dst, l.Title)
		dst = append(dst, `,"crates":`...)
		dst = appendJSONStrings(dst, l.Crates)
		dst = append(dst, `,"files":`...)
		dst = appendJSONStrings(dst, l.Files)
		return append(dst, '}')
	})
	dst = append(dst, `,"unclassified":`...)
	dst = appendJSONStrings(dst, md.Unclassified)
	dst = append(dst, `,"patterns":`...)
	dst = appendJSONList(dst, md.Patterns, func(dst []byte, p *PatternRecord) []byte {
		dst = append(dst, `{"name":`...)
		dst = appendJSONString(dst, p.Name)
		dst = append(dst, `,"count":`...)
		dst = strconv.AppendInt(dst, int64(p.Count), 10)
		return append(dst, '}')
	})
	dst = append(dst, `,"commits":`...)
	dst = appendJSONStrings(dst, md.Commits)
	dst = append(dst, `,"match_method":`...)
	dst = appendJSONString(dst, md.MatchMethod)
	dst = append(dst, `,"has_identifier_data":`...)
	dst = strconv.AppendBool(dst, md.HasIdentifierData)
	dst = append(dst, `,"change_id":`...)
	dst = appendJSONString(dst, md.ChangeID)
	dst = append(dst, `,"linked_issues":`...)
	dst = appendJSONList(dst, md.LinkedIssues, func(dst []byte, n *int) []byte { return strconv.AppendInt(dst, int64(*n), 10) })
	dst = append(dst, `,"files_changed":`...)
	dst = strconv.AppendInt(dst, int64(md.FilesChanged), 10)
	dst = append(dst, `,"additions":`...)
	dst = strconv.AppendInt(dst, int64(md.Additions), 10)
	dst = append(dst, `,"deletions":`...)
	dst = strconv.AppendInt(dst, int64(md.Deletions), 10)
	dst = append(dst, `,"patch_bytes":`...)
	dst = strconv.AppendInt(dst, int64(md.PatchBytes), 10)
	dst = append(dst, `,"identifier_changes":`...)
	dst = strconv.AppendInt(dst, int64(md.IdentifierChanges), 10)
	dst = append(dst, `,"changes":`...)
	dst = appendJSONList(dst, md.Changes, appendMergedChange)
	dst = append(dst, `,"test_files":`...)
	dst = appendJSONStrings(dst, md.TestFiles)
	dst = append(dst, `,"difficulty":`...)
	dst = appendJSONString(dst, md.Difficulty)
	dst = append(dst, `,"prompt_tokens":`...)
	dst = strconv.AppendInt(dst, int64(md.PromptTokens), 10)
	dst = append(dst, `,"response_tokens":`...)
	dst = strconv.AppendInt(dst, int64(md.ResponseTokens), 10)
	dst = append(dst, `,"redactions":`...)
	dst = strconv.AppendInt(dst, int64(md.Redactions), 10)
	return append(dst, '}')
}

// appendMergedChange appends c as encoding/json encodes a [MergedChange]:
// the commit, then the fields of its change.Identifier (Line is not
// encoded).
func appendMergedChange(dst []byte, c *MergedChange) []byte {
	dst = append(dst, `{"commit":`...)
	dst = appendJSONString(dst, c.Commit)
	dst = append(dst, `,"file":`...)
	dst = appendJSONString(dst, c.File)
	dst = append(dst, `,"op":`...)
	dst = appendJSONString(dst, string(c.Op))
	dst = append(dst, `,"kind":`...)
	dst = appendJSONString(dst, string(c.Kind))
	dst = append(dst, `,"name":`...)
	dst = appendJSONString(dst, c.Name)
	dst = append(dst, `,"owner":`...)
	dst = appendJSONString(dst, c.Owner)
	dst = append(dst, `,"visibility":`...)
	dst = appendJSONString(dst, c.Visibility)
	dst = append(dst, `,"cfg":`...)
	dst = appendJSONStrings(dst, c.Cfg)
	dst = append(dst, `,"detail":`...)
	dst = appendJSONStrings(dst, c.Detail)
	dst = append(dst, `,"test":`...)
	dst = strconv.AppendBool(dst, c.Test)
	return append(dst, '}')
}

// appendJSONList appends list as a JSON array, each element by elem:
// null when nil, as encoding/json.
func appendJSONList[T any](dst []byte, list []T, elem func([]byte, *T) []byte) []byte {
	if list == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i := range list {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = elem(dst, &list[i])
	}
	return append(dst, ']')
}

// appendJSONStrings appends a list of strings: null when nil.
func appendJSONStrings(dst []byte, list []string) []byte {
	return appendJSONList(dst, list, func(dst []byte, s *string) []byte { return appendJSONString(dst, *s) })
}

// jsonPlain says which bytes go into a JSON string as they are: printable
// ASCII (and DEL) but the quote and the backslash. Control characters are
// escaped; bytes from 0x80 start UTF-8 sequences, checked one by one.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendJSONString appends s as a JSON string, as encoding/json does
// without HTML escaping: the quote, the backslash and control characters
// escaped (\b \f \n \r \t, else \u00XX), an invalid UTF-8 byte as \ufffd,
// U+2028 and U+2029 as \u2028 and \u2029, everything else as it is.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0 // s[start:i] is plain, not yet copied
	for i := 0; i < len(s); {
		b := s[i]
		if jsonPlain[b] {
			i++
			continue
		}
		if b < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// hexDigits are the lower-case hexadecimal digits encoding/json writes.
const hexDigits = "0123456789abcdef"
