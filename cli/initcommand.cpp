// paritydeck init: writes a commented starter paritydeck.yaml from what it finds in the
// folder: a migrations folder (and its format), dotenv files (and a DATABASE_URL or PG*
// settings in them), a git repository, a local PostgreSQL socket. Never overwrites a file,
// never copies a secret value into the file: a password found in a dotenv file becomes a
// dotenv: reference, one inside DATABASE_URL is left out and a keychain reference is
// suggested instead. The text is checked with the real loader before it is written.
#include "command.h"
#include "migrations/migrationsource.h"
#include "output.h"
#include "secrets/dotenv.h"
#include "workspace/workspaceloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

#include <optional>

namespace pd::cli {

namespace {

const QString InitUsage = QStringLiteral(
    "Usage: paritydeck init [--project NAME] [--print]\n"
    "Writes a commented starter paritydeck.yaml into the current folder (or the folder\n"
    "given with --workspace) from what it finds there: a migrations folder and its format,\n"
    "dotenv files (.env, .env.local, .env.staging, .env.production …), a git repository\n"
    "and a local PostgreSQL. An existing paritydeck.yaml is never overwritten.\n"
    "  --project NAME   project name (default: the folder's name)\n"
    "  --print          print the file instead of writing it\n"
    "Exit code 0 written, 2 usage error or the file exists, 3 it could not be written.\n");

// Where tools keep migrations, most specific first.
const QStringList &migrationDirCandidates()
{
    static const QStringList dirs{
        QStringLiteral("migrations"),     QStringLiteral("db/migrations"),
        QStringLiteral("db/migration"),   QStringLiteral("database/migrations"),
        QStringLiteral("sql/migrations"), QStringLiteral("prisma/migrations"),
        QStringLiteral("alembic"),        QStringLiteral("src/main/resources/db/migration"),
        QStringLiteral("sqitch"),         QStringLiteral("schema/migrations")};
    return dirs;
}

struct DotenvCandidate
{
    const char *environment;
    QStringList files; // first existing one wins
};

const QList<DotenvCandidate> &dotenvCandidates()
{
    static const QList<DotenvCandidate> candidates{
        {"dev",
         {QStringLiteral(".env.local"), QStringLiteral(".env.development"),
          QStringLiteral(".env.dev"), QStringLiteral(".env")}},
        {"staging", {QStringLiteral(".env.staging")}},
        {"prod", {QStringLiteral(".env.production"), QStringLiteral(".env.prod")}}};
    return candidates;
}

struct FoundDatabase
{
    QString url;         // never with a password
    QString passwordRef; // a dotenv: reference, when the file has a separate password key
    bool urlHadPassword = false;
    QString source; // "DATABASE_URL in .env.local"
};

struct FoundEnvironment
{
    QString name;
    QString dotenv; // relative path, empty when none
    std::optional<FoundDatabase> database;
};

QString yamlQuoted(const QString &text)
{
    // Double-quoted YAML scalar: only backslash and quote need escaping for the values we
    // write (paths, URLs, names without control characters).
    QString escaped = text;
    escaped.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""));
    return u'"' + escaped + u'"';
}

bool isPostgresUrl(const QString &url)
{
    return url.startsWith(u"postgresql://") || url.startsWith(u"postgres://");
}

// The URL without a password (user:secret@host → user@host), or nothing when it is not a
// URL we can take apart safely.
std::optional<QString> withoutPassword(const QString &url, bool *hadPassword)
{
    QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.host().isEmpty())
        return std::nullopt;
    *hadPassword = !parsed.password().isEmpty();
    parsed.setPassword({});
    // A password= query parameter is a password too.
    QString query = parsed.query(QUrl::FullyEncoded);
    if (!query.isEmpty()) {
        QStringList kept;
        for (const QString &part : query.split(u'&', Qt::SkipEmptyParts)) {
            if (part.startsWith(u"password="))
                *hadPassword = true;
            else
                kept.append(part);
        }
        if (kept.isEmpty())
            parsed.setQuery(QString());
        else
            parsed.setQuery(kept.join(u'&'), QUrl::StrictMode);
    }
    return parsed.toString(QUrl::FullyEncoded);
}

