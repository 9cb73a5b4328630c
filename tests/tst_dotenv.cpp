#include "secrets/dotenv.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace pd;

namespace {

DotenvFile parseOk(const QByteArray &content)
{
    auto parsed = DotenvFile::parse(content, QStringLiteral("test.env"));
    if (!parsed) {
        qWarning().noquote() << parsed.error().message;
        return {};
    }
    return std::move(parsed).value();
}

} // namespace

class TestDotenv final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plainAssignmentsCommentsAndBlankLines()
    {
        const DotenvFile file = parseOk("# leading comment\n"
                                        "\n"
                                        "PLAIN=value\n"
                                        "   \t\n"
                                        "  INDENTED=yes\n"
                                        "SPACED = around equals  \n"
                                        "EMPTY=\n"
                                        "EMPTY_BLANKS=   \n"
                                        "INLINE=abc # a note\n"
                                        "HASH_IN_WORD=http://host/#frag\n"
                                        "ONLY_COMMENT= # nothing\n"
                                        "HASH_FIRST=#abc\n"
                                        "dotted.name-x=1\n"
                                        "_under=2\n"
                                        "LAST=no newline at end");
        const QMap<QString, QString> expected = {
            {QStringLiteral("PLAIN"), QStringLiteral("value")},
            {QStringLiteral("INDENTED"), QStringLiteral("yes")},
            {QStringLiteral("SPACED"), QStringLiteral("around equals")},
            {QStringLiteral("EMPTY"), QString()},
            {QStringLiteral("EMPTY_BLANKS"), QString()},
            {QStringLiteral("INLINE"), QStringLiteral("abc")},
            {QStringLiteral("HASH_IN_WORD"), QStringLiteral("http://host/#frag")},
            {QStringLiteral("ONLY_COMMENT"), QString()},
            {QStringLiteral("HASH_FIRST"), QStringLiteral("#abc")},
            {QStringLiteral("dotted.name-x"), QStringLiteral("1")},
            {QStringLiteral("_under"), QStringLiteral("2")},
            {QStringLiteral("LAST"), QStringLiteral("no newline at end")},
        };
        QCOMPARE(file.toMap(), expected);
        QCOMPARE(file.entries().size(), 12);
        QCOMPARE(file.entries().at(0).line, 3);   // PLAIN
        QCOMPARE(file.entries().at(1).line, 5);   // INDENTED
        QCOMPARE(file.entries().last().line, 15); // LAST
    }

    void exportPrefixIsAcceptedAndNotPartOfTheKey()
    {
        const DotenvFile file =
            parseOk("export A=1\nexport\tB='two'\nexport=plain key\nexporter=x\n");
        QCOMPARE(file.keys(), (QStringList{QStringLiteral("A"), QStringLiteral("B"),
                                           QStringLiteral("export"), QStringLiteral("exporter")}));
        QCOMPARE(file.value(QStringLiteral("A")), QStringLiteral("1"));
        QCOMPARE(file.value(QStringLiteral("B")), QStringLiteral("two"));
        QCOMPARE(file.value(QStringLiteral("export")), QStringLiteral("plain key"));
    }

    void singleQuotesAreLiteral()
    {
        const DotenvFile file = parseOk("S='a $HOME \\n \"dq\" # not a comment'   # comment"
                                        "\n"
                                        "EMPTY=''\n");
        QCOMPARE(file.value(QStringLiteral("S")),
                 QStringLiteral("a $HOME \\n \"dq\" # not a comment"));
        QCOMPARE(file.value(QStringLiteral("EMPTY")), QString());
    }

    void doubleQuotesProcessEscapes()
    {
        const DotenvFile file =
            parseOk("D=\"l1\\nl2\\tt \\\"q\\\" back\\\\slash \\$x \\`c\\` C:\\dir 'sq'\""
                    "\n"
                    "HASH=\"a # b\" # trailing comment"
                    "\n"
                    "EMPTY=\"\""
                    "\n");
        QCOMPARE(file.value(QStringLiteral("D")),
                 QStringLiteral("l1\nl2\tt \"q\" back\\slash $x `c` C:\\dir 'sq'"));
        QCOMPARE(file.value(QStringLiteral("HASH")), QStringLiteral("a # b"));
        QCOMPARE(file.value(QStringLiteral("EMPTY")), QString());
    }

    void quotedValuesMaySpanLines()
    {
        const DotenvFile file = parseOk("KEY=\"-----BEGIN-----\nabc\n-----END-----\"\n"
                                        "SQ='x\ny'\n"
                                        "AFTER=1\n");
        QCOMPARE(file.value(QStringLiteral("KEY")),
                 QStringLiteral("-----BEGIN-----\nabc\n-----END-----"));
        QCOMPARE(file.value(QStringLiteral("SQ")), QStringLiteral("x\ny"));
        QCOMPARE(file.entries().last().line, 6); // line numbers keep counting inside values
    }

    void crlfFileGivesSameValuesAsLf()
    {
        const QByteArray lf = "# c\nA=1\nB = spaced \nC=\"q\"\nD='s'  \nM=\"x\ny\"\n\nE=last\n";
        QByteArray crlf = lf;
        crlf.replace("\n", "\r\n");
        const DotenvFile fromLf = parseOk(lf);
        const DotenvFile fromCrlf = parseOk(crlf);
        QCOMPARE(fromCrlf.toMap(), fromLf.toMap());
        QCOMPARE(fromCrlf.value(QStringLiteral("B")), QStringLiteral("spaced"));
        QCOMPARE(fromCrlf.value(QStringLiteral("M")), QStringLiteral("x\ny"));
        QCOMPARE(fromCrlf.entries().last().line, 9);
    }

    void byteOrderMarkIsSkipped()
    {
        const DotenvFile file = parseOk("\xEF\xBB\xBFKEY=v\n");
        QCOMPARE(file.keys(), QStringList{QStringLiteral("KEY")});
    }

    void utf8ValuesAreDecoded()
    {
        const DotenvFile file = parseOk("GREETING=h\xC3\xA9llo \xE2\x82\xAC\n");
        QCOMPARE(file.value(QStringLiteral("GREETING")), QStringLiteral("héllo €"));
    }

    void lastAssignmentWins()
    {
        const DotenvFile file = parseOk("A=1\nB=2\nA=3\n");
        QCOMPARE(file.value(QStringLiteral("A")), QStringLiteral("3"));
        QCOMPARE(file.toMap().value(QStringLiteral("A")), QStringLiteral("3"));
        QCOMPARE(file.keys(), (QStringList{QStringLiteral("A"), QStringLiteral("B")}));
        QCOMPARE(file.entries().size(), 3);
        QVERIFY(file.contains(QStringLiteral("B")));
        QVERIFY(!file.contains(QStringLiteral("C")));
        QCOMPARE(file.value(QStringLiteral("C")), std::nullopt);
    }

    void emptyFileHasNoEntries()
    {
        QVERIFY(parseOk("").entries().isEmpty());
        QVERIFY(parseOk("\n\n# only comments\r\n").entries().isEmpty());
    }

    void malformedLineReportsFileLineColumn_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");

        QTest::newRow("missing name") << QByteArray("=value\n")
                                      << QStringLiteral("test.env:1:1: expected a variable name "
                                                        "(a letter or '_' followed by letters, "
                                                        "digits, '_', '.' or '-')");
        QTest::newRow("name starts with digit")
            << QByteArray("OK=1\n1KEY=x\n")
            << QStringLiteral("test.env:2:1: expected a variable name (a letter or '_' followed "
                              "by letters, digits, '_', '.' or '-')");
        QTest::newRow("space instead of equals")
            << QByteArray("OK=1\n\nKEY value\n")
            << QStringLiteral("test.env:3:5: expected '=' after the variable name");
        QTest::newRow("bare name")
            << QByteArray("  KEY\n")
            << QStringLiteral("test.env:1:6: expected '=' after the variable name");
        QTest::newRow("bare name at end of file")
            << QByteArray("KEY")
            << QStringLiteral("test.env:1:4: expected '=' after the variable name");
        QTest::newRow("invalid name character")
            << QByteArray("KE$Y=1\n")
            << QStringLiteral("test.env:1:3: expected '=' after the variable name");
        QTest::newRow("export without name")
            << QByteArray("export \n")
            << QStringLiteral("test.env:1:8: expected a variable name after 'export'");
        QTest::newRow("unterminated single quote")
            << QByteArray("A='secret-value-1\n")
            << QStringLiteral("test.env:1:3: unterminated single-quoted value of A");
        QTest::newRow("unterminated double quote spanning lines")
            << QByteArray("A=1\nB=  \"secret-value-1\nmore\n")
            << QStringLiteral("test.env:2:5: unterminated double-quoted value of B");
        QTest::newRow("escaped closing quote") << QByteArray("C=\"secret-value-1\\\"\n")
                                               << QStringLiteral("test.env:1:3: unterminated "
                                                                 "double-quoted value of C");
        QTest::newRow("text after closing quote")
            << QByteArray("A=\"secret-value-1\" secret-value-2\n")
            << QStringLiteral("test.env:1:20: unexpected text after the closing quote of A "
                              "(quote the whole value or start a comment with ' #')");
        QTest::newRow("glued text after closing quote")
            << QByteArray("A='ok'secret-value-1\n")
            << QStringLiteral("test.env:1:7: unexpected text after the closing quote of A "
                              "(quote the whole value or start a comment with ' #')");
        QTest::newRow("crlf does not shift columns")
            << QByteArray("A=1\r\nB C=2\r\n")
            << QStringLiteral("test.env:2:3: expected '=' after the variable name");
    }

    void malformedLineReportsFileLineColumn()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        auto parsed = DotenvFile::parse(content, QStringLiteral("test.env"));
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, ErrorCode::Config);
        QCOMPARE(parsed.error().message, expected);
        // The value may be a secret: messages describe where, never what.
        QVERIFY(!parsed.error().message.contains(QStringLiteral("secret-value")));
    }

    void fileNameIsQuotedVerbatim()
    {
        auto parsed = DotenvFile::parse("BAD LINE\n", QStringLiteral("dir%1/odd%2.env"));
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().message,
                 QStringLiteral("dir%1/odd%2.env:1:5: expected '=' after the variable name"));
    }

    void readReportsMissingFileAsNotFound()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("absent.env"));
        auto read = DotenvFile::read(path);
        QVERIFY(!read.ok());
        QCOMPARE(read.error().code, ErrorCode::NotFound);
        QCOMPARE(read.error().message, path + QStringLiteral(" does not exist"));

        auto directory = DotenvFile::read(dir.path());
        QVERIFY(!directory.ok());
        QCOMPARE(directory.error().code, ErrorCode::Runtime);
    }

    // A FIFO would block the read for ever and /dev/zero would fill memory: only regular
    // files are read, and at most 4 MiB of them, like the workspace file.
    void readRefusesWhatIsNotASmallRegularFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString fifo = dir.filePath(QStringLiteral(".env.fifo"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const QString zero = dir.filePath(QStringLiteral(".env.zero"));
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), zero));
        for (const QString &path : {fifo, zero}) {
            const auto read = DotenvFile::read(path);
            QVERIFY(!read.ok());
            QCOMPARE(read.error().code, ErrorCode::Runtime);
            QCOMPARE(read.error().kind, ErrorKind::DotenvNotRegularFile);
            QCOMPARE(read.error().message,
                     path + QStringLiteral(" is not a regular file; a dotenv file must be one"));
        }

        const QString large = dir.filePath(QStringLiteral(".env.large"));
        {
            QFile file(large);
            QVERIFY(file.open(QIODevice::WriteOnly));
            QVERIFY(file.resize(4 * 1024 * 1024 + 1)); // sparse: no disk used
        }
        const auto tooLarge = DotenvFile::read(large);
        QVERIFY(!tooLarge.ok());
        QCOMPARE(tooLarge.error().kind, ErrorKind::DotenvTooLarge);
        QVERIFY2(
            tooLarge.error().message.startsWith(large + QStringLiteral(" is larger than 4 MiB")),
            qPrintable(tooLarge.error().message));

        // Exactly at the limit is still read (and parsed: comment lines).
        const QString limit = dir.filePath(QStringLiteral(".env.limit"));
        {
            QFile file(limit);
            QVERIFY(file.open(QIODevice::WriteOnly));
            QByteArray line(1023, '#');
            line.append('\n');
            for (int i = 0; i < 4 * 1024; ++i)
                QCOMPARE(file.write(line), qint64(line.size()));
        }
        const auto atLimit = DotenvFile::read(limit);
        QVERIFY2(atLimit.ok(), qPrintable(atLimit.ok() ? QString() : atLimit.error().message));
    }

    void readParsesFixtureAndNamesItInErrors()
    {
        const QString dataDir = QStringLiteral(PD_TEST_DATA_DIR "/secrets");
        auto good = DotenvFile::read(dataDir + QStringLiteral("/app.env"));
        QVERIFY2(good.ok(), qPrintable(good.ok() ? QString() : good.error().message));
        QCOMPARE(good->value(QStringLiteral("DB_PASSWORD")), QStringLiteral("dotenv-secret-1"));
        QCOMPARE(good->value(QStringLiteral("API_TOKEN")), QStringLiteral("tok$literal \\n"));
        QCOMPARE(good->value(QStringLiteral("DUPLICATE")), QStringLiteral("second"));

        const QString brokenPath = dataDir + QStringLiteral("/broken.env");
        auto broken = DotenvFile::read(brokenPath);
        QVERIFY(!broken.ok());
        QCOMPARE(broken.error().code, ErrorCode::Config);
        QCOMPARE(broken.error().message,
                 brokenPath + QStringLiteral(":2:8: unterminated double-quoted value of BROKEN"));
    }
};

QTEST_GUILESS_MAIN(TestDotenv)
#include "tst_dotenv.moc"
