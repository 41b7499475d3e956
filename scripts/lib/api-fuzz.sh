# Schemathesis (PyPI) for the API fuzz test, scripts/src/e2e/api-fuzz.test.ts (docs/testing.md):
# installed with pip into a virtual environment under $UMS_CACHE/venv, keyed by its version and the
# hash of scripts/tools/schemathesis/requirements.txt (every dependency pinned), so a second run or
# another clone finds it ready. Its path is recorded in .local/env as SCHEMATHESIS_BIN.
# Sourced by scripts/ums.sh after infra.sh.

UMS_SCHEMATHESIS_REQUIREMENTS="$UMS_ROOT/scripts/tools/schemathesis/requirements.txt"

schemathesis_version() { awk -F'==' '$1 == "schemathesis" { print $2; exit }' "$UMS_SCHEMATHESIS_REQUIREMENTS"; }
schemathesis_venv() {
  echo "$UMS_CACHE/venv/schemathesis-$(schemathesis_version)-$(sha256sum "$UMS_SCHEMATHESIS_REQUIREMENTS" | cut -c1-12)"
}

ensure_schemathesis() {
  local venv v python; venv="$(schemathesis_venv)"; v="$(schemathesis_version)"
  # A venv cannot be moved (its scripts name their interpreter by absolute path): it is built in
  # place and marked complete last, so a broken install is rebuilt on the next run.
  if [ ! -f "$venv/.complete" ]; then
    ensure_apt_packages python3 python3-venv # Debian's python3 has no venv/ensurepip without it
    python="$(command -v python3 || true)"
    [ -n "$python" ] || die "Python 3.10 or newer is needed for Schemathesis (e.g. apt-get install python3 python3-venv)"
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
      || die "Schemathesis $v needs Python 3.10 or newer, $python is $("$python" --version 2>&1)"
    step "installing Schemathesis $v from PyPI into $venv (first run only, under a minute)"
    rm -rf "$venv"
    "$python" -m venv "$venv" >"$UMS_LOCAL/log/schemathesis-install.log" 2>&1 \
      || die "python3 -m venv failed (Debian: apt-get install python3-venv), see $UMS_LOCAL/log/schemathesis-install.log"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
      -r "$UMS_SCHEMATHESIS_REQUIREMENTS" >>"$UMS_LOCAL/log/schemathesis-install.log" 2>&1 \
      || die "pip install schemathesis==$v failed, see $UMS_LOCAL/log/schemathesis-install.log"
    touch "$venv/.complete"
    ok "installed into $venv"
  fi
  set_env SCHEMATHESIS_BIN "$venv/bin/schemathesis"
  ok "$("$venv/bin/schemathesis" --version 2>&1 | head -n 1) ($venv)"
}
