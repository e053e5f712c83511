package change_test

import (
	"fmt"

	"github.com/sftforge/sftforge/change"
)

func ExampleIdentifier_String() {
	changes := []change.Identifier{
		{Op: change.OpAdded, Kind: change.KindFunction, Name: "validate_capture_method", Visibility: "pub"},
		{Op: change.OpModified, Kind: change.KindMethod, Name: "update", Owner: "PaymentIntent",
			Visibility: "pub(crate)", Detail: []string{change.DetailBody}},
		{Op: change.OpModified, Kind: change.KindStruct, Name: "Payment", Visibility: "pub",
			Cfg: []string{`cfg(feature="v1")`}, Detail: []string{change.DetailFields}},
		{Op: change.OpModified, Kind: change.KindStruct, Name: "Payment", Visibility: "pub",
			Cfg: []string{`cfg(feature="v2")`}, Detail: []string{change.DetailFields}},
	}
	for _, c := range changes {
		fmt.Println(c.Op, c)
	}
	// Output:
	// added function: pub::validate_capture_method
	// modified method: pub(crate)::PaymentIntent::update (body)
	// modified struct: pub::Payment #[cfg(feature="v1")] (fields)
	// modified struct: pub::Payment #[cfg(feature="v2")] (fields)
}