std::optional<FoundDatabase> databaseFromDotenv(const DotenvFile &file, const QString &fileName)
{
    static const QStringList urlKeys{QStringLiteral("DATABASE_URL"), QStringLiteral("POSTGRES_URL"),
                                     QStringLiteral("PG_URL"), QStringLiteral("DB_URL")};
    static const QStringList passwordKeys{
        QStringLiteral("PGPASSWORD"), QStringLiteral("DB_PASSWORD"),
        QStringLiteral("POSTGRES_PASSWORD"), QStringLiteral("DATABASE_PASSWORD")};
    FoundDatabase found;
    for (const QString &key : passwordKeys) {
        if (file.contains(key)) {
            found.passwordRef = QStringLiteral("dotenv:") + fileName + u'#' + key;
            break;
        }
    }
    for (const QString &key : urlKeys) {
        const std::optional<QString> value = file.value(key);
        if (!value || !isPostgresUrl(*value))
            continue;
        bool hadPassword = false;
        if (const std::optional<QString> url = withoutPassword(*value, &hadPassword)) {
            found.url = *url;
            found.urlHadPassword = hadPassword;
            found.source = key + QStringLiteral(" in ") + fileName;
            return found;
        }
    }
    // libpq's own variables.
    const std::optional<QString> host = file.value(QStringLiteral("PGHOST"));
    const std::optional<QString> database = file.value(QStringLiteral("PGDATABASE"));
    if (host || database) {
        QUrl url;
        url.setScheme(QStringLiteral("postgresql"));
        url.setHost(host.value_or(QStringLiteral("127.0.0.1")));
        url.setUserName(file.value(QStringLiteral("PGUSER")).value_or(QString()));
        bool portOk = false;
        const int port = file.value(QStringLiteral("PGPORT")).value_or(QString()).toInt(&portOk);
        if (portOk && port > 0 && port < 65536)
            url.setPort(port);
        url.setPath(u'/' + database.value_or(QStringLiteral("postgres")));
        if (url.isValid() && !url.host().isEmpty()) {
            found.url = url.toString(QUrl::FullyEncoded);
            found.source = QStringLiteral("PG* variables in ") + fileName;
            return found;
        }
    }
    return std::nullopt;
}

QString sanitizedName(const QString &text)
{
    QString name = text.toLower();
    name.replace(QRegularExpression(QStringLiteral("[^a-z0-9_]+")), QStringLiteral("_"));
    while (name.startsWith(u'_'))
        name.remove(0, 1);
    return name.isEmpty() ? QStringLiteral("app") : name;
}

bool insideGitRepository(const QString &dir)
{
    QDir current(dir);
    for (;;) {
        if (QFileInfo::exists(current.filePath(QStringLiteral(".git"))))
            return true;
        if (current.isRoot() || !current.cdUp())
            return false;
    }
}

QString localPostgresSocket()
{
    for (const QString &dir : {QStringLiteral("/var/run/postgresql"),
                               QStringLiteral("/run/postgresql"), QStringLiteral("/tmp")}) {
        const QString socket = dir + QStringLiteral("/.s.PGSQL.5432");
        if (QFileInfo::exists(socket))
            return socket;
    }
    return {};
}

struct Findings
{
    QString project;
    QString migrationsDir; // relative
    QString migrationsFormat;
    int migrationCount = -1;
    QString migrationsNote;
    QList<FoundEnvironment> environments;
    bool git = false;
    QString postgresSocket;
};

Findings survey(const QString &root, const QString &project)
{
    Findings found;
    found.project = project;
    const QDir dir(root);
    for (const QString &candidate : migrationDirCandidates()) {
        const QString path = dir.filePath(candidate);
        if (!QFileInfo(path).isDir())
            continue;
        const Result<MigrationFormat> format = MigrationSource::detectFormat(path);
        if (!format) {
            found.migrationsNote = candidate + QStringLiteral(": ") + format.error().message;
            continue;
        }
        found.migrationsDir = candidate;
        found.migrationsFormat = migrationFormatName(*format);
        if (const Result<MigrationSet> set = MigrationSource::load(path, *format))
            found.migrationCount = int(set->migrations.size());
        break;
    }
    for (const DotenvCandidate &candidate : dotenvCandidates()) {
        FoundEnvironment env;
        env.name = QString::fromLatin1(candidate.environment);
        for (const QString &file : candidate.files) {
            if (!QFileInfo(dir.filePath(file)).isFile())
                continue;
            env.dotenv = file;
            if (const Result<DotenvFile> parsed = DotenvFile::read(dir.filePath(file)))
                env.database = databaseFromDotenv(*parsed, file);
            break;
        }
        // dev always exists; staging and prod only when their dotenv file says they do.
        if (env.name == u"dev" || !env.dotenv.isEmpty())
            found.environments.append(env);
    }
    found.git = insideGitRepository(root);
    found.postgresSocket = localPostgresSocket();
    return found;
}

