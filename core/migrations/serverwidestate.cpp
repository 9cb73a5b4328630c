#include "migrations/serverwidestate.h"

#include "db/connection.h"

namespace pd {

namespace {

struct Kind
{
    QString label;
    QString sql;
};

QList<Kind> kindsFor(int serverVersionNumber)
{
    const QString here = QStringLiteral(
        "(SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())");
    QList<Kind> list = {
        {QStringLiteral("roles"),
         QStringLiteral("SELECT pg_catalog.md5(coalesce(pg_catalog.string_agg(x::text, ',' "
                        "ORDER BY x.oid), '')) FROM (SELECT oid, rolname, rolsuper, rolinherit, "
                        "rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, "
                        "rolconnlimit, rolvaliduntil, rolconfig FROM pg_catalog.pg_roles) x")},
        {QStringLiteral("role and database settings"),
         QStringLiteral("SELECT pg_catalog.md5(coalesce(pg_catalog.string_agg(x::text, ',' "
                        "ORDER BY x.setdatabase, x.setrole), '')) FROM "
                        "pg_catalog.pg_db_role_setting x WHERE x.setdatabase <> %1")
             .arg(here)},
        {QStringLiteral("role membership"),
         QStringLiteral("SELECT pg_catalog.md5(coalesce(pg_catalog.string_agg(x::text, ',' "
                        "ORDER BY x::text), '')) FROM pg_catalog.pg_auth_members x")},
        {QStringLiteral("other databases"),
         QStringLiteral("SELECT pg_catalog.md5(coalesce(pg_catalog.string_agg(x::text, ',' "
                        "ORDER BY x.oid), '')) FROM (SELECT oid, datname, datdba, datistemplate, "
                        "datallowconn, datconnlimit, dattablespace, datacl FROM "
                        "pg_catalog.pg_database WHERE oid <> %1) x")
             .arg(here)},
        {QStringLiteral("tablespaces"),
         QStringLiteral("SELECT pg_catalog.md5(coalesce(pg_catalog.string_agg(x::text, ',' "
                        "ORDER BY x.oid), '')) FROM (SELECT oid, spcname, spcowner, spcacl, "
                        "spcoptions FROM pg_catalog.pg_tablespace) x")},
        {QStringLiteral("comments and labels on shared objects"),
         QStringLiteral("SELECT pg_catalog.md5(coalesce((SELECT pg_catalog.string_agg(x::text, "
                        "',' ORDER BY x::text) FROM pg_catalog.pg_shdescription x WHERE x.objoid "
                        "<> %1), '') || coalesce((SELECT pg_catalog.string_agg(x::text, ',' "
                        "ORDER BY x::text) FROM pg_catalog.pg_shseclabel x WHERE x.objoid <> "
                        "%1), ''))")
             .arg(here)},
        {QStringLiteral("privileges on shared objects"),
         QStringLiteral("SELECT pg_catalog.md5(coalesce(pg_catalog.string_agg(x::text, ',' "
                        "ORDER BY x::text), '')) FROM pg_catalog.pg_shdepend x WHERE x.dbid = 0")},
    };
    if (serverVersionNumber >= 150000) {
        list.append({QStringLiteral("privileges on configuration parameters"),
                     QStringLiteral("SELECT pg_catalog.md5(coalesce(pg_catalog.string_agg(x::text, "
                                    "',' ORDER BY x.oid), '')) FROM pg_catalog.pg_parameter_acl "
                                    "x")});
    }
    return list;
}

// Roles' passwords: pg_roles shows "********" for every one, and only a superuser may read
// pg_authid. A scratch server's user often is one (a developer's local postgres), and then
// a DO block that changes a password is seen too; for others it is not (docs/decisions.md
// §17).
const char *const kPasswordsSql =
    "SELECT pg_catalog.md5(coalesce(pg_catalog.string_agg(a.oid::text || ':' ||"
    " coalesce(a.rolpassword, ''), ',' ORDER BY a.oid), '')) FROM pg_catalog.pg_authid a";

} // namespace

Result<ServerWideState> ServerWideState::read(Connection &connection)
{
    QList<Kind> kinds = kindsFor(connection.serverVersionNumber());
    auto superuser = connection.scalar(QStringLiteral(
        "SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user"));
    if (!superuser)
        return superuser.error();
    if (*superuser == QLatin1String("t"))
        kinds.append({QStringLiteral("role passwords"), QString::fromLatin1(kPasswordsSql)});
    ServerWideState state;
    for (const Kind &kind : std::as_const(kinds)) {
        auto digest = connection.scalar(kind.sql);
        if (!digest)
            return digest.error();
        state.m_labels << kind.label;
        state.m_digests << *digest;
    }
    return state;
}

QStringList ServerWideState::changedSince(const ServerWideState &before) const
{
    QStringList changed;
    for (qsizetype i = 0; i < m_labels.size(); ++i) {
        const qsizetype j = before.m_labels.indexOf(m_labels.at(i));
        if (j < 0 || before.m_digests.at(j) != m_digests.at(i))
            changed << m_labels.at(i);
    }
    return changed;
}

} // namespace pd
