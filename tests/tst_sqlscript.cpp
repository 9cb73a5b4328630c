// Splitting and classifying migration SQL with PostgreSQL's own parser (libpg_query):
// statement boundaries that survive strings, comments and dollar quotes; exact
// line:column positions; syntax errors as FILE:LINE:COL; destructive and
// non-transactional statements; the no-transaction marker.
#include "migrations/sqlscript.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

using namespace pd;

namespace {

QByteArray dataFile(const QString &name)
{
    QFile file(QStringLiteral(PD_TEST_DATA_DIR "/migrations/sql/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(name));
    return file.readAll();
}

SqlScript parseOk(const QByteArray &sql, const QString &file = QStringLiteral("m.sql"))
{
    auto script = SqlScript::parse(sql, file);
    if (!script)
        qFatal("unexpected parse error: %s", qPrintable(script.error().message));
    return script.value();
}

} // namespace

class TestSqlScript final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void splitsWhereTheServerWouldNotAtSemicolonsInStringsCommentsAndBodies()
    {
        const SqlScript script = parseOk(dataFile(QStringLiteral("mixed.sql")));
        const auto &s = script.statements();
        QCOMPARE(s.size(), 4);
        QCOMPARE(s.at(0).nodeType, QStringLiteral("CreateStmt"));
        QCOMPARE(s.at(1).nodeType, QStringLiteral("CreateFunctionStmt"));
        QCOMPARE(s.at(2).nodeType, QStringLiteral("InsertStmt"));
        QCOMPARE(s.at(3).nodeType, QStringLiteral("SelectStmt"));
        // Positions are those of the first token, after the leading comments.
        QCOMPARE(s.at(0).position(), QStringLiteral("2:1"));
        QCOMPARE(s.at(1).position(), QStringLiteral("8:1"));
        QCOMPARE(s.at(2).position(), QStringLiteral("15:1"));
        QCOMPARE(s.at(3).position(), QStringLiteral("16:3"));
        QVERIFY(s.at(1).sql.startsWith(QStringLiteral("CREATE FUNCTION touch()")));
        QVERIFY(s.at(1).sql.endsWith(QStringLiteral("$body$")));
        QCOMPARE(s.at(3).sql, QStringLiteral("SELECT 1"));
        for (const SqlStatement &st : s) {
            QVERIFY(!st.destructive);
            QVERIFY(!st.nonTransactional);
        }
    }

    void byteOffsetsPointAtTheStatementText()
    {
        const QByteArray sql = QByteArrayLiteral("SELECT 'ü';\n  /* c */ SELECT 2;");
        const SqlScript script = parseOk(sql);
        QCOMPARE(script.statements().size(), 2);
        const SqlStatement &second = script.statements().at(1);
        QCOMPARE(sql.mid(second.byteOffset, second.byteLength), QByteArrayLiteral("SELECT 2"));
        QCOMPARE(second.position(), QStringLiteral("2:11"));
    }

    void syntaxErrorIsFileLineColumnWithTheParsersMessage()
    {
        const auto script = SqlScript::parse(dataFile(QStringLiteral("syntax_error.sql")),
                                             QStringLiteral("migrations/0003_broken.sql"));
        QVERIFY(!script.ok());
        QCOMPARE(script.error().code, ErrorCode::Config);
        QCOMPARE(
            script.error().message,
            QStringLiteral("migrations/0003_broken.sql:4:8: syntax error at or near \"TABEL\""));
    }

    void syntaxErrorColumnCountsCharactersNotBytes()
    {
        const auto script = SqlScript::parse(
            QByteArrayLiteral("SELECT 1;\nSELECT '\xc3\xa9\xc3\xa9\xc3\xa9' fro x"),
            QStringLiteral("f.sql"));
        QVERIFY(!script.ok());
        QVERIFY2(script.error().message.startsWith(QStringLiteral("f.sql:2:18: ")),
                 qPrintable(script.error().message));
    }

    void unterminatedLiteralPointsAtWhereItStarts()
    {
        const auto script =
            SqlScript::parse(QByteArrayLiteral("SELECT 1;\nCREATE FUNCTION f() RETURNS int\n"
                                               "LANGUAGE sql AS $$ SELECT 1;\n"),
                             QStringLiteral("u.sql"));
        QVERIFY(!script.ok());
        QVERIFY2(script.error().message.startsWith(
                     QStringLiteral("u.sql:3:17: unterminated dollar-quoted string")),
                 qPrintable(script.error().message));
    }

    void sectionPositionsAreFileLines()
    {
        auto script =
            SqlScript::parse(QByteArrayLiteral("SELECT 1;\nSELEC 2;"), QStringLiteral("d.sql"), 7);
        QVERIFY(!script.ok());
        QVERIFY2(script.error().message.startsWith(QStringLiteral("d.sql:8:1: ")),
                 qPrintable(script.error().message));
        const SqlScript ok = parseOk(QByteArrayLiteral("\nSELECT 1;"));
        auto shifted =
            SqlScript::parse(QByteArrayLiteral("\nSELECT 1;"), QStringLiteral("d.sql"), 7);
        QVERIFY(shifted.ok());
        QCOMPARE(ok.statements().at(0).line, 2);
        QCOMPARE(shifted->statements().at(0).line, 8);
    }

    void byteOrderMarkIsIgnored()
    {
        const SqlScript script =
            parseOk(QByteArrayLiteral("\xEF\xBB\xBFSELECT 1;\r\nSELECT 2;\r\n"));
        QCOMPARE(script.statements().size(), 2);
        QCOMPARE(script.statements().at(0).position(), QStringLiteral("1:1"));
        QCOMPARE(script.statements().at(1).position(), QStringLiteral("2:1"));
        QCOMPARE(script.statements().at(1).sql, QStringLiteral("SELECT 2"));
    }

    void emptyAndCommentOnlyFilesHaveNoStatements()
    {
        QCOMPARE(parseOk(QByteArray()).statements().size(), 0);
        QCOMPARE(parseOk(QByteArrayLiteral("-- nothing yet\n/* really */\n")).statements().size(),
                 0);
    }

    void classifiesDestructiveStatements_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<bool>("destructive");
        QTest::newRow("drop table") << QStringLiteral("DROP TABLE users") << true;
        QTest::newRow("drop schema") << QStringLiteral("DROP SCHEMA app CASCADE") << true;
        QTest::newRow("drop column")
            << QStringLiteral("ALTER TABLE users DROP COLUMN email") << true;
        QTest::newRow("alter column type")
            << QStringLiteral("ALTER TABLE users ALTER COLUMN id TYPE int") << true;
        QTest::newRow("truncate") << QStringLiteral("TRUNCATE users") << true;
        QTest::newRow("delete all") << QStringLiteral("DELETE FROM users") << true;
        QTest::newRow("update all") << QStringLiteral("UPDATE users SET name = ''") << true;
        QTest::newRow("drop type") << QStringLiteral("DROP TYPE mood") << true;
        QTest::newRow("drop sequence") << QStringLiteral("DROP SEQUENCE s") << true;
        QTest::newRow("drop view cascade") << QStringLiteral("DROP VIEW v CASCADE") << true;
        QTest::newRow("drop database") << QStringLiteral("DROP DATABASE other") << true;
        QTest::newRow("delete where") << QStringLiteral("DELETE FROM users WHERE id = 1") << false;
        QTest::newRow("update where")
            << QStringLiteral("UPDATE users SET name = '' WHERE id = 1") << false;
        QTest::newRow("drop view") << QStringLiteral("DROP VIEW v") << false;
        QTest::newRow("drop index") << QStringLiteral("DROP INDEX i") << false;
        QTest::newRow("add column")
            << QStringLiteral("ALTER TABLE users ADD COLUMN x int") << false;
        QTest::newRow("create table") << QStringLiteral("CREATE TABLE t (id int)") << false;
        QTest::newRow("drop in a string") << QStringLiteral("SELECT 'DROP TABLE users'") << false;
    }
    void classifiesDestructiveStatements()
    {
        QFETCH(QString, sql);
        QFETCH(bool, destructive);
        const SqlScript script = parseOk(sql.toUtf8());
        QCOMPARE(script.statements().size(), 1);
        QCOMPARE(script.statements().at(0).destructive, destructive);
        QCOMPARE(script.statements().at(0).destructiveReason.isEmpty(), !destructive);
        QCOMPARE(script.hasDestructiveStatements(), destructive);
    }

