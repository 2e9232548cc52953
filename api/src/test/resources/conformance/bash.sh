set -eu
mkdir -p d/e
for n in x.txt y.txt; do printf 'hello\n' > "d/$n"; done
cat d/x.txt
stat -c %s d/x.txt
ls -l d | awk 'NR > 1 { print $NF }' | paste -sd ' '
if grep -q '^Name:' /proc/self/status; then echo true; else echo false; fi
date -u +%Y
printf 'tmp ok' > /tmp/t
echo "$(cat /tmp/t)"
