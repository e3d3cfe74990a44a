# Sourced by the `tributary` launchers (a checkout's ./tributary, a distribution's bin/tributary); not a
# command. tributary_java JAVA HOME CLASSPATH [ARG...] runs the CLI and ends the launcher with its exit code.
#
# `replay` runs with class-data sharing (AppCDS, JDK 17's dynamic archive). A replay is a fresh JVM that
# loads about 10,000 classes from some 200 jars and then pushes every record of the range through code that
# has just been loaded: class loading and its knock-on costs were a sixth of a 400,000-event replay's CPU
# (BENCHMARKS.md). The first replay of a build that runs the pipeline (not --dry-run or --help) records
# the classes it loaded into an archive when it exits 0 (a few seconds more, once); later replays, dry runs
# too, map the archive instead. The archive is named by the java binary and every jar's size and time, so a
# new build or another JDK makes its own, and the JVM itself refuses, and runs without, an archive that does
# not match. The other commands are short or long-lived, and start as before.
#
# `replay` also raises the thresholds at which C2, the JIT's optimizing compiler, takes a method (4 times
# JDK 17's defaults). A replay is a batch job that shares its cores with the JIT: at the defaults C2 spent
# about half a core throughout a 400,000-event replay, much of it on methods that are warm but never hot.
# The per-record methods still reach C2 after some 20,000 records. Measured on the same hours, one run
# after another (BENCHMARKS.md): 8% less CPU at 400,000 events, 11% less at 1,000,000.
#
# TRIBUTARY_CDS=off runs replay without an archive; TRIBUTARY_CDS_DIR is where archives are kept
# (default ${XDG_CACHE_HOME:-~/.cache}/tributary/cds; about 90 MB, the older ones of a command are removed).
# TRIBUTARY_JAVA_OPTS comes last, so it can override any option set here.

tributary_java() {
  tj_java=$1
  tj_home=$2
  tj_classpath=$3
  shift 3
  tj_command=${1:-}
  tj_jit=
  if [ "$tj_command" = replay ]; then
    tj_jit="-XX:Tier4InvocationThreshold=20000 -XX:Tier4MinInvocationThreshold=2400 -XX:Tier4CompileThreshold=60000"
    tj_jit="$tj_jit -XX:Tier4BackEdgeThreshold=160000"
  fi
  if [ "$tj_command" = replay ] && [ "${TRIBUTARY_CDS:-on}" != off ] && tj_archive=$(tributary_cds_archive "$tj_java" "$tj_classpath" "$tj_command"); then
    if [ -f "$tj_archive" ]; then
      # shellcheck disable=SC2086 # TRIBUTARY_JAVA_OPTS holds several options
      exec "$tj_java" -XX:SharedArchiveFile="$tj_archive" -Xlog:cds=off -Xlog:cds+dynamic=off $tj_jit ${TRIBUTARY_JAVA_OPTS:-} \
        -Dtributary.home="$tj_home" -cp "$tj_classpath" io.tributary.cli.Tributary "$@"
    fi
    if tributary_replays "$@"; then
      tributary_java_recording "$tj_archive" "$@"
    fi
  fi
  # shellcheck disable=SC2086
  exec "$tj_java" $tj_jit ${TRIBUTARY_JAVA_OPTS:-} -Dtributary.home="$tj_home" -cp "$tj_classpath" io.tributary.cli.Tributary "$@"
}

# Whether this replay runs the pipeline: a dry run, or help or the version, loads too few of a replay's
# classes to record them (the first replay of a build is often a dry run).
tributary_replays() {
  for tj_arg in "$@"; do
    case $tj_arg in --dry-run | --help | -h | --version | -V) return 1 ;; esac
  done
}

# Prints the archive's path for this java, classpath and command; fails (no archive) when the classpath
# holds anything but jar files (the JVM refuses to record one with a directory in it) or the directory
# cannot be made.
tributary_cds_archive() {
  tj_dir=${TRIBUTARY_CDS_DIR:-${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/tributary/cds}
  tj_binary=$(command -v "$1") || return 1
  tj_listing=$(
    set -f # split the classpath on ':' below, without expanding '*'
    IFS=:
    for tj_entry in $2; do
      case $tj_entry in *.jar) [ -f "$tj_entry" ] || exit 1 ;; *) exit 1 ;; esac
    done
    # sizes and times: to the nanosecond where ls can (GNU), else as ls prints them
    # shellcheck disable=SC2086
    ls -lLn --time-style=+%s.%N "$tj_binary" $2 2>/dev/null || ls -lLn "$tj_binary" $2
  ) || return 1
  mkdir -p "$tj_dir" 2>/dev/null && [ -w "$tj_dir" ] || return 1
  printf '%s/%s-%s.jsa\n' "$tj_dir" "$3" "$(printf '%s\n' "$tj_listing" | cksum | cut -d ' ' -f 1)"
}

# Runs the CLI while it records the archive at exit. Not exec'd, so that the archive appears under its
# name only once complete (another replay may start meanwhile); SIGTERM and SIGINT are passed on.
tributary_java_recording() {
  tj_archive=$1
  shift
  tj_partial="${tj_archive%.jsa}.$$.partial"
  exec 3<&0 # a background job's stdin would be /dev/null
  # shellcheck disable=SC2086
  "$tj_java" -XX:ArchiveClassesAtExit="$tj_partial" -Xlog:cds=off -Xlog:cds+dynamic=off $tj_jit ${TRIBUTARY_JAVA_OPTS:-} \
    -Dtributary.home="$tj_home" -cp "$tj_classpath" io.tributary.cli.Tributary "$@" <&3 &
  tj_pid=$!
  trap 'kill -TERM "$tj_pid" 2>/dev/null' TERM INT HUP
  tj_code=0
  wait "$tj_pid" || tj_code=$?
  while kill -0 "$tj_pid" 2>/dev/null; do # a signal ended the wait, not the JVM
    tj_code=0
    wait "$tj_pid" || tj_code=$?
  done
  if [ "$tj_code" -eq 0 ] && [ -s "$tj_partial" ]; then
    for tj_old in "${tj_archive%-*}"-*.jsa "${tj_archive%-*}"-*.partial; do
      tj_owner=${tj_old%.partial}
      tj_owner=${tj_owner##*.} # a partial archive's recording JVM, still running or not
      case $tj_old in
        "$tj_archive" | "$tj_partial") ;;
        *.partial) kill -0 "$tj_owner" 2>/dev/null || rm -f "$tj_old" ;;
        *) rm -f "$tj_old" ;;
      esac
    done
    mv -f "$tj_partial" "$tj_archive"
  else
    rm -f "$tj_partial"
  fi
  exit "$tj_code"
}
