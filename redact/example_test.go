package redact_test

import (
	"fmt"
	"log"

	"github.com/sftforge/sftforge/redact"
)

func Example() {
	r, err := redact.New(redact.Config{Mentions: true})
	if err != nil {
		log.Fatal(err)
	}
	text := "Thanks @octocat! CI now reads GH_TOKEN=ghp_Zq8vXw3LkR5tY7uP0aS2dF4gH6jK9lM1nB3c\n" +
		"DATABASE_URL=postgres://app:Pq7-xR2m9Lk4@db.example.com/app\n" +
		"Signed-off-by: Jane Doe <jane.doe@example.com>"
	clean, findings := r.Redact(text)
	fmt.Println(clean)

	var counts redact.Counts
	counts.Add(findings)
	fmt.Println(counts)
	fmt.Printf("placeholder share: %.2f\n", redact.PlaceholderShare("<REDACTED:github-pat>"))
	// Output:
	// Thanks <USER>! CI now reads GH_TOKEN=<REDACTED:github-pat>
	// DATABASE_URL=postgres://app:<REDACTED:url-password>@db.example.com/app
	// Signed-off-by: Jane Doe <<EMAIL>>
	// map[email:1 github-pat:1 mention:1 url-password:1]
	// placeholder share: 1.00
}
