//go:build !linux

package rustparse

import "time"

// diffThreadCPU is not measured outside Linux; diffRatio then reports wall
// time only.
func diffThreadCPU() time.Duration { return 0 }
