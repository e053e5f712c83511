package rustparse

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsTestItem(t *testing.T) {
	src := `
pub fn code() {}

#[test]
fn plain() {}

#[tokio::test(flavor = "multi_thread")]
async fn with_tokio() {}

#[sqlx::test]
async fn with_sqlx() {}

#[rstest]
#[case(1)]
fn cases(#[case] x: u32) {}

#[bench]
fn speed(b: &mut Bencher) {}

#[cfg(test)]
mod tests {
    use super::*;
    fn helper() -> u32 { 1 }
    struct Fixture { field: u32 }
}

#[cfg(all(test, feature = "v1"))]
fn v1_helper() {}

#[cfg(not(test))]
fn not_in_tests() {}

#[cfg(any(test, feature = "x"))]
fn sometimes() {}

#[derive(Debug)]
#[serde(rename = "test")]
struct Named;

#[cfg_attr(test, derive(Debug))]
struct AttrOnly;
`
	f, err := Parse([]byte(src))
	require.NoError(t, err)
	got := map[string]bool{}
	for i := range f.Items {
		got[f.Items[i].Key()] = IsTestItem(&f.Items[i])
	}
	want := map[string]bool{
		"function:code": false, "function:plain": true, "function:with_tokio": true, "function:with_sqlx": true,
		"function:cases": true, "function:speed": true, "mod:tests#[cfg(test)]": true,
		"function:tests::helper#[cfg(test)]": true, "struct:tests::Fixture#[cfg(test)]": true,
		"field:tests::Fixture::field#[cfg(test)]":           true,
		`function:v1_helper#[cfg(all(test, feature="v1"))]`: true, "function:not_in_tests#[cfg(not(test))]": false,
		`function:sometimes#[cfg(any(test, feature="x"))]`: false, "struct:Named": false, "struct:AttrOnly": false,
	}
	for k, w := range want {
		v, ok := got[k]
		if assert.True(t, ok, "no item %s in %v", k, got) {
			assert.Equal(t, w, v, k)
		}
	}
	changes := Diff(nil, f)
	for _, c := range changes {
		if c.Name == "plain" {
			assert.True(t, c.Test, "the change carries it")
		}
		if c.Name == "code" {
			assert.False(t, c.Test)
		}
	}
}

// BenchmarkIsTestItem is the test-code rule over every item of the
// benchmark source: compare with BenchmarkParse, which extracts them (the
// rule runs once per changed item, a fraction of the items parsed).
func BenchmarkIsTestItem(b *testing.B) {
	f, err := Parse(benchSource)
	require.NoError(b, err)
	b.ReportMetric(float64(len(f.Items)), "items")
	for b.Loop() {
		for i := range f.Items {
			IsTestItem(&f.Items[i])
		}
	}
}