    void classifiesStatementsThatCannotRunInATransaction_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<bool>("outside");
        QTest::newRow("create index concurrently")
            << QStringLiteral("CREATE INDEX CONCURRENTLY i ON t (a)") << true;
        QTest::newRow("drop index concurrently")
            << QStringLiteral("DROP INDEX CONCURRENTLY i") << true;
        QTest::newRow("reindex concurrently")
            << QStringLiteral("REINDEX INDEX CONCURRENTLY i") << true;
        QTest::newRow("vacuum") << QStringLiteral("VACUUM t") << true;
        QTest::newRow("vacuum analyze") << QStringLiteral("VACUUM ANALYZE t") << true;
        QTest::newRow("create database") << QStringLiteral("CREATE DATABASE x") << true;
        QTest::newRow("alter system")
            << QStringLiteral("ALTER SYSTEM SET work_mem = '8MB'") << true;
        QTest::newRow("detach partition concurrently")
            << QStringLiteral("ALTER TABLE t DETACH PARTITION p CONCURRENTLY") << true;
        QTest::newRow("create subscription")
            << QStringLiteral("CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p") << true;
        QTest::newRow("cluster all") << QStringLiteral("CLUSTER") << true;
        QTest::newRow("database tablespace")
            << QStringLiteral("ALTER DATABASE d SET TABLESPACE fast") << true;
        QTest::newRow("detach partition")
            << QStringLiteral("ALTER TABLE t DETACH PARTITION p") << false;
        QTest::newRow("cluster table") << QStringLiteral("CLUSTER t USING i") << false;
        QTest::newRow("create index") << QStringLiteral("CREATE INDEX i ON t (a)") << false;
        QTest::newRow("reindex") << QStringLiteral("REINDEX INDEX i") << false;
        QTest::newRow("analyze") << QStringLiteral("ANALYZE t") << false;
        QTest::newRow("add enum value")
            << QStringLiteral("ALTER TYPE mood ADD VALUE 'meh'") << false;
    }
    void classifiesStatementsThatCannotRunInATransaction()
    {
        QFETCH(QString, sql);
        QFETCH(bool, outside);
        const SqlScript script = parseOk(sql.toUtf8());
        QCOMPARE(script.statements().size(), 1);
        QCOMPARE(script.statements().at(0).nonTransactional, outside);
        QCOMPARE(script.runsOutsideTransaction(), outside);
    }

    void markerLineRunsTheWholeFileOutsideATransaction()
    {
        const SqlScript script = parseOk(dataFile(QStringLiteral("marker.sql")));
        QVERIFY(script.hasNoTransactionMarker());
        QVERIFY(script.runsOutsideTransaction());
    }

    void markerInsideAStringIsNotAMarker()
    {
        const SqlScript script = parseOk(dataFile(QStringLiteral("marker_in_string.sql")));
        QCOMPARE(script.statements().size(), 1);
        QVERIFY(!script.hasNoTransactionMarker());
        QVERIFY(!script.runsOutsideTransaction());
    }

    void beginCommitAroundTheWholeFileIsDropped()
    {
        const SqlScript script = parseOk(dataFile(QStringLiteral("wrapped.sql")));
        QCOMPARE(script.statements().size(), 4);
        const auto statements = script.executableStatements();
        QVERIFY(statements.ok());
        QCOMPARE(statements->size(), 2);
        QCOMPARE(statements->at(0).sql, QStringLiteral("CREATE TABLE a (id int)"));
        QCOMPARE(statements->at(1).sql, QStringLiteral("CREATE TABLE b (id int)"));
    }

    void commitInTheMiddleIsRefusedWithItsPosition()
    {
        const SqlScript script = parseOk(dataFile(QStringLiteral("inner_commit.sql")),
                                         QStringLiteral("migrations/0004_x.sql"));
        const auto statements = script.executableStatements();
        QVERIFY(!statements.ok());
        QVERIFY2(statements.error().message.startsWith(
                     QStringLiteral("migrations/0004_x.sql:2:1: COMMIT")),
                 qPrintable(statements.error().message));
        QVERIFY(statements.error().message.contains(SqlScript::noTransactionMarker()));
    }

    void largeFilesSplitInLinearTime()
    {
        // A data migration of 20 000 statements: positions must stay exact and the split
        // must not degrade quadratically.
        QByteArray sql;
        for (int i = 0; i < 20'000; ++i)
            sql += "-- row " + QByteArray::number(i) + "\nINSERT INTO t VALUES (" +
                   QByteArray::number(i) + ");\n";
        QElapsedTimer timer;
        timer.start();
        const SqlScript script = parseOk(sql);
        QCOMPARE(script.statements().size(), 20'000);
        QCOMPARE(script.statements().last().position(), QStringLiteral("40000:1"));
        QCOMPARE(script.statements().last().sql, QStringLiteral("INSERT INTO t VALUES (19999)"));
        QVERIFY2(timer.elapsed() < 10'000, qPrintable(QString::number(timer.elapsed())));
    }

    void nulByteIsReportedNotTruncated()
    {
        const auto script =
            SqlScript::parse(QByteArray("SELECT 1;\n\0SELECT 2;", 20), QStringLiteral("n.sql"));
        QVERIFY(!script.ok());
        QVERIFY2(script.error().message.startsWith(QStringLiteral("n.sql:2:1: ")),
                 qPrintable(script.error().message));
    }

    void invalidUtf8IsAConfigErrorAtItsPosition_data()
    {
        QTest::addColumn<QByteArray>("sql");
        QTest::addColumn<int>("firstLine");
        QTest::addColumn<QString>("prefix");
        // A file saved as Latin-1: "é" is the single byte 0xE9, in a comment on line 2.
        QTest::newRow("latin-1 comment") << QByteArray("SELECT 1;\n-- caf\xE9\nSELECT 2;\n") << 1
                                         << QStringLiteral("m.sql:2:7: ");
        // In a string literal, after a valid two-byte character that counts as one column.
        QTest::newRow("after valid multibyte")
            << QByteArray("SELECT '\xC3\xA9\xFF';\n") << 1 << QStringLiteral("m.sql:1:10: ");
        QTest::newRow("overlong slash")
            << QByteArray("SELECT '\xC0\xAF';") << 1 << QStringLiteral("m.sql:1:9: ");
        QTest::newRow("surrogate") << QByteArray("SELECT 1;\nSELECT '\xED\xA0\x80';") << 1
                                   << QStringLiteral("m.sql:2:9: ");
        QTest::newRow("above U+10FFFF")
            << QByteArray("SELECT '\xF4\x90\x80\x80';") << 1 << QStringLiteral("m.sql:1:9: ");
        QTest::newRow("lone continuation")
            << QByteArray("\x80SELECT 1;") << 1 << QStringLiteral("m.sql:1:1: ");
        QTest::newRow("cut off at the end")
            << QByteArray("SELECT 1; -- \xE2\x82") << 1 << QStringLiteral("m.sql:1:14: ");
        // A section of a file (dbmate): lines count from the section's first file line.
        QTest::newRow("section") << QByteArray("SELECT 1;\nSELECT '\xE9';") << 5
                                 << QStringLiteral("m.sql:6:9: ");
    }

    void invalidUtf8IsAConfigErrorAtItsPosition()
    {
        QFETCH(QByteArray, sql);
        QFETCH(int, firstLine);
        QFETCH(QString, prefix);
        const auto script = SqlScript::parse(sql, QStringLiteral("m.sql"), firstLine);
        QVERIFY(!script.ok());
        QCOMPARE(script.error().code, ErrorCode::Config);
        QVERIFY2(script.error().message.startsWith(prefix), qPrintable(script.error().message));
        QVERIFY2(script.error().message.contains(QStringLiteral("UTF-8")),
                 qPrintable(script.error().message));
    }

    void validUtf8OfEveryLengthIsAccepted()
    {
        // 2-, 3- and 4-byte characters, including the highest code point and U+FFFD itself.
        const SqlScript script =
            parseOk(QByteArray("SELECT '\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 "
                               "\xF4\x8F\xBF\xBF \xEF\xBF\xBD';\nSELECT 2;"));
        QCOMPARE(script.statements().size(), 2);
        QCOMPARE(script.statements().at(0).sql,
                 QStringLiteral(u"SELECT '\u00e9 \u20ac \U0001F600 \U0010FFFF \uFFFD'"));
        QCOMPARE(script.statements().at(1).position(), QStringLiteral("2:1"));
    }
};

QTEST_GUILESS_MAIN(TestSqlScript)
#include "tst_sqlscript.moc"
