#include "parityprobes.h"

#include "db/connection.h"
#include "parity/paritydigest.h"
#include "schema/schemasnapshot.h"
#include "secrets/secretmask.h"

#include <algorithm>

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QHash>
#include <QMutex>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>

#include <csignal>

#include <unistd.h>

namespace pd::parityprobes {

namespace {

// Length of the UTF-8 sequence starting at `i`, 0 when it is not valid UTF-8.
int utf8SequenceLength(const QByteArray &bytes, qsizetype i)
{
    const auto byte = [&](qsizetype k) { return static_cast<unsigned char>(bytes.at(k)); };
    const unsigned char lead = byte(i);
    int length = 0;
    unsigned int min = 0;
    if (lead < 0x80)
        return 1;
    if (lead >= 0xC2 && lead <= 0xDF)
        length = 2, min = 0x80;
    else if (lead >= 0xE0 && lead <= 0xEF)
        length = 3, min = 0x800;
    else if (lead >= 0xF0 && lead <= 0xF4)
        length = 4, min = 0x10000;
    else
        return 0;
    if (i + length > bytes.size())
        return 0;
    unsigned int code = lead & (0x7F >> length);
    for (int k = 1; k < length; ++k) {
        const unsigned char c = byte(i + k);
        if ((c & 0xC0) != 0x80)
            return 0;
        code = (code << 6) | (c & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        return 0;
    return length;
}

QString quoted(const QString &text)
{
    return u'\'' + text + u'\'';
}

QString hexByte(unsigned char c)
{
    return QStringLiteral("\\x%1").arg(QString::number(c, 16).toUpper().rightJustified(2, u'0'));
}

// The first word of a shell command, for "'foo' was not found on PATH".
QString firstWord(const QString &command)
{
    return command.trimmed().section(QRegularExpression(QStringLiteral("\\s+")), 0, 0);
}

QString lastLine(const QByteArray &text)
{
    const QList<QByteArray> lines = text.trimmed().split('\n');
    const QString line = displayOutput(lines.isEmpty() ? QByteArray() : lines.last(), false);
    return line.size() > 200 ? line.first(199) + u'…' : line;
}

struct CachedValue
{
    QDeadlineTimer expires;
    ParityProbeValue value;
};

QMutex cacheMutex;
QHash<QString, CachedValue> &cache()
{
    static QHash<QString, CachedValue> entries;
    return entries;
}

QString cacheKey(const Workspace &workspace, const ParityProbeConfig &probe,
                 const QString &environment, const ConnectionParams *connection)
{
    return QStringList{workspace.filePath,
                       environment,
                       probe.name,
                       probe.command,
                       QString::number(probe.timeoutSeconds),
                       probe.secret ? QStringLiteral("secret") : QString(),
                       connection ? connection->displayTarget() : QString()}
        .join(QChar(0));
}

ParityProbeValue unknown(const ParityProbeConfig &probe, ParityRowKind kind, const QString &key,
                         const QString &note)
{
    ParityProbeValue v;
    v.kind = kind;
    v.key = key;
    v.state = ParityProbeValue::State::Unknown;
    v.note = note;
    v.secret = probe.secret;
    v.weight = probe.weight;
    v.gate = probe.gate;
    return v;
}

ParityProbeValue valueOf(const ParityProbeConfig &probe, ParityRowKind kind, const QString &key,
                         const QString &value, const QString &text)
{
    ParityProbeValue v = unknown(probe, kind, key, {});
    v.state = ParityProbeValue::State::Value;
    v.value = value;
    v.text = text;
    return v;
}

ParityProbeValue missing(const ParityProbeConfig &probe, ParityRowKind kind, const QString &key,
                         const QString &note)
{
    ParityProbeValue v = unknown(probe, kind, key, note);
    v.state = ParityProbeValue::State::Missing;
    return v;
}

QString digestPrefix(const QByteArray &text)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex().left(8));
}

ParityProbeValue execute(const Workspace &workspace, const ParityProbeConfig &probe,
                         const QString &environment, const ConnectionParams *connection)
{
    const auto fail = [&](const QString &note) {
        return unknown(probe, ParityRowKind::Probe, probe.name, note);
    };
    QProcessEnvironment variables = QProcessEnvironment::systemEnvironment();
    // Another environment's connection must not leak in from the caller's shell.
    for (const QString &name : variables.keys()) {
        if (name.startsWith(QLatin1String("PG")))
            variables.remove(name);
    }
    variables.insert(QStringLiteral("PARITYDECK_ENV"), environment);
    if (connection) {
        variables.insert(QStringLiteral("PGHOST"), connection->host);
        variables.insert(QStringLiteral("PGPORT"), QString::number(connection->port));
        variables.insert(QStringLiteral("PGDATABASE"), connection->dbname);
        variables.insert(QStringLiteral("PGUSER"), connection->user);
        variables.insert(QStringLiteral("PGCONNECT_TIMEOUT"),
                         QString::number(connection->connectTimeoutSeconds));
        if (const QString sslmode = connection->options.value(QStringLiteral("sslmode"));
            !sslmode.isEmpty())
            variables.insert(QStringLiteral("PGSSLMODE"), sslmode);
        // The password reaches the child only through its environment, never argv.
        if (!connection->password.isEmpty())
            variables.insert(QStringLiteral("PGPASSWORD"), connection->password.revealString());
    }

    QString command = probe.command;
    // Environment names are letters, digits, '-' and '_' (the loader checks): safe unquoted.
    command.replace(QStringLiteral("{env}"), environment);

    QProcess process;
    process.setProgram(QStringLiteral("/bin/sh"));
    process.setArguments({QStringLiteral("-c"), command});
    process.setWorkingDirectory(workspace.rootDir);
    process.setProcessEnvironment(variables);
    process.setStandardInputFile(QProcess::nullDevice());
    // Its own process group, so a timeout also stops whatever the command started.
    process.setChildProcessModifier([] { ::setpgid(0, 0); });
    process.start();
    if (!process.waitForStarted(10000))
        return fail(QStringLiteral("could not run /bin/sh: %1").arg(process.errorString()));
    const qint64 pid = process.processId();
    QByteArray out, err;
    bool outCut = false, errCut = false;
    // Read as it comes and stop the command once enough arrived: one that prints without
    // end would otherwise run (and be read) until its timeout.
    const auto take = [&] {
        if (!outCut) {
            out += process.readAllStandardOutput();
            if (out.size() > MaxOutputBytes) {
                outCut = true;
                out.truncate(MaxOutputBytes);
                ::kill(pid_t(-pid), SIGKILL);
            }
        }
        if (!errCut) {
            err += process.readAllStandardError();
            if (err.size() > MaxOutputBytes) {
                errCut = true;
                err.truncate(MaxOutputBytes);
                process.closeReadChannel(QProcess::StandardError);
            }
        }
    };
    const QDeadlineTimer deadline(qint64(probe.timeoutSeconds) * 1000);
    bool timedOut = false;
    while (process.state() != QProcess::NotRunning) {
        if (deadline.hasExpired()) {
            timedOut = true;
            break;
        }
        const int slice = int(std::min<qint64>(deadline.remainingTime(), 100));
        if (outCut)
            process.waitForFinished(slice);
        else
            process.waitForReadyRead(slice);
        take();
    }
    if (timedOut) {
        ::kill(pid_t(-pid), SIGKILL);
        process.waitForFinished(5000);
        return fail(
            QStringLiteral("did not finish within %1 s and was stopped").arg(probe.timeoutSeconds));
    }
    take();
    // The rest of the group (a background child) has no business outliving the probe.
    ::kill(pid_t(-pid), SIGKILL);
    // The command was handed the database password; whatever it echoes of it (a script
    // that prints its DATABASE_URL, an error that quotes it) is masked before it becomes
    // a cell or a note. A value that held the password is compared by keyed hash, so two
    // environments whose outputs differ only in their passwords do not read as equal.
    QList<SecretValue> handedOver;
    if (connection && !connection->password.isEmpty())
        handedOver.append(connection->password);
    QByteArray unmaskedOut = out;
    out = maskSecrets(out, handedOver);
    err = maskSecrets(err, handedOver);
    const bool outHeldASecret = out != unmaskedOut;

    // Once the output was cut, how the command took its closed pipe does not matter.
    const bool stoppedByUs = outCut;
    if (process.exitStatus() == QProcess::CrashExit && !stoppedByUs)
        return fail(QStringLiteral("was killed by a signal"));
    const int status = process.exitCode();
    if (status == 127 && !outCut) {
        // sh's own status for a command it could not find.
        const QString which =
            probe.secret ? QStringLiteral("a command") : quoted(firstWord(command));
        QString note = QStringLiteral("%1 was not found on PATH (exit status 127)").arg(which);
        if (!probe.secret && !err.trimmed().isEmpty())
            note += QStringLiteral(": ") + lastLine(err);
        return fail(note);
    }
    if (status != 0 && !stoppedByUs) {
        QString note = QStringLiteral("exited with status %1").arg(status);
        // A secret probe's messages may carry what it guards.
        if (!probe.secret && !err.trimmed().isEmpty())
            note += QStringLiteral(": ") + lastLine(err);
        return fail(note);
    }
    if (probe.secret) {
        ParityProbeValue v =
            valueOf(probe, ParityRowKind::Probe, probe.name,
                    QString::fromLatin1(paritydigest::hex(unmaskedOut.trimmed())), {});
        out.fill('\0');
        unmaskedOut.fill('\0');
        return v;
    }
    const QString text = displayOutput(out, outCut);
    const QString compared =
        outHeldASecret ? QString::fromLatin1(paritydigest::hex(unmaskedOut.trimmed())) : text;
    return valueOf(probe, ParityRowKind::Probe, probe.name, compared,
                   text.isEmpty() ? QStringLiteral("(empty)") : text);
}

} // namespace

QString displayOutput(const QByteArray &output, bool cut)
{
    QByteArray bytes = output.trimmed();
    if (bytes.size() > MaxOutputBytes) {
        bytes.truncate(MaxOutputBytes);
        cut = true;
    }
    QString text;
    text.reserve(bytes.size());
    for (qsizetype i = 0; i < bytes.size();) {
        const int length = utf8SequenceLength(bytes, i);
        const auto c = static_cast<unsigned char>(bytes.at(i));
        if (length == 0) {
            // A sequence cut at the 4 KiB mark is not an encoding problem; drop it.
            if (cut && bytes.size() - i < 4 && c >= 0xC2)
                break;
            text += hexByte(c);
            ++i;
            continue;
        }
        if (length == 1 && (c < 0x20 || c == 0x7F) && c != '\n' && c != '\t') {
            text += hexByte(c);
            ++i;
            continue;
        }
        const QString decoded = QString::fromUtf8(bytes.constData() + i, length);
        // C1 controls (U+0080–U+009F) steer terminals as well as ESC does.
        if (decoded.size() == 1 && decoded.at(0).unicode() >= 0x80 &&
            decoded.at(0).unicode() <= 0x9F)
            text += QStringLiteral("\\u%1").arg(
                QString::number(decoded.at(0).unicode(), 16).toUpper().rightJustified(4, u'0'));
        else
            text += decoded;
        i += length;
    }
    if (cut)
        text += QStringLiteral(" … [cut at 4 KiB]");
    return text;
}

ParityProbeValue runCommand(const Workspace &workspace, const ParityProbeConfig &probe,
                            const QString &environment, const ConnectionParams *connection)
{
    const QString key = cacheKey(workspace, probe, environment, connection);
    {
        QMutexLocker lock(&cacheMutex);
        const auto it = cache().constFind(key);
        if (it != cache().cend() && !it->expires.hasExpired())
            return it->value;
    }
    ParityProbeValue value = execute(workspace, probe, environment, connection);
    QMutexLocker lock(&cacheMutex);
    cache().insert(key, {QDeadlineTimer(qint64(workspace.refreshIntervalSeconds) * 1000), value});
    return value;
}

QList<ParityProbeValue> runDatabase(Connection &connection, const ParityProbeConfig &probe,
                                    const SchemaFilter &filter)
{
    QList<ParityProbeValue> values;
    switch (probe.kind) {
    case ParityProbeConfig::Kind::Command:
        break;
    case ParityProbeConfig::Kind::Settings:
        for (const QString &name : probe.names) {
            auto rows =
                connection.exec(QStringLiteral("SELECT current_setting(name) FROM pg_settings "
                                               "WHERE lower(name) = lower($1)"),
                                {name});
            if (!rows)
                values.append(unknown(probe, ParityRowKind::Setting, name, rows.error().message));
            else if (rows->rowCount() == 0)
                values.append(
                    missing(probe, ParityRowKind::Setting, name,
                            QStringLiteral("the server has no setting named %1").arg(name)));
            else
                values.append(valueOf(probe, ParityRowKind::Setting, name, rows->value(0, 0),
                                      rows->value(0, 0)));
        }
        break;
    case ParityProbeConfig::Kind::Roles: {
        // The role the environment connects as and every role it is a member of.
        auto rows = connection.exec(QStringLiteral(
            "WITH RECURSIVE used(oid) AS ("
            "  SELECT oid FROM pg_roles WHERE rolname = current_user"
            "  UNION SELECT m.roleid FROM pg_auth_members m JOIN used ON m.member = used.oid)"
            " SELECT r.rolname,"
            "  concat_ws(', ', CASE WHEN r.rolsuper THEN 'superuser' END,"
            "   CASE WHEN r.rolcanlogin THEN 'login' END,"
            "   CASE WHEN r.rolcreatedb THEN 'createdb' END,"
            "   CASE WHEN r.rolcreaterole THEN 'createrole' END,"
            "   CASE WHEN r.rolreplication THEN 'replication' END,"
            "   CASE WHEN r.rolbypassrls THEN 'bypassrls' END,"
            "   CASE WHEN NOT r.rolinherit THEN 'noinherit' END,"
            "   CASE WHEN r.rolconnlimit >= 0 THEN 'connection limit ' || r.rolconnlimit END),"
            "  (SELECT string_agg(g.rolname, ', ' ORDER BY g.rolname COLLATE \"C\")"
            "     FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = "
            "r.oid)"
            " FROM pg_roles r WHERE r.oid IN (SELECT oid FROM used)"
            " ORDER BY r.rolname COLLATE \"C\""));
        if (!rows) {
            values.append(unknown(probe, ParityRowKind::Roles, {}, rows.error().message));
            break;
        }
        QStringList described;
        for (int r = 0; r < rows->rowCount(); ++r) {
            QString line = rows->value(r, 0);
            if (!rows->value(r, 1).isEmpty())
                line += QStringLiteral(" (") + rows->value(r, 1) + u')';
            if (!rows->isNull(r, 2))
                line += QStringLiteral(" member of ") + rows->value(r, 2);
            described.append(line);
        }
        const QString text = described.join(QStringLiteral("; "));
        values.append(valueOf(probe, ParityRowKind::Roles, {}, text, text));
        break;
    }
    case ParityProbeConfig::Kind::Privileges: {
        // Explicit grants only: an object without an ACL has its owner's defaults, which
        // the schema fingerprint's owners already cover.
        auto rows = connection.exec(QStringLiteral(
            "SELECT n.nspname, 'SCHEMA', n.nspname, a.grantee, a.privilege_type, a.is_grantable"
            "  FROM pg_namespace n, aclexplode(n.nspacl) a"
            " UNION ALL "
            "SELECT n.nspname, CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,"
            "       c.relname, a.grantee, a.privilege_type, a.is_grantable"
            "  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) "
            "a"
            " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
            " UNION ALL "
            "SELECT n.nspname, 'FUNCTION', p.oid::regprocedure::text, a.grantee, a.privilege_type,"
            "       a.is_grantable"
            "  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace, aclexplode(p.proacl) "
            "a"));
        // Role names, not OIDs: the same grant on two servers has different OIDs.
        auto roleNames = connection.exec(QStringLiteral("SELECT oid, rolname FROM pg_roles"));
        if (!rows || !roleNames) {
            values.append(unknown(probe, ParityRowKind::Privileges, {},
                                  (!rows ? rows.error() : roleNames.error()).message));
            break;
        }
        QHash<QString, QString> roles{{QStringLiteral("0"), QStringLiteral("PUBLIC")}};
        for (int r = 0; r < roleNames->rowCount(); ++r)
            roles.insert(roleNames->value(r, 0), roleNames->value(r, 1));
        QStringList grants;
        for (int r = 0; r < rows->rowCount(); ++r) {
            if (!filter.accepts(rows->value(r, 0)))
                continue;
            grants.append(
                QStringLiteral("%1 %2 ON %3 %4.%5 TO %6")
                    .arg(rows->value(r, 4),
                         rows->value(r, 5) == u"t" ? QStringLiteral("(grantable)") : QString(),
                         rows->value(r, 1), rows->value(r, 0), rows->value(r, 2),
                         roles.value(rows->value(r, 3), rows->value(r, 3))));
        }
        grants.sort();
        grants.removeDuplicates();
        const QByteArray canonical = grants.join(u'\n').toUtf8();
        const QString digest = digestPrefix(canonical);
        values.append(valueOf(
            probe, ParityRowKind::Privileges, {}, QString::fromLatin1(canonical),
            grants.isEmpty()
                ? QStringLiteral("no grants")
                : QStringLiteral("%1 %2 · %3")
                      .arg(grants.size())
                      .arg(grants.size() == 1 ? QStringLiteral("grant") : QStringLiteral("grants"),
                           digest)));
        break;
    }
    case ParityProbeConfig::Kind::ReferenceData:
        for (const QString &table : probe.names) {
            auto regclass =
                connection.scalar(QStringLiteral("SELECT to_regclass($1)::text"), {table});
            if (!regclass) {
                values.append(
                    unknown(probe, ParityRowKind::ReferenceData, table, regclass.error().message));
                continue;
            }
            if (regclass->isNull()) {
                values.append(missing(probe, ParityRowKind::ReferenceData, table,
                                      QStringLiteral("there is no table %1").arg(table)));
                continue;
            }
            // Rows in the order of their text in the "C" collation: the same rows give
            // the same checksum on every server, whatever their physical order or locale.
            auto rows = connection.exec(
                QStringLiteral("SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' "
                               "ORDER BY t::text COLLATE \"C\"), '')) FROM %1 AS t")
                    .arg(*regclass));
            if (!rows) {
                values.append(
                    unknown(probe, ParityRowKind::ReferenceData, table, rows.error().message));
                continue;
            }
            const QString count = rows->value(0, 0);
            const QString md5 = rows->value(0, 1);
            values.append(valueOf(
                probe, ParityRowKind::ReferenceData, table, count + u' ' + md5,
                QStringLiteral("%1 %2 · %3")
                    .arg(count, count == u"1" ? QStringLiteral("row") : QStringLiteral("rows"),
                         md5.left(8))));
        }
        break;
    }
    return values;
}

QList<ParityProbeValue> runAll(const Workspace &workspace, const EnvironmentConfig &environment,
                               const ConnectionParams *params, Connection *connection,
                               const QString &whyNoConnection)
{
    SchemaFilter filter;
    filter.includeSchemas = workspace.schemaInclude;
    filter.excludeSchemas += workspace.schemaExclude;
    QList<ParityProbeValue> values;
    for (const ParityProbeConfig &probe : workspace.parityProbes) {
        if (probe.kind == ParityProbeConfig::Kind::Command) {
            values.append(runCommand(workspace, probe, environment.name, params));
            continue;
        }
        if (connection && connection->isOpen()) {
            values += runDatabase(*connection, probe, filter);
            continue;
        }
        const QString note =
            whyNoConnection.isEmpty() ? QStringLiteral("not connected") : whyNoConnection;
        switch (probe.kind) {
        case ParityProbeConfig::Kind::Settings:
            for (const QString &name : probe.names)
                values.append(unknown(probe, ParityRowKind::Setting, name, note));
            break;
        case ParityProbeConfig::Kind::ReferenceData:
            for (const QString &table : probe.names)
                values.append(unknown(probe, ParityRowKind::ReferenceData, table, note));
            break;
        case ParityProbeConfig::Kind::Roles:
            values.append(unknown(probe, ParityRowKind::Roles, {}, note));
            break;
        case ParityProbeConfig::Kind::Privileges:
            values.append(unknown(probe, ParityRowKind::Privileges, {}, note));
            break;
        case ParityProbeConfig::Kind::Command:
            break;
        }
    }
    return values;
}

void clearCache()
{
    QMutexLocker lock(&cacheMutex);
    cache().clear();
}

} // namespace pd::parityprobes
