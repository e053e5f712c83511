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

// keywordShapes are, for the keywords that hit most often in commit
// records (file paths ending in "s.rs", names holding "key", "Sk" or
// "IncomingWebhook", "authorization" in prose), a necessary condition of a
// match of the rules they feed, tested at a keyword hit in the whole text:
// every match of each rule holds an occurrence of the keyword at which the
// condition is true. A keyword's shape is used only while the segmented
// rules with that keyword are exactly these, with these regexes (as
// configured); else its hits all count, as without a shape.
var keywordShapes = map[string]struct {
	rules map[string]string // rule ID → regex
	fits  func(text string, p, end int) bool
}{
	// s. followed by 24 of [a-z0-9], or hvs. by 90 of [\w-]: at least 24
	// of [\w-] either way.
	"s.": {map[string]string{"vault-service-token": `\b((?:hvs\.[\w-]{90,120}|s\.(?i:[a-z0-9]{24})))(?:[\x60'"\s;]|\\[nr]|$)`},
		func(text string, p, end int) bool { return runOf(text, end, isWordOrDash) >= 24 }},
	"ey": {map[string]string{"jwt": `\b(ey[a-zA-Z0-9]{17,}\.ey[a-zA-Z0-9\/\\_-]{17,}\.(?:[a-zA-Z0-9\/\\_-]{10,}={0,2})?)(?:[\x60'"\s;]|\\[nr]|$)`},
		func(text string, p, end int) bool {
			n := runOf(text, end, isAlnum)
			return n >= 17 && end+n < len(text) && text[end+n] == '.'
		}},
	"sk": {map[string]string{"twilio-api-key": `SK[0-9a-fA-F]{32}`},
		func(text string, p, end int) bool { return runOf(text, end, isHex) >= 32 }},
	"test_": {map[string]string{"lob-api-key": `(?i)[\w.-]{0,50}?(?:lob)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}((live|test)_[a-f0-9]{35})(?:[\x60'"\s;]|\\[nr]|$)`},
		func(text string, p, end int) bool { return runOf(text, end, isHex) >= 35 }},
	"incomingwebhook": {map[string]string{"microsoft-teams-webhook": `https://[a-z0-9]+\.webhook\.office\.com/webhookb2/[a-z0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}@[a-z0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}/IncomingWebhook/[a-z0-9]{32}/[a-z0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}`},
		func(text string, p, end int) bool {
			return p > 0 && text[p-1] == '/' && end < len(text) && text[end] == '/'
		}},
	// authorization, an optional quote, spaces, then : or =.
	"authorization": {map[string]string{"authorization-header": `(?i)\bauthorization["']?[ \t]*[:=][ \t]*["']?(?:basic|bearer|token)[ \t]+([a-z0-9._~+/=-]{16,})`},
		func(text string, p, end int) bool {
			i := end
			if i < len(text) && (text[i] == '"' || text[i] == '\'') {
				i++
			}
			i += runOf(text, i, func(c byte) bool { return c == ' ' || c == '\t' })
			return i < len(text) && (text[i] == ':' || text[i] == '=')
		}},
}

// runOf returns how many bytes from i on are in a class.
func runOf(text string, i int, in func(byte) bool) int {
	n := 0
	for i+n < len(text) && in(text[i+n]) {
		n++
	}
	return n
}

func isWordOrDash(c byte) bool { return isAlnum(c) || c == '_' || c == '-' }

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
