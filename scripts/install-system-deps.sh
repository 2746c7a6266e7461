#!/usr/bin/env bash
# Debian packages the tests drive for real: browsers, nginx, PostgreSQL (the stats tests start
# their own server), docker-compose (config check only), and Java for the W3C Nu HTML Checker
# (widget/test/checkers.test.mjs runs vnu-jar's jar).
set -euo pipefail
# Extra packages may be named as arguments (`make bench` adds wrk).
packages=(chromium firefox-esr nginx docker-compose nodejs postgresql default-jre-headless "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
