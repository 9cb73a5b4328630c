// One migration's SQL, split into statements and classified by PostgreSQL's own parser
// (libpg_query), so a syntax error is reported with file:line:column before anything runs,
// and the runner knows which statements are destructive or cannot run inside a transaction.
#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace pd {

struct SqlStatement
{
    QString sql;        // the statement's text from its first token, without the ';'
    int byteOffset = 0; // of the first token, in the UTF-8 text that was parsed
    int byteLength = 0;
    int line = 0;     // 1-based, of the first token, in the file (not the section)
    int column = 0;   // 1-based, in characters
    QString nodeType; // the parser's node name: "CreateStmt", "DropStmt", …

    // Loses data or breaks readers: DROP TABLE/SCHEMA/VIEW/COLUMN, TRUNCATE, DELETE or
    // UPDATE without WHERE (also in a WITH clause), ALTER COLUMN … TYPE, renames, anything
    // with CASCADE, COPY … TO/FROM PROGRAM and COPY … TO a server file. Also set, with a
    // reason starting "not analysable", for a statement whose effect is only known when it
    // runs (DO): flagged for review like the rest.
    bool destructive = false;
    QString destructiveReason;
    bool notAnalysable = false; // DO: runs code ParityDeck cannot look into
    // Its effect reaches outside the database it runs in: roles and role membership, other
    // databases, tablespaces, server configuration, files and programs on the server,
    // subscriptions. A scratch or shadow build refuses it (SqlScript::checkStaysInDatabase).
    bool leavesDatabase = false;
    QString leavesDatabaseReason;
    // Never run by ParityDeck's runner, whatever the transaction mode (DISCARD ALL: it
    // cannot run in a transaction block, and outside one it would drop the runner's lock
    // and settings). executableStatements() refuses it.
    QString refusedReason;
    // PostgreSQL refuses to run it inside a transaction block (CREATE INDEX CONCURRENTLY,
    // VACUUM, CREATE DATABASE, ALTER SYSTEM, …).
    bool nonTransactional = false;
    QString nonTransactionalReason;
    // BEGIN / COMMIT / ROLLBACK / SAVEPOINT …: the runner owns the transaction.
    bool transactionControl = false;
    bool beginsTransaction = false; // BEGIN / START TRANSACTION
    bool endsTransaction = false;   // COMMIT / END
    // A BEGIN's isolation level as SET TRANSACTION takes it ("ISOLATION LEVEL
    // SERIALIZABLE"); empty for a plain BEGIN, and for READ ONLY (sqlscript.cpp says why).
    QString transactionModes;
    // SET TRANSACTION …, SET [LOCAL] transaction_isolation / transaction_read_only /
    // transaction_deferrable: valid only before the transaction's first query, so the
    // runner runs these first when they open a migration.
    bool setsTransaction = false;

    // "4:1" for messages.
    QString position() const;
    // The first line of the statement, shortened, for progress and dry-run output.
    QString summary() const;
};

// How many of `statements`, from the first, set the transaction (setsTransaction): those
// must run before anything else queries in it.
qsizetype transactionSettingsAtStart(const QList<SqlStatement> &statements);

class SqlScript final
{
public:
    // The marker line that makes a whole migration run outside a transaction.
    static QString noTransactionMarker() { return QStringLiteral("-- paritydeck:no-transaction"); }

    // Splits and classifies `utf8` (the SQL of one migration, or one section of a file:
    // `firstLine` is the file line the text starts on). A syntax error yields
    // "FILE:LINE:COL: MESSAGE" with ErrorCode::Config.
    static Result<SqlScript> parse(const QByteArray &utf8, const QString &fileName,
                                   int firstLine = 1);

    const QString &fileName() const noexcept { return m_fileName; }
    const QList<SqlStatement> &statements() const noexcept { return m_statements; }
    // The file asked for no transaction (marker line, or dbmate's transaction:false).
    bool hasNoTransactionMarker() const noexcept { return m_marker; }
    void setNoTransactionMarker(bool on) noexcept { m_marker = on; }
    // Marker, or a statement that cannot run in a transaction block.
    bool runsOutsideTransaction() const;
    bool hasDestructiveStatements() const;
    // Statements to execute: a BEGIN first and a COMMIT last that wrap the whole file are
    // dropped (the runner opens its own transaction); any other transaction control is an
    // error, because it would commit the runner's transaction half-way through.
    Result<QList<SqlStatement>> executableStatements() const;
    // The statements without a BEGIN first and a COMMIT last that wrap the whole file
    // (golang-migrate's and Flyway's habit); as they are otherwise.
    QList<SqlStatement> statementsUnwrapped() const;
    // "FILE:LINE:COL" of a statement.
    QString locate(const SqlStatement &statement) const;
    // For a build in a scratch or shadow database, which must leave nothing behind outside
    // it: the first statement whose effect reaches outside the database (leavesDatabase) is
    // an error "FILE:LINE:COL: STATEMENT: REASON. …". `what` names the text in the message
    // ("a schema file", "each migration").
    Result<void> checkStaysInDatabase(const QString &what) const;
    // "FILE:LINE:COL: …" for comments that look like a ParityDeck directive but are not one
    // ("--   paritydeck: no-transaction", "/* paritydeck:no-transaction */"): they are
    // ignored, which the author may not expect.
    const QStringList &warnings() const noexcept { return m_warnings; }

private:
    QString m_fileName;
    QList<SqlStatement> m_statements;
    QStringList m_warnings;
    bool m_marker = false;
};

} // namespace pd
