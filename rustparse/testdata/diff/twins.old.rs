#[cfg(feature = "v1")]
pub struct Intent {
    pub amount: i64,
}

#[cfg(feature = "v2")]
pub struct Intent {
    pub amount: i64,
}

pub fn dup() {}
pub fn dup() {}
