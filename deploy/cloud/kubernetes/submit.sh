#!/usr/bin/env bash
# The DepPrune search on Spark-on-Kubernetes, cluster mode, with the image of ./Dockerfile.
# Needs a Spark 3.5.x distribution on this machine (its bin/spark-submit) and a service account
# that may create pods; data and results on S3 through s3a:// (hadoop-aws is in the image).
#
#   API_SERVER=https://<api-server>:<port> IMAGE=<registry>/depprune:0.1.0 \
#   DATA=s3a://<bucket>/fashion-mnist OUT=s3a://<bucket>/depprune/run1 \
#   deploy/cloud/kubernetes/submit.sh [--set KEY=VALUE ...]
#
# Extra arguments go to `depprune search`, e.g. --set 'final.macs-budgets=[0.4]' (finetune the best
# front plan at <= 40% of the base MACs, and the best uniform plan, on the whole training split).
# A --set value is HOCON (a quoted URI, as below) or, when not HOCON, a plain string.
set -euo pipefail

SPARK_HOME="${SPARK_HOME:?set SPARK_HOME to a Spark 3.5.x distribution}"
API_SERVER="${API_SERVER:?set API_SERVER=https://<api-server>:<port>}"
IMAGE="${IMAGE:?set IMAGE=<registry>/depprune:0.1.0}"
DATA="${DATA:?set DATA=s3a://<bucket>/<folder with the four Fashion-MNIST .gz files>}"
OUT="${OUT:?set OUT=s3a://<bucket>/<results folder>}"
NAMESPACE="${NAMESPACE:-default}"
SERVICE_ACCOUNT="${SERVICE_ACCOUNT:-spark}"
BASE_MODEL="${BASE_MODEL:-/opt/depprune/models/base-resnet.zip}"  # read by the driver only
EXECUTORS="${EXECUTORS:-4}"
CORES=4  # executor cores = spark.task.cpus = OMP_NUM_THREADS = search.nd4j-threads: one trial per executor
# ND4J's arrays live off the heap (JavaCPP): overhead >= maxbytes + ~2g, or the pod is OOM-killed.
ND4J_OPTS="-Dorg.bytedeco.javacpp.maxbytes=6G -Dorg.bytedeco.javacpp.maxphysicalbytes=13G"

# S3 credentials come from the AWS SDK's default chain: environment, IRSA web identity, instance role.
exec "$SPARK_HOME/bin/spark-submit" \
  --master "k8s://$API_SERVER" --deploy-mode cluster --name depprune-search \
  --class org.depprune.driver.cli.DepPruneCli \
  --conf spark.kubernetes.namespace="$NAMESPACE" \
  --conf spark.kubernetes.container.image="$IMAGE" \
  --conf spark.kubernetes.authenticate.driver.serviceAccountName="$SERVICE_ACCOUNT" \
  --conf spark.executor.instances="$EXECUTORS" \
  --conf spark.executor.cores="$CORES" \
  --conf spark.task.cpus="$CORES" \
  --conf spark.executorEnv.OMP_NUM_THREADS="$CORES" \
  --conf spark.driver.cores="$CORES" \
  --conf spark.driver.memory=6g --conf spark.driver.memoryOverhead=8g \
  --conf spark.executor.memory=6g --conf spark.executor.memoryOverhead=8g \
  --conf spark.driver.extraJavaOptions="$ND4J_OPTS" \
  --conf spark.executor.extraJavaOptions="$ND4J_OPTS" \
  --conf spark.hadoop.fs.s3a.aws.credentials.provider=com.amazonaws.auth.DefaultAWSCredentialsProviderChain \
  local:///opt/depprune/depprune.jar \
  search --config /opt/depprune/conf/search-cloud.conf \
  --set "base-model=\"$BASE_MODEL\"" --set "data=\"$DATA\"" --out "$OUT" \
  --set nd4j-threads="$CORES" --set parallelism="$EXECUTORS" "$@"
