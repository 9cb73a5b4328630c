#include "migrations/migrationplan.h"

#include <QDir>
#include <QHash>
#include <QJsonArray>
#include <QSet>

#include <algorithm>

namespace pd {

namespace {

std::optional<HistoryKind> historyKindOfFormat(MigrationFormat format)
{
    switch (format) {
    case MigrationFormat::Flyway:
        return HistoryKind::Flyway;
    case MigrationFormat::GolangMigrate:
        return HistoryKind::GolangMigrate;
    case MigrationFormat::Dbmate:
        return HistoryKind::Dbmate;
    case MigrationFormat::Sqitch:
        return HistoryKind::Sqitch;
    case MigrationFormat::Alembic:
        return HistoryKind::Alembic;
    case MigrationFormat::Prisma:
        return HistoryKind::Prisma;
    default:
        return std::nullopt;
    }
}

// The checksum of `m` in the form `kind` stores, empty when that tool keeps none we can
// reproduce (then a changed file cannot be detected from that history).
QString comparableChecksum(const Migration &m, HistoryKind kind)
{
    switch (kind) {
    case HistoryKind::ParityDeck:
    case HistoryKind::Prisma:
        return m.checksum;
    case HistoryKind::Flyway:
    case HistoryKind::Sqitch:
        return m.toolChecksum;
    default:
        return {};
    }
}

QString shortHash(const QString &hash)
{
    return hash.size() > 12 ? hash.left(12) + QChar(0x2026) : hash;
}

// Versions applied according to a history that keeps only the current position.
QSet<QString> appliedFromCurrent(const MigrationSet &set, const MigrationHistory &h)
{
    QSet<QString> applied;
    if (h.kind == HistoryKind::GolangMigrate) {
        if (h.currentVersions.isEmpty())
            return applied;
        const QString current = h.currentVersions.first();
        for (const Migration &m : set.migrations) {
            if (MigrationSource::compareVersions(MigrationFormat::GolangMigrate, m.version,
                                                 current) <= 0)
                applied.insert(m.version);
        }
        return applied;
    }
    // Alembic: the heads and everything they descend from.
    QHash<QString, QStringList> parents;
    for (const Migration &m : set.migrations)
        parents.insert(m.version, m.parents);
    QStringList stack = h.currentVersions;
    while (!stack.isEmpty()) {
        const QString v = stack.takeLast();
        if (applied.contains(v) || !parents.contains(v))
            continue;
        applied.insert(v);
        stack << parents.value(v);
    }
    return applied;
}

// What to do about a migration recorded as failed, in the words of the tool that keeps
// the history.
QString failedRemedy(const MigrationHistory &h, const QString &version)
{
    switch (h.kind) {
    case HistoryKind::ParityDeck:
        return QStringLiteral("repair the database by hand, then delete its row (DELETE FROM "
                              "%1 WHERE version = '%2') to run it again")
            .arg(h.table, version);
    case HistoryKind::Flyway:
        return QStringLiteral("repair the database by hand, then run `flyway repair`");
    case HistoryKind::Prisma:
        return QStringLiteral("repair the database by hand, then run `prisma migrate resolve "
                              "--applied %1` (or --rolled-back %1)")
            .arg(version);
    default:
        return QStringLiteral("repair it with %1").arg(historyKindLabel(h.kind));
    }
}

// Formats whose versions sort the way they were written (numbers, timestamps), so that
// "newer than every file" means something; sqitch and Alembic names do not.
bool versionsAreOrdered(MigrationFormat format)
{
    switch (format) {
    case MigrationFormat::ParityDeck:
    case MigrationFormat::Flyway:
    case MigrationFormat::GolangMigrate:
    case MigrationFormat::Dbmate:
    case MigrationFormat::Prisma:
        return true;
    default:
        return false;
    }
}

} // namespace

QString migrationStateName(MigrationState state)
{
    switch (state) {
    case MigrationState::Applied:
        return QStringLiteral("applied");
    case MigrationState::Pending:
        return QStringLiteral("pending");
    case MigrationState::ChecksumChanged:
        return QStringLiteral("checksum-changed");
    case MigrationState::Failed:
        return QStringLiteral("failed");
    case MigrationState::Missing:
        return QStringLiteral("missing");
    }
    return {};
}

QString migrationProblemKindName(MigrationProblem::Kind kind)
{
    switch (kind) {
    case MigrationProblem::Kind::ChecksumChanged:
        return QStringLiteral("checksum-changed");
    case MigrationProblem::Kind::Failed:
        return QStringLiteral("failed");
    case MigrationProblem::Kind::Dirty:
        return QStringLiteral("dirty");
    case MigrationProblem::Kind::OutOfOrder:
        return QStringLiteral("out-of-order");
    case MigrationProblem::Kind::Missing:
        return QStringLiteral("missing");
    case MigrationProblem::Kind::Warning:
        return QStringLiteral("warning");
    }
    return {};
}

QJsonObject migrationPlanToJson(const MigrationPlan &plan)
{
    QJsonArray migrations;
    for (const PlannedMigration &p : plan.migrations) {
        QJsonObject m{{QStringLiteral("version"), p.version},
                      {QStringLiteral("name"), p.name},
                      {QStringLiteral("state"), migrationStateName(p.state)},
                      {QStringLiteral("outOfOrder"), p.outOfOrder}};
        if (p.migration)
            m.insert(QStringLiteral("file"), p.migration->relativePath);
        if (p.applied) {
            if (p.applied->appliedAt.isValid())
                m.insert(QStringLiteral("appliedAt"),
                         p.applied->appliedAt.toUTC().toString(Qt::ISODateWithMs));
            if (!p.applied->appliedBy.isEmpty())
                m.insert(QStringLiteral("appliedBy"), p.applied->appliedBy);
            if (p.applied->durationMs >= 0)
                m.insert(QStringLiteral("durationMs"), p.applied->durationMs);
        }
        if (!p.detail.isEmpty())
            m.insert(QStringLiteral("detail"), p.detail);
        migrations.append(m);
    }
    QJsonArray problems;
    for (const MigrationProblem &p : plan.problems) {
        QJsonObject o{{QStringLiteral("kind"), migrationProblemKindName(p.kind)},
                      {QStringLiteral("message"), p.message},
                      {QStringLiteral("blocking"), p.blocking()}};
        if (!p.version.isEmpty())
            o.insert(QStringLiteral("version"), p.version);
        problems.append(o);
    }
    return QJsonObject{
        {QStringLiteral("format"), migrationFormatName(plan.format)},
        {QStringLiteral("history"),
         QJsonObject{{QStringLiteral("kind"), historyKindName(plan.historyKind)},
                     {QStringLiteral("table"), plan.historyTable},
                     {QStringLiteral("exists"), plan.historyExists},
                     {QStringLiteral("writable"), plan.writable()},
                     {QStringLiteral("dirty"), plan.dirty}}},
        {QStringLiteral("head"),
         plan.headVersion.isEmpty() ? QJsonValue() : QJsonValue(plan.headVersion)},
        {QStringLiteral("headInCheckout"), plan.headInCheckout},
        {QStringLiteral("pending"), plan.pendingCount()},
        {QStringLiteral("upToDate"), plan.isUpToDate()},
        {QStringLiteral("migrations"), migrations},
        {QStringLiteral("problems"), problems},
    };
}

QString MigrationPlan::headLabel() const
{
    if (headVersion.isEmpty())
        return QStringLiteral("none");
    return headInCheckout ? headVersion : headVersion + QStringLiteral(", not in this checkout");
}

int MigrationPlan::count(MigrationState state) const
{
    return int(std::count_if(migrations.begin(), migrations.end(),
                             [state](const PlannedMigration &m) { return m.state == state; }));
}

QList<PlannedMigration> MigrationPlan::pending() const
{
    QList<PlannedMigration> list;
    for (const PlannedMigration &m : migrations) {
        if (m.state == MigrationState::Pending)
            list << m;
    }
    return list;
}

bool MigrationPlan::isUpToDate() const
{
    return pendingCount() == 0 &&
           std::all_of(problems.begin(), problems.end(), [](const MigrationProblem &p) {
               return p.kind == MigrationProblem::Kind::Warning;
           });
}

bool MigrationPlan::hasBlockingProblems() const
{
    return std::any_of(problems.begin(), problems.end(),
                       [](const MigrationProblem &p) { return p.blocking(); });
}

MigrationPlan MigrationPlanner::plan(const MigrationSet &set,
                                     const QList<MigrationHistory> &histories)
{
    MigrationPlan plan;
    plan.format = set.format;
    plan.migrationsDir = set.dir;
    for (const QString &w : set.warnings)
        plan.problems << MigrationProblem{MigrationProblem::Kind::Warning, {}, w};

    // ParityDeck's own history wins; else the history of the tool whose files these are.
    const MigrationHistory *history = nullptr;
    for (const MigrationHistory &h : histories) {
        if (h.kind == HistoryKind::ParityDeck)
            history = &h;
    }
    if (!history) {
        const auto toolKind = historyKindOfFormat(set.format);
        for (const MigrationHistory &h : histories) {
            if (toolKind && h.kind == *toolKind)
                history = &h;
        }
    }
    if (history) {
        plan.historyKind = history->kind;
        plan.historyTable = history->table;
        plan.historyExists = true;
        plan.dirty = history->dirty;
    }
    const MigrationHistory empty;
    const MigrationHistory &h = history ? *history : empty;

    QSet<QString> appliedVersions;
    if (h.currentVersionOnly)
        appliedVersions = appliedFromCurrent(set, h);
    if (!h.baselineVersion.isEmpty()) {
        for (const Migration &m : set.migrations) {
            if (!m.repeatable &&
                MigrationSource::compareVersions(set.format, m.version, h.baselineVersion) <= 0)
                appliedVersions.insert(m.version);
        }
    }

    int lastApplied = -1;   // applied or attempted: what pending ones are out of order against
    int lastSucceeded = -1; // applied and not failed: the head
    for (int i = 0; i < set.migrations.size(); ++i) {
        const Migration &m = set.migrations.at(i);
        PlannedMigration p;
        p.version = m.version;
        p.name = m.name;
        p.migration = m;
        const AppliedMigration *row = h.find(m.version);
        if (row)
            p.applied = *row;
        const bool isApplied = row != nullptr || appliedVersions.contains(m.version);
        if (!isApplied) {
            p.state = MigrationState::Pending;
        } else if (!row && !h.baselineVersion.isEmpty() && !h.currentVersionOnly) {
            p.state = MigrationState::Applied;
            p.detail = QStringLiteral("at or below the baseline %1").arg(h.baselineVersion);
        } else if ((row && !row->success) || (h.dirty && h.currentVersions.value(0) == m.version)) {
            p.state = MigrationState::Failed;
            if (h.kind == HistoryKind::GolangMigrate) {
                const QString previous =
                    i > 0 ? set.migrations.at(i - 1).version : QStringLiteral("-1");
                p.detail = QStringLiteral("golang-migrate marked it dirty: it failed part-way");
                plan.problems << MigrationProblem{
                    MigrationProblem::Kind::Dirty, m.version,
                    QStringLiteral("%1 is dirty at version %2 (%3): that migration failed "
                                   "part-way, and nothing more may run until it is resolved. "
                                   "Repair the database by hand, then run `migrate -path %4 "
                                   "-database URL force %2` if %3 is now fully applied, or "
                                   "`force %5` to run it again")
                        .arg(h.table, m.version, m.relativePath, QDir::toNativeSeparators(set.dir),
                             previous)};
            } else {
                p.detail = QStringLiteral("recorded as failed");
                plan.problems << MigrationProblem{
                    MigrationProblem::Kind::Failed, m.version,
                    QStringLiteral("%1 (%2) failed part-way according to %3; %4")
                        .arg(m.version, m.relativePath, h.table, failedRemedy(h, m.version))};
            }
        } else {
            const QString expected = comparableChecksum(m, h.kind);
            const bool matches =
                row && (row->checksum == expected ||
                        (h.kind == HistoryKind::Prisma && row->checksum == m.toolChecksum));
            if (row && !row->checksum.isEmpty() && !expected.isEmpty() && !matches) {
                if (m.repeatable) {
                    p.state = MigrationState::Pending; // Flyway re-applies changed repeatables
                    p.detail = QStringLiteral("changed since it was last applied");
                } else {
                    p.state = MigrationState::ChecksumChanged;
                    p.detail = QStringLiteral("checksum %1 in %2, %3 on disk")
                                   .arg(shortHash(row->checksum), h.table, shortHash(expected));
                    plan.problems << MigrationProblem{
                        MigrationProblem::Kind::ChecksumChanged, m.version,
                        QStringLiteral("%1 was changed after it was applied (%2); put the "
                                       "original back and write a new migration for the "
                                       "change, or apply with --allow-changed if the edit "
                                       "only touched comments or formatting")
                            .arg(m.relativePath, p.detail)};
                }
            } else {
                p.state = MigrationState::Applied;
            }
        }
        if (p.state != MigrationState::Pending && !m.repeatable)
            lastApplied = i;
        if (p.state != MigrationState::Pending && p.state != MigrationState::Failed &&
            !m.repeatable)
            lastSucceeded = i;
        plan.migrations << p;
    }

    // Dirty at a version no file has: still dirty, and still nothing may run.
    const bool dirtyReported =
        std::any_of(plan.problems.begin(), plan.problems.end(), [](const MigrationProblem &p) {
            return p.kind == MigrationProblem::Kind::Dirty;
        });
    if (h.dirty && !dirtyReported) {
        const QString version = h.currentVersions.value(0);
        plan.problems << MigrationProblem{
            MigrationProblem::Kind::Dirty, version,
            QStringLiteral("%1 is dirty at version %2, which no migration file has: that "
                           "migration failed part-way. Repair the database by hand, then run "
                           "`migrate -path %3 -database URL force VERSION` with the version "
                           "the database really is at")
                .arg(h.table, version, QDir::toNativeSeparators(set.dir))};
    }

    // Pending migrations that sort before the newest applied one.
    for (int i = 0; i < lastApplied; ++i) {
        PlannedMigration &p = plan.migrations[i];
        if (p.state != MigrationState::Pending || p.migration->repeatable)
            continue;
        p.outOfOrder = true;
        p.detail = QStringLiteral("older than %1, which is already applied")
                       .arg(plan.migrations.at(lastApplied).version);
        plan.problems << MigrationProblem{
            MigrationProblem::Kind::OutOfOrder, p.version,
            QStringLiteral("%1 is pending but the later %2 is already applied (merged from "
                           "another branch?); apply with --allow-out-of-order if it does not "
                           "depend on order, or renumber it after %2")
                .arg(p.migration->relativePath, plan.migrations.at(lastApplied).version)};
    }

    // History entries without a file.
    QStringList missing;
    for (const AppliedMigration &a : h.applied) {
        if (!set.find(a.version))
            missing << a.version;
    }
    for (const QString &v : h.currentVersions) {
        if (!set.find(v) && !missing.contains(v))
            missing << v;
    }
    for (const QString &v : std::as_const(missing)) {
        PlannedMigration p;
        p.version = v;
        p.state = MigrationState::Missing;
        const AppliedMigration *row = h.find(v);
        if (row) {
            p.applied = *row;
            p.name = row->name;
        }
        // A failed run is a failed run whether or not its file is here: the database may
        // be half-changed, and nothing should run on top of it until it is repaired.
        if (row && !row->success) {
            p.state = MigrationState::Failed;
            p.detail = QStringLiteral("recorded as failed; its file is not in %1")
                           .arg(QDir::toNativeSeparators(set.dir));
            plan.migrations << p;
            plan.problems << MigrationProblem{
                MigrationProblem::Kind::Failed, v,
                QStringLiteral("%1 failed part-way according to %2, and no migration file in "
                               "this checkout has it (written on another branch, or "
                               "deleted?); %3")
                    .arg(v, h.table, failedRemedy(h, v))};
            continue;
        }
        p.detail =
            QStringLiteral("applied, but no file in %1").arg(QDir::toNativeSeparators(set.dir));
        plan.migrations << p;
        plan.problems << MigrationProblem{
            MigrationProblem::Kind::Missing, v,
            QStringLiteral("%1 records version %2, but no migration file has it (written on "
                           "another branch, or deleted?)")
                .arg(h.table, v)};
    }

    // The head is the newest migration applied successfully. A failed one left the database
    // somewhere short of it: it is listed as failed, with its problem, and never reported as
    // the head (parity, drift's expected schema and `status` would take it as reached).
    if (lastSucceeded >= 0) {
        plan.headVersion = plan.migrations.at(lastSucceeded).version;
        // Applied on another branch: a version newer than every file here is still the
        // database's head. Reporting the newest file instead would make two databases
        // at 0005 and 0007 look alike in parity and status.
        if (versionsAreOrdered(set.format)) {
            for (const QString &v : std::as_const(missing)) {
                const AppliedMigration *row = h.find(v);
                if (row && row->success &&
                    MigrationSource::compareVersions(set.format, v, plan.headVersion) > 0)
                    plan.headVersion = v;
            }
        }
    } else if (h.currentVersionOnly) {
        QStringList heads = h.currentVersions;
        if (h.dirty) // golang-migrate: the current version is the one that failed
            heads.removeAll(h.currentVersions.value(0));
        plan.headVersion = heads.join(QLatin1Char(','));
    } else {
        const auto succeeded =
            std::find_if(h.applied.crbegin(), h.applied.crend(), [&set](const AppliedMigration &a) {
                const Migration *file = set.find(a.version);
                return a.success && !(file && file->repeatable);
            });
        plan.headVersion = succeeded != h.applied.crend() ? succeeded->version : h.baselineVersion;
    }
    if (!plan.headVersion.isEmpty()) {
        const QStringList heads = plan.headVersion.split(QLatin1Char(','));
        plan.headInCheckout = std::all_of(heads.begin(), heads.end(),
                                          [&set](const QString &v) { return set.find(v); });
    }
    return plan;
}

} // namespace pd
