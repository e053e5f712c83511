package rustparse

import (
	"bytes"
	"fmt"
	"math/rand/v2"
)

// generateRust writes a deterministic, real-world-shaped Rust file of at
// least size bytes: imports, documented structs with serde attributes and
// cfg twins, enums, inherent and trait impls with match-heavy methods,
// free functions, macros, and a cfg(test) module.
func generateRust(size int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var b bytes.Buffer
	b.WriteString("//! Generated connector module.\n\nuse std::collections::HashMap;\nuse serde::{Deserialize, Serialize};\nuse crate::{core::errors, types::api};\n\n")
	for i := 0; b.Len() < size; i++ {
		writeConnector(&b, r, i)
	}
	b.WriteString("#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn it_builds() {\n        assert_eq!(1 + 1, 2);\n    }\n}\n")
	return b.Bytes()
}

var genTypes = []string{"String", "i64", "Option<String>", "Vec<u8>", "bool", "common_utils::types::MinorUnit",
	"Secret<String>", "HashMap<String, serde_json::Value>", "Option<Box<PaymentMethodData>>"}

func writeConnector(b *bytes.Buffer, r *rand.Rand, i int) {
	name := fmt.Sprintf("Connector%dPaymentsRequest", i)
	cfg := ""
	if i%7 == 3 {
		cfg = "#[cfg(feature = \"v1\")]\n"
	}
	fmt.Fprintf(b, "/// Request body of connector %d.\n///\n/// Sent on authorize and capture.\n", i)
	fmt.Fprintf(b, "%s#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]\n#[serde(rename_all = \"camelCase\")]\npub struct %s {\n", cfg, name)
	nf := 3 + r.IntN(8)
	for f := range nf {
		if r.IntN(4) == 0 {
			b.WriteString("    #[serde(skip_serializing_if = \"Option::is_none\")]\n")
		}
		fmt.Fprintf(b, "    /// Field %d.\n    pub field_%d: %s,\n", f, f, genTypes[r.IntN(len(genTypes))])
	}
	b.WriteString("}\n\n")
	if cfg != "" {
		fmt.Fprintf(b, "#[cfg(feature = \"v2\")]\n#[derive(Debug, Clone)]\npub struct %s {\n    pub amount: MinorUnit,\n}\n\n", name)
	}
	fmt.Fprintf(b, "#[derive(Debug, Clone, Copy, Serialize, Deserialize)]\npub enum Connector%dStatus {\n", i)
	for v := range 2 + r.IntN(6) {
		switch r.IntN(3) {
		case 0:
			fmt.Fprintf(b, "    Status%d,\n", v)
		case 1:
			fmt.Fprintf(b, "    Status%d(String),\n", v)
		default:
			fmt.Fprintf(b, "    Status%d { code: u16, message: Option<String> },\n", v)
		}
	}
	b.WriteString("}\n\n")
	fmt.Fprintf(b, "impl %s {\n", name)
	for m := range 2 + r.IntN(4) {
		fmt.Fprintf(b, "    /// Method %d.\n    pub(crate) fn method_%d(&self, input: &str) -> Result<Option<String>, errors::ConnectorError> {\n", m, m)
		writeBody(b, r, 2)
		b.WriteString("    }\n\n")
	}
	b.WriteString("}\n\n")
	fmt.Fprintf(b, "impl TryFrom<&types::PaymentsAuthorizeRouterData> for %s {\n    type Error = error_stack::Report<errors::ConnectorError>;\n\n", name)
	b.WriteString("    fn try_from(item: &types::PaymentsAuthorizeRouterData) -> Result<Self, Self::Error> {\n")
	writeBody(b, r, 2)
	b.WriteString("    }\n}\n\n")
	fmt.Fprintf(b, "pub fn build_request_%d<T>(req: &T, headers: &mut Vec<(String, String)>) -> CustomResult<(), errors::ConnectorError>\nwhere\n    T: Serialize + std::fmt::Debug,\n{\n", i)
	writeBody(b, r, 1)
	b.WriteString("}\n\n")
	if i%5 == 0 {
		fmt.Fprintf(b, "macro_rules! impl_connector_%d {\n    ($t:ty) => {\n        impl $t { pub fn id() -> u32 { %d } }\n    };\n}\n\n", i, i)
		fmt.Fprintf(b, "pub const CONNECTOR_%d_BASE_URL: &str = \"https://api.connector%d.example/v1\";\n\n", i, i)
	}
}

func writeBody(b *bytes.Buffer, r *rand.Rand, depth int) {
	ind := bytes.Repeat([]byte("    "), depth)
	fmt.Fprintf(b, "%slet value = input.trim().to_string(); // normalise\n", ind)
	fmt.Fprintf(b, "%smatch value.as_str() {\n", ind)
	for a := range 2 + r.IntN(5) {
		fmt.Fprintf(b, "%s    \"case_%d\" => {\n%s        let mut map = HashMap::new();\n%s        map.insert(\"k%d\".to_string(), format!(\"{}-{}\", value, %d));\n%s        Ok(Some(map.len().to_string()))\n%s    }\n",
			ind, a, ind, ind, a, r.IntN(1000), ind, ind)
	}
	fmt.Fprintf(b, "%s    _ => Err(errors::ConnectorError::MissingRequiredField { field_name: \"value\" })?,\n%s}\n", ind, ind)
}

// mutateValid returns generated source src with one edit of the kinds a
// commit makes that keeps it valid Rust: a changed statement, a new
// function, a removed function, a new field, or imports and items added at
// both ends of the file.
func mutateValid(r *rand.Rand, src []byte) []byte {
	lines := bytes.SplitAfter(src, []byte("\n"))
	pick := func(prefix string) int {
		var idx []int
		for i, l := range lines {
			if bytes.HasPrefix(l, []byte(prefix)) {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			return -1
		}
		return idx[r.IntN(len(idx))]
	}
	splice := func(at, drop int, insert ...string) []byte {
		out := make([][]byte, 0, len(lines)+len(insert))
		out = append(out, lines[:at]...)
		for _, s := range insert {
			out = append(out, []byte(s))
		}
		out = append(out, lines[at+drop:]...)
		return bytes.Join(out, nil)
	}
	switch r.IntN(5) {
	case 0: // change a statement
		if i := pick("        let value ="); i >= 0 {
			return splice(i, 1, fmt.Sprintf("        let value = input.trim().to_lowercase().repeat(%d);\n", 1+r.IntN(5)))
		}
	case 1: // add a function before a top-level item
		if i := pick("pub fn "); i >= 0 {
			return splice(i, 0, fmt.Sprintf("pub fn added_%d(x: u64) -> u64 {\n    x.saturating_mul(%d)\n}\n\n", r.IntN(1e6), r.IntN(100)))
		}
	case 2: // remove a top-level function
		if i := pick("pub fn "); i >= 0 {
			end := i
			for end < len(lines) && string(lines[end]) != "}\n" {
				end++
			}
			if end < len(lines) {
				return splice(i, end-i+1)
			}
		}
	case 3: // add a field
		if i := pick("pub struct "); i >= 0 && bytes.HasSuffix(lines[i], []byte("{\n")) {
			return splice(i+1, 0, fmt.Sprintf("    pub added_%d: Option<String>,\n", r.IntN(1e6)))
		}
	case 4: // both ends
		out := append([]byte("use std::fmt::Write as _;\n"), src...)
		return append(out, fmt.Sprintf("\npub struct Tail%d;\n", r.IntN(1e6))...)
	}
	return append(append([]byte(nil), src...), "\npub fn appended() {}\n"...)
}
