#include "resolvedconnection.h"

#include "audit/auditlog.h"
#include "branches/branchselection.h"
#include "secrets/secretresolver.h"

#include <QThreadPool>
#include <QtConcurrent>

namespace pd {

void stampAuditEntries(const Workspace &workspace)
{
    AuditLog::setWorkspace(workspace);
    AuditLog::setDatabaseNamer([workspace](const QString &environment) {
        const Result<ConnectionParams> params = effectiveConnectionParams(workspace, environment);
        return params ? params->displayTarget() : QString();
    });
}

QThreadPool *panelWorkPool()
{
    // Enough that a hanging server (bounded by its connect timeout) does not queue the
    // next request behind it.
    static QThreadPool pool;
    static const bool configured = [] {
        pool.setObjectName(QStringLiteral("panel work"));
        pool.setMaxThreadCount(6);
        return true;
    }();
    Q_UNUSED(configured);
    return &pool;
}

ConnectionTimeouts connectionTimeoutsOf(const EnvironmentConfig &environment)
{
    return ConnectionTimeouts{environment.database.connectTimeoutSeconds,
                              environment.database.statementTimeoutSeconds};
}

Result<ConnectionParams>
environmentConnectionParams(ConnectionParams base, const EnvironmentConfig &environment,
                            const std::optional<Result<SecretValue>> &password,
                            ConnectionPurpose purpose)
{
    SecretValue value;
    if (password) {
        if (!*password)
            return Error(password->error().code,
                         environment.name +
                             QStringLiteral(": cannot read the database password: ") +
                             password->error().message);
        value = password->value();
    }
    return connectionParamsFor(std::move(base), connectionTimeoutsOf(environment), purpose, value);
}

Result<ConnectionParams> connectionParamsWith(const Workspace &workspace,
                                              const EnvironmentConfig &environment,
                                              const std::optional<Result<SecretValue>> &password,
                                              ConnectionPurpose purpose)
{
    if (environment.database.url.isEmpty())
        return Error(ErrorCode::Config, ErrorKind::NoDatabaseUrl,
                     {ErrorArg::text(QStringLiteral("environment"), environment.name),
                      ErrorArg::text(QStringLiteral("file"), workspace.filePath)});
    auto params = effectiveConnectionParams(workspace, environment.name);
    if (!params)
        return params.error();
    return environmentConnectionParams(std::move(params).value(), environment, password, purpose);
}

QFuture<QList<Result<SecretValue>>> resolveAll(SecretResolver &resolver,
                                               const QList<SecretRef> &references)
{
    if (references.isEmpty())
        return QtFuture::makeReadyFuture(QList<Result<SecretValue>>());
    QList<QFuture<Result<SecretValue>>> futures;
    futures.reserve(references.size());
    for (const SecretRef &ref : references)
        futures.append(resolver.resolve(ref));
    return QtFuture::whenAll(futures.begin(), futures.end())
        .then([references](const QList<QFuture<Result<SecretValue>>> &done) {
            QList<Result<SecretValue>> results;
            results.reserve(done.size());
            for (qsizetype i = 0; i < done.size(); ++i) {
                const QFuture<Result<SecretValue>> &f = done.at(i);
                if (f.isCanceled() || f.resultCount() == 0)
                    results.append(Error(ErrorCode::Cancelled, ErrorKind::LookupAbandoned,
                                         {ErrorArg::text(QStringLiteral("reference"),
                                                         references.at(i).toString())}));
                else
                    results.append(f.result());
            }
            return results;
        });
}

QFuture<Result<ConnectionParams>> resolveConnection(SecretResolver &resolver, QThreadPool *pool,
                                                    const Workspace &workspace,
                                                    const EnvironmentConfig &environment,
                                                    ConnectionPurpose purpose)
{
    if (!environment.database.password)
        return QtConcurrent::run(pool, [workspace, environment, purpose] {
            return connectionParamsWith(workspace, environment, std::nullopt, purpose);
        });
    return resolver.resolve(*environment.database.password)
        .then(pool, [workspace, environment, purpose](const Result<SecretValue> &password) {
            return connectionParamsWith(workspace, environment, password, purpose);
        });
}

} // namespace pd
