#!/usr/bin/env bash
# Runs the PyTorch round-trip test (tools/pytorch/roundtrip_test.py) when a Python with torch is
# present, and skips it with one line otherwise. Called by .ci/run after `mvn -B verify` (which
# builds rnn/target/rnn.jar); see docs/PYTORCH.md.
#
# The interpreter: $TAPEGRAD_PYTHON if set, else Debian's own python3 (the one python3-torch
# installs into, found with dpkg; the python3 first on PATH may be another one), else python3 on PATH.
# With TAPEGRAD_CI_INSTALL_TORCH=1, a missing torch is first installed with
# `apt-get install -y python3-torch` (as root, where apt-get exists); this takes minutes, so it is off
# by default.
set -euo pipefail
cd "$(dirname "$0")/../.."

find_python() {
  if [[ -n "${TAPEGRAD_PYTHON:-}" ]]; then
    echo "$TAPEGRAD_PYTHON"
    return
  fi
  if command -v dpkg >/dev/null 2>&1; then
    local file
    while IFS= read -r file; do
      if [[ "$file" == */bin/python3 && -x "$file" ]]; then
        echo "$file"
        return
      fi
    done < <(dpkg -L python3-minimal 2>/dev/null || true)
  fi
  command -v python3 || true
}

has_torch() {
  [[ -n "$1" ]] && "$1" -c 'import torch' >/dev/null 2>&1
}

python=$(find_python)
if ! has_torch "$python" && [[ "${TAPEGRAD_CI_INSTALL_TORCH:-0}" == 1 ]] && command -v apt-get >/dev/null 2>&1 \
    && [[ $(id -u) == 0 ]]; then
  echo "installing python3-torch (TAPEGRAD_CI_INSTALL_TORCH=1)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null
  python=$(find_python)
fi
if ! has_torch "$python"; then
  echo "PyTorch round trip skipped: no Python with torch (${python:-no python3} cannot import it; on Debian:" \
    "apt-get install -y python3-torch, or set TAPEGRAD_CI_INSTALL_TORCH=1)"
  exit 0
fi
exec "$python" tools/pytorch/roundtrip_test.py "$@"
