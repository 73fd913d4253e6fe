#!/usr/bin/env bash
# What the tests need from the system: Debian's Chromium (playwright's own browser download
# cannot work here), pdftotext from poppler-utils (reads the report PDF back), curl, and the
# servers of a Kaptár cluster: PostgreSQL, Redis and HAProxy (the tests start throwaway ones of
# their own on free ports, never a system one).
# Installs them when missing and this machine can (root + apt); otherwise says what to do.
set -euo pipefail
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$CHROMIUM_PATH" ] || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# The hostile-client suite sends its bursts from another process and address (curl --parallel).
command -v curl >/dev/null 2>&1 || missing+=(curl)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
[ -x /usr/sbin/haproxy ] || missing+=(haproxy)
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} for the tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "The tests need: ${missing[*]}." >&2
echo "Install with: sudo apt-get install -y ${missing[*]}   (or set CHROMIUM_PATH)" >&2
exit 1
