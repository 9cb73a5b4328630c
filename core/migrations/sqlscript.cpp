#include "migrations/sqlscript.h"

#include "common/errors.h"
#include "schema/sqltokens.h"

#include <pg_query.h>

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace pd {

namespace {

// Comments are tokens to the scanner, which is how we find where a statement really
// starts and the marker comment, without a hand-written SQL lexer.
using ScanToken = SqlToken;

// Line starts (byte offsets) of a UTF-8 text, for offset → line:column.
// Offset of the first byte that does not belong to a well-formed UTF-8 sequence (no
// overlong forms, no surrogates, nothing above U+10FFFF), or -1 when the text is valid.
qsizetype firstInvalidUtf8(const QByteArray &text)
{
    const qsizetype size = text.size();
    qsizetype i = 0;
    while (i < size) {
        const uchar lead = uchar(text.at(i));
        if (lead < 0x80) {
            ++i;
            continue;
        }
        int length = 0;
        uchar low = 0x80, high = 0xBF; // allowed range of the second byte
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0)
                low = 0xA0; // overlong
            else if (lead == 0xED)
                high = 0x9F; // surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0)
                low = 0x90; // overlong
            else if (lead == 0xF4)
                high = 0x8F; // above U+10FFFF
        } else {
            return i; // a continuation byte without a lead, C0/C1 or F5..FF
        }
        if (i + length > size)
            return i; // cut off at the end of the file
        const uchar second = uchar(text.at(i + 1));
        if (second < low || second > high)
            return i;
        for (int k = 2; k < length; ++k) {
            if ((uchar(text.at(i + k)) & 0xC0) != 0x80)
                return i;
        }
        i += length;
    }
    return -1;
}

class LineIndex final
{
public:
    explicit LineIndex(const QByteArray &text)
        : m_text(text)
    {
        m_starts.push_back(0);
        for (int i = 0; i < text.size(); ++i) {
            if (text.at(i) == '\n')
                m_starts.push_back(i + 1);
        }
    }
    // 1-based line (relative to the text) and column in characters (code points).
    std::pair<int, int> at(int byteOffset) const
    {
        byteOffset = std::clamp(byteOffset, 0, int(m_text.size()));
        const auto it = std::upper_bound(m_starts.begin(), m_starts.end(), byteOffset);
        const int line = int(it - m_starts.begin());
        int column = 1;
        for (int i = *(it - 1); i < byteOffset; ++i) {
            if ((uchar(m_text.at(i)) & 0xC0) != 0x80)
                ++column;
        }
        return {line, column};
    }
    // Byte offset of the 0-based character (code point) index `chars`.
    int byteOfCharacter(int chars) const
    {
        int seen = 0;
        for (int i = 0; i < m_text.size(); ++i) {
            if ((uchar(m_text.at(i)) & 0xC0) == 0x80)
                continue;
            if (seen == chars)
                return i;
            ++seen;
        }
        return int(m_text.size());
    }

private:
    const QByteArray &m_text;
    std::vector<int> m_starts;
};

QString enumValue(const QJsonObject &node, const char *key)
{
    return node.value(QLatin1String(key)).toString();
}

bool isCascade(const QJsonObject &node)
{
    return enumValue(node, "behavior") == QLatin1String("DROP_CASCADE");
}

// "OBJECT_MATVIEW" → "materialized view" for messages.
QString objectTypeName(const QString &objectType)
{
    QString name = objectType.mid(7).toLower().replace(QLatin1Char('_'), QLatin1Char(' '));
    if (name == QLatin1String("matview"))
        return QStringLiteral("materialized view");
    if (name == QLatin1String("fdw"))
        return QStringLiteral("foreign-data wrapper");
    return name;
}

// DELETE or UPDATE without WHERE anywhere a statement runs them: the statement itself,
// WITH clauses (`WITH d AS (DELETE FROM users RETURNING *) SELECT …`), EXPLAIN ANALYZE,
// COPY (…) TO. Bodies that run later (functions, rules) are not walked: they run when
// called, not now.
QString unboundedModification(const QJsonValue &value)
{
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray()) {
            if (QString found = unboundedModification(item); !found.isEmpty())
                return found;
        }
        return {};
    }
    if (!value.isObject())
        return {};
    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString &key = it.key();
        if (key == QLatin1String("CreateFunctionStmt") || key == QLatin1String("RuleStmt"))
            continue;
        if (key == QLatin1String("DeleteStmt") || key == QLatin1String("UpdateStmt")) {
            const QJsonObject inner = it.value().toObject();
            if (!inner.contains(QLatin1String("whereClause")))
                return key == QLatin1String("DeleteStmt")
                           ? QStringLiteral("deletes every row (DELETE without WHERE)")
                           : QStringLiteral("updates every row (UPDATE without WHERE)");
        }
        if (QString found = unboundedModification(it.value()); !found.isEmpty())
            return found;
    }
    return {};
}

