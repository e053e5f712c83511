package redact

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

func readManifest(t *testing.T) []plantedSecret {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "planted", "manifest.jsonl"))
	require.NoError(t, err)
	var out []plantedSecret
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		var s plantedSecret
		require.NoError(t, json.Unmarshal(sc.Bytes(), &s), "manifest.jsonl:%d", line)
		out = append(out, s)
	}
	return out
}

// checkGolden compares got with testdata/<name>, rewriting it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./redact -update to create it")
	assert.Equal(t, string(want), got, "%s differs; rerun with -update if the change is intended", path)
}

// leaks returns the parts of secret still present in out: the whole secret,
// or (for secrets other than e-mail addresses) any 16-byte window of it.
func leaks(out string, s plantedSecret) []string {
	if strings.Contains(out, s.Secret) {
		return []string{s.Secret}
	}
	if s.Kind == "email" {
		return nil
	}
	var found []string
	for i := 0; i+16 <= len(s.Secret); i++ {
		if w := s.Secret[i : i+16]; strings.Contains(out, w) {
			found = append(found, w)
		}
	}
	return found
}

// TestPlanted redacts every planted-secret fixture file and checks that no
// planted secret, nor a 16-byte piece of one, survives.
func TestPlanted(t *testing.T) {
	if *update {
		writePlantedFixture(t)
	}
	files, manifest := plantedFiles()
	for name, content := range files {
		onDisk, err := os.ReadFile(filepath.Join("testdata", "planted", name))
		require.NoError(t, err)
		require.Equal(t, content, string(onDisk), "testdata/planted/%s is stale: run go test ./redact -run TestPlanted -update", name)
	}
	require.Equal(t, manifest, readManifest(t), "manifest.jsonl is stale: run go test ./redact -run TestPlanted -update")

	kinds := map[string]bool{}
	for _, s := range manifest {
		kinds[s.Kind] = true
	}
	require.GreaterOrEqual(t, len(kinds), 15, "the fixture plants at least 15 kinds of secret")

	r, err := New(Config{})
	require.NoError(t, err)
	outputs := map[string]string{}
	var counts Counts
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for n := range files {
			if !yield(n) {
				return
			}
		}
	}) {
		out, findings := r.Redact(files[name])
		outputs[name] = out
		counts.Add(findings)
		checkGolden(t, filepath.Join("planted", name+".golden"), out)
	}
	caught := 0
	for _, s := range manifest {
		if l := leaks(outputs[s.File], s); len(l) > 0 {
			t.Errorf("%s: planted %s survived: %q", s.File, s.Kind, l)
			continue
		}
		caught++
	}
	t.Logf("planted secrets caught: %d/%d (%d kinds); findings by rule: %v", caught, len(manifest), len(kinds), counts)
}
