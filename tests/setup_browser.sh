#!/usr/bin/env bash
# Install what tests/test_browser.py needs: Debian's chromium + chromium-driver, and the
# playwright Python package (its own browser download does not work offline; the test
# points it at /usr/bin/chromium instead). Safe to run again: it skips what is present.
# Usage: bash tests/setup_browser.sh [path/to/python]   (default .venv/bin/python)
set -u
PY="${1:-.venv/bin/python}"
PLAYWRIGHT_PIN="playwright==1.65.2"  # the pin reported to the lead; matches the test's API use

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || echo "setup_browser: apt-get update failed" >&2
    apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null 2>&1 \
      || echo "setup_browser: could not install chromium (the browser test will be skipped)" >&2
  else
    echo "setup_browser: chromium missing and apt-get unavailable (need root); the browser test will be skipped" >&2
  fi
fi

if ! "$PY" -c "import playwright" >/dev/null 2>&1; then
  "$PY" -m pip install -q "$PLAYWRIGHT_PIN" >/dev/null 2>&1 \
    || echo "setup_browser: could not pip install $PLAYWRIGHT_PIN (the browser test will be skipped)" >&2
fi
exit 0
