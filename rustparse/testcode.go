package rustparse

import "strings"

// IsTestItem reports whether an item is test code: compiled only under
// cfg(test) (it or an enclosing item has #[cfg(test)], or #[cfg(all(test,
// …))]), or a test or benchmark function by its attribute: #[test],
// #[bench], or an attribute whose path ends in test (#[tokio::test],
// #[sqlx::test], #[async_std::test(…)], #[test_log::test]) or names a
// test framework's case (#[rstest], #[test_case(…)], #[quickcheck],
// #[proptest]).
func IsTestItem(it *Item) bool {
	for _, c := range it.Cfg {
		if cfgNeedsTest(c) {
			return true
		}
	}
	for _, a := range it.Attrs {
		if isTestAttr(a) {
			return true
		}
	}
	return false
}

// cfgNeedsTest reports whether a normalized cfg attribute ("cfg(test)",
// "cfg(all(test,feature=\"x\"))") holds only when testing.
func cfgNeedsTest(cfg string) bool {
	inner, ok := strings.CutPrefix(strings.ReplaceAll(cfg, " ", ""), "cfg(")
	if !ok {
		return false
	}
	inner = strings.TrimSuffix(inner, ")")
	if inner == "test" {
		return true
	}
	args, ok := strings.CutPrefix(inner, "all(")
	if !ok {
		return false
	}
	args = strings.TrimSuffix(args, ")")
	depth, start := 0, 0
	for i := 0; i <= len(args); i++ {
		if i == len(args) || (args[i] == ',' && depth == 0) {
			if args[start:i] == "test" {
				return true
			}
			start = i + 1
			continue
		}
		switch args[i] {
		case '(':
			depth++
		case ')':
			depth--
		}
	}
	return false
}

// testAttrs are attribute paths that mark a test case by themselves.
var testAttrs = map[string]bool{"test": true, "bench": true, "rstest": true, "test_case": true,
	"quickcheck": true, "proptest": true, "wasm_bindgen_test": true}

// isTestAttr reports whether a normalized attribute (without #[ ]) marks
// a test or benchmark function.
func isTestAttr(attr string) bool {
	path := attr
	if i := strings.IndexAny(path, "(= "); i >= 0 {
		path = path[:i]
	}
	if testAttrs[path] {
		return true
	}
	i := strings.LastIndex(path, "::")
	return i >= 0 && (path[i+2:] == "test" || path[i+2:] == "bench")
}
