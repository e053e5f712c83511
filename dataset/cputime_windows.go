//go:build windows

package dataset

import (
	"time"

	"golang.org/x/sys/windows"
)

// processCPU returns the CPU time (user and kernel) the process has used
// so far; ok is false where the system does not say.
func processCPU() (cpu time.Duration, ok bool) {
	var creation, exit, kernel, user windows.Filetime
	if err := windows.GetProcessTimes(windows.CurrentProcess(), &creation, &exit, &kernel, &user); err != nil {
		return 0, false
	}
	// Filetimes count 100 ns intervals.
	ticks := func(f windows.Filetime) int64 { return int64(f.HighDateTime)<<32 | int64(f.LowDateTime) }
	return time.Duration((ticks(kernel) + ticks(user)) * 100), true
}
