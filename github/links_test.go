package github

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestParseLinks(t *testing.T) {
	same := func(n int) IssueRef {
		return IssueRef{Owner: "juspay", Repo: "hyperswitch", Number: n, Source: SourceText}
	}
	other := func(o, r string, n int) IssueRef { return IssueRef{Owner: o, Repo: r, Number: n, Source: SourceText} }
	tests := []struct {
		name     string
		text     string
		closing  []IssueRef
		mentions []IssueRef
	}{
		{"empty", "", nil, nil},
		{"fixes hash", "Fixes #12", []IssueRef{same(12)}, nil},
		{"every keyword", "close #1 closes #2 closed #3 fix #4 fixes #5 fixed #6 resolve #7 resolves #8 resolved #9",
			[]IssueRef{same(1), same(2), same(3), same(4), same(5), same(6), same(7), same(8), same(9)}, nil},
		{"any case", "FIXES #3, Resolved #4", []IssueRef{same(3), same(4)}, nil},
		{"colon", "Closes: #7\nfix:#8", []IssueRef{same(7), same(8)}, nil},
		{"owner repo", "fixes juspay/hyperswitch#5", []IssueRef{same(5)}, nil},
		{"owner repo case-insensitive", "fixes JusPay/HyperSwitch#5", []IssueRef{same(5)}, nil},
		{"cross repo kept", "Resolves octo/widgets#9", []IssueRef{other("octo", "widgets", 9)}, nil},
		{"issue url", "closes https://github.com/juspay/hyperswitch/issues/42.", []IssueRef{same(42)}, nil},
		{"cross repo url", "fixes https://github.com/octo/widgets/issues/3", []IssueRef{other("octo", "widgets", 3)}, nil},
		{"pull url is a mention", "fixes https://github.com/juspay/hyperswitch/pull/3", nil, []IssueRef{same(3)}},
		{"see is a mention", "see #12", nil, []IssueRef{same(12)}},
		{"related to is a mention", "related to #12 and octo/widgets#1", nil, []IssueRef{same(12), other("octo", "widgets", 1)}},
		{"bare url mention", "https://github.com/juspay/hyperswitch/issues/8", nil, []IssueRef{same(8)}},
		{"second ref needs its own keyword", "Fixes #1, #2", []IssueRef{same(1)}, []IssueRef{same(2)}},
		{"closing not repeated as mention", "see #4. Fixes #4", []IssueRef{same(4)}, nil},
		{"duplicates dropped", "fixes #4 fixes #4 #5 #5", []IssueRef{same(4)}, []IssueRef{same(5)}},
		{"keyword inside a word", "prefixes #12 unfixed #13", nil, []IssueRef{same(12), same(13)}},
		{"keyword without separator", "fixes#12", nil, nil},
		{"html comment ignored", "<!-- Fixes #1 -->\nFixes #2", []IssueRef{same(2)}, nil},
		{"unterminated html comment ignored", "Fixes #2 <!-- fixes #3", []IssueRef{same(2)}, nil},
		{"code ignored", "`fixes #1`\n```\nfixes #2\n```\nfixes #3", []IssueRef{same(3)}, nil},
		{"not a reference", "color #fff, a#1, x&#39;s, #12abc, #0, path/a/b#3", nil, nil},
		{"newline separated", "Fixes\n#6", []IssueRef{same(6)}, nil},
		{"markdown list", "- fixes #6\n- resolves #7", []IssueRef{same(6), same(7)}, nil},
		{"parenthesised", "(fixes #6)", []IssueRef{same(6)}, nil},
		{"keyword in capitals", "CLOSES #6 RESOLVE #7", []IssueRef{same(6), same(7)}, nil},
		{"long s folds to s", "clo\u017fes #6", []IssueRef{same(6)}, nil},
		{"no keyword, no code", "Add a parser (#6)\n\nSee #7.", nil, []IssueRef{same(6), same(7)}},
		{"tilde fence ignored", "~~~\nfixes #1\n~~~\nfixes #2", []IssueRef{same(2)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			closing, mentions := ParseLinks("juspay", "hyperswitch", tt.text)
			assert.Equal(t, tt.closing, closing, "closing")
			assert.Equal(t, tt.mentions, mentions, "mentions")
		})
	}
}

func TestSameRepoNumbers(t *testing.T) {
	refs := []IssueRef{{"o", "r", 1, SourceText}, {"x", "r", 2, SourceGitHub}, {"o", "r", 3, SourceText}}
	assert.Equal(t, []int{1, 3}, sameRepoNumbers("o", "r", refs))
	assert.Equal(t, []int{}, sameRepoNumbers("o", "r", nil))
}

// TestClosingLetters: the letters closingMatches looks for fold to their
// ASCII cases only, so the prefilter cannot miss a match of (?i).
func TestClosingLetters(t *testing.T) {
	for _, c := range "clofixv" {
		for r := unicode.SimpleFold(c); r != c; r = unicode.SimpleFold(r) {
			assert.Less(t, r, rune(utf8.RuneSelf), "%q folds to %q", c, r)
		}
	}
}

func FuzzParseLinks(f *testing.F) {
	for _, s := range []string{"Fixes #1", "see o/r#2", "closes https://github.com/o/r/issues/3", "<!-- #4", "```\n#5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		closing, mentions := ParseLinks("o", "r", text)
		for _, r := range append(closing, mentions...) {
			if r.Number <= 0 || r.Owner == "" || r.Repo == "" {
				t.Fatalf("bad ref %+v from %q", r, text)
			}
		}
		for _, m := range mentions {
			if containsRef(closing, m) {
				t.Fatalf("%v is both closing and mention in %q", m, text)
			}
		}
		// The prefilters skip only what the expressions would not match.
		pat := patternsFor("github.com")
		if got, want := closingMatches(pat, text), pat.closing.FindAllStringSubmatchIndex(text, -1); !reflect.DeepEqual(got, want) {
			t.Fatalf("closing matches %v, want %v in %q", got, want, text)
		}
		if !strings.Contains(text, "<!--") && htmlCommentRE.MatchString(text) ||
			!strings.Contains(text, "```") && !strings.Contains(text, "~~~") && fencedCodeRE.MatchString(text) ||
			!strings.Contains(text, "`") && inlineCodeRE.MatchString(text) {
			t.Fatalf("a code or comment expression matches %q", text)
		}
	})
}
