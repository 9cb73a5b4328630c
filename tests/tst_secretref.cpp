#include "secrets/secretref.h"

#include <QTest>

using namespace pd;

class TestSecretRef final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesEveryKind_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("kindName");

        const QString none;
        QTest::newRow("keychain") << QStringLiteral("keychain:paritydeck/dev")
                                  << int(SecretRef::Kind::Keychain) << QStringLiteral("paritydeck")
                                  << QStringLiteral("dev") << none << none << none
                                  << QStringLiteral("keychain");
        QTest::newRow("keychain key with slash")
            << QStringLiteral("keychain:paritydeck/prod/db") << int(SecretRef::Kind::Keychain)
            << QStringLiteral("paritydeck") << QStringLiteral("prod/db") << none << none << none
            << QStringLiteral("keychain");
        QTest::newRow("env") << QStringLiteral("env:DEV_DB_PASSWORD") << int(SecretRef::Kind::Env)
                             << none << none << QStringLiteral("DEV_DB_PASSWORD") << none << none
                             << QStringLiteral("env");
        QTest::newRow("env leading underscore")
            << QStringLiteral("env:_X1") << int(SecretRef::Kind::Env) << none << none
            << QStringLiteral("_X1") << none << none << QStringLiteral("env");
        QTest::newRow("command")
            << QStringLiteral("command:gcloud secrets versions access latest --secret=db")
            << int(SecretRef::Kind::Command) << none << none << none
            << QStringLiteral("gcloud secrets versions access latest --secret=db") << none
            << QStringLiteral("command");
        QTest::newRow("command trimmed")
            << QStringLiteral("command:  pass show db  ") << int(SecretRef::Kind::Command) << none
            << none << none << QStringLiteral("pass show db") << none << QStringLiteral("command");
        QTest::newRow("dotenv") << QStringLiteral("dotenv:.env.local#DB_PASSWORD")
                                << int(SecretRef::Kind::Dotenv) << none
                                << QStringLiteral("DB_PASSWORD") << none << none
                                << QStringLiteral(".env.local") << QStringLiteral("dotenv");
        QTest::newRow("dotenv file with hash")
            << QStringLiteral("dotenv:env#2/.env#app.db-password") << int(SecretRef::Kind::Dotenv)
            << none << QStringLiteral("app.db-password") << none << none
            << QStringLiteral("env#2/.env") << QStringLiteral("dotenv");
    }
    void parsesEveryKind()
    {
        QFETCH(QString, text);
        QFETCH(int, kind);
        QFETCH(QString, service);
        QFETCH(QString, key);
        QFETCH(QString, name);
        QFETCH(QString, command);
        QFETCH(QString, file);
        QFETCH(QString, kindName);

        const Result<SecretRef> ref = SecretRef::parse(text);
        QVERIFY2(ref.ok(), qPrintable(ref.ok() ? QString() : ref.error().message));
        QCOMPARE(int(ref->kind), kind);
        QCOMPARE(ref->service, service);
        QCOMPARE(ref->key, key);
        QCOMPARE(ref->name, name);
        QCOMPARE(ref->command, command);
        QCOMPARE(ref->file, file);
        QCOMPARE(ref->kindName(), kindName);

        // The textual form reads back to the same reference.
        const Result<SecretRef> again = SecretRef::parse(ref->toString());
        QVERIFY(again.ok());
        QCOMPARE(*again, *ref);
    }

    void toStringWritesTheCanonicalForm()
    {
        SecretRef ref;
        ref.kind = SecretRef::Kind::Keychain;
        ref.service = QStringLiteral("paritydeck");
        ref.key = QStringLiteral("staging");
        QCOMPARE(ref.toString(), QStringLiteral("keychain:paritydeck/staging"));
        ref = SecretRef();
        ref.kind = SecretRef::Kind::Dotenv;
        ref.file = QStringLiteral(".env.local");
        ref.key = QStringLiteral("DB_PASSWORD");
        QCOMPARE(ref.toString(), QStringLiteral("dotenv:.env.local#DB_PASSWORD"));
        ref = SecretRef();
        ref.kind = SecretRef::Kind::Command;
        ref.command = QStringLiteral("pass show db");
        QCOMPARE(ref.toString(), QStringLiteral("command:pass show db"));
        ref = SecretRef();
        ref.name = QStringLiteral("PGPASSWORD");
        QCOMPARE(ref.toString(), QStringLiteral("env:PGPASSWORD"));
    }

    void rejectsMalformedReferences_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("offset");
        QTest::addColumn<QString>("message");

        const QString forms =
            QStringLiteral("keychain:SERVICE/KEY, env:NAME, command:CMD or dotenv:FILE#KEY");
        QTest::newRow("empty") << QString() << 0
                               << QStringLiteral("the secret reference is empty; expected ") +
                                      forms;
        QTest::newRow("plain password") << QStringLiteral("hunter2") << 0
                                        << QStringLiteral("not a secret reference; expected ") +
                                               forms + QStringLiteral(", never the secret itself");
        QTest::newRow("password with colon")
            << QStringLiteral("s3cr3t:pa55") << 0
            << QStringLiteral("not a secret reference; expected ") + forms +
                   QStringLiteral(", never the secret itself");
        QTest::newRow("unknown kind")
            << QStringLiteral("vault:secret/db") << 0
            << QStringLiteral("unknown secret kind 'vault'; expected ") + forms;
        QTest::newRow("kind in capitals")
            << QStringLiteral("Keychain:paritydeck/dev") << 0
            << QStringLiteral("unknown secret kind 'Keychain'; did you mean 'keychain'?");
        QTest::newRow("keychain without key")
            << QStringLiteral("keychain:paritydeck") << 19
            << QStringLiteral("keychain reference has no '/KEY'; expected keychain:SERVICE/KEY");
        QTest::newRow("keychain empty service")
            << QStringLiteral("keychain:/dev") << 9
            << QStringLiteral("keychain reference has an empty SERVICE; expected "
                              "keychain:SERVICE/KEY");
        QTest::newRow("keychain nothing")
            << QStringLiteral("keychain:") << 9
            << QStringLiteral("keychain reference has an empty SERVICE; expected "
                              "keychain:SERVICE/KEY");
        QTest::newRow("keychain empty key")
            << QStringLiteral("keychain:paritydeck/") << 20
            << QStringLiteral("keychain reference has an empty KEY; expected keychain:SERVICE/KEY");
        QTest::newRow("env empty") << QStringLiteral("env:") << 4
                                   << QStringLiteral("env reference has no variable name; expected "
                                                     "env:NAME");
        QTest::newRow("env dash") << QStringLiteral("env:DB-PASSWORD") << 6
                                  << QStringLiteral(
                                         "env reference names 'DB-PASSWORD', which is not "
                                         "a valid variable name; expected letters, "
                                         "digits and '_', not starting with a digit");
        QTest::newRow("env leading digit")
            << QStringLiteral("env:1PASS") << 4
            << QStringLiteral("env reference names '1PASS', which is not a valid variable name; "
                              "expected letters, digits and '_', not starting with a digit");
        QTest::newRow("env space") << QStringLiteral("env: PASS") << 4
                                   << QStringLiteral("env reference names ' PASS', which is not a "
                                                     "valid variable name; expected letters, "
                                                     "digits and '_', not starting with a digit");
        QTest::newRow("command empty") << QStringLiteral("command:") << 8
                                       << QStringLiteral("command reference has no command; "
                                                         "expected command:CMD");
        QTest::newRow("command blank") << QStringLiteral("command:   ") << 8
                                       << QStringLiteral("command reference has no command; "
                                                         "expected command:CMD");
        QTest::newRow("dotenv without key")
            << QStringLiteral("dotenv:.env.local") << 17
            << QStringLiteral("dotenv reference has no '#KEY'; expected dotenv:FILE#KEY");
        QTest::newRow("dotenv empty file")
            << QStringLiteral("dotenv:#DB_PASSWORD") << 7
            << QStringLiteral("dotenv reference has an empty FILE; expected dotenv:FILE#KEY");
        QTest::newRow("dotenv empty key")
            << QStringLiteral("dotenv:.env#") << 12
            << QStringLiteral("dotenv reference has an empty KEY; expected dotenv:FILE#KEY");
        QTest::newRow("dotenv bad key")
            << QStringLiteral("dotenv:.env#DB PASSWORD") << 14
            << QStringLiteral("dotenv reference names 'DB PASSWORD', which is not a valid key; "
                              "expected letters, digits, '_', '.' or '-', not starting with a "
                              "digit");
    }
    void rejectsMalformedReferences()
    {
        QFETCH(QString, text);
        QFETCH(int, offset);
        QFETCH(QString, message);

        int column = -1;
        const Result<SecretRef> ref = SecretRef::parse(text, &column);
        QVERIFY(!ref.ok());
        QCOMPARE(ref.error().code, ErrorCode::Config);
        QCOMPARE(ref.error().message, message);
        QCOMPARE(column, offset);
    }

    void neverRepeatsWhatMightBeTheSecret()
    {
        for (const QString &pasted : {QStringLiteral("hunter2"), QStringLiteral("p4ss:word"),
                                      QStringLiteral("Tr0ub4dor&3:x")}) {
            const Result<SecretRef> ref = SecretRef::parse(pasted);
            QVERIFY(!ref.ok());
            QVERIFY2(!ref.error().message.contains(pasted.section(u':', 0, 0)),
                     qPrintable(ref.error().message));
        }
    }
};

QTEST_GUILESS_MAIN(TestSecretRef)
#include "tst_secretref.moc"
