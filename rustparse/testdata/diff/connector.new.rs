pub struct PlacetopayPayment {
    pub amount: i64,
    pub(crate) reference: String,
    pub currency: String,
}

pub enum Status {
    Started,
    Authorized,
    Failed,
}

impl PlacetopayPayment {
    pub fn new(amount: i64, currency: String) -> Self {
        Self { amount, reference: String::new(), currency }
    }
    pub(crate) fn update(&mut self, amount: i64) {
        self.amount = amount.max(0);
    }
}

pub fn validate_capture_method(method: Option<u8>) -> Result<(), String> {
    method.map(|_| ()).ok_or_else(|| "missing".into())
}

fn helper() -> u8 { 1 }

#[derive(Debug, Clone)]
pub struct Kept;
