package license_test

import (
	"fmt"
	"testing/fstest"

	"github.com/sftforge/sftforge/license"
)

// A workspace whose crates inherit its licence, and one crate with its own.
func ExampleDetector_Detect() {
	rev := fstest.MapFS{
		"Cargo.toml":              {Data: []byte("[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\nlicense = \"MIT OR Apache-2.0\"\n")},
		"crates/core/Cargo.toml":  {Data: []byte("[package]\nname = \"core\"\nlicense.workspace = true\n")},
		"crates/extra/Cargo.toml": {Data: []byte("[package]\nname = \"extra\"\nlicense = \"BSD-3-Clause\"\n")},
	}
	var d license.Detector
	for _, paths := range [][]string{
		{"crates/core/src/lib.rs"},
		{"crates/core/src/lib.rs", "crates/extra/src/lib.rs"},
	} {
		expr, err := d.Detect(rev, paths)
		fmt.Println(expr, err)
		ok, _ := license.Satisfies(expr, []string{"MIT", "Apache-2.0"})
		fmt.Println("permissive:", ok)
	}
	// Output:
	// MIT OR Apache-2.0 <nil>
	// permissive: true
	// (MIT OR Apache-2.0) AND BSD-3-Clause <nil>
	// permissive: false
}
