#!/usr/bin/env bash
# Installs what the browser tests need beside the venv: Debian's Chromium and a
# Java runtime for the Nu HTML Checker. As root it installs them with apt-get;
# otherwise it says what to run.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} with apt-get (needed by the browser tests)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "The browser tests need: ${missing[*]}." >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
