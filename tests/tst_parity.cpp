// The parity matrix over three environments with deliberately different dotenv files
// (tests/data/parity), secret references resolved for real, and server facts from a real
// PostgreSQL: exact cells, scores and sentences, and no value ever in the output.
#include "db/connection.h"
#include "environment/paritycheck.h"
#include "parity/paritycollector.h"
#include "parity/paritymatrix.h"
#include "parity/parityprobes.h"
#include "pgcluster.h"
#include "secrets/secretresolver.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <csignal>

using namespace pd;
using pd::test::PgCluster;

namespace {

using S = ParityCellState;

SecretRef ref(const QString &text)
{
    auto parsed = SecretRef::parse(text);
    if (!parsed)
        qFatal("bad reference in test: %s", qPrintable(parsed.error().message));
    return *parsed;
}

Workspace threeEnvironments()
{
    Workspace ws;
    ws.rootDir = QStringLiteral(PD_TEST_DATA_DIR "/parity");
    ws.filePath = ws.rootDir + QStringLiteral("/paritydeck.yaml");
    EnvironmentConfig dev, staging, prod;
    dev.name = QStringLiteral("dev");
    dev.dotenv = QStringLiteral("dev.env");
    dev.secrets.insert(QStringLiteral("stripe_key"),
                       ref(QStringLiteral("env:PD_PARITY_STRIPE_DEV")));
    dev.secrets.insert(QStringLiteral("session_secret"),
                       ref(QStringLiteral("env:PD_PARITY_SESSION_DEV")));
    staging.name = QStringLiteral("staging");
    staging.dotenv = QStringLiteral("staging.env");
    staging.secrets.insert(QStringLiteral("stripe_key"),
                           ref(QStringLiteral("env:PD_PARITY_STRIPE_STAGING")));
    staging.secrets.insert(QStringLiteral("session_secret"),
                           ref(QStringLiteral("env:PD_PARITY_SESSION_STAGING")));
    prod.name = QStringLiteral("prod");
    prod.protection = Protection::Confirm;
    prod.dotenv = QStringLiteral("prod.env");
    prod.secrets.insert(QStringLiteral("stripe_key"),
                        ref(QStringLiteral("dotenv:prod.secrets.env#STRIPE_KEY")));
    prod.secrets.insert(QStringLiteral("session_secret"),
                        ref(QStringLiteral("dotenv:prod.secrets.env#SESSION_SECRET")));
    ws.environments = {dev, staging, prod};
    return ws;
}

// The parity key of the test's state folder (made by the first collect()).
QByteArray parityKey()
{
    QFile file(qEnvironmentVariable("XDG_STATE_HOME") + QStringLiteral("/paritydeck/parity.key"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// What a cell shows for `value`: a prefix of its HMAC-SHA-256 under the user's key.
QString prefixOf(const QByteArray &value)
{
    return QStringLiteral("set · %1")
        .arg(QString::fromLatin1(
            QMessageAuthenticationCode::hash(value, parityKey(), QCryptographicHash::Sha256)
                .toHex()
                .left(6)));
}

QList<S> states(const ParityMatrix &m, ParityRowKind kind, const QString &key = {})
{
    QList<S> out;
    const ParityRow *row = m.row(kind, key);
    if (!row)
        return out;
    for (const QString &env : m.environments())
        out.append(row->cells.value(env).state);
    return out;
}

const QStringList kSecretValues{QStringLiteral("sk_test_dev_123"),
                                QStringLiteral("sk_live_shared_456"),
                                QStringLiteral("s3ss10n-shared-v4lue")};

ParityProbeConfig commandProbe(const QString &name, const QString &command, int timeout = 10)
{
    ParityProbeConfig probe;
    probe.name = name;
    probe.command = command;
    probe.timeoutSeconds = timeout;
    return probe;
}

// Whether a process is still alive (a zombie counts as gone).
bool processAlive(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close > 0 && text.mid(close + 2, 1) != "Z";
}

} // namespace

class TestParity final : public QObject
{
    Q_OBJECT

private:
    PgCluster m_cluster;
    QTemporaryDir m_state; // XDG_STATE_HOME: the parity key
    ParityServerFacts m_withCrypto;
    ParityServerFacts m_plain;

    QList<ParityEnvironmentInput> collected(const Workspace &ws)
    {
        SecretResolver resolver(ws.rootDir);
        QFuture<QList<ParityEnvironmentInput>> future = ParityCollector::collect(ws, resolver);
        if (!QTest::qWaitFor([&] { return future.isFinished(); }, 10000))
            return {};
        return future.result();
    }

    ParityMatrix threeEnvironmentMatrix(const ParityOptions &options = {})
    {
        QList<ParityEnvironmentInput> inputs = collected(threeEnvironments());
        if (inputs.size() != 3)
            return {};
        inputs[0].migrationHead = QStringLiteral("0042_add_search");
        inputs[1].migrationHead = QStringLiteral("0042_add_search");
        inputs[2].migrationHead = QStringLiteral("0041_orders");
        for (ParityEnvironmentInput &in : inputs)
            in.schemaFingerprint = QStringLiteral("9f2c1e");
        ParityCollector::applyServerFacts(m_withCrypto, inputs[0]);
        ParityCollector::applyServerFacts(m_withCrypto, inputs[1]);
        ParityCollector::applyServerFacts(m_plain, inputs[2]);
        return ParityMatrix::build(inputs, options);
    }

    Workspace probeWorkspace()
    {
        Workspace ws;
        ws.rootDir = m_state.path();
        ws.filePath = m_state.filePath(QStringLiteral("paritydeck.yaml"));
        ws.refreshIntervalSeconds = 60;
        return ws;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_state.isValid());
        qputenv("XDG_STATE_HOME", m_state.path().toUtf8());
        qputenv("PD_PARITY_STRIPE_DEV", "sk_test_dev_123");
        qputenv("PD_PARITY_STRIPE_STAGING", "sk_live_shared_456");
        qputenv("PD_PARITY_SESSION_STAGING", "s3ss10n-shared-v4lue");
        qunsetenv("PD_PARITY_SESSION_DEV");

        QVERIFY2(m_cluster.start().ok(), qPrintable(m_cluster.serverLog()));
        QVERIFY(m_cluster.createDatabase(QStringLiteral("app")).ok());
        QVERIFY(m_cluster.exec(QStringLiteral("CREATE EXTENSION pgcrypto"), QStringLiteral("app"))
                    .ok());
        auto app = m_cluster.connect(QStringLiteral("app"));
        QVERIFY(app.ok());
        auto facts = ParityCollector::queryServer(app.value());
        QVERIFY2(facts.ok(), facts ? "" : qPrintable(facts.error().message));
        m_withCrypto = *facts;
        QVERIFY(m_withCrypto.serverVersion.startsWith(QStringLiteral("15.")));
        QVERIFY(m_withCrypto.extensions.contains(QStringLiteral("pgcrypto")));
        QVERIFY(m_withCrypto.extensions.contains(QStringLiteral("plpgsql")));
        auto postgres = m_cluster.connect(QStringLiteral("postgres"));
        QVERIFY(postgres.ok());
        m_plain = ParityCollector::queryServer(postgres.value()).value();
        QVERIFY(!m_plain.extensions.contains(QStringLiteral("pgcrypto")));
    }

    void threeEnvironmentsGiveTheExpectedCells()
    {
        const ParityMatrix m = threeEnvironmentMatrix();
        QCOMPARE(m.environments(), (QStringList{QStringLiteral("dev"), QStringLiteral("staging"),
                                                QStringLiteral("prod")}));
        QStringList rowIds;
        for (const ParityRow &row : m.rows())
            rowIds.append(QString(parityRowKindName(row.kind) + u':' + row.key));
        QCOMPARE(
            rowIds,
            (QStringList{
                QStringLiteral("config:DATABASE_URL"), QStringLiteral("config:DEV_ONLY_TOOLBAR"),
                QStringLiteral("config:FEATURE_SEARCH"), QStringLiteral("config:LOG_LEVEL"),
                QStringLiteral("config:REDIS_URL"), QStringLiteral("config:SENTRY_DSN"),
                QStringLiteral("secret:session_secret"), QStringLiteral("secret:stripe_key"),
                QStringLiteral("migration-head:"), QStringLiteral("schema-fingerprint:"),
                QStringLiteral("server-version:"), QStringLiteral("extension:pgcrypto")}));

        using K = ParityRowKind;
        QCOMPARE(states(m, K::ConfigKey, QStringLiteral("DATABASE_URL")),
                 (QList<S>{S::Different, S::Different, S::Different}));
        QCOMPARE(states(m, K::ConfigKey, QStringLiteral("DEV_ONLY_TOOLBAR")),
                 (QList<S>{S::Same, S::Missing, S::Missing}));
        QCOMPARE(states(m, K::ConfigKey, QStringLiteral("FEATURE_SEARCH")),
                 (QList<S>{S::Same, S::Same, S::Different}));
        QCOMPARE(states(m, K::ConfigKey, QStringLiteral("LOG_LEVEL")),
                 (QList<S>{S::Different, S::Same, S::Same}));
        QCOMPARE(states(m, K::ConfigKey, QStringLiteral("REDIS_URL")),
                 (QList<S>{S::Same, S::Same, S::Same}));
        QCOMPARE(states(m, K::ConfigKey, QStringLiteral("SENTRY_DSN")),
                 (QList<S>{S::Missing, S::Same, S::Same}));
        QCOMPARE(states(m, K::Secret, QStringLiteral("session_secret")),
                 (QList<S>{S::Missing, S::Same, S::Same}));
        QCOMPARE(states(m, K::Secret, QStringLiteral("stripe_key")),
                 (QList<S>{S::Different, S::Same, S::Same}));
        QCOMPARE(states(m, K::MigrationHead), (QList<S>{S::Same, S::Same, S::Different}));
        QCOMPARE(states(m, K::SchemaFingerprint), (QList<S>{S::Same, S::Same, S::Same}));
        QCOMPARE(states(m, K::ServerVersion), (QList<S>{S::Same, S::Same, S::Same}));
        QCOMPARE(states(m, K::Extension, QStringLiteral("pgcrypto")),
                 (QList<S>{S::Same, S::Same, S::Missing}));

        // Displayed text: hash prefixes for config values, presence only for secrets,
        // plain values for what is not secret.
        const ParityRow *log = m.row(K::ConfigKey, QStringLiteral("LOG_LEVEL"));
        QCOMPARE(log->cells.value(QStringLiteral("dev")).text, prefixOf("debug"));
        QCOMPARE(log->cells.value(QStringLiteral("prod")).text, prefixOf("info"));
        QCOMPARE(m.row(K::ConfigKey, QStringLiteral("SENTRY_DSN"))
                     ->cells.value(QStringLiteral("dev"))
                     .text,
                 QStringLiteral("absent"));
        const ParityRow *stripe = m.row(K::Secret, QStringLiteral("stripe_key"));
        QCOMPARE(stripe->cells.value(QStringLiteral("dev")).text, QStringLiteral("set"));
        QCOMPARE(stripe->cells.value(QStringLiteral("prod")).text, QStringLiteral("set"));
        const ParityRow *session = m.row(K::Secret, QStringLiteral("session_secret"));
        QCOMPARE(session->cells.value(QStringLiteral("dev")).text, QStringLiteral("missing"));
        QVERIFY2(session->cells.value(QStringLiteral("dev"))
                     .note.contains(QStringLiteral("PD_PARITY_SESSION_DEV")),
                 qPrintable(session->cells.value(QStringLiteral("dev")).note));
        QCOMPARE(m.row(K::MigrationHead)->cells.value(QStringLiteral("prod")).text,
                 QStringLiteral("0041_orders"));
        QCOMPARE(m.row(K::Extension, QStringLiteral("pgcrypto"))
                     ->cells.value(QStringLiteral("dev"))
                     .text,
                 m_withCrypto.extensions.value(QStringLiteral("pgcrypto")));
        QCOMPARE(m.row(K::Extension, QStringLiteral("pgcrypto"))
                     ->cells.value(QStringLiteral("prod"))
                     .text,
                 QStringLiteral("not installed"));
        QVERIFY(m.row(K::Extension, QStringLiteral("plpgsql")) == nullptr);
        QVERIFY(m.notes().isEmpty());
    }

    // Issue 16, item 6: a shown prefix confirms no guess without this user's key.
    void configDigestsAreKeyedWithAPrivatePerUserKey()
    {
        const ParityMatrix m = threeEnvironmentMatrix();
        const QString keyPath = m_state.path() + QStringLiteral("/paritydeck/parity.key");
        struct stat key = {};
        QCOMPARE(::stat(QFile::encodeName(keyPath).constData(), &key), 0);
        QCOMPARE(int(key.st_mode & 0777), 0600);
        QCOMPARE(qint64(key.st_size), qint64(32));
        struct stat folder = {};
        QCOMPARE(
            ::stat(QFile::encodeName(m_state.path() + QStringLiteral("/paritydeck")).constData(),
                   &folder),
            0);
        QCOMPARE(int(folder.st_mode & 0777), 0700);

        const ParityRow *log = m.row(ParityRowKind::ConfigKey, QStringLiteral("LOG_LEVEL"));
        QVERIFY(log);
        const QString shown = log->cells.value(QStringLiteral("dev")).text;
        QCOMPARE(shown, prefixOf("debug"));
        // Not the plain SHA-256 that anyone could compute for a guess.
        const QString plain =
            QStringLiteral("set · %1")
                .arg(QString::fromLatin1(
                    QCryptographicHash::hash("debug", QCryptographicHash::Sha256).toHex().left(6)));
        QVERIFY2(shown != plain, qPrintable(shown));
        // The key stays: a second matrix shows the same prefixes.
        QCOMPARE(threeEnvironmentMatrix()
                     .row(ParityRowKind::ConfigKey, QStringLiteral("LOG_LEVEL"))
                     ->cells.value(QStringLiteral("dev"))
                     .text,
                 shown);
    }

    void scoresCountRowsWhereBothCellsArePresentAndEqual()
    {
        const ParityMatrix m = threeEnvironmentMatrix();
        QCOMPARE(m.totalRows(), 12);
        QCOMPARE(m.matchingRows(), 3); // REDIS_URL, schema fingerprint, server version
        QCOMPARE(m.score(), 3.0 / 12.0);
        QCOMPARE(m.pairs().size(), 3);
        const ParityPairScore devStaging =
            *m.pair(QStringLiteral("dev"), QStringLiteral("staging"));
        QCOMPARE(devStaging.matching, 6);
        QCOMPARE(devStaging.total, 12);
        QCOMPARE(m.pair(QStringLiteral("prod"), QStringLiteral("dev"))->matching, 3);
        QCOMPARE(m.pair(QStringLiteral("staging"), QStringLiteral("prod"))->matching, 7);
        QCOMPARE(m.pair(QStringLiteral("staging"), QStringLiteral("prod"))->score(), 7.0 / 12.0);

        // Keys that differ by design can be compared by presence only.
        ParityOptions options;
        options.presenceOnly = {QStringLiteral("DATABASE_URL")};
        const ParityMatrix relaxed = threeEnvironmentMatrix(options);
        QCOMPARE(relaxed.matchingRows(), 4);
        QCOMPARE(states(relaxed, ParityRowKind::ConfigKey, QStringLiteral("DATABASE_URL")),
                 (QList<S>{S::Same, S::Same, S::Same}));
        QCOMPARE(relaxed.pair(QStringLiteral("dev"), QStringLiteral("prod"))->matching, 4);
    }

    void mismatchesAreSentencesWithoutValues()
    {
        const ParityMatrix m = threeEnvironmentMatrix();
        QMap<QString, QString> messages;
        for (const ParityMismatch &mm : m.mismatches())
            messages.insert(QString(parityRowKindName(mm.kind) + u':' + mm.key), mm.message);
        QCOMPARE(messages.size(), 9);
        QCOMPARE(
            messages.value(QStringLiteral("config:LOG_LEVEL")),
            QStringLiteral(
                "Config key LOG_LEVEL differs: dev has one value; staging and prod share another"));
        QCOMPARE(messages.value(QStringLiteral("config:DATABASE_URL")),
                 QStringLiteral("Config key DATABASE_URL differs: dev has one value; staging has "
                                "another; prod has yet another"));
        QCOMPARE(messages.value(QStringLiteral("config:DEV_ONLY_TOOLBAR")),
                 QStringLiteral("Config key DEV_ONLY_TOOLBAR is absent in staging and prod"));
        QCOMPARE(
            messages.value(QStringLiteral("secret:session_secret")),
            QStringLiteral("Secret session_secret does not resolve in dev (environment variable "
                           "PD_PARITY_SESSION_DEV is not set)"));
        QCOMPARE(
            messages.value(QStringLiteral("migration-head:")),
            QStringLiteral(
                "Migration head differs: 0042_add_search in dev and staging; 0041_orders in prod"));
        QCOMPARE(messages.value(QStringLiteral("extension:pgcrypto")),
                 QStringLiteral("Extension pgcrypto is not installed in prod"));
        QVERIFY(!messages.contains(QStringLiteral("config:REDIS_URL")));
    }

    void secretsAndValuesNeverReachTheJson()
    {
        const ParityMatrix m = threeEnvironmentMatrix();
        const QJsonObject json = m.toJson();
        QString everything = QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
        for (const ParityMismatch &mm : m.mismatches())
            everything += mm.message;
        everything += m.notes().join(u'\n');
        QStringList forbidden = kSecretValues;
        for (const QString &secret : kSecretValues)
            forbidden.append(QString::fromLatin1(SecretValue::fromString(secret).sha256Hex()));
        forbidden +=
            {QStringLiteral("postgresql://app@staging.internal/app"), QStringLiteral("f00dfeed"),
             QStringLiteral("redis://127.0.0.1"), QStringLiteral("6432/app_dev"),
             QString::fromLatin1(
                 QCryptographicHash::hash("debug", QCryptographicHash::Sha256).toHex())};
        for (const QString &value : forbidden)
            QVERIFY2(!everything.contains(value),
                     qPrintable(QStringLiteral("leaked: %1").arg(value)));

        // The documented shape (docs/parity.md).
        QCOMPARE(json.value(QStringLiteral("environments")).toArray().size(), 3);
        QCOMPARE(json.value(QStringLiteral("score"))
                     .toObject()
                     .value(QStringLiteral("matching"))
                     .toInt(),
                 3);
        QCOMPARE(
            json.value(QStringLiteral("score")).toObject().value(QStringLiteral("total")).toInt(),
            12);
        QCOMPARE(json.value(QStringLiteral("score"))
                     .toObject()
                     .value(QStringLiteral("ratio"))
                     .toDouble(),
                 0.25);
        const QJsonArray pairs = json.value(QStringLiteral("pairs")).toArray();
        QCOMPARE(pairs.size(), 3);
        QCOMPARE(pairs.at(2).toObject().value(QStringLiteral("environments")).toArray(),
                 (QJsonArray{QStringLiteral("staging"), QStringLiteral("prod")}));
        QCOMPARE(pairs.at(2).toObject().value(QStringLiteral("matching")).toInt(), 7);
        const QJsonObject stripe = json.value(QStringLiteral("rows")).toArray().at(7).toObject();
        QCOMPARE(stripe.value(QStringLiteral("kind")).toString(), QStringLiteral("secret"));
        QCOMPARE(stripe.value(QStringLiteral("key")).toString(), QStringLiteral("stripe_key"));
        QCOMPARE(stripe.value(QStringLiteral("matches")).toBool(), false);
        const QJsonObject devCell = stripe.value(QStringLiteral("cells"))
                                        .toObject()
                                        .value(QStringLiteral("dev"))
                                        .toObject();
        QCOMPARE(devCell.value(QStringLiteral("state")).toString(), QStringLiteral("different"));
        QCOMPARE(devCell.value(QStringLiteral("text")).toString(), QStringLiteral("set"));
        QCOMPARE(json.value(QStringLiteral("mismatches")).toArray().size(), 9);
    }

    void unreadableOrMissingDotenvFilesAreUnknownNotAbsent()
    {
        Workspace ws = threeEnvironments();
        ws.environments[1].dotenv = QStringLiteral("broken.env");
        ws.environments[2].dotenv.clear();
        ws.environments[2].secrets.clear();
        const ParityMatrix m = ParityMatrix::build(collected(ws));
        QCOMPARE(states(m, ParityRowKind::ConfigKey, QStringLiteral("LOG_LEVEL")),
                 (QList<S>{S::Same, S::Unknown, S::Unknown}));
        const ParityRow *log = m.row(ParityRowKind::ConfigKey, QStringLiteral("LOG_LEVEL"));
        QCOMPARE(log->cells.value(QStringLiteral("prod")).note,
                 QStringLiteral("no dotenv file is configured"));
        QVERIFY2(log->cells.value(QStringLiteral("staging"))
                     .note.contains(QStringLiteral("broken.env:2")),
                 qPrintable(log->cells.value(QStringLiteral("staging")).note));
        QCOMPARE(m.notes().size(), 2);
        QVERIFY(!m.notes().join(u' ').contains(QStringLiteral("never closed")));
        // A secret reference an environment does not configure is missing there.
        QCOMPARE(states(m, ParityRowKind::Secret, QStringLiteral("stripe_key")).last(), S::Missing);
        // Nothing was provided for migrations, schema or server: no such rows.
        QVERIFY(m.row(ParityRowKind::MigrationHead) == nullptr);
        QVERIFY(m.row(ParityRowKind::ServerVersion) == nullptr);
    }

    void keysListedAsNotSecretShowTheirValues()
    {
        // parity.show_values: LOG_LEVEL is not secret, so its cells and its mismatch say the
        // values; every other key keeps its hash prefix.
        Workspace ws = threeEnvironments();
        ws.parityShowValues = {QStringLiteral("LOG_LEVEL")};
        const ParityMatrix m = ParityMatrix::build(collected(ws));
        const ParityRow *log = m.row(ParityRowKind::ConfigKey, QStringLiteral("LOG_LEVEL"));
        QVERIFY(log);
        QCOMPARE(log->cells.value(QStringLiteral("dev")).text, QStringLiteral("debug"));
        QCOMPARE(log->cells.value(QStringLiteral("staging")).text, QStringLiteral("info"));
        QCOMPARE(log->cells.value(QStringLiteral("staging")).state, ParityCellState::Same);
        QCOMPARE(log->cells.value(QStringLiteral("dev")).state, ParityCellState::Different);
        const ParityRow *search = m.row(ParityRowKind::ConfigKey, QStringLiteral("FEATURE_SEARCH"));
        QVERIFY(
            search &&
            search->cells.value(QStringLiteral("dev")).text.startsWith(QStringLiteral("set · ")));
        bool said = false;
        for (const ParityMismatch &mm : m.mismatches()) {
            if (mm.key == QLatin1String("LOG_LEVEL")) {
                said = true;
                QVERIFY2(mm.message.contains(QStringLiteral("debug in dev")) &&
                             mm.message.contains(QStringLiteral("info in staging and prod")),
                         qPrintable(mm.message));
            }
        }
        QVERIFY(said);
    }

    void unreadablePasswordsLeaveRowsUnknownWithTheReason()
    {
        // Issue 16, item 5: with prod's password unreadable, its server rows used to vanish
        // and the score counted only what could be read. They stay, unknown, with the reason.
        qunsetenv("PD_PARITY_PROD_PASSWORD");
        Workspace ws;
        ws.rootDir = m_state.path();
        ws.filePath = m_state.filePath(QStringLiteral("paritydeck.yaml"));
        EnvironmentConfig dev;
        dev.name = QStringLiteral("dev");
        dev.database.url = m_cluster.url(QStringLiteral("app"));
        EnvironmentConfig prod = dev;
        prod.name = QStringLiteral("prod");
        prod.database.password = ref(QStringLiteral("env:PD_PARITY_PROD_PASSWORD"));
        ws.environments = {dev, prod};

        ParityCheck check(ws);
        const QFuture<ParityMatrix> future = check.run();
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 30000);
        QCOMPARE(future.resultCount(), 1);
        const ParityMatrix m = future.result();
        for (const auto &[kind, key] :
             {std::pair{ParityRowKind::SchemaFingerprint, QString()},
              std::pair{ParityRowKind::ServerVersion, QString()},
              std::pair{ParityRowKind::Extension, QStringLiteral("pgcrypto")}}) {
            const ParityRow *row = m.row(kind, key);
            QVERIFY2(row, qPrintable(parityRowKindName(kind) + QLatin1Char(':') + key));
            QCOMPARE(row->cells.value(QStringLiteral("dev")).state == ParityCellState::Unknown,
                     false);
            const ParityCell cell = row->cells.value(QStringLiteral("prod"));
            QCOMPARE(cell.state, ParityCellState::Unknown);
            QVERIFY2(cell.note.contains(QStringLiteral("PD_PARITY_PROD_PASSWORD")),
                     qPrintable(cell.note));
            QVERIFY(!row->matches);
        }
        QCOMPARE(m.uncheckedRows(), 3);
        QCOMPARE(m.uncheckedByEnvironment().value(QStringLiteral("prod")).cells, 3);
        QVERIFY(!m.uncheckedByEnvironment().contains(QStringLiteral("dev")));
        QVERIFY2(m.uncheckedSummary().startsWith(
                     QStringLiteral("3 rows not checked in prod (3 cells: ")) &&
                     m.uncheckedSummary().contains(QStringLiteral("PD_PARITY_PROD_PASSWORD")),
                 qPrintable(m.uncheckedSummary()));
        // No migrations folder here: no migration head row at all, rather than unknowns.
        QVERIFY(!m.row(ParityRowKind::MigrationHead));

        const QJsonObject json = m.toJson();
        QCOMPARE(json.value(QStringLiteral("score"))
                     .toObject()
                     .value(QStringLiteral("unchecked"))
                     .toInt(),
                 3);
        QVERIFY(json.value(QStringLiteral("unchecked"))
                    .toObject()
                    .value(QStringLiteral("prod"))
                    .toObject()
                    .value(QStringLiteral("reason"))
                    .toString()
                    .contains(QStringLiteral("PD_PARITY_PROD_PASSWORD")));
        for (const QJsonValue &row : json.value(QStringLiteral("rows")).toArray()) {
            const QJsonObject cell = row.toObject()
                                         .value(QStringLiteral("cells"))
                                         .toObject()
                                         .value(QStringLiteral("prod"))
                                         .toObject();
            if (cell.value(QStringLiteral("state")).toString() == QLatin1String("unknown"))
                QVERIFY(!cell.value(QStringLiteral("note")).toString().isEmpty());
        }
    }

    // ---- parity.probes

    void commandProbesGetTheConnectionInPgVariablesNeverInArgv()
    {
        parityprobes::clearCache();
        const Workspace ws = probeWorkspace();
        ConnectionParams params = m_cluster.connectionParams(QStringLiteral("app"));
        const QByteArray password = "pr0be-passw0rd-9f1c";
        params.password = SecretValue(password);
        qputenv("PGPASSWORD", "from-the-callers-shell");
        // The probe looks for the password in the command line of every process it can
        // see, its own shell included, reading the pattern from stdin (not argv), and
        // compares it by hash (its own command line holds only the hash).
        const ParityProbeConfig probe = commandProbe(
            QStringLiteral("connection"),
            QStringLiteral(
                "echo \"{env} $PGHOST $PGPORT $PGDATABASE $PGUSER ${#PGPASSWORD} $PARITYDECK_ENV "
                "$(pwd)\"; "
                "printf %s \"$PGPASSWORD\" | grep -lsaF -f - /proc/[0-9]*/cmdline && echo LEAK; "
                "[ \"$(printf %s \"$PGPASSWORD\" | sha256sum | cut -c1-64)\" = '") +
                QString::fromLatin1(
                    QCryptographicHash::hash(password, QCryptographicHash::Sha256).toHex()) +
                QStringLiteral("' ] && echo same-password"));
        const ParityProbeValue v =
            parityprobes::runCommand(ws, probe, QStringLiteral("staging"), &params);
        qunsetenv("PGPASSWORD");
        QCOMPARE(int(v.state), int(ParityProbeValue::State::Value));
        QCOMPARE(v.text,
                 QStringLiteral("staging 127.0.0.1 %1 app postgres %2 staging %3\nsame-password")
                     .arg(m_cluster.port())
                     .arg(password.size())
                     .arg(QDir(ws.rootDir).canonicalPath()));

        // Without a connection there are no PG* variables at all, not even the caller's.
        qputenv("PGPASSWORD", "from-the-callers-shell");
        const ParityProbeValue none = parityprobes::runCommand(
            ws,
            commandProbe(QStringLiteral("bare"),
                         QStringLiteral("echo \"[${PGHOST-unset}] [${PGPASSWORD-unset}]\"")),
            QStringLiteral("dev"), nullptr);
        qunsetenv("PGPASSWORD");
        QCOMPARE(none.text, QStringLiteral("[unset] [unset]"));
    }

    void aProbeThatEchoesThePasswordShowsItMasked()
    {
        parityprobes::clearCache();
        const Workspace ws = probeWorkspace();
        ConnectionParams params = m_cluster.connectionParams(QStringLiteral("app"));
        params.password = SecretValue(QByteArrayLiteral("echoed-passw0rd-77"));
        const ParityProbeValue echoed = parityprobes::runCommand(
            ws, commandProbe(QStringLiteral("url"), QStringLiteral("echo \"url=$PGPASSWORD@db\"")),
            QStringLiteral("staging"), &params);
        QCOMPARE(int(echoed.state), int(ParityProbeValue::State::Value));
        QCOMPARE(echoed.text, QStringLiteral("url=••••@db"));
        QVERIFY(!echoed.value.contains(QStringLiteral("echoed-passw0rd-77")));
        // Another password gives another value: masked alike, compared apart.
        ConnectionParams other = params;
        other.password = SecretValue(QByteArrayLiteral("another-passw0rd-88"));
        parityprobes::clearCache();
        const ParityProbeValue otherEcho = parityprobes::runCommand(
            ws, commandProbe(QStringLiteral("url"), QStringLiteral("echo \"url=$PGPASSWORD@db\"")),
            QStringLiteral("prod"), &other);
        QCOMPARE(otherEcho.text, echoed.text);
        QVERIFY(otherEcho.value != echoed.value);

        // A failing command's error line is masked the same way.
        const ParityProbeValue failed = parityprobes::runCommand(
            ws,
            commandProbe(QStringLiteral("fails"),
                         QStringLiteral("echo \"login failed for $PGPASSWORD\" >&2; exit 3")),
            QStringLiteral("staging"), &params);
        QCOMPARE(int(failed.state), int(ParityProbeValue::State::Unknown));
        QVERIFY2(failed.note.contains(QStringLiteral("login failed for ••••")),
                 qPrintable(failed.note));
        QVERIFY(!failed.note.contains(QStringLiteral("echoed-passw0rd-77")));
    }

    void aHungProbeIsStoppedWithItsProcessGroup()
    {
        parityprobes::clearCache();
        const Workspace ws = probeWorkspace();
        const QString pidFile = m_state.filePath(QStringLiteral("probe-child.pid"));
        QElapsedTimer clock;
        clock.start();
        const ParityProbeValue v = parityprobes::runCommand(
            ws,
            commandProbe(QStringLiteral("hang"),
                         QStringLiteral("sleep 60 & echo $! > '%1'; sleep 60").arg(pidFile), 1),
            QStringLiteral("dev"), nullptr);
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(int(v.state), int(ParityProbeValue::State::Unknown));
        QCOMPARE(v.note, QStringLiteral("did not finish within 1 s and was stopped"));
        QFile file(pidFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const qint64 child = file.readAll().trimmed().toLongLong();
        QVERIFY(child > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(child), 3000);
    }

    void missingFailingAndChattyProbesAreHandled()
    {
        parityprobes::clearCache();
        const Workspace ws = probeWorkspace();
        const auto run = [&](const QString &command, int timeout = 10) {
            return parityprobes::runCommand(ws, commandProbe(command, command, timeout),
                                            QStringLiteral("dev"), nullptr);
        };
        const ParityProbeValue missing = run(QStringLiteral("no-such-probe-tool-7 --version"));
        QCOMPARE(int(missing.state), int(ParityProbeValue::State::Unknown));
        QVERIFY2(
            missing.note.startsWith(QStringLiteral("'no-such-probe-tool-7' was not found on PATH")),
            qPrintable(missing.note));

        const ParityProbeValue failing =
            run(QStringLiteral("echo partial; echo 'boom: bad' >&2; exit 3"));
        QCOMPARE(int(failing.state), int(ParityProbeValue::State::Unknown));
        QCOMPARE(failing.note, QStringLiteral("exited with status 3: boom: bad"));

        // Megabytes are cut at 4 KiB and marked; an endless writer ends at once, not at
        // its timeout.
        QElapsedTimer clock;
        clock.start();
        const ParityProbeValue huge = run(QStringLiteral("head -c 5000000 /dev/zero | tr '\\0' a"));
        QCOMPARE(int(huge.state), int(ParityProbeValue::State::Value));
        QCOMPARE(huge.text, QString(QString(4096, u'a') + QStringLiteral(" … [cut at 4 KiB]")));
        const ParityProbeValue endless = run(QStringLiteral("yes"), 10);
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(int(endless.state), int(ParityProbeValue::State::Value));
        QVERIFY(endless.text.endsWith(QStringLiteral(" … [cut at 4 KiB]")));
        QVERIFY(endless.text.startsWith(QStringLiteral("y\ny\n")));

        // Bytes that are not UTF-8, and terminal escapes, are shown escaped.
        const ParityProbeValue binary =
            run(QStringLiteral("printf 'caf\\351 \\033[31mred \\303\\251t\\303\\251'"));
        QCOMPARE(binary.text, QStringLiteral("caf\\xE9 \\x1B[31mred été"));
        QCOMPARE(parityprobes::displayOutput("  x\n", false), QStringLiteral("x"));
        // A character cut in half by the 4 KiB mark is dropped, not shown as an encoding error.
        QCOMPARE(parityprobes::displayOutput(QByteArray(4095, 'b') + "\xC3\xA9", false),
                 QString(QString(4095, u'b') + QStringLiteral(" … [cut at 4 KiB]")));
        QCOMPARE(run(QStringLiteral("true")).text, QStringLiteral("(empty)"));
    }

    void probeResultsAreKeptForTheRefreshInterval()
    {
        parityprobes::clearCache();
        Workspace ws = probeWorkspace();
        const QString counter = m_state.filePath(QStringLiteral("runs"));
        QFile::remove(counter);
        const ParityProbeConfig probe =
            commandProbe(QStringLiteral("counter"),
                         QStringLiteral("echo run >> '%1'; wc -l < '%1'").arg(counter));
        QCOMPARE(parityprobes::runCommand(ws, probe, QStringLiteral("dev"), nullptr).text,
                 QStringLiteral("1"));
        QCOMPARE(parityprobes::runCommand(ws, probe, QStringLiteral("dev"), nullptr).text,
                 QStringLiteral("1"));
        // Another environment is another run.
        QCOMPARE(parityprobes::runCommand(ws, probe, QStringLiteral("prod"), nullptr).text,
                 QStringLiteral("2"));
        ws.refreshIntervalSeconds = 1;
        parityprobes::clearCache();
        QCOMPARE(parityprobes::runCommand(ws, probe, QStringLiteral("dev"), nullptr).text,
                 QStringLiteral("3"));
        QTest::qWait(1100);
        QCOMPARE(parityprobes::runCommand(ws, probe, QStringLiteral("dev"), nullptr).text,
                 QStringLiteral("4"));
    }

    void probeRowsAreWeightedAndSecretOnesShowOnlyWhetherHashesMatch()
    {
        parityprobes::clearCache();
        Workspace ws = probeWorkspace();
        EnvironmentConfig dev, prod;
        dev.name = QStringLiteral("dev");
        dev.database.url = m_cluster.url(QStringLiteral("app"));
        prod = dev;
        prod.name = QStringLiteral("prod");
        ws.environments = {dev, prod};
        ParityProbeConfig same =
            commandProbe(QStringLiteral("runtime"), QStringLiteral("echo Python 3.11.4"));
        same.weight = 3;
        ParityProbeConfig differs =
            commandProbe(QStringLiteral("commit"), QStringLiteral("echo commit-{env}"));
        differs.gate = true;
        ParityProbeConfig secret =
            commandProbe(QStringLiteral("token"), QStringLiteral("echo pr0be-t0ken-{env}"));
        secret.secret = true;
        ParityProbeConfig secretSame =
            commandProbe(QStringLiteral("salt"), QStringLiteral("echo s4lt-shared-v4lue"));
        secretSame.secret = true;
        ParityProbeConfig secretFails = commandProbe(
            QStringLiteral("vault"), QStringLiteral("echo 'denied for v4ult-s3cret' >&2; exit 5"));
        secretFails.secret = true;
        ws.parityProbes = {same, differs, secret, secretSame, secretFails};
        ws.parityTarget = 95;

        ParityCheck check(ws);
        const QFuture<ParityMatrix> future = check.run();
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 30000);
        const ParityMatrix m = future.result();
        const ParityRow *runtime = m.row(ParityRowKind::Probe, QStringLiteral("runtime"));
        QVERIFY(runtime);
        QVERIFY(runtime->matches);
        QCOMPARE(runtime->weight, 3);
        QCOMPARE(runtime->cells.value(QStringLiteral("dev")).text, QStringLiteral("Python 3.11.4"));
        const ParityRow *commit = m.row(ParityRowKind::Probe, QStringLiteral("commit"));
        QVERIFY(commit && !commit->matches && commit->gate);
        QCOMPARE(commit->cells.value(QStringLiteral("prod")).text, QStringLiteral("commit-prod"));
        const ParityRow *token = m.row(ParityRowKind::Probe, QStringLiteral("token"));
        QVERIFY(token && token->secret && !token->matches);
        QCOMPARE(token->cells.value(QStringLiteral("dev")).text, QStringLiteral("hash differs"));
        const ParityRow *salt = m.row(ParityRowKind::Probe, QStringLiteral("salt"));
        QVERIFY(salt && salt->matches);
        QCOMPARE(salt->cells.value(QStringLiteral("prod")).text, QStringLiteral("hash matches"));
        const ParityRow *vault = m.row(ParityRowKind::Probe, QStringLiteral("vault"));
        QVERIFY(vault);
        QCOMPARE(vault->cells.value(QStringLiteral("dev")).state, ParityCellState::Unknown);
        QCOMPARE(vault->cells.value(QStringLiteral("dev")).note,
                 QStringLiteral("exited with status 5"));

        // Weighted: runtime counts 3, the other rows 1 each.
        int matchingWeight = 0, totalWeight = 0;
        for (const ParityRow &row : m.rows()) {
            totalWeight += row.weight;
            matchingWeight += row.matches ? row.weight : 0;
        }
        QCOMPARE(m.totalWeight(), totalWeight);
        QCOMPARE(m.matchingWeight(), matchingWeight);
        QVERIFY(m.totalWeight() == int(m.rows().size()) + 2);
        QCOMPARE(m.score(), double(matchingWeight) / double(totalWeight));
        QCOMPARE(m.target(), std::optional<int>(95));
        QVERIFY(!m.meetsTarget());
        QCOMPARE(m.scoreText(), QStringLiteral("%1 %, target 95 %").arg(qRound(m.score() * 100)));
        const ParityPairScore pair = m.pairs().first();
        QCOMPARE(pair.totalWeight, totalWeight);
        QCOMPARE(pair.matchingWeight, matchingWeight); // two environments: pair = overall

        const QByteArray json = QJsonDocument(m.toJson()).toJson();
        for (const QByteArray &secretText :
             {QByteArray("pr0be-t0ken"), QByteArray("s4lt-shared"), QByteArray("v4ult-s3cret")})
            QVERIFY2(!json.contains(secretText), secretText.constData());
        const QJsonObject root = m.toJson();
        QCOMPARE(root.value(QStringLiteral("target")).toInt(), 95);
        QCOMPARE(root.value(QStringLiteral("meets_target")).toBool(), false);
        bool sawToken = false;
        for (const QJsonValue &value : root.value(QStringLiteral("rows")).toArray()) {
            const QJsonObject row = value.toObject();
            QVERIFY(row.contains(QStringLiteral("weight")) && row.contains(QStringLiteral("gate")));
            if (row.value(QStringLiteral("key")).toString() == u"token") {
                sawToken = true;
                QCOMPARE(row.value(QStringLiteral("kind")).toString(), QStringLiteral("probe"));
                QCOMPARE(row.value(QStringLiteral("secret")).toBool(), true);
                QCOMPARE(row.value(QStringLiteral("cells"))
                             .toObject()
                             .value(QStringLiteral("prod"))
                             .toObject()
                             .value(QStringLiteral("text"))
                             .toString(),
                         QStringLiteral("hash differs"));
            }
            if (row.value(QStringLiteral("key")).toString() == u"runtime")
                QCOMPARE(row.value(QStringLiteral("weight")).toInt(), 3);
            if (row.value(QStringLiteral("key")).toString() == u"commit")
                QCOMPARE(row.value(QStringLiteral("gate")).toBool(), true);
        }
        QVERIFY(sawToken);
        for (const ParityMismatch &mm : m.mismatches())
            QVERIFY2(!mm.message.contains(QStringLiteral("pr0be")), qPrintable(mm.message));

        // Without a target every row must match; with one the score must reach it.
        QList<ParityEnvironmentInput> inputs(2);
        inputs[0].name = QStringLiteral("a");
        inputs[1].name = QStringLiteral("b");
        for (int i = 0; i < 2; ++i) {
            ParityProbeValue heavy{ParityRowKind::Probe,
                                   QStringLiteral("heavy"),
                                   ParityProbeValue::State::Value,
                                   QStringLiteral("x"),
                                   QStringLiteral("x"),
                                   {},
                                   false,
                                   19,
                                   false};
            ParityProbeValue light{ParityRowKind::Probe,
                                   QStringLiteral("light"),
                                   ParityProbeValue::State::Value,
                                   QString::number(i),
                                   QString::number(i),
                                   {},
                                   false,
                                   1,
                                   false};
            inputs[i].probes = {heavy, light};
        }
        ParityOptions options;
        QVERIFY(!ParityMatrix::build(inputs, options).meetsTarget());
        options.target = 95;
        const ParityMatrix weighted = ParityMatrix::build(inputs, options);
        QCOMPARE(weighted.score(), 0.95);
        QCOMPARE(weighted.matchingRows(), 1);
        QVERIFY(weighted.meetsTarget());
        QCOMPARE(weighted.scoreText(), QStringLiteral("95 %, target 95 %"));
        options.target = 96;
        QVERIFY(!ParityMatrix::build(inputs, options).meetsTarget());
    }

    void databaseProbesCompareSettingsRolesPrivilegesAndReferenceData()
    {
        parityprobes::clearCache();
        for (const QString &db : {QStringLiteral("probe_a"), QStringLiteral("probe_b")}) {
            QVERIFY(m_cluster.createDatabase(db).ok());
            QVERIFY(m_cluster
                        .exec(QStringLiteral("CREATE TABLE plans (id int PRIMARY KEY, name text);"
                                             "INSERT INTO plans VALUES (2, 'pro'), (1, 'free');"),
                              db)
                        .ok());
        }
        // probe_b: rows in another physical order (same data), one more row in a second
        // table, a larger work_mem and a grant probe_a lacks.
        QVERIFY(
            m_cluster
                .exec(QStringLiteral(
                          "CREATE TABLE countries (code text);"
                          "ALTER DATABASE probe_b SET work_mem = '8MB';"
                          "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                          "'probe_reader') "
                          "THEN CREATE ROLE probe_reader; END IF; END $$;"
                          "GRANT SELECT ON plans TO probe_reader;"
                          "DELETE FROM plans; INSERT INTO plans VALUES (1, 'free'), (2, 'pro');"),
                      QStringLiteral("probe_b"))
                .ok());
        QVERIFY(
            m_cluster
                .exec(
                    QStringLiteral(
                        "CREATE TABLE countries (code text); INSERT INTO countries VALUES ('de');"),
                    QStringLiteral("probe_a"))
                .ok());

        Workspace ws = probeWorkspace();
        EnvironmentConfig a, b;
        a.name = QStringLiteral("a");
        a.database.url = m_cluster.url(QStringLiteral("probe_a"));
        b.name = QStringLiteral("b");
        b.database.url = m_cluster.url(QStringLiteral("probe_b"));
        EnvironmentConfig down;
        down.name = QStringLiteral("down");
        down.database.url = QStringLiteral("postgresql://postgres@127.0.0.1:1/x");
        down.database.connectTimeoutSeconds = 2;
        ws.environments = {a, b, down};
        ParityProbeConfig settings;
        settings.kind = ParityProbeConfig::Kind::Settings;
        settings.names = {QStringLiteral("work_mem"), QStringLiteral("TimeZone"),
                          QStringLiteral("no_such_setting")};
        ParityProbeConfig roles;
        roles.kind = ParityProbeConfig::Kind::Roles;
        ParityProbeConfig privileges;
        privileges.kind = ParityProbeConfig::Kind::Privileges;
        ParityProbeConfig reference;
        reference.kind = ParityProbeConfig::Kind::ReferenceData;
        reference.names = {QStringLiteral("plans"), QStringLiteral("public.countries"),
                           QStringLiteral("nowhere")};
        reference.gate = true;
        ws.parityProbes = {settings, roles, privileges, reference};

        ParityCheck check(ws);
        const QFuture<ParityMatrix> future = check.run();
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 30000);
        const ParityMatrix m = future.result();
        const auto cell = [&](ParityRowKind kind, const QString &key, const QString &env) {
            const ParityRow *row = m.row(kind, key);
            return row ? row->cells.value(env)
                       : ParityCell{S::Unknown, QStringLiteral("no row"), {}};
        };
        QCOMPARE(cell(ParityRowKind::Setting, QStringLiteral("work_mem"), QStringLiteral("a")).text,
                 QStringLiteral("4MB"));
        QCOMPARE(cell(ParityRowKind::Setting, QStringLiteral("work_mem"), QStringLiteral("b")).text,
                 QStringLiteral("8MB"));
        QVERIFY(!m.row(ParityRowKind::Setting, QStringLiteral("work_mem"))->matches);
        QVERIFY(m.row(ParityRowKind::Setting, QStringLiteral("TimeZone")) != nullptr);
        QCOMPARE(
            cell(ParityRowKind::Setting, QStringLiteral("no_such_setting"), QStringLiteral("a"))
                .state,
            S::Missing);
        QCOMPARE(cell(ParityRowKind::Roles, {}, QStringLiteral("a")).state, S::Same);
        QVERIFY2(cell(ParityRowKind::Roles, {}, QStringLiteral("a"))
                     .text.startsWith(QStringLiteral("postgres (superuser, login")),
                 qPrintable(cell(ParityRowKind::Roles, {}, QStringLiteral("a")).text));
        QCOMPARE(cell(ParityRowKind::Privileges, {}, QStringLiteral("a")).state, S::Different);
        QVERIFY2(cell(ParityRowKind::Privileges, {}, QStringLiteral("b"))
                     .text.contains(QStringLiteral("grant")),
                 qPrintable(cell(ParityRowKind::Privileges, {}, QStringLiteral("b")).text));
        // Same rows in another order: the same checksum.
        QCOMPARE(
            cell(ParityRowKind::ReferenceData, QStringLiteral("plans"), QStringLiteral("a")).state,
            S::Same);
        QCOMPARE(
            cell(ParityRowKind::ReferenceData, QStringLiteral("plans"), QStringLiteral("b")).state,
            S::Same);
        QVERIFY(cell(ParityRowKind::ReferenceData, QStringLiteral("plans"), QStringLiteral("a"))
                    .text.startsWith(QStringLiteral("2 rows · ")));
        QVERIFY(m.row(ParityRowKind::ReferenceData, QStringLiteral("plans"))->gate);
        QCOMPARE(cell(ParityRowKind::ReferenceData, QStringLiteral("public.countries"),
                      QStringLiteral("a"))
                     .text.left(5),
                 QStringLiteral("1 row"));
        QCOMPARE(cell(ParityRowKind::ReferenceData, QStringLiteral("public.countries"),
                      QStringLiteral("b"))
                     .text.left(6),
                 QStringLiteral("0 rows"));
        QCOMPARE(cell(ParityRowKind::ReferenceData, QStringLiteral("nowhere"), QStringLiteral("a"))
                     .state,
                 S::Missing);
        // A server that cannot be reached: its probe cells are unknown with the reason.
        const ParityCell unreachable =
            cell(ParityRowKind::Setting, QStringLiteral("work_mem"), QStringLiteral("down"));
        QCOMPARE(unreachable.state, S::Unknown);
        QVERIFY2(!unreachable.note.isEmpty() && unreachable.note != QStringLiteral("not connected"),
                 qPrintable(unreachable.note));
    }

    void tiesGoToTheEnvironmentListedFirst()
    {
        QList<ParityEnvironmentInput> inputs(4);
        const QStringList heads{QStringLiteral("2"), QStringLiteral("1"), QStringLiteral("1"),
                                QStringLiteral("2")};
        for (int i = 0; i < 4; ++i) {
            inputs[i].name = QStringLiteral("e%1").arg(i);
            inputs[i].migrationHead = heads.at(i);
        }
        inputs[2].serverVersion = QStringLiteral("15.4");
        const ParityMatrix m = ParityMatrix::build(inputs);
        QCOMPARE(states(m, ParityRowKind::MigrationHead),
                 (QList<S>{S::Same, S::Different, S::Different, S::Same}));
        QCOMPARE(states(m, ParityRowKind::ServerVersion),
                 (QList<S>{S::Unknown, S::Unknown, S::Same, S::Unknown}));
        QCOMPARE(m.matchingRows(), 0);
        QCOMPARE(m.pair(QStringLiteral("e0"), QStringLiteral("e3"))->matching, 1);
        QCOMPARE(ParityMatrix::build({}).score(), 1.0);
    }
};

QTEST_GUILESS_MAIN(TestParity)
#include "tst_parity.moc"
