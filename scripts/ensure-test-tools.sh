#!/usr/bin/env bash
# Installs what the tests need beside the venv: Debian's Chromium, a Java
# runtime and Node's npm for the Nu HTML Checker (vnu-jar, pinned in
# package-lock.json and installed with `npm ci`). As root it installs the
# Debian packages with apt-get; otherwise it says what to run.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v age >/dev/null 2>&1 || missing+=(age)  # sealed files: interoperability tests

if [ ${#missing[@]} -gt 0 ]; then
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
fi

# The Nu HTML Checker. --ignore-scripts: vnu-jar's postinstall only looks for
# Java, which is installed above; the jar itself is in the package.
# Also the web editor (decap-cms, decap-server, js-yaml) that the build copies to /admin/.
jar=node_modules/vnu-jar/build/dist/vnu.jar
editor=node_modules/decap-cms/dist/decap-cms.js
if [ ! -f "$jar" ] || [ ! -f "$editor" ] || [ package-lock.json -nt "$jar" ]; then
  echo "Installing the Nu HTML Checker and the web editor (npm ci)..."
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  touch "$jar"
fi