// Renaming these (or moving them to another schema) breaks the code that names them.
bool renameBreaksReaders(const QString &objectType)
{
    static const QStringList types = {
        QStringLiteral("OBJECT_TABLE"),         QStringLiteral("OBJECT_COLUMN"),
        QStringLiteral("OBJECT_VIEW"),          QStringLiteral("OBJECT_MATVIEW"),
        QStringLiteral("OBJECT_FOREIGN_TABLE"), QStringLiteral("OBJECT_SCHEMA"),
        QStringLiteral("OBJECT_SEQUENCE"),      QStringLiteral("OBJECT_TYPE"),
        QStringLiteral("OBJECT_DOMAIN"),        QStringLiteral("OBJECT_ATTRIBUTE"),
        QStringLiteral("OBJECT_FUNCTION"),      QStringLiteral("OBJECT_PROCEDURE"),
        QStringLiteral("OBJECT_ROUTINE"),
    };
    return types.contains(objectType);
}

// Objects every database of the server shares (pg_authid, pg_database, pg_tablespace, …):
// changing one reaches outside the database the statement runs in.
bool isSharedObject(const QString &objectType)
{
    return objectType == QLatin1String("OBJECT_ROLE") ||
           objectType == QLatin1String("OBJECT_DATABASE") ||
           objectType == QLatin1String("OBJECT_TABLESPACE") ||
           objectType == QLatin1String("OBJECT_PARAMETER_ACL");
}

QString sharedObjectName(const QString &objectType)
{
    if (objectType == QLatin1String("OBJECT_ROLE"))
        return QStringLiteral("a role, which every database on the server shares");
    if (objectType == QLatin1String("OBJECT_DATABASE"))
        return QStringLiteral("a database (any named one is another database than the scratch "
                              "one, whose name is random)");
    if (objectType == QLatin1String("OBJECT_TABLESPACE"))
        return QStringLiteral("a tablespace, which every database on the server shares");
    return QStringLiteral("a server configuration parameter's privileges");
}

