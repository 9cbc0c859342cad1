#!/usr/bin/env bash
# Submits DepPrune's shaded jar with spark-submit from the Spark home that deploy/spark-home.sh builds.
#
#   deploy/submit.sh [SPARK_SUBMIT_OPTIONS...] -- search --config FILE [--out DIR] [--set KEY=VALUE]...
#
# Options before "--" go to spark-submit (default master: the local standalone cluster of
# deploy/cluster.sh, spark://127.0.0.1:7077); the rest are DepPrune's command line. Defaults, each
# overridable by repeating the option: one ND4J (OpenMP) thread per task core, 2 GiB executor heap
# and 2 GiB of off-heap memory for ND4J's arrays. Builds the jar when it is missing.
set -euo pipefail
deploy_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project_dir="$(dirname "$deploy_dir")"
jar="${DEPPRUNE_JAR:-$project_dir/driver/target/driver-0.1.0-SNAPSHOT-spark.jar}"

submit_options=()
master_given=false
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
  case "$1" in --master|--master=*) master_given=true ;; esac
  submit_options+=("$1")
  shift
done
[ "${1:-}" = "--" ] || { echo "submit: usage: $0 [SPARK_SUBMIT_OPTIONS...] -- search --config FILE ..." >&2; exit 1; }
shift

if [ ! -f "$jar" ]; then
  echo "submit: building $jar" >&2
  (cd "$project_dir" && mvn -B -q -DskipTests package) || { echo "submit: the build failed" >&2; exit 1; }
fi
SPARK_HOME="$("$deploy_dir/spark-home.sh")"
export SPARK_HOME

if [ "$master_given" = false ]; then
  # The local standalone cluster: the driver binds to the loopback address, as the cluster does.
  submit_options=(--master "spark://127.0.0.1:${SPARK_MASTER_PORT:-7077}" "${submit_options[@]}")
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
fi

exec "$SPARK_HOME/bin/spark-submit" \
  --class org.depprune.driver.cli.DepPruneCli \
  --driver-memory 2g \
  --executor-memory 2g \
  --conf spark.task.cpus=1 \
  --conf spark.executorEnv.OMP_NUM_THREADS=1 \
  --conf "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=2G -Dorg.bytedeco.javacpp.maxphysicalbytes=5G" \
  --conf "spark.driver.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=2G -Dorg.bytedeco.javacpp.maxphysicalbytes=5G" \
  "${submit_options[@]}" \
  "$jar" "$@"
