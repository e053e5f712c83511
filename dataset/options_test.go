package dataset

import "testing"

// testOptions returns merge and write options as the binaries build them
// from their flags (internal/cli.DatasetFlags.Options) for preset auto,
// the sft format and the date split, with the given validation share,
// least identifier changes and redaction, and no response budget.
func testOptions(t *testing.T, source string, validation float64, minIdentifiers int, redaction bool) (MergeOptions, WriteOptions) {
	t.Helper()
	mo := MergeOptions{Preset: PresetAuto, Filters: FilterOptions{MinIdentifierChanges: minIdentifiers}}
	if redaction {
		r, err := NewRedactor("", false)
		if err != nil {
			t.Fatal(err)
		}
		mo.Redactor = r
	}
	wo := WriteOptions{Format: FormatSFT, Source: source, Split: SplitOptions{Validation: validation, Method: SplitByDate}}
	return mo, wo
}
