# bench/lib.sh: functions the bench scripts share; source it with
#   . "$(dirname "$0")/lib.sh"

# median: the median of the numbers on stdin, one a line (the mean of the
# two middle ones for an even count).
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# secs DURATION: a Go duration (1m2.5s, 7.11s, 585ms, 12µs) in seconds.
secs() {
	awk -v d="$1" 'BEGIN {
		t = 0
		while (match(d, /^[0-9.]+(h|ms|µs|us|ns|m|s)/)) {
			tok = substr(d, 1, RLENGTH); d = substr(d, RLENGTH + 1)
			match(tok, /[a-zµ]+$/); u = substr(tok, RSTART); v = substr(tok, 1, RSTART - 1) + 0
			if (u == "h") t += v * 3600; else if (u == "m") t += v * 60; else if (u == "s") t += v
			else if (u == "ms") t += v / 1e3; else if (u == "ns") t += v / 1e9; else t += v / 1e6
		}
		printf "%.3f", t
	}'
}

# stage_secs FILE: "export merge write", the seconds of those stages in
# the summary table sftforge printed to FILE (its last column: wall time).
stage_secs() {
	local s
	for s in export merge write; do
		secs "$(awk -v s="$s" '$1 == s {print $NF}' "$1")"
		[ "$s" = write ] || printf ' '
	done
}

# stage_cpu FILE: "export merge write", the CPU seconds of those stages
# in the summary table sftforge printed to FILE (the column before the
# wall time; 0 where it shows "-" or is missing).
stage_cpu() {
	local s
	for s in export merge write; do
		secs "$(awk -v s="$s" '$1 == s && NF > 2 {print $(NF-1)}' "$1")"
		[ "$s" = write ] || printf ' '
	done
}
