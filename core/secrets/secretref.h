// Where a secret lives. The workspace file only ever holds these references:
//   keychain:SERVICE/KEY    system keyring via Qt Keychain
//   env:NAME                the process environment
//   command:CMD             stdout of CMD (trimmed), run through /bin/sh with a timeout
//   dotenv:FILE#KEY         KEY in a dotenv file, FILE relative to the workspace file
#pragma once

#include "common/result.h"

#include <QString>

namespace pd {

struct SecretRef
{
    enum class Kind { Keychain, Env, Command, Dotenv };

    Kind kind = Kind::Env;
    QString service; // keychain
    QString key;     // keychain KEY, dotenv KEY
    QString name;    // env NAME
    QString command; // command CMD
    QString file;    // dotenv FILE (as written; resolve against the workspace dir)

    // Parses the textual form. On failure the error message says what was expected;
    // `columnOffset` (0-based, within `text`) points at the offending character.
    static Result<SecretRef> parse(const QString &text, int *columnOffset = nullptr);
    QString toString() const;
    QString kindName() const;

    bool operator==(const SecretRef &) const = default;
};

} // namespace pd
