#include "branches/cloudbranchactions.h"

namespace pd {
namespace {

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 1);
}

} // namespace

QList<SecretRef> cloudSecretReferences(const EnvironmentConfig &environment)
{
    if (!environment.branches.cloud)
        return {};
    return environment.branches.cloud->secretEnvironment.values(); // key order
}

Result<QMap<QString, QString>> cloudSecretEnvironment(const EnvironmentConfig &environment,
                                                      const QList<Result<SecretValue>> &resolved)
{
    QMap<QString, QString> values;
    if (!environment.branches.cloud)
        return values;
    const QMap<QString, SecretRef> &refs = environment.branches.cloud->secretEnvironment;
    if (resolved.size() != refs.size())
        return Error(ErrorCode::Runtime, ErrorKind::SecretEnvCountMismatch,
                     {ErrorArg::text(QStringLiteral("environment"), environment.name),
                      ErrorArg::number(QStringLiteral("expected"), refs.size()),
                      ErrorArg::number(QStringLiteral("got"), resolved.size())});
    qsizetype i = 0;
    for (auto it = refs.cbegin(); it != refs.cend(); ++it, ++i) {
        const Result<SecretValue> &value = resolved.at(i);
        if (!value)
            return Error(value.error().code,
                         QStringLiteral("%1: cannot read branches.cloud.secret_env.%2: %3")
                             .arg(environment.name, it.key(), value.error().message));
        values.insert(it.key(), value->revealString()); // for the child environment only
    }
    return values;
}

CloudBranchActionOutcome runCloudBranchAction(const CloudBranches &cloud, CloudBranchAction action,
                                              const QString &name, const QString &parent)
{
    CloudBranchActionOutcome outcome;
    outcome.target = name;
    if (action == CloudBranchAction::Create) {
        outcome.attempted = true;
        auto created = cloud.create(name, parent);
        if (!created) {
            outcome.error = created.error();
            return outcome;
        }
        outcome.elapsedMs = created->elapsedMs;
        outcome.auditDetail = QStringLiteral("cloud branch from %1").arg(created->parent);
        outcome.sentence = QStringLiteral("created cloud branch %1 from %2 in %3 s")
                               .arg(created->name, created->parent, seconds(created->elapsedMs));
        return outcome;
    }
    auto resolved = cloud.resolveBranch(name);
    if (!resolved) {
        outcome.error = resolved.error();
        return outcome;
    }
    outcome.target = *resolved;
    outcome.attempted = true;
    if (action == CloudBranchAction::Reset) {
        auto reset = cloud.reset(*resolved);
        if (!reset) {
            outcome.error = reset.error();
            return outcome;
        }
        outcome.elapsedMs = reset->elapsedMs;
        outcome.sentence = QStringLiteral("reset cloud branch %1 from %2 in %3 s")
                               .arg(reset->name, reset->parent, seconds(reset->elapsedMs));
        return outcome;
    }
    if (auto removed = cloud.remove(*resolved); !removed) {
        outcome.error = removed.error();
        return outcome;
    }
    outcome.sentence = QStringLiteral("deleted cloud branch %1").arg(*resolved);
    return outcome;
}

} // namespace pd
