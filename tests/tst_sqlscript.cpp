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

    // Large files are parsed in chunks of whole statements (a whole file's parse tree cost
    // about a hundred times its size in memory): positions, text and classification stay
    // those of the whole file across chunk boundaries, and so do syntax errors' positions.
    void aLargeFileKeepsEveryStatementsPlaceAcrossChunks()
    {
        QByteArray sql = "-- seed\nCREATE TABLE t (id int, name text);\n";
        const int rows = 20000; // about 1 MB: several chunks
        for (int i = 0; i < rows; ++i) {
            sql += "INSERT INTO t VALUES (" + QByteArray::number(i) + ", 'é " +
                   QByteArray::number(i) + "');\n";
            if (i == 15000)
                sql += "/* gone */ DROP TABLE t;\n";
        }
        sql += "SELECT count(*) FROM t";
        const SqlScript script = parseOk(sql);
        QCOMPARE(script.statements().size(), rows + 3);
        const SqlStatement &drop = script.statements().at(15002);
        QCOMPARE(drop.nodeType, QStringLiteral("DropStmt"));
        QVERIFY(drop.destructive);
        QCOMPARE(drop.line, 15004);
        QCOMPARE(drop.column, 12); // after the comment
        QCOMPARE(drop.sql, QStringLiteral("DROP TABLE t"));
        const SqlStatement &lastInsert = script.statements().at(rows + 1);
        QCOMPARE(lastInsert.sql, QStringLiteral("INSERT INTO t VALUES (19999, 'é 19999')"));
        QCOMPARE(lastInsert.line, rows + 3);
        QCOMPARE(script.statements().last().line, rows + 4);
        QVERIFY(!script.statements().at(1).destructive);

        QByteArray broken = sql;
        broken += ";\nSELECT 1 FORM t"; // FORM is an alias: "t" is the error
        const auto failed = SqlScript::parse(broken, QStringLiteral("big.sql"));
        QVERIFY(!failed.ok());
        QVERIFY2(failed.error().message.startsWith(QStringLiteral("big.sql:%1:15: ").arg(rows + 5)),
                 qPrintable(failed.error().message));
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
        QTest::newRow("drop view") << QStringLiteral("DROP VIEW v") << true;
        QTest::newRow("delete all in a WITH clause")
            << QStringLiteral("WITH d AS (DELETE FROM users RETURNING *) SELECT count(*) FROM d")
            << true;
        QTest::newRow("update all in a nested WITH clause")
            << QStringLiteral("INSERT INTO log SELECT * FROM (WITH u AS (UPDATE users SET n = 0 "
                              "RETURNING id) SELECT id FROM u) s")
            << true;
        QTest::newRow("explain analyze delete all")
            << QStringLiteral("EXPLAIN ANALYZE DELETE FROM users") << true;
        QTest::newRow("delete where in a WITH clause")
            << QStringLiteral("WITH d AS (DELETE FROM users WHERE id = 1 RETURNING *) "
                              "SELECT * FROM d")
            << false;
        QTest::newRow("delete all in a function body")
            << QStringLiteral("CREATE FUNCTION f() RETURNS void LANGUAGE sql "
                              "BEGIN ATOMIC DELETE FROM users; END")
            << false;
        QTest::newRow("rename table")
            << QStringLiteral("ALTER TABLE users RENAME TO people") << true;
        QTest::newRow("rename column")
            << QStringLiteral("ALTER TABLE users RENAME COLUMN name TO full_name") << true;
        QTest::newRow("rename view") << QStringLiteral("ALTER VIEW v RENAME TO w") << true;
        QTest::newRow("move table to another schema")
            << QStringLiteral("ALTER TABLE users SET SCHEMA archive") << true;
        QTest::newRow("rename index") << QStringLiteral("ALTER INDEX i RENAME TO j") << false;
        QTest::newRow("rename constraint")
            << QStringLiteral("ALTER TABLE users RENAME CONSTRAINT c TO d") << false;
        QTest::newRow("copy to program")
            << QStringLiteral("COPY users TO PROGRAM 'gzip > /tmp/u.gz'") << true;
        QTest::newRow("copy from program")
            << QStringLiteral("COPY users FROM PROGRAM 'cat /tmp/u'") << true;
        QTest::newRow("copy to a server file")
            << QStringLiteral("COPY users TO '/tmp/users.csv'") << true;
        QTest::newRow("copy from stdin") << QStringLiteral("COPY users FROM STDIN") << false;
        QTest::newRow("do block (not analysable)")
            << QStringLiteral("DO $$ BEGIN EXECUTE 'DROP TABLE posts'; END $$") << true;
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

    void doBlocksAreMarkedNotAnalysable()
    {
        const SqlScript script =
            parseOk(QByteArrayLiteral("DO $$ BEGIN EXECUTE 'DROP TABLE posts'; END $$;\n"
                                      "SELECT 1;\n"));
        QVERIFY(script.statements().at(0).notAnalysable);
        QVERIFY2(script.statements().at(0).destructiveReason.startsWith(
                     QStringLiteral("not analysable")),
                 qPrintable(script.statements().at(0).destructiveReason));
        QVERIFY(!script.statements().at(1).notAnalysable);
    }

    void discardAllIsRefusedWithItsPosition()
    {
        for (const QByteArray &sql :
             {QByteArrayLiteral("CREATE TABLE a (id int);\n  DISCARD ALL;\n"),
              QByteArrayLiteral("-- paritydeck:no-transaction\nCREATE TABLE a (id int);\n"
                                "  DISCARD ALL;\n")}) {
            const SqlScript script = parseOk(sql, QStringLiteral("migrations/0002_x.sql"));
            const auto statements = script.executableStatements();
            QVERIFY(!statements.ok());
            QVERIFY2(statements.error().message.startsWith(
                         QStringLiteral("migrations/0002_x.sql:%1:3: DISCARD ALL cannot run "
                                        "inside a transaction block")
                             .arg(script.hasNoTransactionMarker() ? 3 : 2)),
                     qPrintable(statements.error().message));
        }
        // The other DISCARDs run in a transaction and leave the runner's session alone.
        QVERIFY(parseOk(QByteArrayLiteral("DISCARD PLANS")).executableStatements().ok());
    }

    void nearMissDirectivesAreWarnedAbout_data()
    {
        QTest::addColumn<QString>("comment");
        QTest::addColumn<bool>("warned");
        QTest::addColumn<bool>("marker");
        QTest::newRow("space after the colon")
            << QStringLiteral("--   paritydeck: no-transaction") << true << false;
        QTest::newRow("underscore")
            << QStringLiteral("-- paritydeck:no_transaction") << true << false;
        QTest::newRow("no colon") << QStringLiteral("-- paritydeck no transaction") << true
                                  << false;
        QTest::newRow("block comment")
            << QStringLiteral("/* paritydeck:no-transaction */") << true << false;
        QTest::newRow("unknown directive")
            << QStringLiteral("-- paritydeck:transaction") << true << false;
        QTest::newRow("the marker")
            << QStringLiteral("--  PARITYDECK:no-transaction  ") << false << true;
        QTest::newRow("a plain comment")
            << QStringLiteral("-- written for paritydeck users") << false << false;
    }
    void nearMissDirectivesAreWarnedAbout()
    {
        QFETCH(QString, comment);
        QFETCH(bool, warned);
        QFETCH(bool, marker);
        const SqlScript script =
            parseOk("CREATE TABLE a (id int);\n  " + comment.toUtf8() + "\nVACUUM a;\n",
                    QStringLiteral("migrations/0003_x.sql"));
        QCOMPARE(script.hasNoTransactionMarker(), marker);
        QCOMPARE(script.warnings().size(), warned ? 1 : 0);
        if (warned) {
            QVERIFY2(
                script.warnings().at(0).startsWith(QStringLiteral("migrations/0003_x.sql:2:3: ")),
                qPrintable(script.warnings().at(0)));
            QVERIFY(script.warnings().at(0).contains(SqlScript::noTransactionMarker()));
        }
    }

    void classifiesStatementsThatReachOutsideTheDatabase_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<bool>("outside");
        QTest::newRow("create role") << QStringLiteral("CREATE ROLE r") << true;
        QTest::newRow("create user") << QStringLiteral("CREATE USER u") << true;
        QTest::newRow("alter role") << QStringLiteral("ALTER ROLE app CREATEDB") << true;
        QTest::newRow("alter role set")
            << QStringLiteral("ALTER ROLE app SET application_name = 'x'") << true;
        QTest::newRow("alter role in database set")
            << QStringLiteral("ALTER ROLE app IN DATABASE app SET work_mem = '1MB'") << true;
        QTest::newRow("alter group") << QStringLiteral("ALTER GROUP g ADD USER u") << true;
        QTest::newRow("rename role") << QStringLiteral("ALTER ROLE a RENAME TO b") << true;
        QTest::newRow("drop role") << QStringLiteral("DROP ROLE IF EXISTS r") << true;
        QTest::newRow("drop user") << QStringLiteral("DROP USER u") << true;
        QTest::newRow("grant membership") << QStringLiteral("GRANT admin TO app") << true;
        QTest::newRow("revoke membership") << QStringLiteral("REVOKE admin FROM app") << true;
        QTest::newRow("grant on database")
            << QStringLiteral("GRANT CONNECT ON DATABASE app TO r") << true;
        QTest::newRow("grant on tablespace")
            << QStringLiteral("GRANT CREATE ON TABLESPACE t TO r") << true;
        QTest::newRow("grant on parameter")
            << QStringLiteral("GRANT SET ON PARAMETER work_mem TO r") << true;
        QTest::newRow("reassign owned") << QStringLiteral("REASSIGN OWNED BY a TO b") << true;
        QTest::newRow("drop owned") << QStringLiteral("DROP OWNED BY a") << true;
        QTest::newRow("create database") << QStringLiteral("CREATE DATABASE x") << true;
        QTest::newRow("drop database") << QStringLiteral("DROP DATABASE x") << true;
        QTest::newRow("alter database set")
            << QStringLiteral("ALTER DATABASE app SET statement_timeout = '1ms'") << true;
        QTest::newRow("alter database reset")
            << QStringLiteral("ALTER DATABASE app RESET ALL") << true;
        QTest::newRow("alter database")
            << QStringLiteral("ALTER DATABASE app CONNECTION LIMIT 1") << true;
        QTest::newRow("alter database owner")
            << QStringLiteral("ALTER DATABASE app OWNER TO r") << true;
        QTest::newRow("rename database") << QStringLiteral("ALTER DATABASE a RENAME TO b") << true;
        QTest::newRow("comment on database")
            << QStringLiteral("COMMENT ON DATABASE app IS 'x'") << true;
        QTest::newRow("comment on role") << QStringLiteral("COMMENT ON ROLE r IS 'x'") << true;
        QTest::newRow("alter system")
            << QStringLiteral("ALTER SYSTEM SET work_mem = '8MB'") << true;
        QTest::newRow("create tablespace")
            << QStringLiteral("CREATE TABLESPACE t LOCATION '/tmp/t'") << true;
        QTest::newRow("alter tablespace")
            << QStringLiteral("ALTER TABLESPACE t SET (seq_page_cost = 2)") << true;
        QTest::newRow("drop tablespace") << QStringLiteral("DROP TABLESPACE t") << true;
        QTest::newRow("create subscription")
            << QStringLiteral("CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p") << true;
        QTest::newRow("drop subscription") << QStringLiteral("DROP SUBSCRIPTION s") << true;
        QTest::newRow("copy to program")
            << QStringLiteral("COPY t TO PROGRAM 'touch /tmp/x'") << true;
        QTest::newRow("copy from a server file")
            << QStringLiteral("COPY t FROM '/etc/passwd'") << true;
        QTest::newRow("copy to a server file") << QStringLiteral("COPY t TO '/tmp/t'") << true;
        // Inside the database: these go when the scratch database is dropped.
        QTest::newRow("copy from stdin") << QStringLiteral("COPY t FROM STDIN") << false;
        QTest::newRow("table owner") << QStringLiteral("ALTER TABLE t OWNER TO app_owner") << false;
        QTest::newRow("grant on table") << QStringLiteral("GRANT SELECT ON t TO reader") << false;
        QTest::newRow("grant on schema")
            << QStringLiteral("GRANT USAGE ON SCHEMA s TO reader") << false;
        QTest::newRow("default privileges")
            << QStringLiteral("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO reader") << false;
        QTest::newRow("schema authorization")
            << QStringLiteral("CREATE SCHEMA s AUTHORIZATION app") << false;
        QTest::newRow("comment on table") << QStringLiteral("COMMENT ON TABLE t IS 'x'") << false;
        QTest::newRow("create publication")
            << QStringLiteral("CREATE PUBLICATION p FOR TABLE t") << false;
        QTest::newRow("set role for the session") << QStringLiteral("SET ROLE app") << false;
        QTest::newRow("rename table") << QStringLiteral("ALTER TABLE a RENAME TO b") << false;
        QTest::newRow("do block") << QStringLiteral("DO $$ BEGIN NULL; END $$") << false;
    }
    void classifiesStatementsThatReachOutsideTheDatabase()
    {
        QFETCH(QString, sql);
        QFETCH(bool, outside);
        const SqlScript script = parseOk(sql.toUtf8());
        QCOMPARE(script.statements().size(), 1);
        QCOMPARE(script.statements().at(0).leavesDatabase, outside);
        QCOMPARE(script.statements().at(0).leavesDatabaseReason.isEmpty(), !outside);
        QCOMPARE(script.checkStaysInDatabase(QStringLiteral("a schema file")).ok(), !outside);
    }

    void leavingTheDatabaseIsRefusedAtItsPosition()
    {
        const SqlScript script =
            parseOk(QByteArrayLiteral("CREATE TABLE a (id int);\n"
                                      "-- the role's defaults\n"
                                      "   ALTER ROLE app SET application_name = 'pwned';\n"
                                      "ALTER DATABASE app SET statement_timeout = '1ms';\n"),
                    QStringLiteral("/tmp/evil.sql"));
        const auto checked = script.checkStaysInDatabase(QStringLiteral("a schema file"));
        QVERIFY(!checked.ok());
        QCOMPARE(checked.error().code, ErrorCode::Config);
        QVERIFY2(checked.error().message.startsWith(
                     QStringLiteral("/tmp/evil.sql:3:4: ALTER ROLE app SET application_name = "
                                    "'pwned': changes a role's settings")),
                 qPrintable(checked.error().message));
        QVERIFY2(checked.error().message.contains(QStringLiteral("nothing was run")),
                 qPrintable(checked.error().message));
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

    void aBeginsTransactionModesOutliveTheUnwrapping()
    {
        const SqlScript script =
            parseOk(QByteArrayLiteral("BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY,\n"
                                      "  NOT DEFERRABLE;\nCREATE TABLE a (id int);\nCOMMIT;\n"));
        const auto statements = script.executableStatements();
        QVERIFY(statements.ok());
        QCOMPARE(statements->size(), 2);
        const SqlStatement &set = statements->at(0);
        // READ ONLY is not kept: the history row is written in the same transaction.
        QCOMPARE(set.sql, QStringLiteral("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"));
        QVERIFY(set.setsTransaction);
        QVERIFY(!set.transactionControl);
        QCOMPARE(set.line, 1);
        QCOMPARE(statements->at(1).sql, QStringLiteral("CREATE TABLE a (id int)"));

        const auto modes = [](const char *sql) {
            const SqlScript s = parseOk(QByteArray(sql));
            return s.statements().at(0).setsTransaction;
        };
        QVERIFY(modes("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"));
        QVERIFY(modes("SET LOCAL transaction_isolation = 'serializable'"));
        QVERIFY(modes("SET transaction_read_only = on"));
        QVERIFY(!modes("SET search_path = app, public"));
        QVERIFY(!modes("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE"));
        const SqlScript readOnly =
            parseOk(QByteArrayLiteral("START TRANSACTION READ ONLY;\nSELECT 1;\nCOMMIT;\n"));
        QCOMPARE(readOnly.statements().at(0).transactionModes, QString());
        QCOMPARE(readOnly.executableStatements()->size(), 1);
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
