#!/usr/bin/env bash
# The bash completion script, driven the way bash drives it: COMP_WORDS/COMP_CWORD set,
# the function called, COMPREPLY read. Runs the real binary (via a PATH entry named
# paritydeck) against a real workspace file.
#   tests/completion.sh COMPLETION_SCRIPT PARITYDECK_BINARY
set -uo pipefail
script=$1 binary=$2
failures=0

tmp=$(mktemp -d /tmp/paritydeck-completion.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/ws/sub" "$tmp/other"
ln -s "$binary" "$tmp/bin/paritydeck"
export PATH="$tmp/bin:$PATH" XDG_STATE_HOME="$tmp/state"
cat >"$tmp/ws/paritydeck.yaml" <<'EOF'
version: 1
project: completion
environments:
  dev:
    database: { url: "postgresql://app@127.0.0.1:1/dev" }
    services:
      - name: postgres
        start: "true"
        stop: "true"
      - name: pgbouncer
        run: sleep 1000
  staging:
    database: { url: "postgresql://app@127.0.0.1:1/staging" }
  prod:
    protection: confirm
    database: { url: "postgresql://app@127.0.0.1:1/prod" }
EOF
cat >"$tmp/other/paritydeck.yaml" <<'EOF'
version: 1
project: other
environments:
  qa:
    database: { url: "postgresql://app@127.0.0.1:1/qa" }
EOF

# shellcheck source=/dev/null
source "$script"

# complete LINE EXPECTED: the words offered for LINE (the cursor at its end; a trailing
# space means a new empty word), sorted and space-joined, must equal EXPECTED.
check() {
  local line=$1 expected=$2
  read -r -a COMP_WORDS <<<"$line"
  if [[ $line == *" " ]]; then COMP_WORDS+=(""); fi
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _paritydeck
  local got
  got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//')
  if [ "$got" = "$expected" ]; then
    echo "ok: '$line' -> $got"
  else
    echo "FAIL: '$line' -> '$got', expected '$expected'" >&2
    failures=$((failures + 1))
  fi
}

cd "$tmp/ws/sub" || exit 1
commands=$(paritydeck __complete commands | sort | tr '\n' ' ' | sed 's/ $//')
check "paritydeck " "$commands"
check "paritydeck mi" "migrate"
check "paritydeck st" "start status stop"
check "paritydeck --" "--help --version --workspace"
check "paritydeck migrate " "apply baseline status"
check "paritydeck migrate apply " "dev prod staging"
check "paritydeck migrate apply dev --con" "--confirm"
check "paritydeck migrate apply prod --confirm p" "prod"
check "paritydeck promote " "dev prod staging"
check "paritydeck promote prod --" "--confirm --dry-run --help --json"
check "paritydeck promote prod --confirm p" "prod"
check "paritydeck start dev " "pgbouncer postgres"
check "paritydeck stop dev pg" "pgbouncer"
check "paritydeck logs staging " ""
check "paritydeck diff dev migrations:s" "migrations:staging"
check "paritydeck drift dev --format " "json sql text"
check "paritydeck drift dev --reconcile m" "migrations"
check "paritydeck branch " "cleanup create delete list reset switch"
check "paritydeck branch list --env s" "staging"
check "paritydeck secret get " "dev prod staging"
check "paritydeck status --j" "--json"
# --workspace on the line decides where names come from, from any folder.
cd "$tmp" || exit 1
check "paritydeck --workspace $tmp/other/paritydeck.yaml migrate status " "qa"
check "paritydeck -w $tmp/other start " "qa"
# Outside any workspace, or with a broken one: no names, no error text on the terminal.
errors=$( { check "paritydeck migrate status " ""; } 2>&1 >/dev/null)
[ -z "$errors" ] || { echo "FAIL: output on stderr: $errors" >&2; failures=$((failures + 1)); }

# The hidden helper is hidden.
if paritydeck --help | grep -q __complete; then echo "FAIL: __complete in --help" >&2; failures=$((failures + 1)); fi

if [ "$failures" -gt 0 ]; then
  echo "$failures completion check(s) failed" >&2
  exit 1
fi
echo "completion: all checks passed"
