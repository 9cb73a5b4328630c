// paritydeck secret set|get|delete ENV KEY. Values come from stdin or a no-echo prompt,
// never from argv; get prints only whether the secret resolves unless --reveal is given.
#include "command.h"
#include "output.h"
#include "secrets/secretresolver.h"
#include "workspace/protection.h"

#include <QJsonObject>
#include <QMetaObject>

#include <functional>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace pd::cli {

namespace {

const QString SecretUsage = QStringLiteral(
    "Usage: paritydeck secret set ENV KEY [--confirm ENV]   (value from stdin, or a hidden prompt "
    "on a terminal)\n"
    "       paritydeck secret get ENV KEY [--reveal [--confirm ENV]] [--json]\n"
    "       paritydeck secret delete ENV KEY [--confirm ENV]\n"
    "KEY is 'password' for the environment's database password, or a name under the\n"
    "environment's 'secrets:' map. set and delete work on keychain: references.\n"
    "A 'protection: confirm' environment needs --confirm ENV (its name) to set or delete;\n"
    "'read-only' refuses both. Revealing a protected environment's value needs --confirm ENV.\n");

struct NamedRef
{
    QString label; // "dev/password"
    SecretRef ref;
};

Result<NamedRef> findReference(const Workspace &workspace, const QString &envName,
                               const QString &key)
{
    const EnvironmentConfig *env = workspace.environment(envName);
    if (!env) {
        return Error(ErrorCode::Usage,
                     QStringLiteral("no environment '%1' in %2 (environments: %3)")
                         .arg(envName, workspace.filePath,
                              workspace.environmentNames().join(QStringLiteral(", "))));
    }
    const QString label = envName + QLatin1Char('/') + key;
    if (key == QLatin1String("password") && env->database.password)
        return NamedRef{label, *env->database.password};
    if (const auto it = env->secrets.constFind(key); it != env->secrets.cend())
        return NamedRef{label, *it};
    QStringList known = env->secrets.keys();
    if (env->database.password)
        known.prepend(QStringLiteral("password"));
    return Error(ErrorCode::Usage, QStringLiteral("environment '%1' has no secret '%2' (known: %3)")
                                       .arg(envName, key,
                                            known.isEmpty() ? QStringLiteral("none")
                                                            : known.join(QStringLiteral(", "))));
}

// Reads the value to store: a hidden prompt on a terminal, else all of stdin minus one
// trailing line break (so `printf %s` and `echo` both work).
Result<SecretValue> readValue(const QString &label)
{
    QByteArray bytes;
    if (isatty(STDIN_FILENO)) {
        err(QStringLiteral("Value for %1 (input hidden): ").arg(label));
        termios saved{};
        const bool canHide = tcgetattr(STDIN_FILENO, &saved) == 0;
        if (canHide) {
            termios hidden = saved;
            hidden.c_lflag &= ~tcflag_t(ECHO);
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden);
        }
        char buffer[4096];
        if (std::fgets(buffer, sizeof buffer, stdin))
            bytes = QByteArray(buffer);
        if (canHide)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        err(QStringLiteral("\n"));
    } else {
        char buffer[4096];
        size_t n;
        while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0)
            bytes.append(buffer, qsizetype(n));
    }
    if (bytes.endsWith('\n'))
        bytes.chop(1);
    if (bytes.endsWith('\r'))
        bytes.chop(1);
    if (bytes.isEmpty())
        return Error(ErrorCode::Usage,
                     QStringLiteral("no value given for %1 (empty input)").arg(label));
    return SecretValue(bytes);
}

Result<void> requireKeychain(const NamedRef &named, const char *verb)
{
    if (named.ref.kind == SecretRef::Kind::Keychain)
        return {};
    return Error(ErrorCode::Usage,
                 QStringLiteral("cannot %1 %2: it refers to %3, which ParityDeck only reads; "
                                "%1 it where it lives")
                     .arg(QLatin1String(verb), named.label, named.ref.toString()));
}

// SecretStore jobs must start on the store's (main) thread; this worker then waits.
template<typename T>
Result<T> onStoreThread(SecretStore *store, const std::function<QFuture<Result<T>>()> &start)
{
    QFuture<Result<T>> future;
    QMetaObject::invokeMethod(
        store, [&future, &start] { future = start(); }, Qt::BlockingQueuedConnection);
    future.waitForFinished();
    return future.result();
}

} // namespace

