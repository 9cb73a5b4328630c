// Bounded, deterministic mutation fuzzing of every parser that reads user text: the
// workspace loader, the dotenv parser, the SQL splitter (libpg_query) and migration folder
// naming. Seeds are the fixtures under tests/data plus a few written here; each iteration
// mutates one seed (bit flips, YAML/SQL tokens, deletions, duplications, splices) and runs
// it through fuzz/fuzztargets.cpp, which aborts on a broken invariant. A fixed seed makes
// every run the same; PD_FUZZ_SEED and PD_FUZZ_SCALE (iterations ×) explore further.
// The coverage-guided libFuzzer harnesses over the same targets are in fuzz/ (fuzz/run).
#include "fuzztargets.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

#include <cstdio>
#include <functional>

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QList<QByteArray> filesUnder(const QString &dir, const QStringList &patterns,
                             qint64 maxBytes = 64 * 1024)
{
    QList<QByteArray> seeds;
    QDirIterator it(dir, patterns, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    QStringList paths;
    while (it.hasNext())
        paths.append(it.next());
    paths.sort(); // directory order differs between file systems; runs must not
    for (const QString &path : paths) {
        if (QFileInfo(path).size() <= maxBytes)
            seeds.append(readFile(path));
    }
    return seeds;
}

class Mutator
{
public:
    Mutator(quint32 seed, QList<QByteArray> tokens)
        : m_random(seed)
        , m_tokens(std::move(tokens))
    {
    }

    QByteArray mutate(const QList<QByteArray> &corpus)
    {
        QByteArray data = corpus.at(int(m_random.bounded(quint32(corpus.size()))));
        const int rounds = 1 + int(m_random.bounded(4u));
        for (int r = 0; r < rounds; ++r)
            data = mutateOnce(data, corpus);
        return data.left(16 * 1024);
    }

private:
    qsizetype position(const QByteArray &data)
    {
        return data.isEmpty() ? 0 : qsizetype(m_random.bounded(quint32(data.size() + 1)));
    }

    QByteArray mutateOnce(QByteArray data, const QList<QByteArray> &corpus)
    {
        switch (m_random.bounded(8u)) {
        case 0: // flip a bit
            if (!data.isEmpty()) {
                const qsizetype at = qsizetype(m_random.bounded(quint32(data.size())));
                data[at] = char(data[at] ^ (1 << m_random.bounded(8u)));
            }
            break;
        case 1: // a random byte
            data.insert(position(data), char(m_random.bounded(256u)));
            break;
        case 2: // a token of the language
        case 3:
            data.insert(position(data),
                        m_tokens.at(int(m_random.bounded(quint32(m_tokens.size())))));
            break;
        case 4: { // delete a range
            const qsizetype at = position(data);
            data.remove(at, qsizetype(m_random.bounded(32u)));
            break;
        }
        case 5: { // duplicate a range
            const qsizetype at = position(data);
            const QByteArray piece = data.mid(at, qsizetype(m_random.bounded(64u)));
            data.insert(position(data), piece);
            break;
        }
        case 6: { // splice with another seed at line boundaries
            const QByteArray &other = corpus.at(int(m_random.bounded(quint32(corpus.size()))));
            const QList<QByteArray> mine = data.split('\n');
            const QList<QByteArray> theirs = other.split('\n');
            const qsizetype cutMine = qsizetype(m_random.bounded(quint32(mine.size())));
            const qsizetype cutTheirs = qsizetype(m_random.bounded(quint32(theirs.size())));
            data = (mine.mid(0, cutMine) + theirs.mid(cutTheirs)).join('\n');
            break;
        }
        default: { // swap two lines
            QList<QByteArray> lines = data.split('\n');
            if (lines.size() > 1) {
                const qsizetype a = qsizetype(m_random.bounded(quint32(lines.size())));
                const qsizetype b = qsizetype(m_random.bounded(quint32(lines.size())));
                lines.swapItemsAt(a, b);
                data = lines.join('\n');
            }
            break;
        }
        }
        return data;
    }

    QRandomGenerator m_random;
    QList<QByteArray> m_tokens;
};

quint32 seed()
{
    bool ok = false;
    const quint32 value = qEnvironmentVariable("PD_FUZZ_SEED").toUInt(&ok);
    return ok ? value : 20261202u;
}

int scaled(int iterations)
{
    bool ok = false;
    const double scale = qEnvironmentVariable("PD_FUZZ_SCALE").toDouble(&ok);
    return ok && scale > 0 ? std::max(1, int(iterations * scale)) : iterations;
}

// The input being run, printed when a target reports a broken invariant (qFatal), so a
// failure comes with its reproducer.
const QByteArray *g_currentInput = nullptr;
QtMessageHandler g_previousHandler = nullptr;

void printInputOnFatal(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtFatalMsg && g_currentInput) {
        std::fprintf(stderr, "fuzz input (base64): %s\nfuzz input (escaped): %s\n",
                     g_currentInput->toBase64().constData(),
                     QString::fromLatin1(g_currentInput->toPercentEncoding(" =:#'\"{}[]-_./\n"))
                         .toLatin1()
                         .constData());
    }
    g_previousHandler(type, context, message);
}

