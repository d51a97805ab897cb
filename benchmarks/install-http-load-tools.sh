#!/usr/bin/env bash
# Installs the load generators the HTTP benchmark drives its servers with (Debian 12 package names):
#   wrk             /usr/bin/wrk      HTTP/1.1
#   nghttp2-client  /usr/bin/h2load   HTTP/2 over TLS
# taskset (util-linux) pins the server and the load generator to different cores; Debian has it already.
# Runs apt-get through sudo unless already root. A missing tool is skipped by the benchmark (with a line naming
# its package), so this is optional.
set -euo pipefail

packages=(wrk nghttp2-client)
if [[ $(id -u) -eq 0 ]]; then
    sudo=()
else
    sudo=(sudo)
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}"
for tool in wrk h2load taskset; do
    command -v "$tool" || echo "not found after install: $tool" >&2
done
