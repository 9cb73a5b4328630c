// Turns libpq's failure texts and error results into one user-facing sentence plus an
// ErrorCode. Kept apart from Connection so the mapping can be tested with the exact
// messages libpq produces for cases a test machine cannot easily provoke (DNS failure,
// pg_hba rejection, a server that is starting up).
//
// libpq reports connection failures only as text, so the classification matches the
// English wording; under a translated client locale unknown text still yields a correct
// (ErrorCode::Runtime) error carrying libpq's own first line.
#pragma once

#include "common/result.h"
#include "db/connectionparams.h"

#include <QString>

struct pg_result;

namespace pd::pgerror {

// `libpqMessage` is PQerrorMessage() after a failed connection attempt; `address` is where
// it tried ("127.0.0.1:5433", a socket path). The password in `params` never reaches the
// returned message, even if some layer had echoed it.
Error connectError(const ConnectionParams &params, const QString &address,
                   const QString &libpqMessage);

// The error for a connection attempt that did not finish within `seconds`.
Error connectTimeout(const ConnectionParams &params, const QString &address, int seconds);

// An error result of a query: server message, SQLSTATE, and line/column when the server
// reported a position in `sql`.
Error queryError(const ConnectionParams &params, const pg_result *result, const QString &sql);

// A structured error whose every parameter has the password masked, so neither the
// English message nor a sentence composed elsewhere can carry it.
Error redactedError(const ConnectionParams &params, ErrorCode code, ErrorKind kind,
                    QList<ErrorArg> args);

// libpq's first meaningful line, without "connection to server … failed:" and "FATAL:"
// prefixes, with the password removed.
QString detailLine(const QString &libpqMessage, const SecretValue &password);

// Replaces every occurrence of the password with the mask.
QString redact(QString text, const SecretValue &password);

// 1-based line and column of the 1-based character `position` in `sql` (PostgreSQL
// counts characters, not bytes).
struct TextPosition
{
    int line = 0;
    int column = 0;
};
TextPosition positionInText(const QString &sql, int position);

} // namespace pd::pgerror
