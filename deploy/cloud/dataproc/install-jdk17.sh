#!/usr/bin/env bash
# Dataproc initialization action (2.2-debian12 images): a JDK 17 next to the image's Java 11, for
# DepPrune's YARN containers only (submit.sh points their JAVA_HOME at it). The image's default
# `java`, which Hadoop's and Spark's own daemons use, stays as it was.
set -euo pipefail
java_before="$(readlink -f "$(command -v java)" || true)"
apt-get update -q
apt-get install -y -q --no-install-recommends openjdk-17-jre-headless
test -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java
java_after="$(readlink -f "$(command -v java)" || true)"
if [ -n "$java_before" ] && [ "$java_after" != "$java_before" ]; then
  update-alternatives --set java "$java_before"
fi
