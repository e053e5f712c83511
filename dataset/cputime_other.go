//go:build !unix && !windows

package dataset

import "time"

// processCPU returns the CPU time the process has used so far; ok is
// false where the system does not say, as here.
func processCPU() (cpu time.Duration, ok bool) { return 0, false }
