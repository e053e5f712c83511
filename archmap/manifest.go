package archmap

import (
	"errors"
	"fmt"

	"github.com/BurntSushi/toml"
)

// Manifest is what archmap needs from a Cargo.toml: the package name and the
// workspace member and exclude globs.
type Manifest struct {
	// PackageName is [package] name; empty for a virtual workspace manifest.
	PackageName string
	// Members are the [workspace] members globs, such as "crates/*".
	Members []string
	// Exclude are the [workspace] exclude paths.
	Exclude []string
}

// ParseManifest reads the parts of a Cargo.toml that archmap uses, with
// github.com/BurntSushi/toml. name labels errors, which carry the line:
// "crates/router/Cargo.toml:7: …".
func ParseManifest(name string, data []byte) (Manifest, error) {
	var doc struct {
		Package struct {
			Name any `toml:"name"`
		} `toml:"package"`
		Workspace struct {
			Members []string `toml:"members"`
			Exclude []string `toml:"exclude"`
		} `toml:"workspace"`
	}
	if _, err := toml.Decode(string(data), &doc); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if pe.LastKey != "" {
				msg = fmt.Sprintf("key %q: %s", pe.LastKey, msg)
			}
			return Manifest{}, fmt.Errorf("%s:%d: %s", name, pe.Position.Line, msg)
		}
		return Manifest{}, fmt.Errorf("%s: %w", name, err)
	}
	m := Manifest{Members: doc.Workspace.Members, Exclude: doc.Workspace.Exclude}
	// A name inherited from the workspace (name.workspace = true) is not
	// a string; it names no crate directory of its own.
	if n, ok := doc.Package.Name.(string); ok {
		m.PackageName = n
	}
	return m, nil
}
