#!/usr/bin/env bash
# Prints the folder of the pinned Apache Kafka: libs/ (the jars, from Maven Central through tools/kafka/pom.xml)
# and config/log4j.properties. Fetched once per pom and logging config; a cache hit costs a hash.
#   ensure-kafka.sh          fetch if missing, then print the folder
#   ensure-kafka.sh --path   print the folder if fetched; exit 3 otherwise (never fetches)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

tool_dir="$REPO_ROOT/tools/kafka"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$tool_dir/pom.xml")"
[ -n "$version" ] || die "no <kafka.version> in $tool_dir/pom.xml"
key="$(cat "$tool_dir/pom.xml" "$tool_dir/log4j.properties" | sha256sum | cut -c1-12)"
home="$SITTER_CACHE/kafka/$version-$key"

if [ "${1:-}" = "--path" ]; then
  [ -f "$home/.complete" ] && { echo "$home"; exit 0; }
  echo "Kafka $version is not fetched: run 'npm run infra:provision'" >&2
  exit 3
fi

fetch() {
  [ -f "$home/.complete" ] && return 0
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch Kafka's jars from Maven Central"
  command -v java >/dev/null || die "Java 17 or newer is needed to run Kafka $version"
  say "fetching Kafka $version jars from Maven Central"
  rm -rf "$home"
  mkdir -p "$home/config"
  mvn -B -q -Dstyle.color=never -f "$tool_dir/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$home/libs" >&2
  cp "$tool_dir/log4j.properties" "$home/config/log4j.properties"
  ls "$home/libs"/kafka_2.13-"$version".jar >/dev/null || die "kafka_2.13-$version.jar is missing from $home/libs"
  touch "$home/.complete"
}

if [ ! -f "$home/.complete" ]; then
  with_lock kafka fetch
fi
java_major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')"
[ "${java_major:-0}" -ge 17 ] 2>/dev/null || die "Kafka $version here needs Java 17 or newer (found ${java_major:-none})"
echo "$home"