// Roles, other databases, tablespaces, the server's configuration, its files and programs,
// subscriptions: effects a scratch database being dropped does not take back.
QString leavesDatabaseReason(const QString &nodeType, const QJsonObject &node)
{
    static const QHash<QString, QString> always = {
        {QStringLiteral("CreateRoleStmt"), QStringLiteral("creates a role, which every database "
                                                          "on the server shares")},
        {QStringLiteral("AlterRoleStmt"), QStringLiteral("changes a role, which every database "
                                                         "on the server shares")},
        {QStringLiteral("AlterRoleSetStmt"),
         QStringLiteral("changes a role's settings, which apply to its sessions everywhere")},
        {QStringLiteral("DropRoleStmt"), QStringLiteral("drops a role, which every database on "
                                                        "the server shares")},
        {QStringLiteral("GrantRoleStmt"),
         QStringLiteral("changes role membership, which every database on the server shares")},
        {QStringLiteral("ReassignOwnedStmt"),
         QStringLiteral("also gives away databases and tablespaces the role owns")},
        {QStringLiteral("DropOwnedStmt"),
         QStringLiteral("also revokes the role's privileges on databases and tablespaces")},
        {QStringLiteral("CreatedbStmt"), QStringLiteral("creates another database")},
        {QStringLiteral("DropdbStmt"), QStringLiteral("drops a database")},
        {QStringLiteral("AlterDatabaseStmt"),
         QStringLiteral("changes a database (any named one is another database than the "
                        "scratch one, whose name is random)")},
        {QStringLiteral("AlterDatabaseSetStmt"),
         QStringLiteral("changes a database's settings (any named one is another database than "
                        "the scratch one, whose name is random)")},
        {QStringLiteral("AlterDatabaseRefreshCollStmt"), QStringLiteral("changes a database")},
        {QStringLiteral("AlterSystemStmt"), QStringLiteral("changes the server's configuration")},
        {QStringLiteral("CreateTableSpaceStmt"), QStringLiteral("creates a tablespace")},
        {QStringLiteral("DropTableSpaceStmt"), QStringLiteral("drops a tablespace")},
        {QStringLiteral("AlterTableSpaceOptionsStmt"), QStringLiteral("changes a tablespace")},
        {QStringLiteral("CreateSubscriptionStmt"),
         QStringLiteral("subscribes to another server (and makes a replication slot there)")},
        {QStringLiteral("AlterSubscriptionStmt"),
         QStringLiteral("changes a subscription to another server")},
        {QStringLiteral("DropSubscriptionStmt"),
         QStringLiteral("drops a subscription (and its replication slot on another server)")},
    };
    if (const auto it = always.constFind(nodeType); it != always.cend())
        return *it;
    if (nodeType == QLatin1String("CopyStmt")) {
        if (node.value(QLatin1String("is_program")).toBool())
            return QStringLiteral("runs a program on the database server");
        if (node.contains(QLatin1String("filename")))
            return node.value(QLatin1String("is_from")).toBool()
                       ? QStringLiteral("reads a file on the database server")
                       : QStringLiteral("writes a file on the database server");
        return {};
    }
    if (nodeType == QLatin1String("GrantStmt")) {
        const QString type = enumValue(node, "objtype");
        return isSharedObject(type)
                   ? QStringLiteral("changes the privileges of ") + sharedObjectName(type)
                   : QString();
    }
    const QString type =
        nodeType == QLatin1String("RenameStmt")       ? enumValue(node, "renameType")
        : nodeType == QLatin1String("AlterOwnerStmt") ? enumValue(node, "objectType")
        : nodeType == QLatin1String("CommentStmt") || nodeType == QLatin1String("SecLabelStmt")
            ? enumValue(node, "objtype")
            : QString();
    if (isSharedObject(type)) {
        const QString verb =
            nodeType == QLatin1String("RenameStmt")       ? QStringLiteral("renames ")
            : nodeType == QLatin1String("AlterOwnerStmt") ? QStringLiteral("changes the owner of ")
            : nodeType == QLatin1String("CommentStmt")    ? QStringLiteral("comments on ")
                                                          : QStringLiteral("labels ");
        return verb + sharedObjectName(type);
    }
    return {};
}

// BEGIN's isolation level (DefElem transaction_isolation) in SET TRANSACTION's words. READ
// ONLY (and DEFERRABLE, which only a read-only transaction uses) is not kept: the runner
// records the migration in the same transaction, which a read-only one cannot, while the
// tools that run such a file as it is record it in a transaction of their own.
QString transactionModes(const QJsonArray &options)
{
    QStringList modes;
    for (const QJsonValue &o : options) {
        const QJsonObject def = o.toObject().value(QLatin1String("DefElem")).toObject();
        if (def.value(QLatin1String("defname")).toString() !=
            QLatin1String("transaction_isolation"))
            continue;
        const QString level = def.value(QLatin1String("arg"))
                                  .toObject()
                                  .value(QLatin1String("A_Const"))
                                  .toObject()
                                  .value(QLatin1String("sval"))
                                  .toObject()
                                  .value(QLatin1String("sval"))
                                  .toString();
        modes << QStringLiteral("ISOLATION LEVEL ") + level.toUpper();
    }
    return modes.join(QStringLiteral(", "));
}

