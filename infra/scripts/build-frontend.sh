#!/usr/bin/env bash
# Builds the UI's front-end assets into src/Marketplace.Web/wwwroot/lib/govuk-frontend:
# GOV.UK Frontend's JavaScript and assets, and our stylesheet compiled from GOV.UK Frontend's Sass
# (with Arial instead of the GOV.UK-only typeface). Nothing is fetched at run time or from a CDN.
# Installs Debian's nodejs and npm when npm is missing and we are root.
#   --no-install   use the node_modules already there (the Docker assets stage runs npm ci itself)
set -euo pipefail
web="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../src/Marketplace.Web" && pwd)"
cd "$web"

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "build-frontend: npm not found, installing Debian's nodejs and npm" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  else
    echo "build-frontend: npm is needed to build the UI assets: sudo apt-get install -y nodejs npm" >&2
    exit 1
  fi
fi

if [ "${1:-}" != "--no-install" ]; then
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi

out=wwwroot/lib/govuk-frontend
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/assets"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$tmp/"
cp -r node_modules/govuk-frontend/dist/govuk/assets/fonts node_modules/govuk-frontend/dist/govuk/assets/images "$tmp/assets/"
node node_modules/sass/sass.js --no-source-map --style=compressed --quiet-deps --silence-deprecation=import \
  --load-path=node_modules/govuk-frontend/dist Styles/site.scss "$tmp/site.css"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
mv "$tmp" "$out"
chmod 755 "$out"
echo "build-frontend: assets written to $web/$out"
