#include "cloudbranchprovider.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QProcessEnvironment>

#include <algorithm>

#include <signal.h>
#include <unistd.h>

namespace pd {

namespace {

QString lastLine(const QByteArray &bytes)
{
    const QList<QByteArray> lines = bytes.split('\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        if (!it->trimmed().isEmpty())
            return QString::fromLocal8Bit(it->trimmed());
    }
    return {};
}

QJsonValue valueAtPath(const QJsonObject &object, const QString &path)
{
    QJsonValue current = object;
    for (const QString &part : path.split(u'.')) {
        if (!current.isObject())
            return {};
        current = current.toObject().value(part);
    }
    return current;
}

// Output beyond this is a misconfigured command (a pager, `yes`), not a branch list.
constexpr qint64 kMaxOutputBytes = 16 * 1024 * 1024;

} // namespace

CloudBranchProvider::CloudBranchProvider(CloudBranchProviderConfig config)
    : m_config(std::move(config))
{
}

QString CloudBranchProvider::shellQuote(const QString &value)
{
    QString quoted = value;
    quoted.replace(u'\'', QStringLiteral("'\\''"));
    return QString(QLatin1Char('\'') + quoted + QLatin1Char('\''));
}

QString CloudBranchProvider::expand(const QString &commandTemplate,
                                    const QMap<QString, QString> &values)
{
    // One pass over the template, so a value that itself contains "{parent}" stays literal.
    QString out;
    for (qsizetype i = 0; i < commandTemplate.size(); ++i) {
        if (commandTemplate.at(i) == u'{') {
            const qsizetype close = commandTemplate.indexOf(u'}', i + 1);
            if (close > i) {
                const QString key = commandTemplate.mid(i + 1, close - i - 1);
                if (values.contains(key)) {
                    out += shellQuote(values.value(key));
                    i = close;
                    continue;
                }
            }
        }
        out += commandTemplate.at(i);
    }
    return out;
}

Result<QByteArray> CloudBranchProvider::run(const QString &what, const QString &command) const
{
    if (command.trimmed().isEmpty())
        return Error(ErrorCode::Config, ErrorKind::CloudCommandMissing,
                     {ErrorArg::text(QStringLiteral("verb"), what)});
    QProcess process;
    process.setProgram(QStringLiteral("/bin/sh"));
    process.setArguments({QStringLiteral("-c"), command});
    if (!m_config.workingDirectory.isEmpty())
        process.setWorkingDirectory(m_config.workingDirectory);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (auto it = m_config.environment.cbegin(); it != m_config.environment.cend(); ++it)
        environment.insert(it.key(), it.value());
    process.setProcessEnvironment(environment);
    // A login prompt must fail fast instead of waiting for input nobody will type.
    process.setStandardInputFile(QProcess::nullDevice());
    process.setChildProcessModifier([] { ::setpgid(0, 0); });
    process.start();
    const int timeoutMs = m_config.timeoutSeconds * 1000;
    if (!process.waitForStarted(timeoutMs))
        return Error(ErrorCode::Runtime, ErrorKind::CloudCommandNotStarted,
                     {ErrorArg::text(QStringLiteral("verb"), what),
                      ErrorArg::text(QStringLiteral("detail"), process.errorString())});
    QByteArray out;
    QByteArray errTail; // only the last line is reported; a chatty CLI must not fill memory
    QElapsedTimer timer;
    timer.start();
    bool finished = false;
    while (!finished && timer.elapsed() < timeoutMs) {
        finished = process.waitForFinished(int(std::min<qint64>(200, timeoutMs - timer.elapsed())));
        out += process.readAllStandardOutput();
        errTail = QByteArray(errTail + process.readAllStandardError()).right(8192);
        if (out.size() > kMaxOutputBytes)
            break;
    }
    if (!finished) {
        if (const qint64 pid = process.processId(); pid > 0)
            ::kill(-static_cast<pid_t>(pid), SIGKILL);
        process.kill();
        process.waitForFinished(2000);
        if (out.size() > kMaxOutputBytes)
            return Error(
                ErrorCode::Runtime, ErrorKind::CloudCommandTooMuchOutput,
                {ErrorArg::text(QStringLiteral("verb"), what),
                 ErrorArg::number(QStringLiteral("megabytes"), kMaxOutputBytes / (1024 * 1024))});
        return Error(ErrorCode::Timeout, ErrorKind::CloudCommandTimedOut,
                     {ErrorArg::text(QStringLiteral("verb"), what),
                      ErrorArg::number(QStringLiteral("seconds"), m_config.timeoutSeconds)});
    }
    out += process.readAllStandardOutput();
    errTail += process.readAllStandardError();
    const QString errorLine = lastLine(errTail);
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        QList<ErrorArg> args{ErrorArg::text(QStringLiteral("verb"), what)};
        if (errorLine.isEmpty())
            args << ErrorArg::phraseOf(QStringLiteral("detail"),
                                       QT_TRANSLATE_NOOP("pd::ErrorMessage",
                                                         "it exited with code {exitCode} and "
                                                         "printed nothing on stderr"))
                 << ErrorArg::number(QStringLiteral("exitCode"), process.exitCode());
        else
            args << ErrorArg::text(QStringLiteral("detail"), errorLine);
        return Error(ErrorCode::Runtime, ErrorKind::CloudCommandFailed, std::move(args));
    }
    return out;
}

