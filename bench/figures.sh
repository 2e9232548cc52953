# shellcheck shell=bash
# The figures the bench scripts print, sourced by them.

now_ms() { date +%s%3N; }

# name, then one number per line on stdin: min, median, p95, p99 and max (p95 and p99 by the same rank rule).
summary() {
    sort -n | awk -v name="$1" '{ v[NR] = $1 } END {
        p95 = v[int((NR - 1) * 0.95) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]; med = v[int((NR + 1) / 2)];
        printf "%-32s n=%-4d min=%-6d median=%-6d p95=%-6d p99=%-6d max=%d\n", name, NR, v[1], med, p95, p99, v[NR] }'
}

med() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
