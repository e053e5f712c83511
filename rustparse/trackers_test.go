package rustparse

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTrackersBudget(t *testing.T) {
	s := NewTrackers(100)
	defer s.Close()
	a := []byte("pub fn a() {}\n// padding padding padding padding padding padding\n")
	b := []byte("pub fn b() {}\n// padding padding padding padding padding padding\n")
	_, _, err := s.Changes("a.rs", a)
	require.NoError(t, err)
	assert.Equal(t, len(a), s.HeldBytes())
	_, _, err = s.Changes("b.rs", b)
	require.NoError(t, err)
	// Both do not fit: a.rs, the least recent, was released.
	assert.Equal(t, len(b), s.HeldBytes())

	// A released tracker still diffs against its last version.
	cs, _, err := s.Changes("a.rs", []byte("pub fn a() { x() }\n"))
	require.NoError(t, err)
	require.Len(t, cs, 1)
	assert.Equal(t, "function: pub a (body)", cs[0].Rich())
}

func TestTrackersRenameRemove(t *testing.T) {
	s := NewTrackers(1 << 20)
	defer s.Close()
	_, _, err := s.Changes("old.rs", []byte("fn f() {}\n"))
	require.NoError(t, err)
	s.Rename("old.rs", "new.rs")
	cs, _, err := s.Changes("new.rs", []byte("fn f() {}\nfn g() {}\n"))
	require.NoError(t, err)
	require.Equal(t, []string{"function: private::g"}, changeStrings(cs))

	s.Remove("new.rs")
	assert.Zero(t, s.HeldBytes())
	cs, _, err = s.Changes("new.rs", []byte("fn f() {}\n"))
	require.NoError(t, err)
	require.Equal(t, []string{"function: private::f"}, changeStrings(cs))
}
