package rustparse

import (
	"syscall"
	"time"
	"unsafe"
)

// diffThreadCPU returns the CPU time used so far by the calling OS thread,
// with the nanosecond resolution of CLOCK_THREAD_CPUTIME_ID (getrusage can
// be as coarse as a scheduler tick).
func diffThreadCPU() time.Duration {
	const clockThreadCPUTimeID = 3
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}
