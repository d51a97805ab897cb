#!/usr/bin/env bash
# Installs the native allocators the classic benchmarks compare against (Debian 12 package names):
#   libjemalloc2          /usr/lib/x86_64-linux-gnu/libjemalloc.so.2
#   libmimalloc2.0        /usr/lib/x86_64-linux-gnu/libmimalloc.so.2
#   libtcmalloc-minimal4  /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
# glibc's malloc needs nothing. Runs apt-get through sudo unless already root. A missing library is skipped by the
# benchmark (with a line naming its package), so this is optional.
set -euo pipefail

packages=(libjemalloc2 libmimalloc2.0 libtcmalloc-minimal4)
if [[ $(id -u) -eq 0 ]]; then
    sudo=()
else
    sudo=(sudo)
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}"
for library in libjemalloc.so.2 libmimalloc.so.2 libtcmalloc_minimal.so.4; do
    ldconfig -p | grep -F "$library" || echo "not found after install: $library" >&2
done
