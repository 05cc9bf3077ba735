#!/usr/bin/env bash
# Runs every harness of fuzz/ (built in BUILD_DIR by `make fuzz`): first the inputs of
# regressions/<harness>/ (each once crashed it), then fuzzing from corpus/<harness>/, for RUNS
# executions or SECONDS seconds. Prints one line per harness; exits 1 on the first crash, whose
# input libFuzzer writes to BUILD_DIR/crashes/.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: fuzz/run.sh BUILD_DIR runs N      each harness for N executions
       fuzz/run.sh BUILD_DIR seconds S   each harness for S seconds
USAGE
}

here=$(cd "$(dirname "$0")" && pwd)
harnesses=(cmdline boot_state node_config release module_index slot_manifest pairing_request portal_answer)

main() {
  [[ "${1:-}" == -h || "${1:-}" == --help ]] && { usage; exit 0; }
  (($# == 3)) && [[ "$2" == runs || "$2" == seconds ]] || { usage >&2; exit 2; }
  local build=$1 limit h out
  [[ "$2" == runs ]] && limit=(-runs="$3") || limit=(-max_total_time="$3")
  mkdir -p "$build/crashes"
  for h in "${harnesses[@]}"; do
    mkdir -p "$build/corpus/$h"
    if compgen -G "$here/regressions/$h/*" >/dev/null; then
      "$build/${h}_fuzz" "$here/regressions/$h"/* >/dev/null 2>&1 ||
        { echo "fuzz: $h: a regression input crashes it again ($here/regressions/$h)" >&2; exit 1; }
    fi
    if ! out=$("$build/${h}_fuzz" "${limit[@]}" -print_final_stats=1 -artifact_prefix="$build/crashes/$h-" \
                 "$build/corpus/$h" "$here/corpus/$h" 2>&1); then
      echo "$out" | grep -E "ERROR|SUMMARY|Test unit written" >&2
      echo "fuzz: $h: crashed (input in $build/crashes/)" >&2
      exit 1
    fi
    echo "fuzz: $h: $(echo "$out" | sed -n 's/^stat::number_of_executed_units: *//p') executions, clean"
  done
}

main "$@"