// Runs every seed as is, then `iterations` mutants; prints the figures the report needs.
// `skip` names inputs of a known, reported problem that would otherwise stop the run.
void drive(const char *name, const QList<QByteArray> &corpus, const QList<QByteArray> &tokens,
           int iterations, const std::function<void(QByteArrayView)> &target,
           const std::function<bool(const QByteArray &)> &skip = {})
{
    int skipped = 0;
    QVERIFY2(!corpus.isEmpty(), "no seeds");
    g_previousHandler = qInstallMessageHandler(printInputOnFatal);
    QElapsedTimer timer;
    timer.start();
    for (const QByteArray &input : corpus) {
        g_currentInput = &input;
        target(input);
    }
    Mutator mutator(seed(), tokens);
    const int total = scaled(iterations);
    qint64 slowestNs = 0;
    for (int i = 0; i < total; ++i) {
        const QByteArray input = mutator.mutate(corpus);
        if (skip && skip(input)) {
            ++skipped;
            continue;
        }
        QElapsedTimer one;
        one.start();
        g_currentInput = &input;
        target(input);
        const qint64 ns = one.nsecsElapsed();
        // A hang shows as one input taking seconds; every parser here is linear-ish.
        if (ns > 5'000'000'000LL) {
            QFAIL(qPrintable(QStringLiteral("%1: input %2 (seed %3) took %4 s: %5")
                                 .arg(QLatin1String(name))
                                 .arg(i)
                                 .arg(seed())
                                 .arg(double(ns) / 1e9)
                                 .arg(QString::fromLatin1(input.toBase64()))));
        }
        slowestNs = std::max(slowestNs, ns);
    }
    g_currentInput = nullptr;
    qInstallMessageHandler(g_previousHandler);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    qInfo("%s: %d seeds + %d mutants (%d skipped) in %.2f s (%.0f inputs/s), slowest input %.1f "
          "ms, seed %u",
          name, int(corpus.size()), total - skipped, skipped, seconds,
          (corpus.size() + total - skipped) / seconds, double(slowestNs) / 1e6, seed());
}

const QString DataDir = QStringLiteral(PD_TEST_DATA_DIR);

