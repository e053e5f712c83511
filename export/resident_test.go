package export

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sftforge/sftforge/lang"
)

// fakeDiffer records Release and Close calls.
type fakeDiffer struct{ released, closed int }

func (d *fakeDiffer) Next([]byte) (lang.FileDiff, error) { return lang.FileDiff{}, nil }
func (d *fakeDiffer) Close()                             { d.closed++ }

type releasingDiffer struct{ fakeDiffer }

func (d *releasingDiffer) Release() { d.released++ }

// TestResidentFiles: the least recently used files go first once the
// budget is exceeded; a releasing differ is kept (its tree freed), any
// other differ is closed and forgotten; the newest file always stays.
func TestResidentFiles(t *testing.T) {
	type put struct {
		path      string
		size      int64
		releasing bool
	}
	tests := []struct {
		name         string
		budget       int64
		puts         []put
		wantResident []string // most recent first
		wantReleased []string
		wantClosed   []string
	}{
		{"no budget keeps all", 0, []put{{"a", 10, false}, {"b", 10, true}}, []string{"b", "a"}, nil, nil},
		{"within budget", 30, []put{{"a", 10, false}, {"b", 20, true}}, []string{"b", "a"}, nil, nil},
		{"oldest closed", 25, []put{{"a", 10, false}, {"b", 20, true}}, []string{"b"}, nil, []string{"a"}},
		{"oldest released", 25, []put{{"a", 10, true}, {"b", 20, false}}, []string{"b"}, []string{"a"}, nil},
		{"newest stays over budget", 5, []put{{"a", 10, true}, {"b", 20, true}}, []string{"b"}, []string{"a"}, nil},
		{"put again refreshes", 25, []put{{"a", 10, false}, {"b", 10, false}, {"a", 10, false}, {"c", 10, false}}, []string{"c", "a"}, nil, []string{"b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newResidentFiles(tt.budget)
			differs := map[string]lang.Differ{}
			for _, p := range tt.puts {
				st := r.take(p.path)
				if st == nil {
					var d lang.Differ = &fakeDiffer{}
					if p.releasing {
						d = &releasingDiffer{}
					}
					st = &fileState{path: p.path, differ: d}
					differs[p.path] = d
				}
				st.size = p.size
				r.put(st)
			}
			var resident []string
			for e := r.lru.Front(); e != nil; e = e.Next() {
				resident = append(resident, e.Value.(*fileState).path)
			}
			assert.Equal(t, tt.wantResident, resident)
			var released, closed []string
			for path, d := range differs {
				switch d := d.(type) {
				case *releasingDiffer:
					if d.released > 0 {
						released = append(released, path)
						assert.Contains(t, r.released, path)
					}
				case *fakeDiffer:
					if d.closed > 0 {
						closed = append(closed, path)
					}
				}
			}
			assert.ElementsMatch(t, tt.wantReleased, released)
			assert.ElementsMatch(t, tt.wantClosed, closed)
			// A released file is taken back whole.
			for _, path := range tt.wantReleased {
				st := r.take(path)
				if assert.NotNil(t, st) {
					assert.Same(t, differs[path], st.differ)
				}
			}
			r.closeAll()
			assert.Zero(t, r.bytes)
		})
	}
}
