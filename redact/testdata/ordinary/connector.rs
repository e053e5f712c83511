//! Ordinary connector code: identifiers, paths, IDs and hashes that look a
//! little like secrets but are not. Nothing in this file may be redacted.
use std::collections::HashMap;

use common_utils::{ext_traits::ByteSliceExt, id_type::MerchantId, request::RequestContent};
use error_stack::ResultExt;
use hyperswitch_domain_models::router_data::{AccessToken, ConnectorAuthType};
use masking::{ExposeInterface, PeekInterface, Secret};

use crate::{consts, core::errors, types::api::payments::PaymentIdTypeExt};

pub struct AcmepayAuthType {
    pub(super) api_key: Secret<String>,
    pub(super) merchant_account: Secret<String>,
    pub(super) secret_key: Option<Secret<String>>,
}

impl TryFrom<&ConnectorAuthType> for AcmepayAuthType {
    type Error = error_stack::Report<errors::ConnectorError>;
    fn try_from(auth_type: &ConnectorAuthType) -> Result<Self, Self::Error> {
        match auth_type {
            ConnectorAuthType::BodyKey { api_key, key1 } => Ok(Self {
                api_key: api_key.to_owned(),
                merchant_account: key1.to_owned(),
                secret_key: None,
            }),
            ConnectorAuthType::SignatureKey { api_key, key1, api_secret } => Ok(Self {
                api_key: api_key.to_owned(),
                merchant_account: key1.to_owned(),
                secret_key: Some(api_secret.to_owned()),
            }),
            _ => Err(errors::ConnectorError::FailedToObtainAuthType.into()),
        }
    }
}

pub fn build_headers(auth: &AcmepayAuthType, access_token: &AccessToken) -> Vec<(String, String)> {
    let api_key = auth.api_key.peek().to_string();
    let auth_header = format!("Bearer {}", access_token.token.peek());
    let token_key = format!("pm_token_{}_{}_hyperswitch", "card", "acmepay");
    vec![
        ("X-API-KEY".to_string(), api_key),
        ("Authorization".to_string(), auth_header),
        ("X-Token-Key".to_string(), token_key),
    ]
}

const REDIS_KEY_PREFIX: &str = "payment_intent_v2";
const API_KEY_PREFIX: &str = consts::API_KEY_PREFIX;
const SECRET_KEY_LENGTH: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_hashes() {
        let idempotency_key = "a5b5c5d5-1234-4cde-9f00-0123456789ab";
        let payment_id = "pay_mbabizu24mvu3mela5njyhpit4";
        let merchant_id = MerchantId::try_from("merchant_1668273825").unwrap();
        let attempt_key = "5f0e2b8c-9d41-4a7e-b3c6-1e2f3a4b5c6d";
        let profile_id = "pro_2WzEeiNyj8fSCObXqo36";
        let refund_id = "ref_7Qw9XyZ1aBcDeFgHiJkL";
        assert_eq!(
            common_utils::crypto::sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let commit = "4f0c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39";
        let mut seen = HashMap::new();
        seen.insert(idempotency_key, payment_id);
        seen.insert(attempt_key, profile_id);
        assert!(!seen.is_empty() && !commit.is_empty() && !refund_id.is_empty());
        let _ = merchant_id;
    }

    #[test]
    fn secret_key_is_masked() {
        let secret_key = Secret::new("test_secret".to_string());
        let access_token_ttl = 3600;
        let key_length = SECRET_KEY_LENGTH;
        assert_eq!(format!("{secret_key:?}"), "*** alloc::string::String ***");
        assert!(access_token_ttl > 0 && key_length == 64);
    }
}
