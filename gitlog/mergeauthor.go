package gitlog

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// commitAuthor reads the author of commit h from its raw object, without
// decoding the rest: for a merge commit, the author of its second parent is
// the author of the merged branch ([Commit.MergeAuthor]).
func (r *Repository) commitAuthor(h plumbing.Hash) (Signature, error) {
	raw, err := r.readObject(plumbing.CommitObject, h, 0)
	if err != nil {
		return Signature{}, err
	}
	for len(raw) > 0 {
		line, rest, _ := bytes.Cut(raw, []byte{'\n'})
		if len(line) == 0 {
			break // end of the header
		}
		if sig, ok := bytes.CutPrefix(line, []byte("author ")); ok {
			return parseSignature(sig), nil
		}
		raw = rest
	}
	return Signature{}, fmt.Errorf("commit %s: corrupt object: no author line", h)
}

// parseSignature decodes "Name <email> 1700000000 +0100"; missing parts
// stay zero.
func parseSignature(b []byte) Signature {
	var s Signature
	lt, gt := bytes.LastIndexByte(b, '<'), bytes.LastIndexByte(b, '>')
	if lt < 0 || gt < lt {
		s.Name = string(bytes.TrimSpace(b))
		return s
	}
	s.Name = string(bytes.TrimSpace(b[:lt]))
	s.Email = string(b[lt+1 : gt])
	fields := bytes.Fields(b[gt+1:])
	if len(fields) == 0 {
		return s
	}
	secs, err := strconv.ParseInt(string(fields[0]), 10, 64)
	if err != nil {
		return s
	}
	loc := time.UTC
	if len(fields) > 1 && len(fields[1]) == 5 {
		if tz, err := strconv.Atoi(string(fields[1][1:])); err == nil {
			off := (tz/100*60 + tz%100) * 60
			if fields[1][0] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		}
	}
	s.When = time.Unix(secs, 0).In(loc)
	return s
}
