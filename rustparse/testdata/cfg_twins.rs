//! Real workspaces define the same item under different cfgs.

#[cfg(feature = "v1")]
#[derive(Debug)]
pub struct PaymentIntent { // want: struct PaymentIntent
    pub id: String, // want: field id
    pub amount: i64, // want: field amount
}

#[cfg(feature = "v2")]
#[derive(Debug)]
pub struct PaymentIntent { // want: struct PaymentIntent
    pub id: String, // want: field id
    pub amount_details: AmountDetails, // want: field amount_details
}

#[cfg(all(feature = "v2", feature = "olap"))]
impl PaymentIntent { // want: impl PaymentIntent
    pub fn list() {} // want: method list
}

#[cfg(feature = "v1")]
pub fn update() {} // want: function update

#[cfg(feature = "v2")]
pub fn update() {} // want: function update

#[cfg(test)]
mod tests { // want: mod tests
    #[test]
    fn it_works() {} // want: function it_works
}