void classify(const QString &nodeType, const QJsonObject &node, SqlStatement &s)
{
    const auto destructive = [&s](const QString &reason) {
        if (!s.destructive) {
            s.destructive = true;
            s.destructiveReason = reason;
        }
    };
    const auto outsideTransaction = [&s](const QString &reason) {
        s.nonTransactional = true;
        s.nonTransactionalReason = reason;
    };

    if (nodeType == QLatin1String("DropStmt")) {
        const QString type = enumValue(node, "removeType");
        // Objects that hold data (or whose loss cascades to data), and views; dropping an
        // index or function loses nothing that cannot be recreated from the migrations.
        // A view holds no data but its readers break as surely as a table's.
        static const QStringList dataHolding = {
            QStringLiteral("OBJECT_TABLE"),         QStringLiteral("OBJECT_SCHEMA"),
            QStringLiteral("OBJECT_SEQUENCE"),      QStringLiteral("OBJECT_TYPE"),
            QStringLiteral("OBJECT_DOMAIN"),        QStringLiteral("OBJECT_EXTENSION"),
            QStringLiteral("OBJECT_FOREIGN_TABLE"), QStringLiteral("OBJECT_MATVIEW"),
            QStringLiteral("OBJECT_VIEW"),
        };
        if (dataHolding.contains(type))
            destructive(QStringLiteral("drops a %1").arg(objectTypeName(type)));
        else if (isCascade(node))
            destructive(QStringLiteral("drops a %1 with CASCADE").arg(objectTypeName(type)));
        if (node.value(QLatin1String("concurrent")).toBool())
            outsideTransaction(QStringLiteral("DROP INDEX CONCURRENTLY cannot run inside a "
                                              "transaction block"));
    } else if (nodeType == QLatin1String("DropdbStmt")) {
        destructive(QStringLiteral("drops a database"));
        outsideTransaction(QStringLiteral("DROP DATABASE cannot run inside a transaction block"));
    } else if (nodeType == QLatin1String("TruncateStmt")) {
        destructive(QStringLiteral("truncates a table"));
    } else if (nodeType == QLatin1String("RenameStmt")) {
        const QString type = enumValue(node, "renameType");
        if (renameBreaksReaders(type))
            destructive(QStringLiteral("renames a %1, which breaks code that still uses the old "
                                       "name")
                            .arg(objectTypeName(type)));
    } else if (nodeType == QLatin1String("AlterObjectSchemaStmt")) {
        const QString type = enumValue(node, "objectType");
        if (renameBreaksReaders(type))
            destructive(QStringLiteral("moves a %1 to another schema, which breaks code that "
                                       "still uses the old name")
                            .arg(objectTypeName(type)));
    } else if (nodeType == QLatin1String("CopyStmt")) {
        if (node.value(QLatin1String("is_program")).toBool())
            destructive(QStringLiteral("runs a program on the database server"));
        else if (node.contains(QLatin1String("filename")) &&
                 !node.value(QLatin1String("is_from")).toBool())
            destructive(QStringLiteral("writes a file on the database server"));
    } else if (nodeType == QLatin1String("DoStmt")) {
        s.notAnalysable = true;
        destructive(QStringLiteral("not analysable: a DO block runs statements that are only "
                                   "known when it runs (it may drop or delete anything); "
                                   "review it"));
    } else if (nodeType == QLatin1String("DiscardStmt")) {
        if (enumValue(node, "target") == QLatin1String("DISCARD_ALL"))
            s.refusedReason = QStringLiteral(
                "DISCARD ALL cannot run inside a transaction block, and outside one it would "
                "release ParityDeck's migration lock and reset its session settings; remove it "
                "(a migration's session ends with the run anyway)");
    } else if (nodeType == QLatin1String("AlterTableStmt")) {
        const QString what = objectTypeName(enumValue(node, "objtype"));
        for (const QJsonValue &cmd : node.value(QLatin1String("cmds")).toArray()) {
            const QJsonObject c = cmd.toObject().value(QLatin1String("AlterTableCmd")).toObject();
            const QString subtype = enumValue(c, "subtype");
            const QString column = c.value(QLatin1String("name")).toString();
            if (subtype == QLatin1String("AT_DropColumn"))
                destructive(QStringLiteral("drops column %1").arg(column));
            else if (subtype == QLatin1String("AT_AlterColumnType"))
                destructive(QStringLiteral("changes the type of column %1").arg(column));
            if (subtype == QLatin1String("AT_DetachPartition") &&
                c.value(QLatin1String("def"))
                    .toObject()
                    .value(QLatin1String("PartitionCmd"))
                    .toObject()
                    .value(QLatin1String("concurrent"))
                    .toBool())
                outsideTransaction(QStringLiteral("DETACH PARTITION CONCURRENTLY cannot run "
                                                  "inside a transaction block"));
            else if (isCascade(c))
                destructive(QStringLiteral("alters a %1 with CASCADE").arg(what));
        }
    } else if (nodeType == QLatin1String("DropOwnedStmt")) {
        destructive(QStringLiteral("drops every object owned by a role"));
    } else if (nodeType == QLatin1String("IndexStmt")) {
        if (node.value(QLatin1String("concurrent")).toBool())
            outsideTransaction(QStringLiteral("CREATE INDEX CONCURRENTLY cannot run inside a "
                                              "transaction block"));
    } else if (nodeType == QLatin1String("ReindexStmt")) {
        for (const QJsonValue &p : node.value(QLatin1String("params")).toArray()) {
            const QJsonObject def = p.toObject().value(QLatin1String("DefElem")).toObject();
            if (def.value(QLatin1String("defname")).toString() == QLatin1String("concurrently"))
                outsideTransaction(QStringLiteral("REINDEX CONCURRENTLY cannot run inside a "
                                                  "transaction block"));
        }
        if (enumValue(node, "kind") == QLatin1String("REINDEX_OBJECT_SYSTEM") ||
            enumValue(node, "kind") == QLatin1String("REINDEX_OBJECT_DATABASE"))
            outsideTransaction(QStringLiteral("REINDEX DATABASE/SYSTEM cannot run inside a "
                                              "transaction block"));
    } else if (nodeType == QLatin1String("VacuumStmt")) {
        // ANALYZE alone (is_vacuumcmd false) may run in a transaction; VACUUM may not.
        if (node.value(QLatin1String("is_vacuumcmd")).toBool())
            outsideTransaction(QStringLiteral("VACUUM cannot run inside a transaction block"));
    } else if (nodeType == QLatin1String("CreatedbStmt")) {
        outsideTransaction(QStringLiteral("CREATE DATABASE cannot run inside a transaction block"));
    } else if (nodeType == QLatin1String("AlterSystemStmt")) {
        outsideTransaction(QStringLiteral("ALTER SYSTEM cannot run inside a transaction block"));
    } else if (nodeType == QLatin1String("CreateTableSpaceStmt") ||
               nodeType == QLatin1String("DropTableSpaceStmt")) {
        outsideTransaction(QStringLiteral("CREATE/DROP TABLESPACE cannot run inside a "
                                          "transaction block"));
    } else if (nodeType == QLatin1String("CreateSubscriptionStmt") ||
               nodeType == QLatin1String("DropSubscriptionStmt")) {
        // Unless told not to, both create or drop a replication slot on the publisher.
        outsideTransaction(QStringLiteral("CREATE/DROP SUBSCRIPTION cannot run inside a "
                                          "transaction block when it manages a replication "
                                          "slot"));
    } else if (nodeType == QLatin1String("ClusterStmt")) {
        if (!node.contains(QLatin1String("relation")))
            outsideTransaction(QStringLiteral("CLUSTER without a table cannot run inside a "
                                              "transaction block"));
    } else if (nodeType == QLatin1String("AlterDatabaseStmt")) {
        for (const QJsonValue &o : node.value(QLatin1String("options")).toArray()) {
            if (o.toObject()
                    .value(QLatin1String("DefElem"))
                    .toObject()
                    .value(QLatin1String("defname")) == QLatin1String("tablespace"))
                outsideTransaction(QStringLiteral("ALTER DATABASE … SET TABLESPACE cannot run "
                                                  "inside a transaction block"));
        }
    } else if (nodeType == QLatin1String("TransactionStmt")) {
        s.transactionControl = true;
        const QString kind = enumValue(node, "kind");
        s.beginsTransaction =
            kind == QLatin1String("TRANS_STMT_BEGIN") || kind == QLatin1String("TRANS_STMT_START");
        s.endsTransaction = kind == QLatin1String("TRANS_STMT_COMMIT");
        if (s.beginsTransaction)
            s.transactionModes = transactionModes(node.value(QLatin1String("options")).toArray());
    } else if (nodeType == QLatin1String("VariableSetStmt")) {
        const QString name = node.value(QLatin1String("name")).toString();
        s.setsTransaction = name == QLatin1String("TRANSACTION") ||
                            name == QLatin1String("transaction_isolation") ||
                            name == QLatin1String("transaction_read_only") ||
                            name == QLatin1String("transaction_deferrable");
    }

    // Wherever it sits (the statement itself or a WITH clause), a DELETE or UPDATE of every
    // row loses data.
    if (QString reason = unboundedModification(QJsonObject{{nodeType, node}}); !reason.isEmpty())
        destructive(reason);
    if (QString reason = leavesDatabaseReason(nodeType, node); !reason.isEmpty()) {
        s.leavesDatabase = true;
        s.leavesDatabaseReason = reason;
    }
}

