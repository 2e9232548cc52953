#!/usr/bin/env bash
# Keeps every log in a directory to a size, for ever: ./crucible up runs it as the component
# log-rotation over .crucible/logs. Usage: rotate-logs.sh DIR MAX_BYTES SECONDS_BETWEEN_LOOKS
#
# A log past MAX_BYTES is copied to <name>.1 (the copy before is dropped) and emptied in place, so
# the disk holds at most about twice MAX_BYTES of each. Its writers hold it open in append mode and
# go on at its new end, so no process is signalled or restarted; what they write between the copy
# and the emptying (a few milliseconds) is lost.
set -euo pipefail

dir=$1 max_bytes=$2 every=$3
[[ -d "$dir" && "$max_bytes" =~ ^[0-9]+$ && "$every" =~ ^[0-9.]+$ ]] \
    || { echo "usage: rotate-logs.sh DIR MAX_BYTES SECONDS_BETWEEN_LOOKS" >&2; exit 2; }

while :; do
    for log in "$dir"/*.log; do
        # Only root writes the directory, but a link is never followed, whatever planted it.
        [[ -f "$log" && ! -L "$log" ]] || continue
        (( $(stat -c %s -- "$log") > max_bytes )) || continue
        cp --no-dereference --preserve=mode,ownership -- "$log" "$log.1.tmp"
        mv -f -- "$log.1.tmp" "$log.1"
        truncate -s 0 -- "$log"
    done
    sleep "$every"
done
