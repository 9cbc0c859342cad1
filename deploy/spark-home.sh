#!/usr/bin/env bash
# Builds a Spark home from Maven Central (no Spark download needed) and prints its path:
#   deploy/target/spark-home/{jars/, bin/spark-class, bin/spark-submit, conf/, RELEASE}
# jars/ holds Spark 3.5.8 (Scala 2.12) and its dependencies at the versions the project pins.
# Rebuilt only when deploy/spark-home/pom.xml, the parent pom or the scripts in deploy/bin change.
# Usage: deploy/spark-home.sh [HOME_DIR]
set -euo pipefail
deploy_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project_dir="$(dirname "$deploy_dir")"
home="${1:-$deploy_dir/target/spark-home}"
stamp="$home/RELEASE"

stale=1
if [ -f "$stamp" ] && [ -d "$home/jars" ]; then
  stale=0
  for input in "$deploy_dir/spark-home/pom.xml" "$project_dir/pom.xml" "$deploy_dir"/bin/* "$project_dir/conf/log4j2.properties"; do
    if [ "$input" -nt "$stamp" ]; then stale=1; fi
  done
fi

if [ "$stale" = 1 ]; then
  command -v mvn >/dev/null || { echo "spark-home: Maven is required (Debian: apt-get install -y maven)" >&2; exit 1; }
  echo "spark-home: building $home from Maven Central jars" >&2
  rm -rf "$home"
  mkdir -p "$home/bin" "$home/conf"
  mvn -B -q -f "$deploy_dir/spark-home/pom.xml" package -Dspark.home.jars="$home/jars" >&2 \
    || { echo "spark-home: Maven could not fetch Spark's jars (see above)" >&2; exit 1; }
  cp "$deploy_dir"/bin/spark-class "$deploy_dir"/bin/spark-submit "$home/bin/"
  cp "$project_dir/conf/log4j2.properties" "$home/conf/"
  spark_version=$(find "$home/jars" -name 'spark-core_*.jar' -printf '%f\n' | sed 's/spark-core_[0-9.]*-\(.*\)\.jar/\1/')
  # Spark's launcher takes jars/ from a home that has a RELEASE file, as in a binary distribution.
  echo "Spark $spark_version built for Hadoop 3.3 (DepPrune: jars from Maven Central)" > "$stamp"
fi
echo "$home"
