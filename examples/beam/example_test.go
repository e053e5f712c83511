package main

import (
	"fmt"
	"strings"
)

func ExampleParseSources() {
	srcs, err := ParseSources(strings.NewReader(`
# one source a line, then options
juspay/hyperswitch max-commits=2000 shards=8
/srv/git/payments.git rev=release-1.2 name=acme/payments  # a local bare repository
`), "sources.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range srcs {
		fmt.Printf("%s name=%q max-commits=%d shards=%d rev=%q\n", s.Location, s.Name, s.MaxCommits, s.Shards, s.Rev)
	}
	// Output:
	// https://github.com/juspay/hyperswitch.git name="juspay/hyperswitch" max-commits=2000 shards=8 rev=""
	// /srv/git/payments.git name="acme/payments" max-commits=0 shards=0 rev="release-1.2"
}