enum class Directive { None, Marker, NearMiss };

// "-- paritydeck:no-transaction", tolerant of spacing and case, is the marker. A comment
// that looks like a directive but is not exactly one — "--   paritydeck: no-transaction",
// "-- paritydeck:no_transaction", "/* paritydeck:no-transaction */", any "paritydeck:"
// comment — is a near miss: ignored, so worth a warning.
Directive directiveIn(const QByteArray &comment)
{
    QByteArray text = comment.trimmed();
    const bool lineComment = text.startsWith("--");
    if (lineComment) {
        text = text.mid(2);
    } else if (text.startsWith("/*")) {
        text = text.mid(2);
        if (text.endsWith("*/"))
            text.chop(2);
    }
    text = text.trimmed().toLower();
    if (lineComment && text == "paritydeck:no-transaction")
        return Directive::Marker;
    QByteArray letters;
    for (const char c : std::as_const(text)) {
        if ((c >= 'a' && c <= 'z') || c == ':')
            letters += c;
    }
    if (letters.startsWith("paritydeck:") || letters.startsWith("paritydecknotransaction") ||
        letters.contains("paritydeck:notransaction"))
        return Directive::NearMiss;
    return Directive::None;
}

} // namespace

QString SqlStatement::position() const
{
    return QStringLiteral("%1:%2").arg(line).arg(column);
}

