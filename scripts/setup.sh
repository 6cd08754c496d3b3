#!/usr/bin/env bash
# Installs the Debian 12 packages the build and the tests need
# (.ci/packages.txt). Runs itself through sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  exec sudo "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
packages=$(grep -v '^\s*#' .ci/packages.txt | grep -v '^\s*$' | tr '\n' ' ')
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $packages
