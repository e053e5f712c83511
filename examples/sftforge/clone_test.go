package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCloneURL(t *testing.T) {
	tests := []struct {
		apiURL, want, wantErr string
	}{
		{"", "https://github.com/o/r.git", ""},
		{"https://api.github.com/", "https://github.com/o/r.git", ""},
		{"https://ghe.example.com/api/v3", "https://ghe.example.com/o/r.git", ""},
		{"https://ghe.example.com/api/v3/", "https://ghe.example.com/o/r.git", ""},
		{"http://ghe.example.com:8080/api/v3", "http://ghe.example.com:8080/o/r.git", ""},
		{"https://example.com/ghe/api/v3", "https://example.com/ghe/o/r.git", ""},
		{"https://api.acme.ghe.com", "https://acme.ghe.com/o/r.git", ""},
		{"https://user:secret@ghe.example.com/api/v3", "https://ghe.example.com/o/r.git", ""},
		{"ghe.example.com/api/v3", "", `--api-url "ghe.example.com/api/v3": want an http(s) URL`},
		{"ftp://ghe.example.com/api/v3", "", "want an http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(tt.apiURL, func(t *testing.T) {
			got, err := cloneURL(tt.apiURL, "o", "r")
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			assert.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
