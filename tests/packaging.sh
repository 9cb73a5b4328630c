#!/usr/bin/env bash
# Builds the Debian package from a finished build tree with cpack and checks it as a user's
# machine would see it: control fields (shlibdeps found Qt and libpq), the file list, an
# unpacked copy that runs (--version, status against a refused port, the man page), the
# desktop entry and AppStream file as installed, and lintian's verdict when lintian exists.
# With root and CI=true (or PD_TEST_DPKG_INSTALL=1) it also installs the package for real
# with apt-get, runs /usr/bin/paritydeck and removes it again.
#   tests/packaging.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

tmp=$(mktemp -d /tmp/paritydeck-packaging.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

cpack --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1 || {
  cat "$tmp/cpack.log" >&2
  echo "FAIL: cpack" >&2
  exit 1
}
deb=$(ls "$tmp"/out/paritydeck_*.deb)
echo "package: $(basename "$deb") $(stat -c %s "$deb") bytes"

# Control fields.
info=$(dpkg-deb -I "$deb")
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = paritydeck ] && pass "Package" || fail "Package is '$(field Package)'"
version=$(sed -n 's/^project(ParityDeck VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[ "$(field Version)" = "$version-1" ] && pass "Version $version-1" || fail "Version is '$(field Version)', expected $version-1"
depends=$(field Depends)
echo "Depends: $depends"
for dep in libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 libpq5 libyaml-cpp libqt6keychain libqt6svg6 libc6 libstdc++6; do
  grep -q "$dep" <<<"$depends" && pass "Depends names $dep" || fail "Depends lacks $dep"
done
grep -q '(>= ' <<<"$depends" && pass "Depends carries versions (shlibdeps)" || fail "Depends has no versions: shlibdeps did not run"
grep -q '^ Description: keep' <<<"$info" && pass "Description" || fail "Description missing"
[ -n "$(field Installed-Size)" ] && pass "Installed-Size $(field Installed-Size) KiB" || fail "no Installed-Size"

# Files.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/files"
id=io.paritydeck.ParityDeck
for f in /usr/bin/paritydeck \
         /usr/share/applications/$id.desktop \
         /usr/share/metainfo/$id.metainfo.xml \
         /usr/share/icons/hicolor/scalable/apps/$id.svg \
         /usr/share/icons/hicolor/48x48/apps/$id.png \
         /usr/share/icons/hicolor/256x256/apps/$id.png \
         /usr/share/man/man1/paritydeck.1.gz \
         /usr/share/bash-completion/completions/paritydeck \
         /usr/share/doc/paritydeck/copyright \
         /usr/share/doc/paritydeck/changelog.Debian.gz; do
  grep -qxF "$f" "$tmp/files" && pass "contains $f" || fail "missing $f"
done
if grep -E '^/usr/(lib|include)/|/tst_|/bench_' "$tmp/files"; then fail "test, bench or library files in the package"; fi
[ "$(dpkg-deb -c "$deb" | awk '$2 != "root/root"' | wc -l)" = 0 ] && pass "all files owned by root" || fail "files not owned by root"

# Unpacked, the binary runs against the system's libraries.
dpkg-deb -x "$deb" "$tmp/root"
bin=$tmp/root/usr/bin/paritydeck
file "$bin" | grep -q 'stripped' && ! file "$bin" | grep -q 'not stripped' && pass "binary stripped" || fail "binary not stripped"
out=$("$bin" --version) && [ "$out" = "paritydeck $version" ] && pass "--version: $out" || fail "--version printed '$out'"
mkdir -p "$tmp/demo"
cat >"$tmp/demo/paritydeck.yaml" <<'EOF'
version: 1
project: demo
environments:
  dev:
    database: { url: "postgresql://app@127.0.0.1:1/app", connect_timeout: 2 }
EOF
set +e
status=$(XDG_STATE_HOME=$tmp/state "$bin" --workspace "$tmp/demo" status --json 2>"$tmp/status.err")
code=$?
set -e
[ "$code" = 1 ] && grep -q '"state": *"down"' <<<"$status" && pass "status --json on a refused port: exit 1, down" \
  || fail "status: exit $code, output: $status $(cat "$tmp/status.err")"

# Man page: renders without warnings, has a NAME line, names every command.
man=$tmp/root/usr/share/man/man1/paritydeck.1.gz
warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$man" 2>&1 >"$tmp/man.txt")
[ -z "$warnings" ] && pass "man -l renders without warnings" || fail "man warnings: $warnings"
lexgrog "$man" | grep -q 'paritydeck - keep' && pass "lexgrog: $(lexgrog "$man")" || fail "lexgrog: $(lexgrog "$man" 2>&1)"
for c in $("$bin" __complete commands); do
  grep -qE "(^|[^a-z_-])$c([^a-z_-]|\$)" "$tmp/man.txt" || fail "man page does not mention '$c'"
done
bash -n "$tmp/root/usr/share/bash-completion/completions/paritydeck" && pass "completion script parses" || fail "completion script"

# Desktop entry and AppStream file as installed; the icon they name is installed.
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$tmp/root/usr/share/applications/$id.desktop" && pass "desktop-file-validate" || fail "desktop-file-validate"
fi
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net "$tmp/root/usr/share/metainfo/$id.metainfo.xml" >"$tmp/as.log" 2>&1 \
    && pass "appstreamcli validate" || { cat "$tmp/as.log"; fail "appstreamcli validate"; }
fi
icon=$(sed -n 's/^Icon=//p' "$tmp/root/usr/share/applications/$id.desktop")
ls "$tmp/root/usr/share/icons/hicolor/"*/apps/"$icon".* >/dev/null && pass "icon $icon installed" || fail "icon $icon not installed"

# lintian: errors fail the test, warnings are printed.
if command -v lintian >/dev/null; then
  lintian --tag-display-limit 0 --suppress-tags-from-file "$src/packaging/lintian-accepted" "$deb" >"$tmp/lintian.log" 2>&1 || true
  echo "lintian: $(grep -c '^E:' "$tmp/lintian.log") errors, $(grep -c '^W:' "$tmp/lintian.log") warnings"
  cat "$tmp/lintian.log"
  if grep -q '^E:' "$tmp/lintian.log"; then fail "lintian errors"; fi
else
  echo "lintian not installed: skipped"
fi

# The real thing, where it is ours to change the machine.
if [ "$(id -u)" = 0 ] && { [ "${CI:-}" = true ] || [ "${PD_TEST_DPKG_INSTALL:-}" = 1 ]; }; then
  if dpkg-query -W -f='${Status}' paritydeck 2>/dev/null | grep -q 'install ok installed'; then
    echo "paritydeck is already installed on this machine: real install skipped"
  else
    apt_opts=(-y -q -o DPkg::Lock::Timeout=300 --no-install-recommends)
    if DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" "$deb" >"$tmp/apt.log" 2>&1; then
      pass "apt-get install ./$(basename "$deb")"
      [ "$(/usr/bin/paritydeck --version)" = "paritydeck $version" ] && pass "installed /usr/bin/paritydeck runs" || fail "installed binary"
      set +e
      XDG_STATE_HOME=$tmp/state /usr/bin/paritydeck --workspace "$tmp/demo" status >/dev/null 2>&1
      code=$?
      set -e
      [ "$code" = 1 ] && pass "installed status exits 1 on a refused port" || fail "installed status exit $code"
      man -w paritydeck >/dev/null && pass "man -w finds paritydeck(1)" || fail "man -w paritydeck"
      DEBIAN_FRONTEND=noninteractive apt-get purge "${apt_opts[@]}" paritydeck >>"$tmp/apt.log" 2>&1 || true
      if [ ! -e /usr/bin/paritydeck ] && [ ! -e /usr/share/applications/$id.desktop ] \
         && ! dpkg-query -W -f='${Status}' paritydeck 2>/dev/null | grep -q 'installed'; then
        pass "purged cleanly"
      else
        fail "purge left paritydeck behind"
      fi
    else
      cat "$tmp/apt.log" >&2
      fail "apt-get install"
    fi
  fi
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "packaging: all checks passed"
