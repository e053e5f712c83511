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

# stage_field FILE FIELD: "export merge write", the seconds in the awk
# field FIELD of those stages' lines of the summary table sftforge printed
# to FILE (0 where it shows "-" or is missing).
stage_field() {
	local s
	for s in export merge write; do
		secs "$(awk -v s="$s" "\$1 == s && NF > 2 {print $2}" "$1")"
		[ "$s" = write ] || printf ' '
	done
}

# stage_secs FILE: the stages' wall seconds (the table's last column).
stage_secs() { stage_field "$1" '$NF'; }

# stage_cpu FILE: the stages' CPU seconds (the column before).
stage_cpu() { stage_field "$1" '$(NF-1)'; }
