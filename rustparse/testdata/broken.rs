//! A file with syntax errors still yields the items that parsed.

pub fn before() -> u8 { // want: function before
    1
}

pub struct Fine { // want: struct Fine
    pub a: u8, // want: field a
}

fn broken(x: u8 { // want: function broken
    x +
}

impl Fine { // want: impl Fine
    pub fn ok(&self) {} // want: method ok
}

pub fn after() {} // want: function after
