#!/usr/bin/env bash
# A Spark standalone cluster on this machine: one master and N workers on 127.0.0.1, run from the
# Spark home that deploy/spark-home.sh builds. Logs, pids and the workers' folders (executor logs,
# app jars) go to $DEPPRUNE_CLUSTER_DIR (default deploy/target/cluster).
#
#   deploy/cluster.sh start [WORKERS [CORES_PER_WORKER [MEMORY_PER_WORKER]]]   (default 2 1 4g)
#   deploy/cluster.sh status
#   deploy/cluster.sh stop
#
# The master listens on spark://127.0.0.1:$SPARK_MASTER_PORT (default 7077), its web UI on
# http://127.0.0.1:$SPARK_MASTER_WEBUI_PORT (default 8080); submit with deploy/submit.sh.
set -euo pipefail
deploy_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cluster_dir="${DEPPRUNE_CLUSTER_DIR:-$deploy_dir/target/cluster}"
master_port="${SPARK_MASTER_PORT:-7077}"
ui_port="${SPARK_MASTER_WEBUI_PORT:-8080}"
master_url="spark://127.0.0.1:$master_port"
export SPARK_LOCAL_IP=127.0.0.1
export SPARK_DAEMON_MEMORY="${SPARK_DAEMON_MEMORY:-512m}"

die() { echo "cluster: $*" >&2; exit 1; }

alive_workers() {
  curl -sf "http://127.0.0.1:$ui_port/json/" | sed -n 's/.*"aliveworkers" *: *\([0-9]*\).*/\1/p'
}

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_daemon() {
  local name="$1"; shift
  nohup "$SPARK_HOME/bin/spark-class" "$@" >"$cluster_dir/$name.log" 2>&1 &
  echo $! >"$cluster_dir/$name.pid"
}

start() {
  local workers="${1:-2}" cores="${2:-1}" memory="${3:-4g}"
  running "$cluster_dir/master.pid" && die "a cluster is already running (pid $(cat "$cluster_dir/master.pid")); run: $0 stop"
  if (exec 3<>"/dev/tcp/127.0.0.1/$master_port") 2>/dev/null; then
    die "port $master_port is in use; stop what holds it or set SPARK_MASTER_PORT"
  fi
  SPARK_HOME="$("$deploy_dir/spark-home.sh")"
  export SPARK_HOME
  rm -rf "$cluster_dir" && mkdir -p "$cluster_dir"
  start_daemon master org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$master_port" --webui-port "$ui_port"
  for i in $(seq 1 "$workers"); do
    mkdir -p "$cluster_dir/worker-$i"
    start_daemon "worker-$i" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --cores "$cores" --memory "$memory" --webui-port 0 \
      --work-dir "$cluster_dir/worker-$i" "$master_url"
  done
  for _ in $(seq 1 120); do
    if [ "$(alive_workers)" = "$workers" ]; then
      echo "cluster: master $master_url with $workers workers ($cores cores, $memory each); web UI http://127.0.0.1:$ui_port"
      return 0
    fi
    running "$cluster_dir/master.pid" || die "the master exited; see $cluster_dir/master.log"
    sleep 0.5
  done
  stop >/dev/null
  die "the workers did not register within 60 s; see the logs in $cluster_dir"
}

status() {
  local alive
  alive="$(alive_workers || true)"
  [ -n "$alive" ] || { echo "cluster: no master answers on http://127.0.0.1:$ui_port"; return 1; }
  echo "cluster: master $master_url, $alive alive workers, web UI http://127.0.0.1:$ui_port"
}

stop() {
  local pids=() pidfile
  for pidfile in "$cluster_dir"/worker-*.pid "$cluster_dir"/master.pid; do
    [ -f "$pidfile" ] || continue
    running "$pidfile" && pids+=("$(cat "$pidfile")")
    rm -f "$pidfile"
  done
  # Executors are the workers' children; a worker stopping normally kills its own.
  [ "${#pids[@]}" = 0 ] && { echo "cluster: nothing to stop"; return 0; }
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "${pids[@]}" 2>/dev/null || break
    sleep 0.25
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
  pkill -9 -f "CoarseGrainedExecutorBackend.*--worker-url.*127.0.0.1" 2>/dev/null || true
  echo "cluster: stopped"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start [WORKERS [CORES [MEMORY]]] | status | stop" ;;
esac
