#!/usr/bin/env bash
# Runs a command as a container with a memory limit runs it (`docker run --memory 1000m …`):
# inside a cgroup with that limit, mounted where the command reads /sys/fs/cgroup (the kernel
# reclaims or kills the command past it; libraries that size themselves from the memory they see
# read the limit). For benchmarks on machines without a container runtime; needs root, cgroups
# (v1 or v2) and unshare. The command keeps this process's id.
#   scripts/memory-limit.sh 1000000000 target/release/mutirao --db surrealkv://data
set -euo pipefail
limit=$1
shift
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  mount_point=/sys/fs/cgroup
  parent=$mount_point$(awk -F: '$1 == "0" { print $3 }' /proc/self/cgroup)
  limit_file=memory.max
else
  mount_point=/sys/fs/cgroup/memory
  parent=$mount_point$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
  limit_file=memory.limit_in_bytes
fi
group="${parent%/}/mutirao-limit-$$"
mkdir -p "$group"
echo "$limit" >"$group/$limit_file"
exec unshare --mount bash -c 'echo $$ >"$1/cgroup.procs" && mount --bind "$1" "$2" && shift 2 && exec "$@"' -- "$group" "$mount_point" "$@"
