// The last drift check of each environment, kept per user and per workspace in
// $XDG_STATE_HOME/paritydeck/drift/<hash of the workspace file>.json so that the panel shows
// what it knew at once after a restart and `paritydeck status` can use a fresh check
// instead of repeating it. Each record names what it was measured against — the live
// database (target), its catalog digest and its migration head — so a reader can tell
// whether it still describes the database. Written with QSaveFile (atomic rename); two
// writers at the same moment may lose one record, which only costs a re-check.
// Blocking file access: worker threads (or the CLI) only.
#pragma once

#include "environment/driftcheck.h"
#include "environment/environmentstatus.h"
#include "workspace/workspace.h"

#include <QHash>

namespace pd {

struct DriftRecord
{
    DriftStatus drift; // state, objects, summary, reason, checkedAt
    QString target;    // the database checked (displayTarget())
    QString head;      // its applied migration head at the time
    QByteArray digest; // its catalog digest at the time (empty after an error)
};

class DriftRecords final
{
public:
    // `dir` empty: $XDG_STATE_HOME/paritydeck/drift.
    explicit DriftRecords(const Workspace &workspace, QString dir = {});

    QString filePath() const { return m_file; }
    QHash<QString, DriftRecord> load() const; // missing or unreadable file: empty
    void store(const QString &environment, const DriftRecord &record) const;

    static DriftRecord recordOf(const Result<DriftReport> &report);

private:
    QString m_file;
};

} // namespace pd