QString SqlStatement::summary() const
{
    QString first = sql.section(QLatin1Char('\n'), 0, 0).simplified();
    constexpr int kMax = 72;
    if (first.size() > kMax)
        first = first.left(kMax - 1) + QChar(0x2026);
    else if (sql.contains(QLatin1Char('\n')))
        first += QStringLiteral(" …");
    return first;
}

Result<SqlScript> SqlScript::parse(const QByteArray &source, const QString &fileName, int firstLine)
{
    // Editors on Windows like to start files with a byte order mark; the server would call
    // it a syntax error, and no editor shows it, so columns are counted without it.
    const QByteArray utf8 = source.startsWith("\xEF\xBB\xBF") ? source.mid(3) : source;
    SqlScript script;
    script.m_fileName = fileName;
    const LineIndex lines(utf8);
    const auto fileLine = [firstLine](int relative) { return relative + firstLine - 1; };

    if (const qsizetype nul = utf8.indexOf('\0'); nul >= 0) {
        const auto [line, column] = lines.at(int(nul));
        return errors::inFile(
            ErrorCode::Config, fileName, fileLine(line), column,
            {ErrorArg::phraseOf(QStringLiteral("detail"),
                                QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                                  "the file contains a NUL byte; is it really a "
                                                  "SQL text file?"))});
    }

    // The parser hands bytes through to its JSON output unchecked, so a file saved in
    // Latin-1 or cut mid-character would only fail later as unreadable parser output;
    // say where the first bad byte is instead.
    if (const qsizetype bad = firstInvalidUtf8(utf8); bad >= 0) {
        const auto [line, column] = lines.at(int(bad));
        return errors::inFile(
            ErrorCode::Config, fileName, fileLine(line), column,
            {ErrorArg::phraseOf(QStringLiteral("detail"),
                                QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                                  "invalid UTF-8 (byte 0x{byte}); save the file "
                                                  "as UTF-8")),
             ErrorArg::text(
                 QStringLiteral("byte"),
                 QStringLiteral("%1").arg(uint(uchar(utf8.at(bad))), 2, 16, QLatin1Char('0')))});
    }

    // The parser's tree of a whole file, as JSON and then as a QJsonDocument, costs about a
    // hundred times the file (a 17 MB seed of INSERTs took 2.2 GB): the file is split into
    // statements first, then parsed in chunks of whole statements of about kChunkBytes, each
    // chunk's tree read and dropped before the next.
    const auto syntaxError = [&](const char *text, int cursor) -> Error {
        const QString message = QString::fromUtf8(text);
        if (cursor > 0) { // 1-based, in characters of the whole text
            const auto [line, column] = lines.at(lines.byteOfCharacter(cursor - 1));
            return errors::inFile(ErrorCode::Config, fileName, fileLine(line), column,
                                  {ErrorArg::text(QStringLiteral("detail"), message)});
        }
        return errors::inFile(ErrorCode::Config, fileName, 0, 0,
                              {ErrorArg::text(QStringLiteral("detail"), message)});
    };
    struct Span
    {
        int location;
        int end;
    };
    std::vector<Span> spans;
    {
        PgQuerySplitResult split = pg_query_split_with_parser(utf8.constData());
        if (split.error) {
            const Error error = syntaxError(split.error->message, split.error->cursorpos);
            pg_query_free_split_result(split);
            return error;
        }
        spans.reserve(size_t(split.n_stmts));
        for (int i = 0; i < split.n_stmts; ++i) {
            const int location = split.stmts[i]->stmt_location;
            const int length = split.stmts[i]->stmt_len;
            // stmt_len 0 means "to the end of the text" (the last statement without ';').
            spans.push_back({location, length > 0 ? location + length : int(utf8.size())});
        }
        pg_query_free_split_result(split);
    }
    // Without tokens a statement starts where the parser says, comments included — still
    // correct, just less precise; the scanner only fails where the parser already did.
    const std::vector<ScanToken> tokens = scanSqlTokens(utf8).value_or(std::vector<ScanToken>{});
    for (const ScanToken &t : tokens) {
        if (!t.isComment())
            continue;
        const QByteArray comment = utf8.mid(t.start, t.end - t.start);
        switch (directiveIn(comment)) {
        case Directive::Marker:
            script.m_marker = true;
            break;
        case Directive::NearMiss: {
            const auto [line, column] = lines.at(t.start);
            QString shown = QString::fromUtf8(comment.trimmed()).section(QLatin1Char('\n'), 0, 0);
            if (shown.size() > 60)
                shown = shown.left(59) + QChar(0x2026);
            script.m_warnings << QStringLiteral("%1:%2:%3: \"%4\" looks like a ParityDeck "
                                                "directive but is not one, so it is ignored; the "
                                                "only directive is the line \"%5\"")
                                     .arg(fileName)
                                     .arg(fileLine(line))
                                     .arg(column)
                                     .arg(shown, noTransactionMarker());
            break;
        }
        case Directive::None:
            break;
        }
    }

    const auto append = [&](size_t i, const QJsonObject &stmt) {
        const int location = spans[i].location;
        const int end = spans[i].end;

        // Tokens are in text order, as are statements: binary search, then skip comments.
        int start = location;
        auto first =
            std::lower_bound(tokens.begin(), tokens.end(), location,
                             [](const ScanToken &t, int offset) { return t.start < offset; });
        while (first != tokens.end() && first->isComment())
            ++first;
        if (first != tokens.end() && first->start < end)
            start = first->start;

        SqlStatement s;
        s.byteOffset = start;
        s.byteLength = end - start;
        s.sql = QString::fromUtf8(utf8.mid(start, end - start)).trimmed();
        const auto [line, column] = lines.at(start);
        s.line = fileLine(line);
        s.column = column;
        if (!stmt.isEmpty()) {
            s.nodeType = stmt.constBegin().key();
            classify(s.nodeType, stmt.constBegin().value().toObject(), s);
        }
        script.m_statements << s;
    };
    // Each statement's parse tree, chunk by chunk: classified, then dropped with its chunk.
    constexpr int kChunkBytes = 256 * 1024;
    for (size_t first = 0; first < spans.size();) {
        size_t last = first;
        while (last + 1 < spans.size() &&
               spans[last + 1].end - spans[first].location <= kChunkBytes)
            ++last;
        const int chunkStart = spans[first].location;
        const QByteArray chunk = utf8.mid(chunkStart, spans[last].end - chunkStart);
        PgQueryParseResult parsed = pg_query_parse(chunk.constData());
        if (parsed.error) {
            // A statement the splitter accepted fails alone (not seen; a parser that
            // depends on what came before): the whole file's parse says where.
            pg_query_free_parse_result(parsed);
            PgQueryParseResult whole = pg_query_parse(utf8.constData());
            const Error error =
                whole.error ? syntaxError(whole.error->message, whole.error->cursorpos)
                            : Error(ErrorCode::Runtime, ErrorKind::ParserOutputUnreadable,
                                    {ErrorArg::text(QStringLiteral("file"), fileName),
                                     ErrorArg::text(QStringLiteral("detail"),
                                                    QStringLiteral("a statement did not parse "
                                                                   "alone"))});
            pg_query_free_parse_result(whole);
            return error;
        }
        QJsonParseError jsonError;
        const QJsonDocument tree = QJsonDocument::fromJson(
            QByteArray::fromRawData(parsed.parse_tree, qsizetype(qstrlen(parsed.parse_tree))),
            &jsonError);
        if (tree.isNull()) {
            pg_query_free_parse_result(parsed);
            return Error(ErrorCode::Runtime, ErrorKind::ParserOutputUnreadable,
                         {ErrorArg::text(QStringLiteral("file"), fileName),
                          ErrorArg::text(QStringLiteral("detail"), jsonError.errorString())});
        }
        const QJsonArray stmts = tree.object().value(QLatin1String("stmts")).toArray();
        pg_query_free_parse_result(parsed);
        if (size_t(stmts.size()) != last - first + 1) {
            return Error(ErrorCode::Runtime, ErrorKind::ParserOutputUnreadable,
                         {ErrorArg::text(QStringLiteral("file"), fileName),
                          ErrorArg::text(QStringLiteral("detail"),
                                         QStringLiteral("the parser and the splitter disagree "
                                                        "on the statements"))});
        }
        for (size_t i = first; i <= last; ++i)
            append(
                i,
                stmts.at(qsizetype(i - first)).toObject().value(QLatin1String("stmt")).toObject());
        first = last + 1;
    }

    return script;
}

