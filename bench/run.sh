#!/usr/bin/env bash
# Web ticket creation benchmark: builds the production jar, starts PostgreSQL, an SMTP server and the simulated
# ERP/Jira, runs the hub, loads it, and writes the figures to bench/results/web-ticket-<date>.md.
# Options (environment): BENCH_RATE (100), BENCH_SECONDS (60), BENCH_MAX_SECONDS (20), BENCH_ADDRESSES (100000: the
# customers' addresses the tickets take in turn; 500 as before issue 29, when the loop caps withheld most
# acknowledgements), BENCH_JFR (false: true records the hub with Java Flight Recorder into target/bench-web-hub.jfr).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
mvn -B -q org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
  -Dexec.mainClass=com.esii.support.hub.bench.WebTicketBench \
  -Dexec.classpathScope=test \
  -Dbench.rate="${BENCH_RATE:-100}" -Dbench.seconds="${BENCH_SECONDS:-60}" -Dbench.max-seconds="${BENCH_MAX_SECONDS:-20}" \
  -Dbench.addresses="${BENCH_ADDRESSES:-100000}" -Dbench.jfr="${BENCH_JFR:-false}"
