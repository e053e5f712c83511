package redact

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchCorpus returns about size bytes of text: the ordinary and planted
// fixtures repeated, or the file named by REDACT_BENCH_TEXT (for example a
// `git log -p` of a real repository, which is not committed).
func benchCorpus(b *testing.B, size int) string {
	b.Helper()
	if path := os.Getenv("REDACT_BENCH_TEXT"); path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		return string(data)
	}
	var parts []string
	for _, dir := range []string{"ordinary", "planted"} {
		names, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
		if err != nil {
			b.Fatal(err)
		}
		for _, n := range names {
			if strings.HasSuffix(n, ".golden") || strings.HasSuffix(n, ".jsonl") {
				continue
			}
			data, err := os.ReadFile(n)
			if err != nil {
				b.Fatal(err)
			}
			parts = append(parts, string(data))
		}
	}
	// The ordinary fixture stands for most of a dataset: repeat it more.
	var sb strings.Builder
	for i := 0; sb.Len() < size; i++ {
		sb.WriteString(parts[i%len(parts)])
		for _, p := range parts[:2] {
			sb.WriteString(p)
		}
	}
	return sb.String()
}

// benchRecords splits the corpus into record-sized texts (about 8 KB).
func benchRecords(text string) []string {
	var out []string
	for len(text) > 0 {
		n := min(len(text), 8<<10)
		if i := strings.IndexByte(text[n:], '\n'); i >= 0 {
			n += i + 1
		} else {
			n = len(text)
		}
		out = append(out, text[:n])
		text = text[n:]
	}
	return out
}

// BenchmarkRedact measures Redact over record-sized texts. The
// gitleaks-whole-text case is the baseline of the same run: gitleaks'
// detector used the plain way, over each whole text, with the same rules.
func BenchmarkRedact(b *testing.B) {
	records := benchRecords(benchCorpus(b, 1<<20))
	total := 0
	for _, r := range records {
		total += len(r)
	}
	r, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("redact", func(b *testing.B) {
		b.SetBytes(int64(total))
		for b.Loop() {
			for _, rec := range records {
				r.Redact(rec)
			}
		}
	})
	plain := r.secrets.plainDetector()
	b.Run("gitleaks-whole-text", func(b *testing.B) {
		b.SetBytes(int64(total))
		for b.Loop() {
			for _, rec := range records {
				r.secrets.plainFind(plain, rec)
			}
		}
	})
	b.Run("emails-only", func(b *testing.B) {
		b.SetBytes(int64(total))
		for b.Loop() {
			for _, rec := range records {
				findEmails(nil, rec)
			}
		}
	})
}

// BenchmarkNew measures building a Redactor (the gitleaks rule set is
// parsed once per process, so this is the per-Redactor cost after that).
func BenchmarkNew(b *testing.B) {
	if _, err := New(Config{}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := New(Config{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAdversarial times Redact on inputs that would make a careless
// scan quadratic; compare the MB/s with BenchmarkRedact's.
func BenchmarkAdversarial(b *testing.B) {
	r, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	size := 256 << 10
	for name, text := range map[string]string{
		"pem-headers-without-end": strings.Repeat("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n", size/48),
		"long-value":              "api_key=" + strings.Repeat("q7W3e9R1t5Y2u8I4o6P0a1S3d5F7g9H2", size/32) + "\n",
		"keywords-on-one-line":    strings.Repeat("s. key: token=", size/14),
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				r.Redact(text)
			}
		})
	}
}
