// Loading and validating paritydeck.yaml. Every problem is reported as
// "FILE:LINE:COLUMN: message" (1-based) with what was expected and, for unknown keys,
// a "did you mean" suggestion. Nothing here throws: yaml-cpp exceptions are caught and
// turned into ErrorCode::Config errors.
#pragma once

#include "common/result.h"
#include "workspace/workspace.h"

namespace pd {

struct ConfigError
{
    QString file;   // the path as the caller gave it (plus "/paritydeck.yaml" for a folder)
    int line = 0;   // 1-based; 0 when the problem is the file as a whole
    int column = 0; // 1-based
    QString message;

    QString toString() const; // "file:line:col: message" (or "file: message")
    // The same as an ErrorCode::Config error whose kind and args keep file, line and
    // column apart (common/errormessage.h); its message is toString().
    Error toError() const;
};

class WorkspaceLoader final
{
public:
    static constexpr const char *FileName = "paritydeck.yaml";

    // `path` is the file itself or a folder holding paritydeck.yaml.
    static Result<Workspace> load(const QString &path, ConfigError *detail = nullptr);
    // Parses YAML text as if it were read from `fileName` (used by tests and fuzzers).
    static Result<Workspace> parse(const QByteArray &text, const QString &fileName,
                                   ConfigError *detail = nullptr);
    // Walks up from `startDir` (empty: the current directory) to the first folder holding
    // paritydeck.yaml and returns that file's absolute path.
    static Result<QString> discover(const QString &startDir);
};

} // namespace pd
