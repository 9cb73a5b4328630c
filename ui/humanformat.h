// Small text formatters shared by the window, the cards and the tray, so that all three
// word the same fact the same way.
#pragma once

#include "environment/environmentstatus.h"
#include "migrations/migrationplan.h"
#include "workspace/workspace.h"

#include <QDateTime>
#include <QString>

namespace pd::ui {

// "7.9 MB" (1024-based, as pg_size_pretty and file managers show it); "" when unknown (< 0).
QString formatDataSize(qint64 bytes);

// "checked under a minute ago", "checked 4 min ago", "checked at 14:02";
// "not checked yet" for an invalid time.
QString formatCheckedAge(const QDateTime &checkedAt, const QDateTime &now);
// Milliseconds from `now` until formatCheckedAge(checkedAt, …) says something else; -1 when
// it never will (not checked, or old enough to name the time of day).
qint64 msUntilCheckedAgeChanges(const QDateTime &checkedAt, const QDateTime &now);

// "protected · confirm", "read-only", or "" for unprotected environments.
QString protectionBadgeText(Protection protection);
// The badge's tooltip and style sheet; empty for an unprotected environment.
QString protectionBadgeToolTip(Protection protection);
QString protectionBadgeStyle(Protection protection);

// Tool tips are rich text whenever Qt guesses so; a reason such as "relation <x> missing"
// must not be parsed as HTML. Returns `plain` unchanged when it is safe, else escaped.
QString plainToolTip(const QString &plain);

// The schema version line of a card: "schema 0004 · up to date", "schema 0003 · 1 pending",
// "checksum changed: 0002", "migration failed: 0005", "schema none · 2 pending".
QString formatSchemaState(const MigrationPlan &plan);

} // namespace pd::ui
