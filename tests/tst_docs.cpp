// The reference documents checked against the code they describe:
//  - docs/config-reference.md: for every mapping, the documented keys are exactly the keys
//    the real loader accepts there (read from the loader's own "expected one of: …"
//    message for an undocumented key, which it must reject), each documented example value
//    passes the loader's key check, and the complete example loads.
//  - docs/json-output.md: the documented keys of each command's --json document are
//    exactly the keys the real binary prints, against a real PostgreSQL server.
#include "pgcluster.h"
#include "workspace/workspaceloader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using pd::WorkspaceLoader;

namespace {

QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// ---- config-reference.md -------------------------------------------------------------

struct DocumentedKey
{
    QStringList path; // "environments", "ENV", "services[]", "health", "tcp"
    QString example;  // YAML/JSON text
    int line = 0;
};

QList<DocumentedKey> documentedKeys(const QString &markdown)
{
    // | `a.b.c` | type | default | `example` |
    static const QRegularExpression row(
        QStringLiteral("^\\| `([a-z_]+(?:\\.[A-Za-z_\\[\\]]+)*)` \\|.*\\| `(.*)` \\|$"));
    QList<DocumentedKey> keys;
    const QStringList lines = markdown.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QRegularExpressionMatch m = row.match(lines.at(i));
        if (m.hasMatch())
            keys.append({m.captured(1).split(u'.'), m.captured(2), int(i + 1)});
    }
    return keys;
}

bool isPlaceholder(const QString &segment)
{
    return segment == u"ENV" || segment == u"NAME";
}

QString concrete(const QString &segment)
{
    if (segment == u"ENV")
        return QStringLiteral("dev");
    if (segment == u"NAME")
        return QStringLiteral("SOME_NAME");
    return segment;
}

// Sets `value` at `path` inside `node`, creating mappings (and the first list entry for
// "x[]") on the way.
QJsonValue withValue(const QJsonValue &node, const QStringList &path, const QJsonValue &value)
{
    if (path.isEmpty())
        return value;
    QString key = concrete(path.first());
    const bool list = key.endsWith(QLatin1String("[]"));
    if (list)
        key.chop(2);
    QJsonObject object = node.toObject();
    if (list) {
        QJsonArray array = object.value(key).toArray();
        const QJsonValue first = array.isEmpty() ? QJsonValue(QJsonObject()) : array.first();
        const QJsonValue changed = withValue(first, path.mid(1), value);
        if (array.isEmpty())
            array.append(changed);
        else
            array.replace(0, changed);
        object.insert(key, array);
    } else {
        object.insert(key, withValue(object.value(key), path.mid(1), value));
    }
    return object;
}

QJsonObject baseWorkspace()
{
    return QJsonDocument::fromJson(
               "{\"version\": 1, \"project\": \"p\", \"environments\": {\"dev\": {"
               "\"database\": {\"url\": \"postgresql://app@127.0.0.1:5432/app\"},"
               "\"services\": [{\"name\": \"svc\", \"run\": \"sleep 1\", \"health\": {\"tcp\": "
               "\"127.0.0.1:1\"}}]}}}")
        .object();
}

// Loads a JSON document (JSON is YAML) with the real loader; the error message or empty.
QString loadError(const QJsonValue &root)
{
    const QByteArray text = QJsonDocument(root.toObject()).toJson(QJsonDocument::Indented);
    const auto workspace =
        WorkspaceLoader::parse(text, QStringLiteral("/docs-test/paritydeck.yaml"));
    return workspace ? QString() : workspace.error().message;
}

// ---- json-output.md ------------------------------------------------------------------

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QString err;
};

struct JsonMember
{
    QString path; // "environments[].name", "[].time"
    bool optional = false;
};

// "## `paritydeck status --json`" → its member rows. A heading may name two commands
// ("… and `paritydeck drift …`"); the key is the first.
QMap<QString, QList<JsonMember>> documentedJson(const QString &markdown)
{
    static const QRegularExpression heading(QStringLiteral("^## `paritydeck ([^`]*)`"));
    static const QRegularExpression row(
        QStringLiteral("^\\| `([A-Za-z_\\[\\]][A-Za-z_.\\[\\]]*)` \\| ([^|]*) \\|"));
    QMap<QString, QList<JsonMember>> sections;
    QString current;
    for (const QString &line : markdown.split(u'\n')) {
        if (const QRegularExpressionMatch h = heading.match(line); h.hasMatch()) {
            current = h.captured(1);
            continue;
        }
        if (line.startsWith(QLatin1String("## ")))
            current.clear();
        if (const QRegularExpressionMatch r = row.match(line); r.hasMatch() && !current.isEmpty())
            sections[current].append(
                {r.captured(1), r.captured(2).contains(QLatin1String("*optional*"))});
    }
    return sections;
}

