#!/usr/bin/env bash
# Prints the JAVA_HOME of a JDK 21 or newer: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
# Exits 1 with what to install when there is none.
set -euo pipefail

major_of() { # major version of the JDK at $1, or 0
  local release="$1/release"
  [[ -x "$1/bin/javac" && -f "$release" ]] || { echo 0; return; }
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n1
}

if [[ -n "${JAVA_HOME:-}" && "$(major_of "$JAVA_HOME")" -ge 21 ]]; then
  echo "$JAVA_HOME"
  exit 0
fi
best="" best_major=0
for jdk in /usr/lib/jvm/*/; do
  jdk="${jdk%/}"
  [[ -L "$jdk" ]] && continue
  major="$(major_of "$jdk")"
  if [[ "${major:-0}" -gt "$best_major" ]]; then best="$jdk" best_major="$major"; fi
done
if [[ "$best_major" -ge 21 ]]; then
  echo "$best"
  exit 0
fi
cat >&2 <<'MSG'
dstack needs a JDK 21 or newer, and none was found (JAVA_HOME, /usr/lib/jvm/*).
Install one, e.g. on Debian/Ubuntu: apt-get install -y openjdk-21-jdk-headless
(or a Temurin 21/25 JDK), or point JAVA_HOME at it.
MSG
exit 1
