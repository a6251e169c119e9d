#!/usr/bin/env bash
# promtool-checks.sh checks observability/prometheus: the configuration, the
# recording and alerting rules, and the rules' unit tests (every alert fires
# and stays silent as its test says). `make test` runs it; it installs
# promtool when missing (install-prometheus.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../../observability/prometheus"
promtool=$(bash ../../deploy/local/install-prometheus.sh)

# check config also checks the rule files prometheus.yml names.
"$promtool" check config prometheus.yml
"$promtool" check rules rules/*.yml
"$promtool" test rules tests/*.yml
