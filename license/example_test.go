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

// Many lookups at one revision: each directory is resolved once, and a
// result reports whether it depends only on the files license.Affects
// reports (then it holds at every revision where those did not change).
func ExampleDetector_At() {
	rev := fstest.MapFS{
		"Cargo.toml":          {Data: []byte("[workspace]\nmembers = [\"app\", \"vendored\"]\n\n[workspace.package]\nlicense = \"MIT\"\n")},
		"app/Cargo.toml":      {Data: []byte("[package]\nname = \"app\"\nlicense.workspace = true\n")},
		"vendored/Cargo.toml": {Data: []byte("[package]\nname = \"vendored\"\nlicense-file = \"NOTICE.txt\"\n")},
		"vendored/NOTICE.txt": {Data: []byte("Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n")},
	}
	var d license.Detector
	at := d.At(rev)
	for _, paths := range [][]string{
		{"app/src/main.rs"},
		{"app/src/cli.rs", "app/src/main.rs"},
		{"vendored/src/lib.rs"},
	} {
		expr, tracked, err := at.Detect(paths)
		fmt.Println(expr, tracked, err)
	}
	// Output:
	// MIT true <nil>
	// MIT true <nil>
	// MIT false <nil>
}
