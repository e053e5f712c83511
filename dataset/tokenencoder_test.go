package dataset

import (
	"strings"
	"testing"

	"github.com/pkoukk/tiktoken-go"
	tiktokenloader "github.com/pkoukk/tiktoken-go-loader"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTokenEncoderEqualsTiktoken checks the encoder built without
// tiktoken-go's globals against the one its GetEncoding builds (through
// the global loader, which only this test sets).
func TestTokenEncoderEqualsTiktoken(t *testing.T) {
	enc, err := tokenEncoder()
	require.NoError(t, err)
	tiktoken.SetBpeLoader(tiktokenloader.NewOfflineLoader())
	ref, err := tiktoken.GetEncoding(TokenEncoding)
	require.NoError(t, err)
	code, err := readSampleRust()
	require.NoError(t, err)
	for _, text := range []string{"", "fn main() { println!(\"hi\"); }", code,
		"feat(connector): [Adyen] add refunds (#1234)\n\nCo-authored-by: someone <x@example.com>",
		"支付连接器已添加新的退款流程 — naïve café's 12345 tokens\r\n\t  done", strings.Repeat("=", 300),
		"<|endoftext|> is ordinary text here"} {
		assert.Equal(t, ref.EncodeOrdinary(text), enc.EncodeOrdinary(text), "%.40q", text)
		assert.Equal(t, ref.Encode(text, []string{"all"}, nil), enc.Encode(text, []string{"all"}, nil), "%.40q", text)
	}
}
