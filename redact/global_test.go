package redact

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zricethezav/gitleaks/v8/logging"
)

// TestNoGlobalEffects checks that building a Redactor and redacting leave
// gitleaks' global logger as the program set it (it was replaced by a
// no-op logger) and log nothing through it at its default level. It runs
// in a fresh process, so the rule set is parsed there for the first time.
func TestNoGlobalEffects(t *testing.T) {
	if os.Getenv("REDACT_GLOBAL_CHILD") == "1" {
		globalEffectsChild(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoGlobalEffects$", "-test.v")
	cmd.Env = append(os.Environ(), "REDACT_GLOBAL_CHILD=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "--- PASS: TestNoGlobalEffects")
}

func globalEffectsChild(t *testing.T) {
	var buf bytes.Buffer
	logging.Logger = zerolog.New(&buf).Level(zerolog.InfoLevel) // the program's logger, at gitleaks' default level
	r, err := New(Config{})
	require.NoError(t, err)
	secret := "api_key = \"Zx8Qm2Lp9Rt4Vw7Yb3Nc6Kd1\""
	out, findings := r.Redact("deploy with " + fakeAWSKeyID + " and " + secret + "\n")
	require.NotEmpty(t, findings)
	assert.NotContains(t, out, fakeAWSKeyID)
	assert.Empty(t, buf.String(), "nothing logged at the default level")
	logging.Logger.Info().Msg("still the program's logger")
	assert.True(t, strings.Contains(buf.String(), "still the program's logger"), "gitleaks' logger was replaced")
}
