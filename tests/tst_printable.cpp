// Text from databases and users shown where a line break or control character would change
// what is read: SQL comment lines, terminal reports (core/common/printable.h), and names
// cut to PostgreSQL's 63 bytes (core/schema/identifiers.h).
#include "common/printable.h"
#include "schema/identifiers.h"
#include "schema/schemadiff.h"

#include <QTest>

using namespace pd;

class TestPrintable final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void controlCharactersAreShownEscaped_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("shown");
        QTest::newRow("plain") << QStringLiteral("orders") << QStringLiteral("orders");
        QTest::newRow("line feed") << QStringLiteral("evil\nDROP TABLE y; --")
                                   << QStringLiteral("evil\\nDROP TABLE y; --");
        QTest::newRow("carriage return")
            << QStringLiteral("a\rb\r\nc") << QStringLiteral("a\\rb\\r\\nc");
        QTest::newRow("tab and escape")
            << QStringLiteral("a\tb\x1b[31m") << QStringLiteral("a\\tb\\x1b[31m");
        QTest::newRow("DEL and C1")
            << QStringLiteral("a\x7f") + QChar(0x85) << QStringLiteral("a\\x7f\\x85");
        QTest::newRow("separators and overrides")
            << QString(QChar(0x2028)) + QChar(0x202e) + QStringLiteral("x") + QChar(0x2066)
            << QStringLiteral("\\u2028\\u202ex\\u2066");
        QTest::newRow("invisible")
            << QStringLiteral("envi") + QChar(0xfeff) + QStringLiteral("ron") + QChar(0x200b) +
                   QChar(0x2060) + QChar(0x00ad) + QStringLiteral("ments")
            << QStringLiteral("envi\\ufeffron\\u200b\\u2060\\xadments");
        QTest::newRow("joiners stay")
            << QStringLiteral("\u0645\u200c\u0634") << QStringLiteral("\u0645\u200c\u0634");
        QTest::newRow("backslash stays")
            << QStringLiteral("back\\slash") << QStringLiteral("back\\slash");
        QTest::newRow("non-ASCII stays") << QStringLiteral("été名") << QStringLiteral("été名");
        QTest::newRow("surrogate pair stays")
            << QString::fromUcs4(U"a\U0001F600b") << QString::fromUcs4(U"a\U0001F600b");
    }

    void controlCharactersAreShownEscaped()
    {
        QFETCH(QString, text);
        QFETCH(QString, shown);
        QCOMPARE(oneLine(text), shown);
        const QString once = oneLine(text);
        for (const QChar c : once)
            QVERIFY2(!isUnsafeForOneLine(c.unicode()), qPrintable(once));
    }

    // Terminal text keeps its lines and escapes everything else that would act on the
    // terminal: the CLI prints all its text output through this (cli/output.cpp).
    void terminalTextKeepsLinesAndEscapesTheRest()
    {
        QCOMPARE(terminalText(QStringLiteral("one\ntwo\n")), QStringLiteral("one\ntwo\n"));
        QCOMPARE(terminalText(QStringLiteral("a\x1b]0;t\x07\nb\r\n")),
                 QStringLiteral("a\\x1b]0;t\\x07\nb\\r\n"));
        QCOMPARE(terminalText(QString(QChar(0x202e)) + QStringLiteral("x\t")),
                 QStringLiteral("\\u202ex\\t"));
        const QString clean = QStringLiteral("report_") + QString::number(7) + QLatin1Char('\n');
        QVERIFY(terminalText(clean).isSharedWith(clean));
    }

    void cleanTextIsNotCopied()
    {
        const QString name =
            QStringLiteral("orders_") + QString::number(2026); // heap data, shareable
        QVERIFY(oneLine(name).isSharedWith(name));
    }

    void identifierPrefixCutsOnWholeCharacters()
    {
        const QString threeByte = QString(21, QChar(0x540d)); // 名: 63 bytes
        QCOMPARE(identifierPrefix(threeByte, 63), threeByte);
        QCOMPARE(identifierPrefix(threeByte, 55).toUtf8().size(), 54);
        QCOMPARE(identifierPrefix(QStringLiteral("abc"), 2), QStringLiteral("ab"));
        const QString emoji = QString::fromUcs4(U"a\U0001F600");
        QCOMPARE(identifierPrefix(emoji, 4), QStringLiteral("a")); // never half a pair
        QCOMPARE(identifierPrefix(emoji, 5), emoji);
    }

    void diffReportKeepsOneLinePerChange()
    {
        SchemaSnapshot from;
        SchemaObject table;
        table.kind = ObjectKind::Table;
        table.schema = QStringLiteral("public");
        table.name = QStringLiteral("evil\nadded table public.fake\x1b[2J");
        table.setAttribute(Attr::Comment, QStringLiteral("one\ntwo"));
        from.insert(table);
        SchemaSnapshot to = from;
        to.objects.first().setAttribute(Attr::Comment, QStringLiteral("three"));
        const QString report =
            diff(from, to).describe() + QLatin1Char('\n') + diff(from, SchemaSnapshot()).describe();
        const QStringList lines = report.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 3); // altered + its comment line, removed
        QVERIFY2(!report.contains(QChar(0x1b)), qPrintable(report));
        QVERIFY2(lines.at(0).contains(QStringLiteral("evil\\nadded table public.fake\\x1b[2J")),
                 qPrintable(report));
        QVERIFY2(lines.at(1).contains(QStringLiteral("one\\ntwo -> three")), qPrintable(report));
    }
};

QTEST_GUILESS_MAIN(TestPrintable)
#include "tst_printable.moc"
