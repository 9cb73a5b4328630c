#include "gitrepo.h"

#include <QFile>
#include <QProcess>
#include <QTest>

namespace pd::test {

QString git(const QString &dir, const QStringList &arguments)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(QStringLiteral("git"),
            QStringList{QStringLiteral("-c"), QStringLiteral("user.name=ParityDeck Test"),
                        QStringLiteral("-c"), QStringLiteral("user.email=test@example.invalid"),
                        QStringLiteral("-c"), QStringLiteral("commit.gpgsign=false")} +
                arguments);
    p.waitForFinished(30000);
    if (p.exitCode() != 0)
        qWarning("git %s failed: %s", qPrintable(arguments.join(u' ')),
                 p.readAllStandardError().constData());
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    QCOMPARE(f.write(content), content.size());
}

} // namespace pd::test
