#!/usr/bin/env bash
# Builds the MKL vendor shim (src/main/c/mkl_vendor_shim.c, why in its comment) into florence2/target/native/ when a C
# compiler is installed, and prints the library's path; prints nothing (exit 0) when there is no compiler, so callers
# run unshimmed. MKL_SHIM=0 prints nothing either (to measure without it).
#   LD_PRELOAD="$(florence2/mkl-shim.sh)${LD_PRELOAD:+:$LD_PRELOAD}" java ...
set -euo pipefail
[[ "${MKL_SHIM:-1}" == 0 ]] && exit 0
here="$(cd "$(dirname "$0")" && pwd)"
source="$here/src/main/c/mkl_vendor_shim.c"
library="$here/target/native/libmkl_vendor_shim.so"
if [[ ! -f "$library" || "$source" -nt "$library" ]]; then
  compiler="$(command -v cc || command -v gcc || command -v clang || true)"
  if [[ -z "$compiler" ]]; then
    echo "mkl-shim: no C compiler (apt-get install gcc); libtorch's MKL keeps its generic path on non-Intel CPUs" >&2
    exit 0
  fi
  mkdir -p "$(dirname "$library")"
  "$compiler" -shared -fPIC -O2 -nostdlib -o "$library.tmp" "$source"
  mv "$library.tmp" "$library"
fi
echo "$library"