bool SqlScript::runsOutsideTransaction() const
{
    return m_marker || std::any_of(m_statements.begin(), m_statements.end(),
                                   [](const SqlStatement &s) { return s.nonTransactional; });
}

bool SqlScript::hasDestructiveStatements() const
{
    return std::any_of(m_statements.begin(), m_statements.end(),
                       [](const SqlStatement &s) { return s.destructive; });
}

QString SqlScript::locate(const SqlStatement &statement) const
{
    return QStringLiteral("%1:%2").arg(m_fileName, statement.position());
}

Result<void> SqlScript::checkStaysInDatabase(const QString &what) const
{
    for (const SqlStatement &s : m_statements) {
        if (!s.leavesDatabase)
            continue;
        return errors::inFile(
            ErrorCode::Config, m_fileName, s.line, s.column,
            {ErrorArg::text(QStringLiteral("detail"),
                            QStringLiteral("%1: %2. For a comparison %3 is loaded into a "
                                           "scratch database that is dropped afterwards, and "
                                           "nothing may change the server outside it, so nothing "
                                           "was run; remove the statement, or do it on the "
                                           "server by hand")
                                .arg(s.summary(), s.leavesDatabaseReason, what))});
    }
    return {};
}

qsizetype transactionSettingsAtStart(const QList<SqlStatement> &statements)
{
    qsizetype n = 0;
    while (n < statements.size() && statements.at(n).setsTransaction)
        ++n;
    return n;
}

