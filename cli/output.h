// Small helpers for CLI output: UTF-8 to stdout/stderr, JSON documents, aligned tables.
//
// Text output goes to a terminal, and much of it comes from outside: object and database
// names, file names, server messages. out()/err() and their *Line forms are the one place it
// passes, and they show every control character but the line feed escaped ("\x1b",
// "\u202e", "\r": core/common/printable.h), so no name can recolour the terminal, set its
// title, clear it or overwrite a line. A name that must stay on its line (a table cell, a
// warning) also goes through oneLine(). Only output meant for a program keeps its exact
// bytes: outExact() (`--format sql`, a revealed secret) and outJson() (JSON escapes itself).
#pragma once

#include <QJsonDocument>
#include <QString>
#include <QStringList>

namespace pd::cli {

void out(const QString &text); // stdout, no newline added
void err(const QString &text); // stderr, no newline added
void outLine(const QString &text = {});
void errLine(const QString &text);
void outExact(const QString &text); // stdout as is: for programs, not for reading
void outJson(const QJsonDocument &document);

// Left-aligned columns separated by two spaces; the last column is not padded. Each cell is
// shown on one line (oneLine()), so a name cannot add a row or shift the columns.
QString formatTable(const QStringList &header, const QList<QStringList> &rows);
QString formatBytes(qint64 bytes); // "7.9 MB"

} // namespace pd::cli
