#!/usr/bin/env bash
# Builds the two base images the Dockerfile starts from when the registry's node:20-bookworm and
# node:20-bookworm-slim cannot be pulled (an offline or registry-less machine): Debian bookworm from Debian's own
# packages (debootstrap), plus this host's Node (node, npm, headers) and CA bundle. The images are kept in the local
# container storage and reused: delete them (`podman rmi localhost/vigie-node:20-bookworm{,-slim}`) to rebuild.
#   scripts/container-base.sh [podman|docker]
set -euo pipefail
ENGINE="${1:-podman}"
MIRROR="${VIGIE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SLIM=localhost/vigie-node:20-bookworm-slim
FULL=localhost/vigie-node:20-bookworm

have() { "$ENGINE" image exists "$1" 2>/dev/null || "$ENGINE" image inspect "$1" >/dev/null 2>&1; }
if have "$SLIM" && have "$FULL"; then
  echo "base images: $SLIM and $FULL already built"
  exit 0
fi

for tool in debootstrap node npm tar; do
  command -v "$tool" >/dev/null || { echo "container-base: $tool is needed (apt-get install debootstrap; Node 20)"; exit 1; }
done
case "$(node -p 'process.versions.node.split(".")[0]')" in
  20) ;;
  *) echo "container-base: the host's Node must be version 20 (found $(node --version))"; exit 1 ;;
esac
NODE_BIN="$(readlink -f "$(command -v node)")"
NPM_DIR="$(dirname "$(readlink -f "$(command -v npm)")")/.."
NPM_DIR="$(cd "$NPM_DIR" && pwd)"
NODE_PREFIX="$(cd "$(dirname "$NODE_BIN")/.." && pwd)"
CA_BUNDLE="${VIGIE_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"

WORK="$(mktemp -d /var/tmp/vigie-base.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

echo "base images: debootstrap bookworm (minbase) from $MIRROR"
debootstrap --variant=minbase --include=ca-certificates bookworm "$WORK/slim" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 || {
  tail -20 "$WORK/debootstrap.log"
  exit 1
}
chroot "$WORK/slim" apt-get clean
rm -rf "$WORK/slim"/var/lib/apt/lists/* "$WORK/slim"/var/cache/apt/*.bin "$WORK/slim"/usr/share/doc/* \
  "$WORK/slim"/usr/share/man/* "$WORK/slim"/usr/share/locale/*
# The same user as the official node images: uid and gid 1000, named node.
chroot "$WORK/slim" groupadd --gid 1000 node
chroot "$WORK/slim" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

cp -a "$WORK/slim" "$WORK/full"
install -m 0755 "$NODE_BIN" "$WORK/slim/usr/local/bin/node"

echo "base images: compilers for the build stage (python3, make, g++)"
cp /etc/resolv.conf "$WORK/full/etc/resolv.conf"
[ -f "$CA_BUNDLE" ] && cp "$CA_BUNDLE" "$WORK/full/usr/local/share/ca-certificates/host-bundle.crt" && \
  chroot "$WORK/full" update-ca-certificates >/dev/null 2>&1 || true
chroot "$WORK/full" apt-get update -qq >"$WORK/apt.log" 2>&1
DEBIAN_FRONTEND=noninteractive chroot "$WORK/full" apt-get install -y -qq --no-install-recommends \
  python3 make g++ >>"$WORK/apt.log" 2>&1 || { tail -20 "$WORK/apt.log"; exit 1; }
chroot "$WORK/full" apt-get clean
rm -rf "$WORK/full"/var/lib/apt/lists/* "$WORK/full/etc/resolv.conf"
install -m 0755 "$NODE_BIN" "$WORK/full/usr/local/bin/node"
mkdir -p "$WORK/full/usr/local/lib/node_modules" "$WORK/full/usr/local/include"
cp -a "$NPM_DIR" "$WORK/full/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$WORK/full/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$WORK/full/usr/local/bin/npx"
# node-gyp compiles better-sqlite3 against these headers when its prebuilt download fails (no network for it).
cp -a "$NODE_PREFIX/include/node" "$WORK/full/usr/local/include/node"

"$ENGINE" rmi -f "$SLIM" "$FULL" >/dev/null 2>&1 || true
tar -C "$WORK/slim" -c . | "$ENGINE" import --change 'CMD ["node"]' --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin' - "$SLIM" >/dev/null 2>&1
tar -C "$WORK/full" -c . | "$ENGINE" import --change 'CMD ["node"]' --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin' --change 'ENV npm_config_nodedir=/usr/local' --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' --change 'ENV npm_config_cafile=/etc/ssl/certs/ca-certificates.crt' - "$FULL" >/dev/null 2>&1
echo "base images: built $SLIM and $FULL"
