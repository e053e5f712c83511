package dataset

import (
	"fmt"
	"sync"

	"github.com/pkoukk/tiktoken-go"
	tiktokenloader "github.com/pkoukk/tiktoken-go-loader"
)

// TokenEncoding is the tiktoken encoding used for token counts.
const TokenEncoding = "cl100k_base"

var (
	tokenOnce sync.Once
	tokenEnc  *tiktoken.Tiktoken
	tokenErr  error
	tokenMu   sync.Mutex
)

// CountTokens returns the number of cl100k_base tokens in text. The BPE
// ranks are loaded from the files embedded in tiktoken-go-loader: nothing
// is downloaded at run time.
func CountTokens(text string) (int, error) {
	tokenOnce.Do(func() {
		tiktoken.SetBpeLoader(tiktokenloader.NewOfflineLoader())
		tokenEnc, tokenErr = tiktoken.GetEncoding(TokenEncoding)
		if tokenErr != nil {
			tokenErr = fmt.Errorf("dataset: load %s token encoding: %w", TokenEncoding, tokenErr)
		}
	})
	if tokenErr != nil {
		return 0, tokenErr
	}
	tokenMu.Lock()
	defer tokenMu.Unlock()
	return len(tokenEnc.EncodeOrdinary(text)), nil
}
