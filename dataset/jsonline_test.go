package dataset

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sftforge/sftforge/archmap"
	"github.com/sftforge/sftforge/change"
)

// jsonLineOf is the line encoding/json writes for a record (what
// appendRecordLine must reproduce): Format.Encode and a newline.
func jsonLineOf(t testing.TB, f Format, system, prompt, response string, md *MergedMetadata) []byte {
	t.Helper()
	line, err := f.Encode(system, prompt, response, md)
	if err != nil {
		t.Fatal(err)
	}
	return append(line, '\n')
}

// jsonStrings are strings that exercise every escape of encoding/json.
var jsonStrings = []string{
	"", "plain", `quote " and backslash \`, "<EMAIL> & <script>", "tab\tnewline\nreturn\rfeed\fback\b",
	"nul \x00 bell \x07 esc \x1b unit \x1f del \x7f", "é ü 日本語 🚀", "line sep \u2028 para sep \u2029",
	"invalid \xff\xfe utf-8 \xc3", "truncated \xe2\x82", "surrogate \xed\xa0\x80", "over-long \xc0\xaf",
	"max \U0010ffff", "`code` {\"json\": [1, 2]}", strings.Repeat("long text ", 500),
}

// TestAppendRecordLine compares the hand-written lines with encoding/json's
// in every format, for metadata with every field set, with nil and empty
// lists, and with strings that need escaping.
func TestAppendRecordLine(t *testing.T) {
	full := MergedMetadata{
		ID: "o/r#12", Repo: "o/r", URL: "https://github.com/o/r/pull/12", PRNumber: 12, Title: "Add <x> & \"y\"",
		CreatedAt: "2024-01-02T03:04:05Z", MergedAt: "2024-01-03T03:04:05Z", BaseCommit: "abc", MergeCommit: "def",
		License: "MIT OR Apache-2.0", Author: "Dev \u2028", Labels: []string{"a", "b\n"},
		Intent: IntentRecord{FeatureType: "api", Action: "add_feature", Entities: []string{"payment"}},
		Layers: []LayerRecord{{Layer: "core", Title: "Core", Crates: []string{"router"}, Files: []string{"a.rs", "b.rs"}},
			{Layer: "docs", Title: "Docs", Crates: []string{}, Files: []string{"README.md"}}},
		Unclassified: []string{"x\ty"}, Patterns: []PatternRecord{{Name: "Add public functions", Count: 3}, {Name: "p", Count: -1}},
		Commits: []string{"def", "abc"}, MatchMethod: MatchMergeCommit, HasIdentifierData: true, ChangeID: "0123",
		LinkedIssues: []int{7, -8, 9000000000}, FilesChanged: 3, Additions: 10, Deletions: -2, PatchBytes: 1 << 40,
		IdentifierChanges: 2,
		Changes: []MergedChange{
			{Commit: "def", Identifier: change.Identifier{File: "a.rs", Op: change.OpAdded, Kind: change.KindFunction,
				Name: "f", Owner: "m", Visibility: "pub(in crate::x)", Cfg: []string{`cfg(feature="v1")`}, Detail: []string{},
				Test: true, Line: 42}},
			{Commit: "abc", Identifier: change.Identifier{Name: "g"}},
		},
		TestFiles: []string{"tests/t.rs"}, Difficulty: "hard", PromptTokens: 5, ResponseTokens: 6, Redactions: 1,
	}
	empty := MergedMetadata{Labels: []string{}, Layers: []LayerRecord{}, Patterns: []archmap.Pattern{},
		Commits: []string{}, LinkedIssues: []int{}, Changes: []MergedChange{}, Unclassified: []string{}, TestFiles: []string{},
		Intent: IntentRecord{Entities: []string{}}}
	tests := []struct {
		name string
		md   MergedMetadata
	}{
		{"full", full},
		{"zero (nil lists)", MergedMetadata{}},
		{"empty lists", empty},
		{"nil lists inside", MergedMetadata{Layers: []LayerRecord{{Layer: "l"}}, Changes: []MergedChange{{}}}},
	}
	for _, tt := range tests {
		for _, f := range append([]Format{""}, Formats...) {
			for _, s := range jsonStrings {
				md := tt.md
				md.Title = s
				want := jsonLineOf(t, f, "system "+s, "prompt "+s, s+" response", &md)
				got, err := appendRecordLine([]byte("kept"), f, "system "+s, "prompt "+s, s+" response", &md)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got[4:], want) || string(got[:4]) != "kept" {
					t.Errorf("%s, format %q, string %q:\n got %s\nwant %s", tt.name, f, s, got, want)
				}
			}
		}
	}
	if _, err := appendRecordLine(nil, "yaml", "", "", "", &full); err == nil {
		t.Error("unknown format: no error")
	}
}

// TestAppendJSONString compares the strings with encoding/json's,
// without HTML escaping, for each byte value alone and in text.
func TestAppendJSONString(t *testing.T) {
	cases := append([]string(nil), jsonStrings...)
	for b := range 256 {
		cases = append(cases, string([]byte{byte(b)}), "a"+string([]byte{byte(b)})+"z")
	}
	for _, s := range cases {
		if got, want := appendJSONString(nil, s), marshalString(t, s); !bytes.Equal(got, want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}

// marshalString is s as encoding/json encodes it without HTML escaping.
func marshalString(t testing.TB, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// FuzzAppendRecordLine compares the hand-written lines with encoding/json's
// on arbitrary strings in the texts, the metadata's strings and lists.
func FuzzAppendRecordLine(f *testing.F) {
	for _, s := range jsonStrings {
		f.Add(s, "b", 3, true)
	}
	f.Fuzz(func(t *testing.T, s, other string, n int, flag bool) {
		md := MergedMetadata{ID: s, Title: other, PRNumber: n, Labels: []string{s, other}, HasIdentifierData: flag,
			LinkedIssues: []int{n, -n}, Layers: []LayerRecord{{Layer: other, Files: []string{s}}},
			Patterns: []PatternRecord{{Name: s, Count: n}},
			Changes:  []MergedChange{{Commit: other, Identifier: change.Identifier{Name: s, Cfg: []string{other}, Test: flag}}}}
		if flag {
			md.Layers, md.Labels = nil, nil
		}
		for _, format := range Formats {
			want := jsonLineOf(t, format, other, s, other+s, &md)
			got, err := appendRecordLine(nil, format, other, s, other+s, &md)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("format %s:\n got %s\nwant %s", format, got, want)
			}
		}
		if got, want := appendJSONString(nil, s), marshalString(t, s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}