class TestFuzz final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void workspaceLoader()
    {
        QList<QByteArray> corpus =
            filesUnder(DataDir + QStringLiteral("/workspaces"), {QStringLiteral("*.yaml")});
        corpus.append(QByteArrayLiteral(
            "version: 1\nproject: p\nrefresh_interval: 5\nmigrations: { dir: m, format: auto }\n"
            "schema: { include: [public], exclude: ['tmp_*'] }\nparity: { presence_only: [APP_ENV] "
            "}\n"
            "environments:\n  dev:\n    protection: none\n    database:\n      url: "
            "postgresql://a@127.0.0.1:5432/d\n"
            "      password: keychain:pd/dev\n      connect_timeout: 3\n      statement_timeout: "
            "0\n"
            "    services:\n      - name: pg\n        start: pg_ctl start\n        stop: pg_ctl "
            "stop\n"
            "        health: { postgres: true, timeout: 2 }\n      - name: bouncer\n        run: "
            "pgbouncer x.ini\n"
            "        after: [pg]\n        restart: true\n        env: { A: b }\n        "
            "secret_env: { P: env:P }\n"
            "        health: { tcp: 127.0.0.1:6432 }\n    config: { dotenv: .env }\n"
            "    secrets: { api.key: 'command:echo x' }\n    branches: { git: true, database: "
            "template, naming: '{db}__{branch}' }\n"
            "  prod:\n    protection: confirm\n    database: { url: "
            "'postgres://u@h/db?sslmode=require' }\n"));
        const QList<QByteArray> tokens{":",
                                       ": ",
                                       "- ",
                                       "\n",
                                       "\n  ",
                                       "{",
                                       "}",
                                       "[",
                                       "]",
                                       ",",
                                       "'",
                                       "\"",
                                       "#",
                                       "&a ",
                                       "*a",
                                       "!!str ",
                                       "? ",
                                       "|\n",
                                       ">\n",
                                       "---\n",
                                       "\t",
                                       "\\",
                                       "~",
                                       "null",
                                       "true",
                                       "false",
                                       "0",
                                       "-1",
                                       "99999999999",
                                       "<<: *a\n",
                                       "%YAML 1.2\n",
                                       "\xef\xbb\xbf",
                                       "\xff",
                                       "\xc3",
                                       "\x00",
                                       "environments:",
                                       "database:",
                                       "url: ",
                                       "services:",
                                       "name: ",
                                       "health:",
                                       "after: [",
                                       "postgresql://",
                                       "keychain:",
                                       "dotenv:",
                                       "env:",
                                       "command:",
                                       "{branch}",
                                       "@",
                                       "?",
                                       "%20"};
        // fuzz/run found that yaml-cpp 0.7's LoadAll never returns on a ',' where a
        // document should start (",", ", a: b", "{a: 1},"); the loader now guards against
        // it, so those mutants run like the rest.
        drive("workspace", corpus, tokens, 25000, &pd::fuzz::workspaceLoader);
    }

    void dotenv()
    {
        QList<QByteArray> corpus =
            filesUnder(DataDir + QStringLiteral("/secrets"), {QStringLiteral("*.env")});
        corpus += filesUnder(DataDir + QStringLiteral("/parity"),
                             {QStringLiteral("*.env*"), QStringLiteral(".env*")});
        corpus.append(QByteArrayLiteral("# comment\nexport A=S3CRET1\nB = S3CRET2 # "
                                        "note\nC='S3CRET3 $x \\n'\nD=\"S3CRET4\\n\\\"q\\\"\"\n"
                                        "E=\"multi\nline S3CRET5\"\nF=\n G.H-i=S3CRET6\n"));
        const QList<QByteArray> tokens{
            "=",       "\n",   "'",      "\"",      "\\",      "#",        " ",   "\t",
            "export ", "$",    "${",     "}",       "\\n",     "\r\n",     "\r",  "\xef\xbb\xbf",
            "\xff",    "\x00", "S3CRET", "=S3CRET", "'S3CRET", "\"S3CRET", "KEY", "1KEY"};
        drive("dotenv", corpus, tokens, 40000, &pd::fuzz::dotenv);
    }

    void sqlScript()
    {
        const QList<QByteArray> corpus = filesUnder(DataDir + QStringLiteral("/migrations"),
                                                    {QStringLiteral("*.sql")}, 16 * 1024);
        const QList<QByteArray> tokens{";",
                                       "\n",
                                       "'",
                                       "\"",
                                       "$$",
                                       "$tag$",
                                       "--",
                                       "/*",
                                       "*/",
                                       "(",
                                       ")",
                                       ",",
                                       "BEGIN;",
                                       "COMMIT;",
                                       "ROLLBACK;",
                                       "SAVEPOINT s;",
                                       " CASCADE",
                                       "DROP TABLE t",
                                       "TRUNCATE t",
                                       "DELETE FROM t",
                                       "UPDATE t SET a=1",
                                       " WHERE a=1",
                                       "CREATE INDEX CONCURRENTLY i ON t(a)",
                                       "VACUUM",
                                       "ALTER TABLE t ALTER COLUMN a TYPE text",
                                       "-- paritydeck:no-transaction\n",
                                       "E'\\'",
                                       "U&'\\0041'",
                                       "\xc3\xa9",
                                       "\xff",
                                       "\x00",
                                       "\\"};
        drive("sqlscript", corpus, tokens, 15000, &pd::fuzz::sqlScript);
    }

    void migrationSource()
    {
        // Folder listings: one file per line, "name<TAB>contents" ("\n" in contents).
        const QList<QByteArray> corpus{
            "0001_init.sql\n0002_users.sql\n0002_users.down.sql\n0010_more.sql",
            "V1__init.sql\nV1.1__add.sql\nV1_2__x.sql\nR__view.sql\nU1__undo.sql\nsub/V2__deep.sql",
            "001_a.up.sql\n001_a.down.sql\n002_b.up.sql\n10_c.up.sql",
            "20240101120000_a.sql\t-- migrate:up\\ncreate table a();\\n-- migrate:down\\ndrop "
            "table a;\n"
            "20240102120000_b.sql\t-- migrate:up transaction:false\\nselect 1;",
            "sqitch.plan\t%project=x\\n\\nusers 2024-01-01T00:00:00Z A <a@b> # add\\nposts [users] "
            "2024-01-02T00:00:00Z A <a@b>\n"
            "deploy/users.sql\nrevert/users.sql\ndeploy/posts.sql",
            "migration_lock.toml\tprovider = "
            "\"postgresql\"\n20240101120000_init/migration.sql\n20240102000000_x/migration.sql",
            "versions/abc_init.py\trevision = 'abc'\\ndown_revision = None\n"
            "versions/def_next.py\trevision = 'def'\\ndown_revision = 'abc'",
            "schema.sql\nseed.sql\n01.sql\n1.sql\n001.sql"};
        const QList<QByteArray> tokens{"_",
                                       "__",
                                       ".",
                                       ".sql",
                                       ".up",
                                       ".down",
                                       "V",
                                       "R__",
                                       "U",
                                       "/",
                                       "\t",
                                       "\n",
                                       "0",
                                       "9",
                                       "99999999999999999999",
                                       "-",
                                       " ",
                                       "\\n",
                                       "-- migrate:up",
                                       "-- migrate:down",
                                       "revision = ",
                                       "down_revision = ",
                                       "[",
                                       "]",
                                       "@",
                                       "\xc3\xa9"};
        drive("migrationsource", corpus, tokens, 1500, &pd::fuzz::migrationSource);
    }

    void generatedSql()
    {
        // Names, 0x1f between them: schema, table, two columns, constraint, enum, sequence,
        // view. The first seeds are the break-outs found: a line feed or carriage return in a
        // dropped table's name put "DROP TABLE public.y;" on a live line of the safe script.
        const QList<QByteArray> corpus{
            "public\x1f"
            "evil\nDROP TABLE public.y; --",
            "public\x1f"
            "cr\rDROP TABLE public.y; --\x1f"
            "c\r\nDROP TABLE public.y; --",
            "s\x1ft\x1f"
            "a\x1f"
            "b\x1f"
            "c\x1f"
            "e\x1fq\x1fv",
            "x\"; DROP TABLE y; --\x1f"
            "a'b\x1f"
            "back\\slash\x1f"
            "*/ /*\x1f$$\x1f$1\x1f"
            "E'\\'\x1fU&\"\\0041\"",
            "\xc3\xa9t\xc3\xa9\xe2\x80\xae"
            "evil\x1f\xe5\x90\x8d\xe5\x89\x8d\x1f\t\x0b\x0c\x1b[31m\x1f\xe2\x80\xa8line",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk\x1f"
            "\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d"
            "\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d"
            "\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d"
            "\xe5\x90\x8d"};
        const QList<QByteArray> tokens{"\n",
                                       "\r",
                                       "\r\n",
                                       "\x1f",
                                       "\"",
                                       "\"\"",
                                       "'",
                                       ";",
                                       "--",
                                       "/*",
                                       "*/",
                                       "$$",
                                       "\\",
                                       "\t",
                                       "\x0b",
                                       "\x0c",
                                       "\x1b",
                                       "\x7f",
                                       "\xc2\x85",
                                       "\xe2\x80\xa8",
                                       "\xe2\x80\xae",
                                       "\xe2\x81\xa6",
                                       "\xc3\xa9",
                                       "\xff",
                                       "DROP TABLE public.y;",
                                       " CASCADE",
                                       "U&",
                                       "E'",
                                       "\x00",
                                       "select",
                                       "user"};
        drive("generatedsql", corpus, tokens, 2000, &pd::fuzz::generatedSql);
    }
};

} // namespace

QTEST_GUILESS_MAIN(TestFuzz)
#include "tst_fuzz.moc"
