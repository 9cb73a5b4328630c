// What the shared history (history: database, audit/sharedhistory.h) is told about the
// changes the panel and the CLI make: one entry per migration applied (or one for a run
// that failed or was cancelled), and drift when a check finds it or finds it gone. Each
// returns a warning sentence when the entry could not be written — the change itself is
// never undone or failed for it — and an empty string otherwise (also when the
// environment keeps no shared history). Blocking: worker threads only.
#pragma once

#include "common/result.h"
#include "db/connectionparams.h"
#include "environment/driftcheck.h"
#include "migrations/migrationrunner.h"
#include "workspace/workspace.h"

namespace pd {

QString recordMigrationHistory(const EnvironmentConfig &env, const ConnectionParams &params,
                               const Result<ApplyReport> &report, bool baseline,
                               const QString &targetVersion = {});

// A finding is written when it differs from the newest drift entry in the table — by
// whoever wrote it — so a team of panels checking the same database writes it once; "back
// in line" only after a finding.
QString recordDriftHistory(const EnvironmentConfig &env, const ConnectionParams &params,
                           const Result<DriftReport> &report);

} // namespace pd
