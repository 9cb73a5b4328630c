// Small helpers for CLI output: UTF-8 to stdout/stderr, JSON documents, aligned tables.
#pragma once

#include <QJsonDocument>
#include <QString>
#include <QStringList>

namespace pd::cli {

void out(const QString &text); // stdout, no newline added
void err(const QString &text); // stderr, no newline added
void outLine(const QString &text = {});
void errLine(const QString &text);
void outJson(const QJsonDocument &document);

// Left-aligned columns separated by two spaces; the last column is not padded.
QString formatTable(const QStringList &header, const QList<QStringList> &rows);
QString formatBytes(qint64 bytes); // "7.9 MB"

} // namespace pd::cli
