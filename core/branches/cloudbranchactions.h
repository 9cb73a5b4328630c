// What `paritydeck branch …` and the panel's branch switcher share for an environment whose
// branches live at a vendor (branches.cloud): reading the vendor CLI's `secret_env` values
// from resolved secrets, and create / reset / delete with the sentence that says what
// happened. Each caller writes its own audit entry from the outcome.
//
// Blocking (runs the vendor CLI): call from worker threads.
#pragma once

#include "branches/cloudbranches.h"
#include "common/result.h"
#include "secrets/secretvalue.h"
#include "workspace/workspace.h"

#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace pd {

// The `secret_env` references of `environment`, in the order cloudSecretEnvironment()
// expects their resolved values (empty when it has no branches.cloud).
QList<SecretRef> cloudSecretReferences(const EnvironmentConfig &environment);

// The variables for the vendor commands' environment, from `resolved` (one result per
// cloudSecretReferences() entry). A secret that could not be read is an error naming
// the environment and the variable.
Result<QMap<QString, QString>> cloudSecretEnvironment(const EnvironmentConfig &environment,
                                                      const QList<Result<SecretValue>> &resolved);

enum class CloudBranchAction { Create, Reset, Delete };

struct CloudBranchActionOutcome
{
    QString target;         // the branch acted on (reset/delete: as resolved, else as given)
    bool attempted = false; // the vendor was asked to change something (false: name unknown)
    qint64 elapsedMs = -1;
    std::optional<Error> error;
    QString sentence; // "created cloud branch x from main in 1.2 s", when it worked
    QString auditDetail;
};

// Create `name` (from `parent`, the configured parent branch when empty), or reset / delete
// the branch `name` means (a cloud branch or the one made for that git branch).
CloudBranchActionOutcome runCloudBranchAction(const CloudBranches &cloud, CloudBranchAction action,
                                              const QString &name, const QString &parent = {});

} // namespace pd