// Every value at `path` ("a[].b"), arrays expanded.
QList<QJsonValue> valuesAt(const QJsonValue &root, const QString &path)
{
    QList<QJsonValue> values{root};
    if (path.isEmpty())
        return values;
    for (QString segment : path.split(u'.')) {
        const bool array = segment.endsWith(QLatin1String("[]"));
        if (array)
            segment.chop(2);
        QList<QJsonValue> next;
        for (const QJsonValue &value : values) {
            const QJsonValue member = segment.isEmpty() ? value : value.toObject().value(segment);
            if (array) {
                for (const QJsonValue &item : member.toArray())
                    next.append(item);
            } else if (!member.isUndefined()) {
                next.append(member);
            }
        }
        values = next;
    }
    return values;
}

QString parentOf(const QString &path)
{
    const qsizetype dot = path.lastIndexOf(u'.');
    if (dot >= 0)
        return path.left(dot);
    return path.startsWith(QLatin1String("[]")) ? QStringLiteral("[]") : QString();
}

QString leafOf(const QString &path)
{
    const qsizetype dot = path.lastIndexOf(u'.');
    QString leaf = dot >= 0 ? path.mid(dot + 1) : path;
    if (leaf.startsWith(QLatin1String("[].")))
        leaf = leaf.mid(3);
    if (leaf.endsWith(QLatin1String("[]")))
        leaf.chop(2);
    return leaf;
}

// Checks one command's output against its section: documented, non-optional members are
// present wherever their parent is, and every member printed at a documented level is
// documented.
QString compareWithDocument(const QJsonDocument &output, const QList<JsonMember> &members)
{
    const QJsonValue root =
        output.isArray() ? QJsonValue(output.array()) : QJsonValue(output.object());
    QMap<QString, QSet<QString>> documented; // level → member names
    for (const JsonMember &member : members)
        documented[parentOf(member.path)].insert(leafOf(member.path));
    for (const JsonMember &member : members) {
        if (member.optional)
            continue;
        const QString parent = parentOf(member.path);
        const QString leaf = leafOf(member.path);
        for (const QJsonValue &holder : valuesAt(root, parent)) {
            if (!holder.toObject().contains(leaf))
                return QStringLiteral("documented member '%1' is missing").arg(member.path);
        }
    }
    for (auto level = documented.cbegin(); level != documented.cend(); ++level) {
        for (const QJsonValue &holder : valuesAt(root, level.key())) {
            for (const QString &key : holder.toObject().keys()) {
                if (!level->contains(key))
                    return QStringLiteral("member '%1' at '%2' is not documented")
                        .arg(key, level.key());
            }
        }
    }
    return {};
}

Run runBinary(const QStringList &args, const QProcessEnvironment &env)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(PD_BINARY_PATH), args);
    if (!process.waitForStarted(10000) || !process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), QString::fromUtf8(process.readAllStandardError())};
}

class TestDocs final : public QObject
{
    Q_OBJECT

