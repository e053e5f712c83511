package redact

// curatedRules are secrets the default gitleaks rules do not cover but a
// payments repository is full of. They go through the same engine as the
// gitleaks rules; a user rule with the same ID replaces one of them.
var curatedRules = []RuleSpec{
	{
		ID:          "url-password",
		Description: "Password in a URL or connection string (postgres://user:password@host).",
		// scheme://user:password@host; the user may be empty (redis://:pw@host).
		Regex:    `(?i)\b[a-z][a-z0-9+.-]{1,30}://[^\s:/?#@'"\x60<>]{0,128}:([^\s/?#@'"\x60<>]{1,128})@[a-z0-9_\[-]`,
		Keywords: []string{"://"},
	},
	{
		ID:          "azure-storage-account-key",
		Description: "Azure storage account key in a connection string (AccountKey=...).",
		Regex:       `(?i)\bAccountKey[ \t]*=[ \t]*([a-z0-9+/]{86}==)`,
		Keywords:    []string{"accountkey"},
	},
	{
		ID:          "aws-secret-access-key",
		Description: "AWS secret access key assigned to a variable, field or environment entry.",
		Regex:       `(?i)\b(?:aws_?)?secret_?access_?key["']?\s{0,3}(?::|=|=>|:=)\s{0,5}["']?([a-z0-9/+]{40})(?:[^a-z0-9/+]|$)`,
		Keywords:    []string{"secret_access_key", "secretaccesskey"},
		Entropy:     3,
	},
	{
		ID:          "adyen-api-key",
		Description: "Adyen API key (AQE... with dash-separated parts).",
		Regex:       `\b(AQE[A-Za-z0-9+/]{30,}={0,2}-[A-Za-z0-9+/]{20,}={0,2}(?:-[^\s"'\x60<>]{6,40})?)`,
		Keywords:    []string{"aqe"},
		Entropy:     3.5,
	},
	{
		ID:          "checkout-secret-key",
		Description: "Checkout.com secret key (sk_sbox_..., sk_..., or the older sk_test_<uuid>).",
		Regex:       `\b(sk_(?:sbox_|test_)?(?:[a-z2-7]{26}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))\b`,
		Keywords:    []string{"sk_"},
		Entropy:     3,
	},
	{
		ID:          rustLiteralRule,
		Description: "High-entropy string literal given to a Rust binding or field named like a secret (const API_KEY: &str = \"...\", api_key: Secret::new(\"...\"), String::from(\"...\")), forms gitleaks' generic rule misses.",
		Regex:       `(?i)\b\w*(?:key|secret|token|passw(?:or)?d|credentials?|auth)\w*["']?\s{0,3}(?::\s{0,3}&(?:'static\s+)?str\s{0,3}=|[:=]\s{0,3}(?:(?:masking::)?(?:Secret|StrongSecret|String)::(?:new|from)\(\s{0,3}){1,2})\s{0,3}"([^"\s\\<>]{10,150})"`,
		// "&str =" rather than "&str", which is in most Rust signatures
		// (rustfmt writes one space around '=').
		Keywords: []string{"&str =", "&'static str =", "secret::new(", "string::from("},
		Entropy:  3.5,
	},
	{
		ID:          "authorization-header",
		Description: "Credential in an Authorization header (Basic, Bearer or Token scheme).",
		Regex:       `(?i)\bauthorization["']?[ \t]*[:=][ \t]*["']?(?:basic|bearer|token)[ \t]+([a-z0-9._~+/=-]{16,})`,
		Keywords:    []string{"authorization"},
		Entropy:     3,
	},
}

// urlPasswordTemplates are values of url-password that are templates or
// documentation, not passwords: ${DB_PASSWORD}, {}, {password}, %s, ****,
// xxx, environment-variable names (DB_PASSWORD), and the words password,
// pass, pwd, secret.
const urlPasswordTemplates = `^(?:\$\{?[\w.-]*\}?|\{\{.*\}\}|\{[\w.:]*\}|%[sv]|\*+|x+|X+|[A-Z][A-Z0-9_]*|(?i:password|passwd|pass|pwd|secret|your[_-]?password))$`

// genericRule is gitleaks' catch-all rule for high-entropy assignments.
const genericRule = "generic-api-key"

// rustLiteralRule covers the Rust forms genericRule misses; it shares
// genericRule's allow-lists and stopwords.
const rustLiteralRule = "rust-secret-literal"

// uuidPattern is a whole UUID, not redacted by genericRule.
const uuidPattern = `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`

// keywordReach fixes how far a segment extends after a hit of a keyword,
// where the reach computed from the regexes (see ruleReach) is unbounded
// but a tighter one is known: a PEM block ends at its END line.
var keywordReach = map[string]reach{
	"-----begin": {untilLine: "-----end"},
}

// reach is how far a segment extends after the line of a keyword hit.
type reach struct {
	lines     int    // whole lines after the hit's line
	untilLine string // or: through the line holding this lower-case text
	unbounded bool   // or: maxReach bytes
}

const (
	maxLookBehind = 2048    // bytes before a hit on a very long line
	maxReach      = 1 << 16 // bytes after a hit
)
