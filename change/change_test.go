package change_test

import (
	"encoding/json"
	"testing"

	"github.com/sftforge/sftforge/change"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIdentifierString(t *testing.T) {
	tests := []struct {
		c    change.Identifier
		want string
	}{
		{change.Identifier{Op: change.OpAdded, Kind: change.KindFunction, Name: "validate_capture_method", Visibility: "pub"},
			"function: pub::validate_capture_method"},
		{change.Identifier{Op: change.OpAdded, Kind: change.KindMethod, Name: "update", Owner: "PaymentIntent", Visibility: "pub(crate)"},
			"method: pub(crate)::PaymentIntent::update"},
		{change.Identifier{Op: change.OpModified, Kind: change.KindFunction, Name: "f", Visibility: "private",
			Detail: []string{change.DetailSignature, change.DetailBody}},
			"function: private::f (signature, body)"},
		{change.Identifier{Op: change.OpRemoved, Kind: change.KindField, Name: "email", Owner: "Customer", Visibility: "pub",
			Detail: []string{change.DetailBody}},
			"field: pub::Customer::email"}, // detail only for modified
		{change.Identifier{Op: change.OpAdded, Kind: change.KindVariant, Name: "Pending", Owner: "Status", Visibility: change.VisibilityInherited},
			"variant: inherited::Status::Pending"},
		{change.Identifier{Op: change.OpAdded, Kind: change.KindConst, Name: "C"}, "const: private::C"},
		// cfg twins render apart.
		{change.Identifier{Op: change.OpModified, Kind: change.KindStruct, Name: "Payment", Owner: "a::b", Visibility: "pub",
			Cfg: []string{`cfg(feature="v1")`}, Detail: []string{change.DetailFields}},
			`struct: pub::a::b::Payment #[cfg(feature="v1")] (fields)`},
		{change.Identifier{Op: change.OpModified, Kind: change.KindStruct, Name: "Payment", Owner: "a::b", Visibility: "pub",
			Cfg: []string{`cfg(feature="v2")`, "cfg(test)"}, Detail: []string{change.DetailFields}},
			`struct: pub::a::b::Payment #[cfg(feature="v2")] #[cfg(test)] (fields)`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.c.String())
			assert.Equal(t, "- "+tt.want, string(tt.c.Append([]byte("- "))), "Append writes String's line")
		})
	}
}

// The JSON of the values is the record schema: field names, order and
// the line left out.
func TestJSON(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{change.File{Path: "src/b.rs", OldPath: "src/a.rs", Status: change.StatusRenamed, Additions: 1, Deletions: 2},
			`{"path":"src/b.rs","old_path":"src/a.rs","status":"renamed","additions":1,"deletions":2}`},
		{change.Identifier{File: "src/b.rs", Op: change.OpModified, Kind: change.KindFunction, Name: "f", Owner: "m",
			Visibility: "pub", Cfg: []string{}, Detail: []string{"body"}, Line: 7},
			`{"file":"src/b.rs","op":"modified","kind":"function","name":"f","owner":"m","visibility":"pub","cfg":[],"detail":["body"],"test":false}`},
		{change.Identifier{File: "tests/t.rs", Op: change.OpAdded, Kind: change.KindFunction, Name: "it_works",
			Visibility: "private", Cfg: []string{}, Detail: []string{}, Test: true},
			`{"file":"tests/t.rs","op":"added","kind":"function","name":"it_works","owner":"","visibility":"private","cfg":[],"detail":[],"test":true}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.v)
		require.NoError(t, err)
		assert.Equal(t, tt.want, string(b))
	}
}
