package lang_test

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sftforge/sftforge/change"
	"github.com/sftforge/sftforge/lang"
)

// lineDiffer is the differ of a language whose identifiers are its
// non-empty lines: each new line is an added "line", each vanished one a
// removed "line", in a deterministic order.
type lineDiffer struct{ prev []string }

func (d *lineDiffer) Next(src []byte) (lang.FileDiff, error) {
	var next []string
	for _, l := range strings.Split(string(src), "\n") {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(next, l) {
			next = append(next, l)
		}
	}
	var out lang.FileDiff
	for i, l := range next {
		if !slices.Contains(d.prev, l) {
			out.Changes = append(out.Changes, change.Identifier{Op: change.OpAdded, Kind: "line", Name: l, Line: i + 1})
		}
	}
	for _, l := range d.prev {
		if !slices.Contains(next, l) {
			out.Changes = append(out.Changes, change.Identifier{Op: change.OpRemoved, Kind: "line", Name: l})
		}
	}
	d.prev = next
	return out, nil
}

func (d *lineDiffer) Close() {}

// Adding a language is one value: its globs, its differ, its kinds, its
// prompt and, optionally, its own change-line renderer. A caller registers
// it beside the shipped ones, e.g.
//
//	langs := append(dataset.DefaultLanguages(), lines)
//	dataset.RunPipeline(ctx, repo, dataset.PipelineOptions{Export: dataset.ExportOptions{Languages: langs}, …})
//
// and the walk, the export and the merge pick it up; nothing else changes.
func Example() {
	lines := lang.Language{
		Name:         "lines",
		Globs:        []string{"**/*.lines"},
		NewDiffer:    func() lang.Differ { return &lineDiffer{} },
		Kinds:        []lang.Kind{{Kind: "line", Noun: "line of text", Plural: "lines of text"}},
		SystemPrompt: "You edit text files line by line.",
		Render:       func(c change.Identifier) string { return fmt.Sprintf("%q", c.Name) },
	}
	langs := lang.Registry{lines}

	l := langs.For("notes/todo.lines")
	d := l.NewDiffer()
	defer d.Close()
	for _, version := range []string{"buy milk\n", "buy milk\ncall Ada\n", "call Ada\n"} {
		diff, _ := d.Next([]byte(version))
		for _, c := range diff.Changes {
			c.File = "notes/todo.lines"
			fmt.Println(c.Op, langs.Render(c))
		}
	}
	fmt.Println(langs.Globs(), langs.KindNoun("line", 2))
	// Output:
	// added "buy milk"
	// added "call Ada"
	// removed "buy milk"
	// [**/*.lines] lines of text
}
