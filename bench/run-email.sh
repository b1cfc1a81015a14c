#!/usr/bin/env bash
# Email channel benchmark: builds the production jar, starts PostgreSQL and GreenMail (SMTP + IMAP), runs the hub
# with the email channel on, and writes the figures to bench/results/email-<date>.md.
# Options (environment): BENCH_LATENCY_MAILS (200), BENCH_BURST (1000).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
mvn -B -q org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
  -Dexec.mainClass=com.esii.support.hub.bench.EmailBench \
  -Dexec.classpathScope=test \
  -Dbench.latency-mails="${BENCH_LATENCY_MAILS:-200}" -Dbench.burst="${BENCH_BURST:-1000}"
