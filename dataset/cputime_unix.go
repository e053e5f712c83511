//go:build unix

package dataset

import (
	"time"

	"golang.org/x/sys/unix"
)

// processCPU returns the CPU time (user and system) the process has used
// so far; ok is false where the system does not say.
func processCPU() (cpu time.Duration, ok bool) {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
