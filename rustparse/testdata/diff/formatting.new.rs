// Only formatting and comments change: no changes expected.
/// Now documented.
pub fn total(
    items: &[u32], // the items
) -> u32 {
    /* summed */ items
        .iter()
        .sum()
}

pub struct Config {
    pub name: String,
    pub retries: u8,
}

pub fn call(a: u32, b: u32) -> u32 {
    helper(
        a,
        b,
    )
}
