# Sourced by scripts/run and scripts/test: find Python 3.12+, make .venv, install pinned requirements.
# Usage: ensure_venv requirements.txt

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_venv() {
  local requirements=$1 python stamp wanted
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    if ! python=$(find_python); then
      echo "error: Python 3.12 or newer is needed; found: $(python3 --version 2>&1 || echo 'no python3')." >&2
      echo "       Install it (for example 'pyenv install 3.12'), or point PYTHON at one: PYTHON=/path/to/python3.12 make run" >&2
      exit 1
    fi
    echo "Creating .venv with $("$python" --version)"
    rm -rf .venv
    "$python" -m venv .venv
  fi
  # Reinstall only when the pinned requirements change.
  stamp=.venv/.installed-$(basename "$requirements")
  wanted=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Installing $requirements"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$wanted" > "$stamp"
  fi
}