QList<SqlStatement> SqlScript::statementsUnwrapped() const
{
    QList<SqlStatement> list = m_statements;
    if (list.size() >= 2 && list.first().beginsTransaction && list.last().endsTransaction) {
        // The runner's transaction replaces the file's; the isolation level its BEGIN
        // asked for still holds, as the SET TRANSACTION that says it.
        SqlStatement &begin = list.first();
        if (begin.transactionModes.isEmpty()) {
            list.removeFirst();
        } else {
            begin.sql = QStringLiteral("SET TRANSACTION ") + begin.transactionModes;
            begin.nodeType = QStringLiteral("VariableSetStmt");
            begin.transactionControl = false;
            begin.beginsTransaction = false;
            begin.setsTransaction = true;
        }
        list.removeLast();
    }
    return list;
}

Result<QList<SqlStatement>> SqlScript::executableStatements() const
{
    QList<SqlStatement> list = m_statements;
    for (const SqlStatement &s : std::as_const(list)) {
        if (!s.refusedReason.isEmpty())
            return errors::inFile(ErrorCode::Config, m_fileName, s.line, s.column,
                                  {ErrorArg::text(QStringLiteral("detail"), s.refusedReason)});
    }
    // Without a transaction of ours, the file's own BEGIN/COMMIT do what they say.
    if (runsOutsideTransaction())
        return list;
    list = statementsUnwrapped();
    for (const SqlStatement &s : std::as_const(list)) {
        if (s.transactionControl) {
            return Error(ErrorCode::Config, ErrorKind::StatementControlsTransaction,
                         {ErrorArg::text(QStringLiteral("where"), locate(s)),
                          ErrorArg::text(QStringLiteral("statement"), s.summary()),
                          ErrorArg::text(QStringLiteral("marker"), noTransactionMarker())});
        }
    }
    return list;
}

} // namespace pd
