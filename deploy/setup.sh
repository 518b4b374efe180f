#!/usr/bin/env bash
# Installs everything `make run` and `make test` need on a fresh Debian machine, idempotently:
# system packages (PostgreSQL, a JDK, Maven) when missing, a Python virtualenv with pinned
# packages, the generated contracts, and the Kafka broker's jars from Maven Central.
set -euo pipefail
cd "$(dirname "$0")/.."
# progress goes to stderr, so `$(make -s token)` captures only the token
exec 1>&2

# Only the steps that have work to do say so: with everything in place, setup prints nothing.
worked=""
step() { printf '\n==> %s\n' "$*"; worked=1; }

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
# setpriv starts the stack's children so they die with it (util-linux: essential on Debian)
command -v setpriv >/dev/null 2>&1 || need_apt+=(util-linux)
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  need_apt+=(postgresql postgresql-contrib)
fi
# the web service's browser tests drive Debian's headless Chromium with its chromedriver
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
if [ ${#need_apt[@]} -gt 0 ]; then
  step "installing system packages from Debian's archive (apt-get, a few minutes): ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need_apt[@]}"
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  step "creating .venv ($("$PY" --version))"
  "$PY" -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ constraints.txt -nt "$stamp" ] || [ "$(find libs services -name pyproject.toml -newer "$stamp" | head -1)" ]; then
  editable=()
  for p in libs/*/ services/*/; do [ -f "$p/pyproject.toml" ] && editable+=(-e "$p"); done
  pinned=$(grep -cE '^[A-Za-z0-9]' constraints.txt)
  ours=$((${#editable[@]} / 2))
  step "installing Python packages into .venv: $pinned from PyPI (pinned in constraints.txt)," \
    "then the project's $ours"
  .venv/bin/python -m pip install -q --upgrade pip
  # pip's lines, one per package, become one line of progress (devstack.progress: standard
  # library only, so it runs before our packages are installed); its errors pass through.
  progress=(env PYTHONPATH=libs/devstack/src .venv/bin/python -m devstack.progress pip
    --total $((pinned + ours)) --start-installed)
  .venv/bin/python -m pip install --progress-bar off -c constraints.txt -r requirements-dev.txt |
    "${progress[@]}"
  # the contracts package is generated code: generate it before installing it
  PYTHONPATH=libs/devstack/src .venv/bin/python -m devstack.contracts generate
  # our packages need nothing beyond setuptools to build: skip a build environment per package
  .venv/bin/python -m pip install --progress-bar off --no-build-isolation -c constraints.txt \
    "${editable[@]}" | "${progress[@]}"
  touch "$stamp"
fi

.venv/bin/python -m devstack.contracts generate  # says so when proto/ changed

# says what it fetches and how far along it is, when the jars are not in .cache/ yet
.venv/bin/python -m devstack.kafka fetch

if [ -n "$worked" ]; then
  echo
  echo "setup complete in ${SECONDS}s"
fi
