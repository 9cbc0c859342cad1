# Shared by bin/depprune and bin/test: locating the project, installing what is missing,
# building when stale, and the JVM flags Spark needs on Java 17. Sourced, not run.

DEPPRUNE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Debian's Fashion-MNIST package and where it installs (overridable, for the script's own tests).
DEPPRUNE_DATA_PACKAGE="${DEPPRUNE_DATA_PACKAGE:-dataset-fashion-mnist}"
DEPPRUNE_DATA_DIR="${DEPPRUNE_DATA_DIR:-/usr/share/datasets/fashion-mnist}"

# Spark's --add-opens list for Java 17 (org.apache.spark.launcher.JavaModuleOptions).
DEPPRUNE_JAVA_OPENS=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true
)

die() {
  echo "depprune: $*" >&2
  exit 1
}

# Installs a Debian package as root, or says exactly what to run.
ensure_debian_package() {
  local package="$1" why="$2"
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    die "$why needs Debian's package $package; install it with: sudo apt-get install -y $package"
  fi
  echo "depprune: installing Debian's package $package ($why)" >&2
  if ! apt-get install -y -q --no-install-recommends "$package" >/dev/null 2>&1; then
    apt-get update -q >/dev/null 2>&1 || true
    apt-get install -y -q --no-install-recommends "$package" >/dev/null \
      || die "could not install $package; run: apt-get update && apt-get install -y $package"
  fi
}

ensure_dataset() {
  ensure_debian_package "$DEPPRUNE_DATA_PACKAGE" "the Fashion-MNIST data set"
  [ -d "$DEPPRUNE_DATA_DIR" ] || die "$DEPPRUNE_DATA_PACKAGE is installed but $DEPPRUNE_DATA_DIR is missing"
}

require_tools() {
  command -v java >/dev/null || die "Java 17 is required (Debian: apt-get install -y openjdk-17-jdk-headless)"
  command -v mvn >/dev/null || die "Maven is required (Debian: apt-get install -y maven)"
  local major
  major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  [ "${major:-0}" -ge 17 ] || die "Java 17 or newer is required, found Java ${major:-unknown}"
}