int secretCommand(const CommandContext &context)
{
    QStringList positional;
    bool reveal = false;
    bool json = false;
    QString confirmation;
    for (qsizetype i = 0; i < context.args.size(); ++i) {
        const QString &arg = context.args.at(i);
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            out(SecretUsage);
            return 0;
        }
        if (arg == QLatin1String("--confirm")) {
            if (i + 1 >= context.args.size() || context.args.at(i + 1).startsWith(QLatin1Char('-')))
                return usageError(QStringLiteral("secret: --confirm needs the environment's name"),
                                  SecretUsage);
            confirmation = context.args.at(++i);
        } else if (arg == QLatin1String("--reveal"))
            reveal = true;
        else if (arg == QLatin1String("--json"))
            json = true;
        else if (arg.startsWith(QLatin1Char('-')))
            return usageError(QStringLiteral("secret: unknown option '%1'").arg(arg), SecretUsage);
        else
            positional.append(arg);
    }
    if (positional.size() != 3)
        return usageError(QStringLiteral("secret: expected an action, ENV and KEY"), SecretUsage);
    const QString action = positional.at(0);
    if (action != QLatin1String("set") && action != QLatin1String("get") &&
        action != QLatin1String("delete"))
        return usageError(QStringLiteral("secret: unknown action '%1'").arg(action), SecretUsage);
    if (reveal && json)
        return usageError(QStringLiteral("secret: --reveal cannot be combined with --json "
                                         "(secret values never appear in JSON output)"),
                          SecretUsage);

    auto workspace = loadWorkspace(context);
    if (!workspace)
        return exitCodeFor(workspace.error().code);
    auto named = findReference(*workspace, positional.at(1), positional.at(2));
    if (!named)
        return fail(named.error());

    // Protection before the keyring is touched; a refusal is audited (never a value).
    const bool changes = action != QLatin1String("get");
    if (changes || reveal) {
        const EnvironmentConfig *env = workspace->environment(positional.at(1));
        const Result<void> allowed = env ? checkProtection(*env,
                                                           changes ? ProtectedChange::Secrets
                                                                   : ProtectedChange::RevealSecret,
                                                           confirmation)
                                         : Result<void>();
        if (!allowed) {
            recordAudit(positional.at(1),
                        QStringLiteral("secret-") + (changes ? action : QStringLiteral("reveal")),
                        named->ref.toString(), &allowed.error(), -1);
            return fail(allowed.error());
        }
    }

    if (action == QLatin1String("set")) {
        if (auto ok = requireKeychain(*named, "set"); !ok)
            return fail(ok.error());
        auto value = readValue(named->label);
        if (!value)
            return fail(value.error());
        const SecretRef ref = named->ref;
        const SecretValue secret = *value;
        auto written = onStoreThread<bool>(
            context.store, [&] { return context.store->write(ref.service, ref.key, secret); });
        recordAudit(positional.at(1), QStringLiteral("secret-set"), named->ref.toString(),
                    written ? nullptr : &written.error(), -1);
        if (!written)
            return fail(written.error());
        errLine(QStringLiteral("stored %1 in the keyring (%2)")
                    .arg(named->label, named->ref.toString()));
        return 0;
    }

    if (action == QLatin1String("delete")) {
        if (auto ok = requireKeychain(*named, "delete"); !ok)
            return fail(ok.error());
        const SecretRef ref = named->ref;
        auto removed = onStoreThread<bool>(
            context.store, [&] { return context.store->remove(ref.service, ref.key); });
        recordAudit(positional.at(1), QStringLiteral("secret-delete"), ref.toString(),
                    removed ? nullptr : &removed.error(), -1);
        if (!removed)
            return fail(removed.error());
        errLine(*removed ? QStringLiteral("deleted %1 from the keyring (%2)")
                               .arg(named->label, ref.toString())
                         : QStringLiteral("%1 was not in the keyring (%2)")
                               .arg(named->label, ref.toString()));
        return 0;
    }

    // get
    const Result<SecretValue> value = resolveSecret(*workspace, named->ref);

    if (json) {
        QJsonObject o;
        o.insert(QStringLiteral("environment"), positional.at(1));
        o.insert(QStringLiteral("key"), positional.at(2));
        o.insert(QStringLiteral("reference"), named->ref.toString());
        o.insert(QStringLiteral("present"), value.ok());
        if (!value.ok()) {
            o.insert(QStringLiteral("error"), value.error().message);
            o.insert(QStringLiteral("error_code"), errorCodeName(value.error().code));
        }
        outJson(QJsonDocument(o));
        return value.ok() ? 0 : (value.error().code == ErrorCode::NotFound ? 1 : 3);
    }
    if (!value) {
        const int code = fail(value.error());
        return value.error().code == ErrorCode::NotFound ? 1 : code;
    }
    if (reveal) {
        recordAudit(positional.at(1), QStringLiteral("secret-reveal"), named->ref.toString(),
                    nullptr, -1);
        // Exact: the value is for `$(paritydeck secret get …)`, and the user asked for it.
        outExact(value->revealString() + QLatin1Char('\n'));
        return 0;
    }
    outLine(QStringLiteral("%1 (%2): present %3")
                .arg(named->label, named->ref.toString(), SecretValue::masked()));
    return 0;
}

} // namespace pd::cli
