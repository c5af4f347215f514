#!/usr/bin/env bash
# Runs a command with an X display and a D-Bus session: the running one when DISPLAY is set,
# otherwise a private Xvfb that is stopped afterwards.
set -euo pipefail
if [ -z "${DISPLAY:-}" ]; then
  for n in $(seq 90 120); do
    [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { num=$n; break; }
  done
  Xvfb ":$num" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  trap 'kill $xvfb 2>/dev/null || true' EXIT
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$num" ] && break; sleep 0.1; done
  export DISPLAY=":$num"
fi
export NO_AT_BRIDGE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1
dbus-run-session -- "$@"
