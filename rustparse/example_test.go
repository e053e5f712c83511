package rustparse_test

import (
	"fmt"

	"github.com/sftforge/sftforge/rustparse"
)

func Example() {
	old := []byte(`
pub struct PlacetopayPayment { pub amount: i64 }

impl PaymentIntent {
    pub(crate) fn update(&mut self) { self.version += 1; }
}
`)
	new := []byte(`
#[derive(Debug)]
pub struct PlacetopayPayment { pub amount: i64, pub currency: String }

impl PaymentIntent {
    pub(crate) fn update(&mut self) {
        self.version += 2; // now by two
    }
}

pub fn validate_capture_method() -> bool { true }
`)
	changes, err := rustparse.DiffSource(old, new)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range changes {
		fmt.Printf("%-8s %s\n", c.Op, c)
	}
	// Output:
	// modified struct: pub::PlacetopayPayment (attributes, fields)
	// added    field: pub::PlacetopayPayment::currency
	// modified method: pub(crate)::PaymentIntent::update (body)
	// added    function: pub::validate_capture_method
}

func ExampleTracker() {
	tr := rustparse.NewTracker()
	defer tr.Close()
	versions := []string{
		"pub fn a() {}\n",
		"pub fn a() {}\n\nfn b() -> u8 { 1 }\n",
		"pub fn a() { b(); }\n\nfn b() -> u8 { 1 }\n",
	}
	for i, v := range versions {
		changes, _, err := tr.Changes([]byte(v))
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, c := range changes {
			fmt.Printf("version %d: %s %s\n", i, c.Op, c)
		}
	}
	// Output:
	// version 0: added function: pub::a
	// version 1: added function: private::b
	// version 2: modified function: pub::a (body)
}
