// Reads dotenv files (`.env`, `.env.local`, …): the format docker compose, python-dotenv
// and most frameworks share, so ParityDeck reads the same values the application does.
//
//   # comment                   KEY=value              export KEY=value
//   KEY = value # inline note   KEY='literal $x \n'    KEY="line\nbreak \"q\""
//
// Values are taken literally: no ${VAR} interpolation, because the application's own
// loader may or may not interpolate and guessing wrong would report false parity
// differences. Quoted values may span lines. A malformed line is an error
// "FILE:LINE:COL: …" whose message never quotes the value (it may be a secret).
#pragma once

#include "common/result.h"

#include <QByteArrayView>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace pd {

struct DotenvEntry
{
    QString key;
    QString value;
    int line = 0; // 1-based line of the key, for messages about this entry

    bool operator==(const DotenvEntry &) const = default;
};

class DotenvFile final
{
public:
    // `fileName` only labels error messages. Content is UTF-8; a byte order mark is skipped.
    static Result<DotenvFile> parse(QByteArrayView content, const QString &fileName);
    // NotFound when the file does not exist, Runtime when it cannot be read, Config when
    // it does not parse.
    static Result<DotenvFile> read(const QString &path);

    // Every assignment in file order, duplicates included.
    const QList<DotenvEntry> &entries() const noexcept { return m_entries; }
    // Keys in order of first appearance, each once.
    QStringList keys() const;
    bool contains(const QString &key) const;
    // The last assignment wins, as when a shell sources the file.
    std::optional<QString> value(const QString &key) const;
    QMap<QString, QString> toMap() const;

private:
    QList<DotenvEntry> m_entries;
};

} // namespace pd
