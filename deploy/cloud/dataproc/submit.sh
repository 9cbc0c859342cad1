#!/usr/bin/env bash
# The DepPrune search as a Dataproc job on a 2.2 image cluster (Spark 3.5, YARN). The 2.2 images run
# Java 11 and the jar is built for Java 17, so the cluster installs a JDK 17 on every node with
# ./install-jdk17.sh, and the job runs its driver in a YARN container (cluster deploy mode) where
# JAVA_HOME points at it, as do the executors. Once per cluster:
#   gcloud storage cp deploy/cloud/dataproc/install-jdk17.sh gs://<bucket>/depprune/
#   gcloud dataproc clusters create <cluster> --region=<region> --image-version=2.2-debian12 \
#     --worker-machine-type=n2-highmem-4 --num-workers=4 \
#     --initialization-actions=gs://<bucket>/depprune/install-jdk17.sh
# Then, with the jar, search-cloud.conf, the base model and the data uploaded (README.md):
#   CLUSTER=<cluster> REGION=<region> BUCKET=gs://<bucket> deploy/cloud/dataproc/submit.sh [--set ...]
set -euo pipefail

CLUSTER="${CLUSTER:?set CLUSTER=<cluster>}"
REGION="${REGION:?set REGION=<region>}"
BUCKET="${BUCKET:?set BUCKET=gs://<bucket>}"
RUN="${RUN:-run1}"
EXECUTORS="${EXECUTORS:-4}"
CORES=4  # executor cores = spark.task.cpus = OMP_NUM_THREADS = search.nd4j-threads
JDK17=/usr/lib/jvm/java-17-openjdk-amd64
# ND4J's arrays live off the heap (JavaCPP): overhead >= maxbytes + ~2g, or YARN kills the container.
ND4J_OPTS="-Dorg.bytedeco.javacpp.maxbytes=6G -Dorg.bytedeco.javacpp.maxphysicalbytes=13G"

PROPERTIES=(
  spark.submit.deployMode=cluster
  "spark.yarn.appMasterEnv.JAVA_HOME=$JDK17" "spark.executorEnv.JAVA_HOME=$JDK17"
  spark.dynamicAllocation.enabled=false "spark.executor.instances=$EXECUTORS"
  "spark.executor.cores=$CORES" "spark.task.cpus=$CORES" "spark.executorEnv.OMP_NUM_THREADS=$CORES"
  "spark.driver.cores=$CORES" spark.driver.memory=6g spark.driver.memoryOverhead=8g
  spark.executor.memory=6g spark.executor.memoryOverhead=8g
  "spark.driver.extraJavaOptions=$ND4J_OPTS" "spark.executor.extraJavaOptions=$ND4J_OPTS"
)
# gcloud splits --properties at commas; the ^#^ prefix makes '#' the separator instead.
joined="$(IFS='#'; echo "${PROPERTIES[*]}")"

# --jar (not --class with --jars): the jar is spark-submit's primary resource, which cluster mode
# ships to the driver's container; the main class comes from the shaded jar's manifest.
exec gcloud dataproc jobs submit spark --cluster="$CLUSTER" --region="$REGION" \
  --jar="$BUCKET/depprune/depprune.jar" \
  --files="$BUCKET/depprune/search-cloud.conf" \
  --properties="^#^$joined" \
  -- search --config search-cloud.conf \
  --set "base-model=\"$BUCKET/depprune/base-resnet.zip\"" \
  --set "data=\"$BUCKET/fashion-mnist\"" \
  --out "$BUCKET/depprune/$RUN" \
  --set nd4j-threads="$CORES" --set parallelism="$EXECUTORS" "$@"