QString render(const Findings &found)
{
    QString y;
    const auto line = [&y](const QString &text = {}) { y += text + u'\n'; };
    line(QStringLiteral(
        "# ParityDeck workspace, written by `paritydeck init`. Edit it to match your setup;"));
    line(QStringLiteral(
        "# every key is described in docs/config-reference.md. This file holds references"));
    line(QStringLiteral("# to secrets, never their values, so it can be committed."));
    line(QStringLiteral("version: 1"));
    line(QStringLiteral("project: ") + yamlQuoted(found.project));
    line(QStringLiteral("# How often the control panel re-checks every environment, in seconds."));
    line(QStringLiteral("refresh_interval: 5"));
    line();
    if (!found.migrationsDir.isEmpty()) {
        line(QStringLiteral("# Found %1 (%2 format, %3 migration(s)).")
                 .arg(found.migrationsDir, found.migrationsFormat)
                 .arg(std::max(found.migrationCount, 0)));
        line(QStringLiteral("migrations:"));
        line(QStringLiteral("  dir: ") + yamlQuoted(found.migrationsDir));
        line(QStringLiteral("  format: ") + found.migrationsFormat);
    } else {
        line(QStringLiteral(
            "# No migrations folder found. ParityDeck reads paritydeck, flyway, golang-migrate,"));
        line(QStringLiteral(
            "# dbmate, sqitch, alembic, prisma and plain layouts; point it at yours:"));
        if (!found.migrationsNote.isEmpty())
            line(QStringLiteral("# (") + found.migrationsNote + u')');
        // Commented out: a folder named here must exist, and without one `status` would
        // say the migration status is unknown.
        line(QStringLiteral("# migrations:"));
        line(QStringLiteral("#   dir: migrations"));
        line(QStringLiteral("#   format: auto"));
    }
    line();
    line(QStringLiteral("environments:"));
    for (const FoundEnvironment &env : found.environments) {
        const bool dev = env.name == u"dev";
        line(QStringLiteral("  ") + env.name + u':');
        if (env.name == u"prod") {
            line(QStringLiteral("    # Changes to prod need its name typed (--confirm prod); "
                                "'read-only' refuses them."));
            line(QStringLiteral("    protection: confirm"));
        }
        line(QStringLiteral("    database:"));
        QString url;
        if (env.database) {
            line(QStringLiteral("      # From ") + env.database->source + u'.');
            url = env.database->url;
        } else if (dev) {
            if (!found.postgresSocket.isEmpty())
                line(QStringLiteral("      # A local PostgreSQL is listening (") +
                     found.postgresSocket + QStringLiteral(")."));
            line(QStringLiteral(
                "      # USER@HOST:PORT/DATABASE of this environment; no password in the URL."));
            url = QStringLiteral("postgresql://postgres@127.0.0.1:5432/") +
                  sanitizedName(found.project) + QStringLiteral("_dev");
        } else {
            line(QStringLiteral("      # Replace with this environment's USER@HOST:PORT/DATABASE; "
                                "no password in the URL."));
            url = QStringLiteral("postgresql://app@") + env.name +
                  QStringLiteral(".example.internal:5432/") + sanitizedName(found.project);
        }
        line(QStringLiteral("      url: ") + yamlQuoted(url));
        if (env.database && !env.database->passwordRef.isEmpty()) {
            line(QStringLiteral("      password: ") + yamlQuoted(env.database->passwordRef));
        } else if (env.database && env.database->urlHadPassword) {
            line(QStringLiteral("      # The URL in %1 holds a password; it was left out. Store it "
                                "in the keyring")
                     .arg(env.dotenv));
            line(QStringLiteral("      # with: paritydeck secret set %1 password").arg(env.name));
            line(QStringLiteral("      password: keychain:paritydeck/") +
                 sanitizedName(found.project) + u'-' + env.name);
        } else {
            line(QStringLiteral("      # Where the password comes from: keychain:SERVICE/KEY, "
                                "env:NAME, command:CMD"));
            line(QStringLiteral(
                     "      # or dotenv:FILE#KEY (then: paritydeck secret set %1 password).")
                     .arg(env.name));
            line(QStringLiteral("      # password: keychain:paritydeck/") +
                 sanitizedName(found.project) + u'-' + env.name);
        }
        line(QStringLiteral("      connect_timeout: 5"));
        if (!env.dotenv.isEmpty()) {
            line(QStringLiteral("    # Compared with the other environments in the parity view."));
            line(QStringLiteral("    config: { dotenv: ") + yamlQuoted(env.dotenv) +
                 QStringLiteral(" }"));
        }
        if (dev) {
            line(QStringLiteral("    # What runs this environment; ParityDeck can start, stop and "
                                "watch it, e.g.:"));
            line(QStringLiteral("    # services:"));
            line(QStringLiteral("    #   - name: postgres"));
            line(QStringLiteral("    #     start: pg_ctlcluster 15 main start"));
            line(QStringLiteral("    #     stop: pg_ctlcluster 15 main stop"));
            line(QStringLiteral("    #     health: { postgres: true }"));
            if (found.git) {
                line(QStringLiteral(
                    "    # This folder is a git repository: a database branch per git branch"));
                line(QStringLiteral("    # (paritydeck branch switch NAME), made with CREATE "
                                    "DATABASE … TEMPLATE."));
                line(QStringLiteral("    branches: { git: true, database: template }"));
            }
        }
    }
    if (found.environments.size() == 1) {
        line(QStringLiteral("  # Add staging and production the same way, e.g.:"));
        line(QStringLiteral("  # prod:"));
        line(QStringLiteral("  #   protection: confirm"));
        line(QStringLiteral("  #   database:"));
        line(QStringLiteral("  #     url: postgresql://app@127.0.0.1:5433/app"));
        line(QStringLiteral(
            "  #     password: command:gcloud secrets versions access latest --secret=db"));
    }
    return y;
}

} // namespace

