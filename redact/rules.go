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
		Regex:       `(?i)\bAccountKey\s*=\s*([a-z0-9+/]{86}==)`,
		Keywords:    []string{"accountkey"},
	},
	{
		ID:          "aws-secret-access-key",
		Description: "AWS secret access key assigned to a variable, field or environment entry.",
		Regex:       `(?i)\b(?:aws_?)?secret_?access_?key["']?\s*(?::|=|=>|:=)\s*["']?([a-z0-9/+]{40})(?:[^a-z0-9/+]|$)`,
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
		ID:          "authorization-header",
		Description: "Credential in an Authorization header (Basic, Bearer or Token scheme).",
		Regex:       `(?i)\bauthorization["']?\s*[:=]\s*["']?(?:basic|bearer|token)\s+([a-z0-9._~+/=-]{16,})`,
		Keywords:    []string{"authorization"},
		Entropy:     3,
	},
}

// urlPasswordTemplates are values of url-password that are templates, not
// passwords: ${DB_PASSWORD}, {}, {password}, %s, ****, xxx.
const urlPasswordTemplates = `^(?:\$\{?[\w.-]*\}?|\{\{.*\}\}|\{[\w.:]*\}|%[sv]|\*+|x+|X+)$`

// genericRule is gitleaks' catch-all rule for high-entropy assignments.
const genericRule = "generic-api-key"

// uuidPattern is a whole UUID, not redacted by genericRule.
const uuidPattern = `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`

// keywordReach says how far after a keyword hit a match may end, for the
// keywords of multi-line gitleaks rules. Other keywords reach two lines
// further than their own line.
var keywordReach = map[string]reach{
	"-----begin": {untilLine: "-----end"}, // PEM private key blocks
	"curl":       {lines: 6},              // curl ... -u user:pass up to 5 lines on
	"zxlk":       {lines: 20},             // base64-wrapped JWT
}

// reach is how far a segment extends after the line of a keyword hit.
type reach struct {
	lines     int    // whole lines after the hit's line
	untilLine string // or: through the line holding this lower-case text
}

const (
	// defaultReachLines: gitleaks' assignment rules allow up to 3+5
	// whitespace characters, so newlines, between a keyword and its value.
	defaultReachLines = 9
	maxLookBehind     = 2048    // bytes before a hit on a very long line
	maxReach          = 1 << 16 // bytes after a hit
	// The generic rule's match starts at most 50 bytes before its keyword
	// and its value ends within 20+3+3+5+150+1 bytes after it (or, for the
	// unbounded base64 form, at the end of the token).
	genericLookBehind = 64
	genericReach      = 256
)
