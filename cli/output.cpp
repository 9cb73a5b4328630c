#include "output.h"

#include "common/printable.h"
#include "secrets/secretmask.h"

#include <QList>

#include <cstdio>

namespace pd::cli {

static void write(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

void out(const QString &text)
{
    write(stdout, terminalText(text));
}

// Errors may echo what was typed, such as a connection string with its password given where
// an environment name was expected: every password parameter is masked on the way out.
void err(const QString &text)
{
    write(stderr, terminalText(maskPasswordParameters(text)));
}

void outLine(const QString &text)
{
    write(stdout, terminalText(text) + QLatin1Char('\n'));
}

void errLine(const QString &text)
{
    write(stderr, terminalText(maskPasswordParameters(text)) + QLatin1Char('\n'));
}

void outExact(const QString &text)
{
    write(stdout, text);
}

void outJson(const QJsonDocument &document)
{
    write(stdout, QString::fromUtf8(document.toJson(QJsonDocument::Indented)));
}

QString formatTable(const QStringList &header, const QList<QStringList> &rawRows)
{
    QList<QStringList> rows;
    rows.reserve(rawRows.size());
    for (const QStringList &raw : rawRows) {
        QStringList row;
        row.reserve(raw.size());
        for (const QString &cell : raw)
            row.append(oneLine(cell));
        rows.append(row);
    }
    QList<qsizetype> widths(header.size(), 0);
    auto measure = [&widths](const QStringList &row) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row.at(i).size());
    };
    measure(header);
    for (const QStringList &row : rows)
        measure(row);

    QString text;
    auto append = [&](const QStringList &row) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i) {
            const bool last = i == row.size() - 1;
            line += last ? row.at(i) : row.at(i).leftJustified(widths.at(i)) + QStringLiteral("  ");
        }
        while (line.endsWith(QLatin1Char(' ')))
            line.chop(1);
        text += line + QLatin1Char('\n');
    };
    append(header);
    for (const QStringList &row : rows)
        append(row);
    return text;
}

QString formatBytes(qint64 bytes)
{
    if (bytes < 0)
        return QStringLiteral("-");
    static const char *units[] = {"B", "kB", "MB", "GB", "TB"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1000.0 && unit < 4) {
        value /= 1000.0;
        ++unit;
    }
    const int decimals = (unit == 0 || value >= 100.0) ? 0 : 1;
    return QString::number(value, 'f', decimals) + QLatin1Char(' ') + QLatin1String(units[unit]);
}

} // namespace pd::cli
