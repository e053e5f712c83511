package main

import (
	goflag "flag"
	"os"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
)

// TestMain initialises Beam once: the tests run pipelines on Prism
// in-process, with this test binary as the loopback worker.
func TestMain(m *testing.M) {
	goflag.Parse()
	beam.Init()
	os.Exit(m.Run())
}
