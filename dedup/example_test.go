package dedup_test

import (
	"fmt"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/dedup"
)

func ExampleChangeID() {
	files := []change.File{{Path: "src/lib.rs", Status: change.StatusModified, Additions: 3, Deletions: 1}}
	idents := []change.Identifier{{File: "src/lib.rs", Op: change.OpAdded, Kind: change.KindFunction, Name: "run", Visibility: "pub"}}
	original := dedup.ChangeID(files, idents)
	cherryPick := dedup.ChangeID(files, idents) // another SHA, date and message: the same change
	revert := dedup.ChangeID(files, []change.Identifier{{File: "src/lib.rs", Op: change.OpRemoved,
		Kind: change.KindFunction, Name: "run", Visibility: "pub"}})
	fmt.Println(original == cherryPick, original == revert)
	// Output: true false
}

func ExampleNearOptions_Find() {
	texts := []string{ // newest first
		"Add retries to the webhook sender. Files: crates/router/src/webhooks.rs: add function retry_webhook (commit 9f8e7d6c5b4a)",
		"Fix the refund status mapping of the Adyen connector",
		"add retries to the webhook sender. files: crates/router/src/webhooks.rs: add function retry_webhook (commit 1a2b3c4d5e6f)",
	}
	matches, err := dedup.NearOptions{Threshold: 0.85}.Find(len(texts), func(i int) string { return texts[i] })
	if err != nil {
		panic(err)
	}
	for i, m := range matches {
		if m.Of >= 0 {
			fmt.Printf("text %d repeats text %d (Jaccard %.2f)\n", i, m.Of, m.Similarity)
		}
	}
	// Output: text 2 repeats text 0 (Jaccard 1.00)
}
