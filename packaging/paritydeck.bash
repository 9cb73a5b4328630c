# bash completion for paritydeck                               -*- shell-script -*-
# Installed as /usr/share/bash-completion/completions/paritydeck. Subcommands come from
# `paritydeck __complete commands`, environment and service names from
# `paritydeck __complete envs|services ENV`, which only read paritydeck.yaml (no server is
# contacted, so Tab stays instant when every environment is down).

_paritydeck_words()
{
    # $1: the paritydeck command as typed (may be a path), then __complete arguments.
    local bin=$1
    shift
    "$bin" "${_paritydeck_ws[@]}" __complete "$@" 2>/dev/null
}

_paritydeck_reply()
{
    # Words from $1 (newline separated) that start with the current word.
    local IFS=$'\n'
    COMPREPLY+=($(compgen -W "$1" -- "$cur"))
}

_paritydeck()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    local bin=${COMP_WORDS[0]}
    COMPREPLY=()

    # Global options before the command; --workspace is passed on to __complete so names
    # come from the workspace the command line will use.
    _paritydeck_ws=()
    local i=1 cmd= cmdi=0
    while ((i < COMP_CWORD)); do
        local w=${COMP_WORDS[i]}
        case $w in
            --workspace | -w)
                if ((i + 1 < COMP_CWORD)); then _paritydeck_ws=(--workspace "${COMP_WORDS[i + 1]}"); fi
                ((i += 2))
                continue
                ;;
            --workspace=*) _paritydeck_ws=("$w") ;;
            -*) ;;
            *)
                cmd=$w
                cmdi=$i
                break
                ;;
        esac
        ((i++))
    done

    case $prev in
        --workspace | -w)
            local IFS=$'\n'
            COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X '!*.yaml' -- "$cur"))
            return
            ;;
        --env | --confirm)
            _paritydeck_reply "$(_paritydeck_words "$bin" envs)"
            return
            ;;
        --format)
            _paritydeck_reply $'text\nsql\njson'
            return
            ;;
        --reconcile)
            _paritydeck_reply $'live\nmigrations'
            return
            ;;
        --to | --from | --lines | --limit | --older-than | --action | --project | --schema)
            return
            ;;
    esac

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            _paritydeck_reply $'--workspace\n--help\n--version'
        else
            _paritydeck_reply "$(_paritydeck_words "$bin" commands)"
        fi
        return
    fi

    # Positional arguments after the command (options and their values skipped).
    local -a pos=()
    for ((i = cmdi + 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            --env | --confirm | --format | --reconcile | --to | --from | --lines | --limit | \
                --older-than | --action | --project | --schema) ((i++)) ;;
            -*) ;;
            *) pos+=("${COMP_WORDS[i]}") ;;
        esac
    done
    local n=${#pos[@]} options=
    case $cmd in
        status) options=$'--json\n--no-drift\n--timeout' ;;
        parity) options=$'--json' ;;
        init) options=$'--project\n--print' ;;
        audit) options=$'--env\n--action\n--limit\n--json' ;;
        secret)
            options=$'--reveal\n--json'
            if ((n == 0)); then _paritydeck_reply $'set\nget\ndelete'; fi
            if ((n == 1)); then _paritydeck_reply "$(_paritydeck_words "$bin" envs)"; fi
            if ((n == 2)); then _paritydeck_reply 'password'; fi
            ;;
        migrate)
            options=$'--dry-run\n--to\n--confirm\n--allow-changed\n--allow-out-of-order\n--json'
            if ((n == 0)); then _paritydeck_reply $'status\napply\nbaseline'; fi
            if ((n == 1)); then _paritydeck_reply "$(_paritydeck_words "$bin" envs)"; fi
            ;;
        promote)
            options=$'--dry-run\n--confirm\n--json'
            if ((n == 0)); then _paritydeck_reply "$(_paritydeck_words "$bin" envs)"; fi
            ;;
        branch)
            options=$'--env\n--from\n--create\n--force-disconnect\n--older-than\n--dry-run\n--json'
            if ((n == 0)); then _paritydeck_reply $'list\ncreate\nswitch\nreset\ndelete\ncleanup'; fi
            ;;
        start | stop | restart | logs)
            options=$'--no-wait'
            [[ $cmd == logs ]] && options=$'--lines'
            if ((n == 0)); then _paritydeck_reply "$(_paritydeck_words "$bin" envs)"; fi
            if ((n == 1)); then _paritydeck_reply "$(_paritydeck_words "$bin" services "${pos[0]}")"; fi
            ;;
        drift)
            options=$'--format\n--unsafe\n--reconcile'
            if ((n == 0)); then _paritydeck_reply "$(_paritydeck_words "$bin" envs)"; fi
            ;;
        diff)
            options=$'--format\n--unsafe\n--schema'
            if ((n < 2)); then
                local envs
                envs=$(_paritydeck_words "$bin" envs)
                _paritydeck_reply "$envs"
                local e
                for e in $envs; do _paritydeck_reply "migrations:$e"; done
                local IFS=$'\n'
                COMPREPLY+=($(compgen -f -X '!*.sql' -- "$cur"))
            fi
            ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=()
        _paritydeck_reply "$options"$'\n--help'
    fi
}

complete -F _paritydeck paritydeck
