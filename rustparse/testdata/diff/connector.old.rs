pub struct PlacetopayPayment {
    pub amount: i64,
    reference: String,
}

pub enum Status {
    Started,
    Failed,
}

impl PlacetopayPayment {
    pub fn new(amount: i64) -> Self {
        Self { amount, reference: String::new() }
    }
    pub fn update(&mut self, amount: i64) {
        self.amount = amount;
    }
    fn legacy(&self) {}
}

fn helper() -> u8 { 1 }

#[derive(Debug)]
pub struct Kept;
