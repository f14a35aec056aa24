#!/usr/bin/env bash
# facecluster launcher.
#
#   ./submit.sh <command> [options]          e.g. ./submit.sh run --input sample --output /tmp/fc
#
# With spark-submit available ($SPARK_HOME/bin/spark-submit, or spark-submit on PATH) the job jar is submitted
# with conf/spark-defaults.conf; extra spark-submit arguments (--master, --deploy-mode, --num-executors, ...)
# go in $SPARK_SUBMIT_ARGS. Without Spark, the same main class runs on embedded local Spark (local[*]), with
# the settings of conf/spark-defaults.conf passed as system properties. FACECLUSTER_EMBEDDED=1 forces that.
# Embedded, `--spark-master spark://host:port` makes this JVM the driver of a standalone cluster's app.
# The project is built first (mvn package) when the job jar is missing.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export FACECLUSTER_HOME="${FACECLUSTER_HOME:-$HERE}"
JAR="$HERE/job/target/facecluster-job.jar"
CLASSPATH_FILE="$HERE/job/target/embedded-classpath.txt"
SPARK_DEFAULTS="${FACECLUSTER_SPARK_DEFAULTS:-$HERE/conf/spark-defaults.conf}"
LOG4J="${FACECLUSTER_LOG4J:-$HERE/conf/log4j2.properties}"
MAIN=io.facecluster.cli.Main

if [[ ! -f "$JAR" || ! -f "$CLASSPATH_FILE" ]]; then
  echo "facecluster: building the job jar (first run; needs Maven and Java 17)..." >&2
  (cd "$HERE" && mvn -B -q -Dstyle.color=never -DskipTests package) >&2
fi

# Spark on Java 17 needs these opens. spark-submit's launcher adds them to a driver it starts itself (client
# mode), but a standalone master starts a cluster-mode driver on a worker without them (Spark 3.5: the driver
# dies at start with IllegalAccessError on sun.nio.ch.DirectBuffer), so they also go in the driver's options.
OPENS=(java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent
  java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar)
JAVA_FLAGS=()
for p in "${OPENS[@]}"; do JAVA_FLAGS+=("--add-opens=java.base/$p=ALL-UNNAMED"); done

SPARK_SUBMIT=""
if [[ "${FACECLUSTER_EMBEDDED:-0}" != "1" ]]; then
  if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
    SPARK_SUBMIT="$SPARK_HOME/bin/spark-submit"
  elif command -v spark-submit >/dev/null 2>&1; then
    SPARK_SUBMIT="$(command -v spark-submit)"
  fi
fi

if [[ -n "$SPARK_SUBMIT" ]]; then
  S3A_JARS="$(ls "$HERE"/job/target/s3a-jars/*.jar | paste -sd, -)"
  # shellcheck disable=SC2086
  exec "$SPARK_SUBMIT" --properties-file "$SPARK_DEFAULTS" --class "$MAIN" --jars "$S3A_JARS" \
    --driver-java-options "-Dlog4j2.configurationFile=file:$LOG4J -DFACECLUSTER_HOME=$FACECLUSTER_HOME ${JAVA_FLAGS[*]}" \
    ${SPARK_SUBMIT_ARGS:-} "$JAR" "$@"
fi

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# Embedded local mode: Spark's settings from spark-defaults.conf become -Dkey=value (spark-submit's job).
SPARK_PROPS=()
if [[ -f "$SPARK_DEFAULTS" ]]; then
  while read -r key value; do
    [[ -z "$key" || "$key" == \#* ]] && continue
    SPARK_PROPS+=("-D$key=$value")
  done < "$SPARK_DEFAULTS"
fi
# With --spark-master spark://... the driver runs here and executors run elsewhere: they get the job jar and
# the S3A jars from this list as spark.jars (what spark-submit's primary jar and --jars do); local[*] ignores it.
EXECUTOR_JARS="$JAR,$(ls "$HERE"/job/target/s3a-jars/*.jar | paste -sd, -)"
# FACECLUSTER_JAVA_OPTS comes last so that its -D settings win (e.g. -Dspark.driver.host=<an address the
# cluster's workers reach> for a master on another machine).
# shellcheck disable=SC2086
exec java "${JAVA_FLAGS[@]}" "${SPARK_PROPS[@]}" \
  -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 -Dspark.ui.enabled=false \
  -Dlog4j2.configurationFile="file:$LOG4J" -Dfacecluster.executor-jars="$EXECUTOR_JARS" \
  ${FACECLUSTER_JAVA_OPTS:--Xmx4g} \
  -cp "$JAR:$(cat "$CLASSPATH_FILE")" "$MAIN" "$@"
