package dataset

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sftforge/sftforge/change"
)

// validUTF8Record coerces every text of rec to valid UTF-8 the way
// encoding/json writes it (each invalid byte becomes U+FFFD), so that a
// record kept in memory equals the record read back from its export file.
func validUTF8Record(rec *CommitRecord) {
	fix := func(s *string) { *s = jsonUTF8(*s) }
	// Slices are replaced, not changed in place: a differ may still hold
	// them.
	fixAll := func(ss *[]string) {
		for i, v := range *ss {
			if !utf8.ValidString(v) {
				c := slices.Clone(*ss)
				for j := i; j < len(c); j++ {
					fix(&c[j])
				}
				*ss = c
				return
			}
		}
	}
	md := &rec.Metadata
	for _, s := range []*string{&rec.Prompt, &rec.Response, &md.Commit, &md.Author, &md.MergeAuthor, &md.Date,
		&md.Subject, &md.Body} {
		fix(s)
	}
	fixAll(&md.Parents)
	for i := range md.Files {
		f := &md.Files[i]
		fix(&f.Path)
		fix(&f.OldPath)
		f.Status = change.Status(jsonUTF8(string(f.Status)))
	}
	for i := range md.Changes {
		c := &md.Changes[i]
		for _, s := range []*string{&c.File, &c.Name, &c.Owner, &c.Visibility} {
			fix(s)
		}
		c.Op = change.Op(jsonUTF8(string(c.Op)))
		c.Kind = change.Kind(jsonUTF8(string(c.Kind)))
		fixAll(&c.Cfg)
		fixAll(&c.Detail)
	}
	for i := range md.ParseErrors {
		fix(&md.ParseErrors[i].File)
		fix(&md.ParseErrors[i].Message)
	}
}

// jsonUTF8 returns s with each byte that is not part of a valid UTF-8
// sequence replaced by U+FFFD, as encoding/json encodes strings.
func jsonUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
