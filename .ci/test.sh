#!/usr/bin/env bash
# Runs every test: unit tests, the features check, both distributions, and the Pax Exam tests that
# boot them, on embedded Derby and on a throwaway PostgreSQL started here on loopback; then the README's quick start.
#   .ci/test.sh [extra maven arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(.ci/deps.sh)"
eval "$(.ci/postgres.sh start)"
trap '.ci/postgres.sh stop' EXIT
mvn -B -ntp clean install "$@"
# the README's quick start, its commands run as written against the distributions just built
bash .ci/quickstart-test.sh
