package outdir_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/sftforge/sftforge/outdir"
)

// A run writes its output into the stage and swaps it in as a whole; a
// directory that is not an output of this project is never replaced.
func Example() {
	parent, err := os.MkdirTemp("", "outdir-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(parent)
	out := filepath.Join(parent, "dataset")

	for _, text := range []string{"first run\n", "second run\n"} {
		d, err := outdir.Stage(out, outdir.Options{Tool: "example"})
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d.Path(), "train.jsonl"), []byte(text), 0o644); err != nil {
			d.Close()
			log.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			log.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		fmt.Println(e.Name())
	}
	data, _ := os.ReadFile(filepath.Join(out, "train.jsonl"))
	fmt.Print(string(data))

	// A directory of someone else's files is refused.
	notes := filepath.Join(parent, "notes")
	if err := os.MkdirAll(notes, 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(notes, "todo.txt"), []byte("mine\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	_, err = outdir.Stage(notes, outdir.Options{Tool: "example"})
	fmt.Println("refused:", err != nil)
	// Output:
	// .sftforge-output
	// train.jsonl
	// second run
	// refused: true
}
