package github

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeJSONL(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
		want              int
	}{
		{"empty", "", "", 0},
		{"two records and a blank line", "{\"number\":1}\n\n{\"number\":2}\n", "", 2},
		{"bad json names the line", "{\"number\":1}\n{\"number\":\n", "2: ", 1},
		{"truncated last line", "{\"number\":1}\n{\"number\":2", "2: truncated record", 1},
		{"wrong type", "{\"number\":\"x\"}\n", "1: ", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeJSONL[PR](strings.NewReader(tt.in))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.True(t, strings.HasPrefix(err.Error(), tt.wantErr), err.Error())
			} else {
				require.NoError(t, err)
			}
			assert.Len(t, got, tt.want)
		})
	}
}

func FuzzDecodeJSONL(f *testing.F) {
	f.Add("{\"number\":1,\"labels\":[\"a\"]}\n")
	f.Add("{\"number\":1}\n{\"num")
	f.Add("\n\n[]\n")
	f.Fuzz(func(t *testing.T, in string) {
		prs, err := decodeJSONL[PR](strings.NewReader(in))
		if err == nil && strings.TrimSpace(in) != "" && !strings.HasSuffix(in, "\n") && strings.TrimSpace(in[strings.LastIndex(in, "\n")+1:]) != "" {
			t.Fatalf("a last line without newline must be an error: %q", in)
		}
		_ = prs
	})
}
