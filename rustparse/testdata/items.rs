//! Every item kind and visibility form. A want comment lists the kind and
//! name of each item that starts on its line.
use std::fmt;

/// A free function with generics and a where clause.
pub fn validate_capture_method<T, U: Clone>(x: T, y: &U) -> Result<(), String> // want: function validate_capture_method
where
    T: fmt::Debug + Send,
{
    let _ = (x, y);
    Ok(())
}

pub(crate) async fn crate_visible() {} // want: function crate_visible
pub(super) const fn super_visible() -> u8 { 1 } // want: function super_visible
pub(self) unsafe fn self_visible() {} // want: function self_visible
pub(in crate::payments) extern "C" fn in_path_visible() {} // want: function in_path_visible
fn private_fn() { // want: function private_fn
    fn nested_is_not_listed() {}
    struct NotListedEither;
}

#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub struct PlacetopayPayment { // want: struct PlacetopayPayment
    /// The amount, in minor units.
    pub amount: i64, // want: field amount
    pub(crate) currency: String, // want: field currency
    #[serde(skip)]
    reference: Option<String>, // want: field reference
}

pub struct Tuple(pub u8, pub(crate) String, Vec<u8>); // want: struct Tuple; field 0; field 1; field 2

pub struct Unit; // want: struct Unit

pub struct Generic<'a, T: 'a + ?Sized, const N: usize = 4> // want: struct Generic
where
    T: fmt::Display,
{
    items: [&'a T; N], // want: field items
}

#[repr(u8)]
pub enum PaymentStatus { // want: enum PaymentStatus
    Started = 1, // want: variant Started
    #[serde(rename = "auth")]
    Authorized(String), // want: variant Authorized
    Failed { code: u16, reason: String }, // want: variant Failed
}

#[repr(C)]
pub union RawValue { // want: union RawValue
    int: u64, // want: field int
    float: f64, // want: field float
}

pub trait Connector: Send + Sync { // want: trait Connector
    type Error: fmt::Debug; // want: assoc_type Error
    const NAME: &'static str; // want: assoc_const NAME
    fn id(&self) -> &str; // want: method id
    /// A default method.
    fn describe(&self) -> String { // want: method describe
        format!("{}", self.id())
    }
}

impl PlacetopayPayment { // want: impl PlacetopayPayment
    pub const MAX: i64 = 1_000; // want: assoc_const MAX
    pub fn new(amount: i64) -> Self { // want: method new
        Self { amount, currency: "EUR".into(), reference: None }
    }
    pub(crate) fn update(&mut self, amount: i64) { // want: method update
        self.amount = amount;
    }
    fn private_helper(&self) {} // want: method private_helper
}

impl Connector for PlacetopayPayment { // want: impl Connector for PlacetopayPayment
    type Error = String; // want: assoc_type Error
    const NAME: &'static str = "placetopay"; // want: assoc_const NAME
    fn id(&self) -> &str { // want: method id
        "placetopay"
    }
}

impl<T: fmt::Display> From<Vec<T>> for Tuple { // want: impl From<Vec<T>> for Tuple
    fn from(v: Vec<T>) -> Self { // want: method from
        Tuple(0, v.iter().map(|x| x.to_string()).collect(), vec![])
    }
}

pub const DEFAULT_CURRENCY: &str = "EUR"; // want: const DEFAULT_CURRENCY
pub static mut COUNTER: u64 = 0; // want: static COUNTER
pub type Amount = i64; // want: type Amount
type Pair<T> = (T, T); // want: type Pair

#[macro_export]
macro_rules! ensure { // want: macro ensure
    ($cond:expr) => {
        if !$cond { return Err("failed".into()); }
    };
}

pub mod payments { // want: mod payments
    pub mod core { // want: mod core
        pub struct Intent { // want: struct Intent
            pub id: String, // want: field id
        }
        impl Intent { // want: impl Intent
            pub fn update(&self) {} // want: method update
        }
    }
    pub(crate) fn route() {} // want: function route
}

mod declared_elsewhere; // want: mod declared_elsewhere

extern "C" {
    fn abs(input: i32) -> i32; // want: function abs
    static errno: i32; // want: static errno
}
