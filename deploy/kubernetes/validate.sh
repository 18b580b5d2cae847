#!/usr/bin/env bash
# Checks the manifests here without a cluster (kubectl's own validation needs an API server):
# schema (types, required fields, enums) and field names, against the Kubernetes API types of the
# npm packages below. Needs node and npm; installs into a temporary folder.
#   deploy/kubernetes/validate.sh            → one line per document, exit 1 on any error
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund kubernetes-models@4.5.1 yaml@2.9.1 typescript@5.9.3 >/dev/null
cp "$here/validate.mjs" "$work/"
node "$work/validate.mjs" "$here" "$work"
