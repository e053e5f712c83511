//! Connector integration tests for a payments router.
use masking::Secret;

const STRIPE_SECRET: &str = "sk_live_DDoBUGAxS4nGSIRpOMIzIxuJ";
const RESTRICTED_KEY: &str = "rk_live_nXwh1PQCAt6TcWBIhb9kVFme";

pub fn aws_client() -> aws_sdk_s3::Client {
    let access_key_id = "AKIAEHMZFAWNMMSFJEDM";
    let aws_secret_access_key = "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";
    build_client(access_key_id, aws_secret_access_key)
}

#[test]
fn connector_auth() {
    let api_key = "tn5DgXOxpkibIqiMjHaDnCvV5kwEUl6W";
    let auth = ConnectorAuthType::HeaderKey { api_key: Secret::new(api_key.to_string()) };
    let maps_key = "AIzardwgj-42v6l_QBz2BJWSTuuO0ybG3h5FIaF";
    assert!(auth.is_valid() && !maps_key.is_empty());
}

static DATABASE_URL: &str = "postgres://router:dh8GhNCMUOB_FSRVHS@db.payments.internal:5432/hyperswitch_db";

const SIGNING_KEY_PEM: &str = "-----BEGIN RSA PRIVATE KEY-----
IVJh17WWGpm7DuQHtO+GOnTbaNGPs0U/Gmy205Az52HsWfCmkEsLtcUQg9p/VsSk
eiCZFCVGMP8YXW++gjcL8yTVcr/wSx/QZZ2pMiw5QmLYsxoPlSujA4xAHOHmL+0U
KkGaf6iS6ye6I841Kr5jzVI8cq9oxNf/9qoY2g5Sb85hsNAglg7MQvIEIIwofogC
Kp+uSy0Mz6hsGQ+EJffeVBcCsXTqHm5BTSSgJLfpYATG+YkyfUrXxKFhoinNQBnj
63Ijt/2CE/gWUzcsU0JIKeRXnVwYjFn858A2XxDkfoc5hvviYEWuX14IZOjyJR7E
paBJqWCgjvhqfnWpTCuIkLDIw5eWtz+w2QDI2ter0hq+LZuymtLkEy15H6cmgnlx
ptWnfJSNusXvyVgCmeR6abrL547X6C6cMNGT7fV8t6yVkQYkjG6pFFU5fZWjaKFG
3YGsYRdCFxNgxSBue7ZUlFXLQhvuZHwIj2WV7ENrkxaO8+WXjqU22VUuhKBRxklW
IejPRgJ3dqrB/NDgGhj561F71BoFn9JMVVvd1iNeiEXXTNM5Z+J/zLHA2zDxnSOs
VuAct6aIsM5Kpl0CGu+AsJZCMvmxhubQY/A9ytH0MPEC+j4YDroKYfPqbH6BasSo
y4y/hkd8AWjjevjyUVJCpN8XbjRG1XmNCpeInqLaMcp6wY9NKV6ryFUNhfTWzuKg
7TzVzfGNcXfnwyzuUgYXz0gkVK1AqAh03TY2IqMqBKY4AxZDdB71s0VObKw67UZo
1eNBh7yOimZTgvGo4NI2/CtYEN+9Hbz2pEv69nPE==
-----END RSA PRIVATE KEY-----";

#[test]
fn decodes_session_token() {
    let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1MDk5ODQxNTM4IiwibmFtZSI6Im1lcmNoYW50IGFkbWluIiwiaWF0IjoxNzAxNzUxNDM2fQ.WS6GiJh0D4RUejj1Cc0CzzmhmHTC7TVSWOyoVNqcKgI";
    assert_eq!(decode(token).unwrap().name, "merchant admin");
}

const WEBHOOK_SIGNING_SECRET: &str = "PXrScC3kQTN7XO1AI1Aqumd02pl5ExCH";

fn payout_auth() -> PayoutAuth {
    PayoutAuth { api_secret: Secret::new(String::from("1zW8dmkN7403ctQDkC_BQM6Vutnc-VYqkvc0FnMU")) }
}