    QString m_reference = readText(QStringLiteral(PD_DOCS_DIR "/config-reference.md"));

private Q_SLOTS:
    void configReferenceListsExactlyTheKeysTheLoaderAccepts()
    {
        QVERIFY(!m_reference.isEmpty());
        const QList<DocumentedKey> keys = documentedKeys(m_reference);
        QVERIFY2(keys.size() > 40, qPrintable(QString::number(keys.size())));

        // parent path → documented child keys
        QMap<QString, QSet<QString>> children;
        QMap<QString, QStringList> parentPath;
        for (const DocumentedKey &key : keys) {
            const QStringList parent = key.path.mid(0, key.path.size() - 1);
            const QString joined = parent.join(u'.');
            children[joined].insert(key.path.last());
            parentPath[joined] = parent;
        }
        int mappingsChecked = 0;
        for (auto it = children.cbegin(); it != children.cend(); ++it) {
            // Mappings of free names (environments, secrets, env …) accept any valid name.
            if (std::any_of(it->cbegin(), it->cend(), isPlaceholder))
                continue;
            const QJsonValue doc = withValue(
                baseWorkspace(),
                parentPath.value(it.key()) + QStringList{QStringLiteral("zzqx_undocumented")}, 1);
            const QString error = loadError(doc);
            static const QRegularExpression unknown(
                QStringLiteral("unknown key 'zzqx_undocumented' [^;]*; expected one of: (.*)$"));
            const QRegularExpressionMatch m = unknown.match(error);
            QVERIFY2(m.hasMatch(),
                     qPrintable(
                         QStringLiteral("'%1': an undocumented key was not rejected as unknown: %2")
                             .arg(it.key(), error)));
            const QStringList accepted = m.captured(1).split(QStringLiteral(", "));
            const QSet<QString> acceptedSet(accepted.cbegin(), accepted.cend());
            const QSet<QString> undocumented = acceptedSet - *it;
            const QSet<QString> notAccepted = *it - acceptedSet;
            QVERIFY2(
                undocumented.isEmpty(),
                qPrintable(
                    QStringLiteral(
                        "'%1': the loader accepts %2, which config-reference.md does not list")
                        .arg(it.key(),
                             QStringList(undocumented.cbegin(), undocumented.cend()).join(u' '))));
            QVERIFY2(
                notAccepted.isEmpty(),
                qPrintable(
                    QStringLiteral(
                        "'%1': config-reference.md lists %2, which the loader does not accept")
                        .arg(it.key(),
                             QStringList(notAccepted.cbegin(), notAccepted.cend()).join(u' '))));
            ++mappingsChecked;
        }
        qInfo("%d documented keys, %d mappings compared with the loader", int(keys.size()),
              mappingsChecked);
        QVERIFY(mappingsChecked >= 10);
    }

    void everyDocumentedExamplePassesTheKeyCheck()
    {
        for (const DocumentedKey &key : documentedKeys(m_reference)) {
            QJsonParseError parseError;
            const QJsonDocument wrapped =
                QJsonDocument::fromJson("[" + key.example.toUtf8() + "]", &parseError);
            QVERIFY2(parseError.error == QJsonParseError::NoError,
                     qPrintable(QStringLiteral("config-reference.md:%1: example %2 is not JSON")
                                    .arg(key.line)
                                    .arg(key.example)));
            const QString error =
                loadError(withValue(baseWorkspace(), key.path, wrapped.array().first()));
            // Some keys need company (start needs stop; cloud needs create, delete, list);
            // what must never happen is the loader calling a documented key unknown, or
            // rejecting the documented example's type.
            QVERIFY2(
                !error.contains(QStringLiteral("unknown key")),
                qPrintable(QStringLiteral("config-reference.md:%1: %2").arg(key.line).arg(error)));
            const QString dotted =
                QStringList(key.path)
                    .replaceInStrings(QStringLiteral("ENV"), QStringLiteral("dev"))
                    .replaceInStrings(QStringLiteral("[]"), QStringLiteral("[0]"))
                    .join(u'.');
            QVERIFY2(!error.contains(u'\'' + dotted + QStringLiteral("' is ")),
                     qPrintable(
                         QStringLiteral("config-reference.md:%1: the example value is rejected: %2")
                             .arg(key.line)
                             .arg(error)));
        }
    }

    void configReferenceExampleLoads()
    {
        static const QRegularExpression block(QStringLiteral("```yaml\\n(.*?)```"),
                                              QRegularExpression::DotMatchesEverythingOption);
        const QRegularExpressionMatch m = block.match(m_reference);
        QVERIFY(m.hasMatch());
        const auto workspace =
            WorkspaceLoader::parse(m.captured(1).toUtf8(), QStringLiteral("config-reference.md"));
        QVERIFY2(workspace.ok(), qPrintable(workspace ? QString() : workspace.error().message));
        QCOMPARE(workspace->environmentNames(),
                 (QStringList{QStringLiteral("dev"), QStringLiteral("staging"),
                              QStringLiteral("prod")}));
    }