Result<QString> CloudBranchProvider::create(const QString &name, const QString &parent) const
{
    if (name.trimmed().isEmpty())
        return Error(ErrorCode::Usage, ErrorKind::CloudBranchNeedsName, {});
    auto out = run(QStringLiteral("create"),
                   expand(m_config.create,
                          {{QStringLiteral("name"), name}, {QStringLiteral("parent"), parent}}));
    if (!out)
        return Error(out.error().code,
                     QStringLiteral("%1 (branch %2)").arg(out.error().message, name));
    return QString::fromUtf8(*out);
}

Result<QString> CloudBranchProvider::runExpanded(const QString &what, const QString &command) const
{
    auto out = run(what, command);
    if (!out)
        return out.error();
    return QString::fromUtf8(*out);
}

Result<void> CloudBranchProvider::remove(const QString &name) const
{
    if (name.trimmed().isEmpty())
        return Error(ErrorCode::Usage, ErrorKind::CloudBranchToDeleteUnnamed, {});
    auto out =
        run(QStringLiteral("delete"), expand(m_config.remove, {{QStringLiteral("name"), name}}));
    if (!out)
        return Error(out.error().code,
                     QStringLiteral("%1 (branch %2)").arg(out.error().message, name));
    return {};
}

Result<QList<CloudBranch>> CloudBranchProvider::list() const
{
    auto out = run(QStringLiteral("list"), expand(m_config.list, {}));
    if (!out)
        return out.error();
    if (m_config.listFormat == CloudBranchProviderConfig::ListFormat::Lines)
        return parseLines(*out);
    return parseJsonList(*out, m_config.jsonNameField);
}

Result<QList<CloudBranch>> CloudBranchProvider::parseJsonList(const QByteArray &output,
                                                              const QString &nameField)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(output, &parseError);
    if (doc.isNull())
        return Error(ErrorCode::Runtime, ErrorKind::CloudBranchListNotJson,
                     {ErrorArg::text(QStringLiteral("detail"), parseError.errorString()),
                      ErrorArg::number(QStringLiteral("offset"), parseError.offset)});
    QJsonArray array;
    if (doc.isArray()) {
        array = doc.array();
    } else {
        const QJsonObject root = doc.object();
        int arrays = 0;
        for (auto it = root.constBegin(); it != root.constEnd(); ++it) {
            if (it.value().isArray()) {
                array = it.value().toArray();
                ++arrays;
            }
        }
        if (arrays != 1)
            return Error(ErrorCode::Runtime, ErrorKind::CloudBranchListArrays,
                         {ErrorArg::number(QStringLiteral("arrays"), arrays)});
    }
    const QString field = nameField.isEmpty() ? QStringLiteral("name") : nameField;
    QList<CloudBranch> branches;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue entry = array.at(i);
        if (entry.isString()) {
            branches.append({entry.toString(), {}});
            continue;
        }
        const QJsonValue name = valueAtPath(entry.toObject(), field);
        if (!entry.isObject() || !name.isString() || name.toString().isEmpty())
            return Error(ErrorCode::Runtime, ErrorKind::CloudBranchEntryNameless,
                         {ErrorArg::number(QStringLiteral("entry"), i + 1),
                          ErrorArg::text(QStringLiteral("field"), field)});
        branches.append({name.toString(), entry.toObject()});
    }
    return branches;
}

QList<CloudBranch> CloudBranchProvider::parseLines(const QByteArray &output)
{
    QList<CloudBranch> branches;
    for (const QByteArray &line : output.split('\n')) {
        const QString name = QString::fromUtf8(line.trimmed());
        if (!name.isEmpty() && !name.startsWith(u'#'))
            branches.append({name, {}});
    }
    return branches;
}

} // namespace pd
