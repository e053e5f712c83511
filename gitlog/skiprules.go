package gitlog

import (
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-enry/go-enry/v2"
	"github.com/go-enry/go-enry/v2/data"
)

// skipRules applies go-enry's vendored and generated rules. The path rules
// are regular expressions that cost more than a small diff, and a walk sees
// the same paths over and over, so their verdicts are kept per path; only
// the content rules run for every blob. Safe for concurrent use.
type skipRules struct {
	verdicts sync.Map // path -> pathVerdict
}

type pathVerdict struct {
	vendored, generatedByName bool
}

func (s *skipRules) pathVerdict(path string) pathVerdict {
	if v, ok := s.verdicts.Load(path); ok {
		return v.(pathVerdict)
	}
	v := pathVerdict{vendored: enry.IsVendor(path)}
	if _, ok := data.GeneratedCodeExtensions[strings.ToLower(filepath.Ext(path))]; ok {
		v.generatedByName = true
	}
	for _, m := range data.GeneratedCodeNameMatchers {
		if !v.generatedByName && m(path) {
			v.generatedByName = true
		}
	}
	s.verdicts.Store(path, v)
	return v
}

// vendored reports go-enry's IsVendor for path.
func (s *skipRules) vendored(path string) bool {
	return s.pathVerdict(path).vendored
}

// generated reports go-enry's IsGenerated for path and content.
func (s *skipRules) generated(path string, content []byte) bool {
	if s.pathVerdict(path).generatedByName {
		return true
	}
	ext := strings.ToLower(filepath.Ext(path))
	lower := strings.ToLower(path)
	for _, m := range data.GeneratedCodeMatchers {
		if m(lower, ext, content) {
			return true
		}
	}
	return false
}