    void jsonOutputDocumentMatchesWhatCommandsPrint()
    {
        const QMap<QString, QList<JsonMember>> sections =
            documentedJson(readText(QStringLiteral(PD_DOCS_DIR "/json-output.md")));
        QVERIFY(sections.size() >= 6);

        pd::test::PgCluster cluster;
        const auto started = cluster.start();
        QVERIFY2(started.ok(), qPrintable(started ? QString() : started.error().message));
        QVERIFY(cluster.createDatabase(QStringLiteral("app")).ok());
        QVERIFY(cluster.createDatabase(QStringLiteral("app_staging")).ok());
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("migrations")));
        const auto write = [&](const QString &name, const QByteArray &text) {
            QFile file(dir.filePath(name));
            return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
        };
        QVERIFY(write(QStringLiteral("migrations/0001_init.sql"),
                      "create table episodes (id int primary key, title text);\n"));
        QVERIFY(write(QStringLiteral(".env"), "APP_ENV=dev\nFEATURE_X=1\n"));
        QVERIFY(write(
            QStringLiteral("paritydeck.yaml"),
            QStringLiteral(
                "version: 1\nproject: docs\nmigrations: { dir: migrations, format: paritydeck }\n"
                "environments:\n  dev:\n    database: { url: \"%1\", password: \"env:PD_DOCS_PW\" "
                "}\n"
                "    config: { dotenv: .env }\n"
                "  staging:\n    promotes_from: dev\n    database: { url: \"%2\" }\n")
                .arg(cluster.url(QStringLiteral("app")), cluster.url(QStringLiteral("app_staging")))
                .toUtf8()));
        QTemporaryDir state;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_STATE_HOME"), state.path());
        env.insert(QStringLiteral("PD_DOCS_PW"), QStringLiteral("unused-with-trust"));
        const QStringList ws{QStringLiteral("--workspace"), dir.path()};

        struct Case
        {
            QString section;
            QStringList args;
        };
        const QList<Case> cases{
            {QStringLiteral("status --json"), {QStringLiteral("status"), QStringLiteral("--json")}},
            {QStringLiteral("migrate status ENV --json"),
             {QStringLiteral("migrate"), QStringLiteral("status"), QStringLiteral("dev"),
              QStringLiteral("--json")}},
            {QStringLiteral("migrate apply ENV --json"),
             {QStringLiteral("migrate"), QStringLiteral("apply"), QStringLiteral("dev"),
              QStringLiteral("--json")}},
            {QStringLiteral("parity --json"), {QStringLiteral("parity"), QStringLiteral("--json")}},
            {QStringLiteral("secret get ENV KEY --json"),
             {QStringLiteral("secret"), QStringLiteral("get"), QStringLiteral("dev"),
              QStringLiteral("password"), QStringLiteral("--json")}},
            {QStringLiteral("audit --json"), {QStringLiteral("audit"), QStringLiteral("--json")}},
            {QStringLiteral("promote ENV --json"),
             {QStringLiteral("promote"), QStringLiteral("staging"), QStringLiteral("--dry-run"),
              QStringLiteral("--json")}},
            {QStringLiteral("diff FROM TO --format json"),
             {QStringLiteral("diff"), QStringLiteral("dev"), QStringLiteral("dev"),
              QStringLiteral("--format"), QStringLiteral("json")}},
        };
        QSet<QString> covered;
        for (const Case &c : cases) {
            QVERIFY2(
                sections.contains(c.section),
                qPrintable(QStringLiteral("json-output.md has no section for %1").arg(c.section)));
            covered.insert(c.section);
            const Run r = runBinary(ws + c.args, env);
            QVERIFY2(r.exitCode == 0 || r.exitCode == 1,
                     qPrintable(c.args.join(u' ') +
                                QStringLiteral(": exit %1: %2").arg(r.exitCode).arg(r.err)));
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(r.out, &error);
            QVERIFY2(error.error == QJsonParseError::NoError,
                     qPrintable(c.args.join(u' ') + QStringLiteral(": not JSON: ") +
                                QString::fromUtf8(r.out.left(300))));
            const QString problem = compareWithDocument(document, sections.value(c.section));
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("paritydeck %1: %2\n%3")
                                                       .arg(c.args.join(u' '), problem,
                                                            QString::fromUtf8(r.out.left(2000)))));
        }
        for (auto it = sections.cbegin(); it != sections.cend(); ++it)
            QVERIFY2(
                covered.contains(it.key()),
                qPrintable(QStringLiteral("json-output.md section '%1' is not run by this test")
                               .arg(it.key())));
    }
};

} // namespace

QTEST_GUILESS_MAIN(TestDocs)
#include "tst_docs.moc"
