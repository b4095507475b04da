#!/bin/sh
# Writes podman's engine settings for a machine without systemd (CI, development containers) when
# /etc/containers/containers.conf does not exist yet: runc, cgroupfs, a file events log, bounded default ulimits.
set -e
CONF=/etc/containers/containers.conf
[ -f "$CONF" ] && exit 0
mkdir -p /etc/containers
cat >"$CONF" <<'CONF'
# Written by scripts/podman-setup.sh (Vigie): podman without systemd.
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
echo "podman-setup: wrote $CONF"
