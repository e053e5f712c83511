package dataset

import (
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// stripOwnNumberRegexp is stripOwnNumber as it was written first, with a
// regular expression: the reference of the hand-written matcher.
func stripOwnNumberRegexp(text string, n int) string {
	if n <= 0 || !strings.Contains(text, "#"+strconv.Itoa(n)) {
		return text
	}
	re := regexp.MustCompile(`\s*\(#` + strconv.Itoa(n) + `\)|\s?#` + strconv.Itoa(n) + `\b`)
	return strings.TrimSpace(re.ReplaceAllString(text, ""))
}

func TestStripOwnNumber(t *testing.T) {
	tests := []struct {
		text string
		n    int
		want string
	}{
		{"feat: add refunds (#12)", 12, "feat: add refunds"},
		{"feat: add refunds  \t(#12) and more", 12, "feat: add refunds and more"},
		{"fix #12 and #123 and #12a and #12_ and #12é", 12, "fix and #123 and #12a and #12_ andé"},
		{"#12", 12, ""},
		{"(#12)(#12) #12#12", 12, ""},
		{"refs #13 (#14)", 12, "refs #13 (#14)"},
		{"  spaces kept when nothing matches  ", 12, "  spaces kept when nothing matches  "},
		{"x\v#12 y\f#12 z\n(#12)", 12, "x\v y z"},
		{"no number", 0, "no number"},
		{"negative #-1", -1, "negative #-1"},
		{"(#12 ) ( #12) (#12", 12, "( ) () ("},
		{"日本 #12 語 (#12)", 12, "日本 語"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, stripOwnNumber(tt.text, tt.n), "%q", tt.text)
		assert.Equal(t, stripOwnNumberRegexp(tt.text, tt.n), stripOwnNumber(tt.text, tt.n), "%q: as the expression", tt.text)
	}
	r := rand.New(rand.NewPCG(21, 22))
	atoms := []string{"#12", "#1", "#123", "(#12)", "(", ")", "#", "12", " ", "  ", "\t", "\n", "\v", "\f", "\r", "a", "_", "é", "x", "(#1)"}
	for range 3000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(atoms[r.IntN(len(atoms))])
		}
		for _, n := range []int{1, 12} {
			assert.Equal(t, stripOwnNumberRegexp(b.String(), n), stripOwnNumber(b.String(), n), "%q, %d", b.String(), n)
		}
	}
}

// FuzzStripOwnNumber compares the matcher with the regular expression.
func FuzzStripOwnNumber(f *testing.F) {
	f.Add("feat: x (#12) #12", 12)
	f.Fuzz(func(t *testing.T, text string, n int) {
		if n > 1<<20 {
			n %= 1 << 20
		}
		assert.Equal(t, stripOwnNumberRegexp(text, n), stripOwnNumber(text, n), "%q, %d", text, n)
	})
}
