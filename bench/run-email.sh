#!/usr/bin/env bash
# Email channel benchmark: builds the production jar, installs Debian's Dovecot when missing (dovecot-imapd; the
# benchmark runs its own throwaway instance under a temporary directory, on a free port, with its own
# configuration: nothing under /etc/dovecot is used), and runs the hub and a fair bare client against Dovecot and
# GreenMail in one run; figures in bench/results/email-<date>.md.
# Options (environment): BENCH_SERVERS (dovecot,greenmail), BENCH_LATENCY_MAILS (200), BENCH_BURST (1000),
# BENCH_LARGE (20: the 25 MB mails of the memory burst; 0 skips it), BENCH_STARTS (true: the start times with and
# without AppCDS, and with and without an AOT cache on a JDK 25 or later when one is found: BENCH_AOT_JAVA names its
# java, else the first under /usr/lib/jvm), BENCH_JFR (false: true records the hub with Java Flight Recorder into
# target/bench-email-hub-<server>.jfr).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ",${BENCH_SERVERS:-dovecot,greenmail}," == *",dovecot,"* ]] && [ ! -x /usr/sbin/dovecot ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q -o DPkg::Lock::Timeout=300 dovecot-imapd
fi
# AppCDS: the JVM maps the classes loaded at start from an archive made by the build (same JVM as here)
mvn -B -q -DskipTests package -Dquarkus.package.jar.appcds.enabled=true
mvn -B -q org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
  -Dexec.mainClass=com.esii.support.hub.bench.EmailBench \
  -Dexec.classpathScope=test \
  -Dbench.servers="${BENCH_SERVERS:-dovecot,greenmail}" \
  -Dbench.latency-mails="${BENCH_LATENCY_MAILS:-200}" -Dbench.burst="${BENCH_BURST:-1000}" \
  -Dbench.large="${BENCH_LARGE:-20}" -Dbench.starts="${BENCH_STARTS:-true}" -Dbench.jfr="${BENCH_JFR:-false}" \
  -Dbench.aot-java="${BENCH_AOT_JAVA:-}"
