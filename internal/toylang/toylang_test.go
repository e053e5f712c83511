package toylang_test

import (
	"testing"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/internal/toylang"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDiffer(t *testing.T) {
	d := toylang.NewDiffer()
	defer d.Close()
	steps := []struct {
		src    string
		want   []string
		errors []int
	}{
		{"rule greet = hi\n# comment\n\nfact pi = 3\n", []string{"added toy rule greet", "added toy fact pi"}, nil},
		{"rule greet = hi\nfact pi = 3\n", nil, nil},
		{"rule greet = hello\nfact pi = 3\nnonsense\n", []string{"modified toy rule greet (body)"}, []int{3}},
		{"fact pi = 3\nrule greet = hello\n", nil, nil}, // order is not identity
		{"fact greet = hello\n", []string{"added toy fact greet", "removed toy fact pi", "removed toy rule greet"}, nil},
	}
	for i, s := range steps {
		diff, err := d.Next([]byte(s.src))
		require.NoError(t, err)
		var got []string
		for _, c := range diff.Changes {
			got = append(got, string(c.Op)+" "+toylang.Render(c))
		}
		assert.Equal(t, s.want, got, "step %d", i)
		var lines []int
		for _, e := range diff.Errors {
			lines = append(lines, e.Line)
		}
		assert.Equal(t, s.errors, lines, "step %d", i)
	}
	diff, err := d.Next(nil)
	require.NoError(t, err)
	require.Len(t, diff.Changes, 1)
	assert.Equal(t, change.OpRemoved, diff.Changes[0].Op)
}

func TestLanguage(t *testing.T) {
	l := toylang.Language()
	assert.True(t, l.Matches("a/b.toy"))
	assert.False(t, l.Matches("a/b.rs"))
	w, ok := l.KindNoun(toylang.KindRule, 2)
	assert.True(t, ok)
	assert.Equal(t, "rewrite rules", w)
}
