# Sourced by the scripts that need a Redis server binary (the tests and the load script start
# their own private servers on free ports): `install_redis` installs Debian's redis-server
# without starting a system service.

install_redis() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
    fi
    local install=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive
        apt-get install -y --no-install-recommends redis-server)
    # The package's scripts would start a system service; a policy-rc.d answering 101 forbids
    # that. It is only added when there is none, and removed afterwards.
    local policy=/usr/sbin/policy-rc.d
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
        "${sudo[@]}" chmod +x "$policy"
        trap "$(printf '%q ' "${sudo[@]}" rm -f "$policy")" EXIT
    fi
    echo "redis-server is not installed: installing it with apt-get" >&2
    if ! "${install[@]}"; then
        "${sudo[@]}" apt-get update
        "${install[@]}"
    fi
}