int initCommand(const CommandContext &context)
{
    QString project;
    bool print = false;
    for (qsizetype i = 0; i < context.args.size(); ++i) {
        const QString &arg = context.args.at(i);
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            out(InitUsage);
            return 0;
        } else if (arg == QLatin1String("--print")) {
            print = true;
        } else if (arg == QLatin1String("--project") && i + 1 < context.args.size()) {
            project = context.args.at(++i).trimmed();
            if (project.isEmpty())
                return usageError(QStringLiteral("init: --project needs a name"), InitUsage);
        } else {
            return usageError(QStringLiteral("init: unexpected argument '%1'").arg(arg), InitUsage);
        }
    }

    // --workspace names the folder (or the file) to create.
    QString target =
        context.global.workspace.isEmpty() ? QDir::currentPath() : context.global.workspace;
    QString filePath;
    if (QFileInfo(target).isDir() || !target.endsWith(QLatin1String(".yaml")))
        filePath = QDir(target).filePath(QString::fromLatin1(WorkspaceLoader::FileName));
    else
        filePath = target;
    filePath = QFileInfo(filePath).absoluteFilePath();
    const QString root = QFileInfo(filePath).absolutePath();
    if (!QFileInfo(root).isDir())
        return fail(Error(ErrorCode::Usage, root + QStringLiteral(": no such folder")));
    if (!print && QFileInfo::exists(filePath)) {
        return fail(Error(ErrorCode::Usage,
                          filePath + QStringLiteral(" already exists; init never overwrites "
                                                    "it (edit it, or remove it first)")));
    }
    if (project.isEmpty())
        project = QDir(root).dirName().isEmpty() ? QStringLiteral("app") : QDir(root).dirName();

    const Findings found = survey(root, project);
    const QString text = render(found);

    // What init writes must load: a bug here is caught before the user sees the file.
    ConfigError problem;
    if (!WorkspaceLoader::parse(text.toUtf8(), filePath, &problem))
        return fail(Error(ErrorCode::Runtime,
                          QStringLiteral("the generated workspace does not load (") +
                              problem.toString() + QStringLiteral("); please report this")));
    if (print) {
        out(text);
        return 0;
    }

    // NewOnly is O_CREAT|O_EXCL: a file that appeared since the check above is not
    // replaced either. A failed write (disk full) removes the partial file.
    QFile file(filePath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        return fail(
            Error(file.exists() ? ErrorCode::Usage : ErrorCode::Runtime,
                  QStringLiteral("cannot create %1: %2").arg(filePath, file.errorString())));
    }
    const QByteArray bytes = text.toUtf8();
    if (file.write(bytes) != bytes.size() || !file.flush()) {
        const QString reason = file.errorString();
        file.close();
        file.remove();
        return fail(
            Error(ErrorCode::Runtime, QStringLiteral("cannot write %1: %2").arg(filePath, reason)));
    }
    file.close();

    outLine(QStringLiteral("Wrote ") + filePath);
    if (!found.migrationsDir.isEmpty())
        outLine(QStringLiteral("  migrations: %1 (%2)")
                    .arg(found.migrationsDir, found.migrationsFormat));
    for (const FoundEnvironment &env : found.environments) {
        outLine(
            QStringLiteral("  environment %1%2%3")
                .arg(env.name,
                     env.dotenv.isEmpty() ? QString() : QStringLiteral(", config ") + env.dotenv,
                     env.database ? QStringLiteral(", database from ") + env.database->source
                                  : QString()));
    }
    if (found.git)
        outLine(QStringLiteral("  git repository: database branches enabled for dev"));
    outLine(QStringLiteral("Next: check the URLs, then run 'paritydeck status'."));
    return 0;
}

} // namespace pd::cli
