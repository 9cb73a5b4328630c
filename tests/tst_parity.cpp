// The parity matrix over three environments with deliberately different dotenv files
// (tests/data/parity), secret references resolved for real, and server facts from a real
// PostgreSQL: exact cells, scores and sentences, and no value ever in the output.
#include "db/connection.h"
#include "environment/paritycheck.h"
#include "parity/paritycollector.h"
#include "parity/paritymatrix.h"
#include "pgcluster.h"
#include "secrets/secretresolver.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

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
        QCOMPARE(::stat(QFile::encodeName(m_state.path() + QStringLiteral("/paritydeck")).constData(), &folder), 0);
        QCOMPARE(int(folder.st_mode & 0777), 0700);

        const ParityRow *log = m.row(ParityRowKind::ConfigKey, QStringLiteral("LOG_LEVEL"));
        QVERIFY(log);
        const QString shown = log->cells.value(QStringLiteral("dev")).text;
        QCOMPARE(shown, prefixOf("debug"));
        // Not the plain SHA-256 that anyone could compute for a guess.
        const QString plain = QStringLiteral("set · %1").arg(QString::fromLatin1(
            QCryptographicHash::hash("debug", QCryptographicHash::Sha256).toHex().left(6)));
        QVERIFY2(shown != plain, qPrintable(shown));
        // The key stays: a second matrix shows the same prefixes.
        QCOMPARE(threeEnvironmentMatrix().row(ParityRowKind::ConfigKey, QStringLiteral("LOG_LEVEL"))
                     ->cells.value(QStringLiteral("dev")).text,
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
        for (const auto &[kind, key] : {std::pair{ParityRowKind::SchemaFingerprint, QString()},
                                        std::pair{ParityRowKind::ServerVersion, QString()},
                                        std::pair{ParityRowKind::Extension, QStringLiteral("pgcrypto")}}) {
            const ParityRow *row = m.row(kind, key);
            QVERIFY2(row, qPrintable(parityRowKindName(kind) + QLatin1Char(':') + key));
            QCOMPARE(row->cells.value(QStringLiteral("dev")).state == ParityCellState::Unknown, false);
            const ParityCell cell = row->cells.value(QStringLiteral("prod"));
            QCOMPARE(cell.state, ParityCellState::Unknown);
            QVERIFY2(cell.note.contains(QStringLiteral("PD_PARITY_PROD_PASSWORD")), qPrintable(cell.note));
            QVERIFY(!row->matches);
        }
        QCOMPARE(m.uncheckedRows(), 3);
        QCOMPARE(m.uncheckedByEnvironment().value(QStringLiteral("prod")).cells, 3);
        QVERIFY(!m.uncheckedByEnvironment().contains(QStringLiteral("dev")));
        QVERIFY2(m.uncheckedSummary().startsWith(QStringLiteral("3 rows not checked in prod (3 cells: ")) &&
                     m.uncheckedSummary().contains(QStringLiteral("PD_PARITY_PROD_PASSWORD")),
                 qPrintable(m.uncheckedSummary()));
        // No migrations folder here: no migration head row at all, rather than unknowns.
        QVERIFY(!m.row(ParityRowKind::MigrationHead));

        const QJsonObject json = m.toJson();
        QCOMPARE(json.value(QStringLiteral("score")).toObject().value(QStringLiteral("unchecked")).toInt(), 3);
        QVERIFY(json.value(QStringLiteral("unchecked")).toObject().value(QStringLiteral("prod")).toObject()
                    .value(QStringLiteral("reason")).toString().contains(QStringLiteral("PD_PARITY_PROD_PASSWORD")));
        for (const QJsonValue &row : json.value(QStringLiteral("rows")).toArray()) {
            const QJsonObject cell = row.toObject().value(QStringLiteral("cells")).toObject()
                                         .value(QStringLiteral("prod")).toObject();
            if (cell.value(QStringLiteral("state")).toString() == QLatin1String("unknown"))
                QVERIFY(!cell.value(QStringLiteral("note")).toString().isEmpty());
        }
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
