#!/bin/sh
# Offline checks of what deploy/ holds (`npm run check:deploy`; CI runs it):
#   the Kubernetes manifests against the Kubernetes schemas (kubernetes-validate, from .venv-deploy),
#   the Prometheus alert rules (promtool check rules) and their unit tests (promtool test rules).
# promtool comes with Debian's prometheus package (apt-get install prometheus).
set -e
cd "$(dirname "$0")/.."
bin="$(sh scripts/deploy-tools.sh)"

echo "== Kubernetes manifests (deploy/k8s, Kubernetes ${VIGIE_K8S_VERSION:-1.29.0} schemas, strict)"
manifests=$(ls deploy/k8s/*.yaml | grep -v '/kustomization.yaml$')
"$bin/kubernetes-validate" --strict --quiet -k "${VIGIE_K8S_VERSION:-1.29.0}" $manifests
echo "deploy-check: $(echo "$manifests" | wc -l) manifest files valid"

if ! command -v promtool >/dev/null 2>&1; then
  echo "deploy-check: promtool not found: install Debian's prometheus package (apt-get install prometheus)" >&2
  exit 1
fi
echo "== Prometheus rules (deploy/prometheus)"
promtool check rules deploy/prometheus/*-rules.yml
promtool test rules deploy/prometheus/tests/*.test.yml
echo "deploy-check: passed"
