//! Syntax the unmaintained smacker grammar (tree-sitter-rust 0.21) rejects:
//! async closures, unsafe extern blocks, const-generic defaults, gen blocks.

pub async fn run() { // want: function run
    let f = async |x: u32| x + 1;
    let _ = f(1).await;
}

unsafe extern "C" {
    pub unsafe fn strlen(p: *const u8) -> usize; // want: function strlen
}

pub struct Buffer<const N: usize = 1024> { // want: struct Buffer
    data: [u8; N], // want: field data
}

pub fn numbers() -> impl Iterator<Item = u32> { // want: function numbers
    gen { yield 1; yield 2; }
}
