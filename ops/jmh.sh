#!/usr/bin/env bash
# Runs the JMH suites of src/jmh/java, which are compiled with the tests and never ship in the
# product jar. Arguments go to JMH as they are, e.g.
#   ops/jmh.sh -l                                     # list the benchmarks
#   ops/jmh.sh 'KernelBenchmark.sgdStep' -p size=64-64-10 -f 3 -wi 3 -i 5
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/jmh-classpath.txt > /dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/jmh-classpath.txt)" org.openjdk.jmh.Main "$@"
