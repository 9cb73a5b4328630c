// Owns the workspace file: finding it, reading it and turning every mistake in it into one
// "FILE:LINE:COL: what is wrong; what was expected" sentence. yaml-cpp only parses; all
// checks (unknown keys, duplicate keys, types, references) are ours, because yaml-cpp
// accepts duplicate keys silently and converts types loosely.
#include "workspace/workspaceloader.h"

#include "common/regularfile.h"
#include "db/connectionparams.h"
#include "workspace/closestname.h"
#include "workspace/migrationformat.h"
#include "workspace/protection.h"
#include "workspace/sourcetext.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QUrl>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <sstream>

#include <exception>
#include <functional>
#include <optional>
#include <vector>

namespace pd {

namespace {

// Where each YAML document of `yaml` starts, up to `most` of them; nothing is built.
class DocumentStarts final : public YAML::EventHandler
{
public:
    std::vector<YAML::Mark> starts;
    void OnDocumentStart(const YAML::Mark &mark) override { starts.push_back(mark); }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark &, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark &, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t,
                  const std::string &) override
    {
    }
    void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                         YAML::EmitterStyle::value) override
    {
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                    YAML::EmitterStyle::value) override
    {
    }
    void OnMapEnd() override {}
};

std::vector<YAML::Mark> documentStartsOf(const std::string &yaml, std::size_t most)
{
    std::istringstream in(yaml);
    YAML::Parser parser(in);
    DocumentStarts handler;
    while (handler.starts.size() < most && parser.HandleNextDocument(handler)) {
    }
    return handler.starts;
}

// The tab yaml-cpp tripped over, when the line it reports is indented with one. yaml-cpp
// names the token after the tab instead ("\tdev:" at its ':'). The tab is to blame when
// the same text with that line's tabs made spaces, as wide as an editor might show them,
// reads differently (no error, or another one); inside { } or [ ] a tab is only a blank,
// and the error moves along with the token it is about.
std::optional<int> tabBehind(const SourceText &source, const YAML::Exception &e)
{
    const auto tab = source.indentationTab(e.mark.line, e.mark.column);
    if (!tab)
        return std::nullopt;
    for (const int width : {1, 2, 4, 8}) {
        int added = 0;
        const QByteArray spaced = source.withIndentationTabsAsSpaces(e.mark.line, width, &added);
        try {
            // As parse() reads it: the first documents, then the first document's nodes.
            const std::string yaml(spaced.constData(), std::size_t(spaced.size()));
            const std::vector<YAML::Mark> starts = documentStartsOf(yaml, 3);
            const bool progress = std::adjacent_find(starts.cbegin(), starts.cend(),
                                                     [](const YAML::Mark &a, const YAML::Mark &b) {
                                                         return b.pos <= a.pos;
                                                     }) == starts.cend();
            if (progress)
                YAML::Load(yaml);
            return tab;
        } catch (const YAML::Exception &again) {
            if (again.msg != e.msg || again.mark.line != e.mark.line ||
                again.mark.column != e.mark.column + added)
                return tab;
        } catch (const std::exception &) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

// Whether the quoted scalar whose opening quote is at byte `start` has its closing quote.
// yaml-cpp 0.7 ends a quoted scalar silently at the end of the input, so a forgotten
// closing quote swallows the rest of the file into one value and the user hears about a
// missing key instead of the quote.
bool quoteIsClosed(const QByteArray &yaml, qsizetype start)
{
    const char quote = yaml.at(start);
    for (qsizetype i = start + 1; i < yaml.size(); ++i) {
        const char c = yaml.at(i);
        if (quote == '"' && c == '\\') {
            ++i;
            continue;
        }
        if (c != quote)
            continue;
        if (quote == '\'' && i + 1 < yaml.size() && yaml.at(i + 1) == '\'') {
            ++i; // '' is a quote inside single quotes
            continue;
        }
        return true;
    }
    return false;
}

// Where every quoted scalar (key or value) of the first document starts, from the
// parser's events: linear in the file, however many times aliases repeat a node.
class QuotedScalars final : public YAML::EventHandler
{
public:
    std::vector<YAML::Mark> marks;
    void OnDocumentStart(const YAML::Mark &) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark &, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark &, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t,
                  const std::string &) override
    {
        // yaml-cpp tags every non-plain scalar "!".
        if (tag == "!")
            marks.push_back(mark);
    }
    void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                         YAML::EmitterStyle::value) override
    {
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                    YAML::EmitterStyle::value) override
    {
    }
    void OnMapEnd() override {}
};

// The mark of the first quoted scalar that is never closed.
std::optional<YAML::Mark> unclosedQuote(const QByteArray &yaml)
{
    std::istringstream in(std::string(yaml.constData(), std::size_t(yaml.size())));
    YAML::Parser parser(in);
    QuotedScalars handler;
    parser.HandleNextDocument(handler);
    for (const YAML::Mark &mark : handler.marks) {
        const qsizetype start = mark.pos;
        if (start >= 0 && start < yaml.size() &&
            (yaml.at(start) == '"' || yaml.at(start) == '\'') && !quoteIsClosed(yaml, start))
            return mark;
    }
    return std::nullopt;
}

// Workspace files are a few kilobytes; the cap keeps a wrong --workspace (a database
// dump, /dev/zero) from being read into memory.
constexpr qint64 MaxFileBytes = 4 * 1024 * 1024;

QString documentShape()
{
    return QStringLiteral("a mapping with 'version', 'project' and 'environments'");
}

QString secretForms()
{
    return QStringLiteral("keychain:SERVICE/KEY, env:NAME, command:CMD or dotenv:FILE#KEY");
}

const QStringList &topLevelKeys()
{
    static const QStringList keys{
        QStringLiteral("version"),          QStringLiteral("project"),
        QStringLiteral("refresh_interval"), QStringLiteral("drift_interval"),
        QStringLiteral("migrations"),       QStringLiteral("environments"),
        QStringLiteral("parity"),           QStringLiteral("schema")};
    return keys;
}

const QStringList &migrationsKeys()
{
    static const QStringList keys{QStringLiteral("dir"), QStringLiteral("format"),
                                  QStringLiteral("command")};
    return keys;
}

const QStringList &schemaKeys()
{
    static const QStringList keys{QStringLiteral("include"), QStringLiteral("exclude"),
                                  QStringLiteral("privileges")};
    return keys;
}

const QStringList &parityKeys()
{
    static const QStringList keys{QStringLiteral("presence_only"), QStringLiteral("show_values"),
                                  QStringLiteral("probes"), QStringLiteral("target")};
    return keys;
}

const QStringList &commandProbeKeys()
{
    static const QStringList keys{QStringLiteral("name"),    QStringLiteral("command"),
                                  QStringLiteral("timeout"), QStringLiteral("secret"),
                                  QStringLiteral("weight"),  QStringLiteral("gate")};
    return keys;
}

// Built-in database probes, enabled by name.
const QStringList &builtinProbes()
{
    static const QStringList names{QStringLiteral("settings"), QStringLiteral("roles"),
                                   QStringLiteral("privileges"), QStringLiteral("reference_data")};
    return names;
}

const QStringList &environmentKeys()
{
    static const QStringList keys{QStringLiteral("protection"),     QStringLiteral("database"),
                                  QStringLiteral("services"),       QStringLiteral("config"),
                                  QStringLiteral("secrets"),        QStringLiteral("branches"),
                                  QStringLiteral("drift_interval"), QStringLiteral("promotes_from"),
                                  QStringLiteral("history")};
    return keys;
}

const QStringList &protectionLevels()
{
    static const QStringList levels{protectionName(Protection::None),
                                    protectionName(Protection::Confirm),
                                    protectionName(Protection::ReadOnly)};
    return levels;
}

const QStringList &databaseKeys()
{
    static const QStringList keys{
        QStringLiteral("url"), QStringLiteral("password"), QStringLiteral("connect_timeout"),
        QStringLiteral("statement_timeout"), QStringLiteral("keep_connection")};
    return keys;
}

const QStringList &serviceKeys()
{
    static const QStringList keys{
        QStringLiteral("name"),   QStringLiteral("start"),         QStringLiteral("stop"),
        QStringLiteral("status"), QStringLiteral("run"),           QStringLiteral("cwd"),
        QStringLiteral("env"),    QStringLiteral("secret_env"),    QStringLiteral("after"),
        QStringLiteral("health"), QStringLiteral("start_timeout"), QStringLiteral("restart")};
    return keys;
}

const QStringList &healthProbes()
{
    static const QStringList probes{QStringLiteral("tcp"), QStringLiteral("postgres"),
                                    QStringLiteral("http"), QStringLiteral("command")};
    return probes;
}

const QStringList &branchKeys()
{
    static const QStringList keys{QStringLiteral("git"), QStringLiteral("database"),
                                  QStringLiteral("naming"), QStringLiteral("cloud")};
    return keys;
}

const QStringList &cloudBranchKeys()
{
    static const QStringList keys{
        QStringLiteral("create"),     QStringLiteral("delete"),     QStringLiteral("list"),
        QStringLiteral("reset"),      QStringLiteral("connection"), QStringLiteral("list_format"),
        QStringLiteral("name_field"), QStringLiteral("url_field"),  QStringLiteral("parent"),
        QStringLiteral("timeout"),    QStringLiteral("env"),        QStringLiteral("secret_env")};
    return keys;
}

// Environment and service names become parts of database names, pidfile names and CLI
// arguments, so they stay within characters that are safe in all three.
bool isUsableName(const QString &name)
{
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z0-9][A-Za-z0-9_-]*")));
    return pattern.match(name).hasMatch();
}

bool isVariableName(const QString &name)
{
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z_][A-Za-z0-9_]*")));
    return pattern.match(name).hasMatch();
}

bool isSecretName(const QString &name)
{
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z_][A-Za-z0-9_.-]*")));
    return pattern.match(name).hasMatch();
}

bool isPort(QStringView text)
{
    if (text.isEmpty() || text.size() > 5)
        return false;
    bool ok = false;
    const int port = text.toInt(&ok);
    return ok && port >= 1 && port <= 65535 && text.front().isDigit();
}

// Thrown by WorkspaceReader at the first problem and caught in WorkspaceLoader::parse.
// Validation runs many levels deep and stops at the first error; unwinding to one place
// keeps each check a single line. It never leaves this file.
struct ConfigFailure
{
    SourceLocation where;
    QString message;
};

QString fromYaml(const std::string &text)
{
    return QString::fromStdString(text);
}

QString quoted(const QString &text)
{
    return u'\'' + text + u'\'';
}

// A scalar as messages show it: one line, short enough to read.
QString excerpt(const QString &value)
{
    QString oneLine = value.simplified();
    if (oneLine.size() > 40)
        oneLine = oneLine.first(39) + u'…';
    return quoted(oneLine);
}

QString describe(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map:
        return QStringLiteral("a mapping");
    case YAML::NodeType::Sequence:
        return QStringLiteral("a list");
    case YAML::NodeType::Scalar:
        return excerpt(fromYaml(node.Scalar()));
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        break;
    }
    return QStringLiteral("empty");
}

QString childPath(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

QString inside(const QString &path)
{
    return path.isEmpty() ? QStringLiteral("at the top level")
                          : QStringLiteral("in ") + quoted(path);
}

QString listOf(const QStringList &names)
{
    return QStringLiteral("one of: ") + names.join(QStringLiteral(", "));
}

// One "key: value" pair of a mapping and its dotted path (environments.dev.database.url),
// which names the setting in messages.
struct Field
{
    QString key;
    QString path;
    YAML::Node keyNode;
    YAML::Node value;
};

const Field *findField(const QList<Field> &fields, const QString &key)
{
    for (const Field &field : fields) {
        if (field.key == key)
            return &field;
    }
    return nullptr;
}

class WorkspaceReader final
{
public:
    explicit WorkspaceReader(const SourceText &source)
        : m_source(source)
    {
    }

    void read(const YAML::Node &root, Workspace &workspace) const;

private:
    [[noreturn]] void fail(const SourceLocation &where, const QString &message) const
    {
        throw ConfigFailure{where, message};
    }
    [[noreturn]] void failType(const Field &field, const QString &expected) const
    {
        fail(at(field), quoted(field.path) + QStringLiteral(" is ") + describe(field.value) +
                            QStringLiteral("; expected ") + expected);
    }
    [[noreturn]] void failMissing(const YAML::Node &map, const QString &path, const QString &key,
                                  const QString &expected) const
    {
        fail(at(map), QStringLiteral("missing ") + quoted(key) + u' ' + inside(path) +
                          QStringLiteral("; expected ") + expected);
    }

    SourceLocation at(const YAML::Node &node) const
    {
        const YAML::Mark mark = node.Mark();
        return m_source.locate(mark.line, mark.column);
    }
    // yaml-cpp gives an empty value the position of whatever follows it, often the next
    // line; the key is where the user has to look.
    SourceLocation at(const Field &field) const
    {
        return field.value.IsNull() ? at(field.keyNode) : at(field.value);
    }
    SourceLocation atOffset(const Field &field, const QString &text, qsizetype offset) const
    {
        const YAML::Mark mark = field.value.Mark();
        return m_source.locateWithin(mark.line, mark.column, text, offset);
    }

    QList<Field> fieldsOf(const YAML::Node &map, const QString &path,
                          const QString &duplicateWhat = {}) const;
    void rejectUnknownKeys(const QList<Field> &fields, const QString &path,
                           const QStringList &known) const;
    QList<Field> mapping(const YAML::Node &map, const QString &path, const QStringList &known) const
    {
        QList<Field> fields = fieldsOf(map, path);
        rejectUnknownKeys(fields, path, known);
        return fields;
    }

    QString text(const Field &field, const QString &expected) const;
    // Multi-line commands (block scalars) need line breaks and tabs; names never do.
    enum class ControlCharacters { NoneAllowed, LineBreaksAndTabsAllowed };
    void rejectControlCharacters(const Field &field, const QString &value,
                                 ControlCharacters allowed, const QString &expected) const;
    QString name(const Field &field, const QString &expected) const
    {
        const QString value = text(field, expected);
        rejectControlCharacters(field, value, ControlCharacters::NoneAllowed, expected);
        return value;
    }
    int wholeNumber(const Field &field, int minimum, const QString &expected) const;
    bool flag(const Field &field) const;
    QString choice(const Field &field, const QStringList &choices, const QString &what) const;
    SecretRef secretRef(const Field &field) const;

    MigrationsConfig readMigrations(const Field &field) const;
    void readParity(const Field &field, Workspace &workspace) const;
    QStringList readNameList(const Field &field, const QString &expected) const;
    QList<ParityProbeConfig> readProbes(const Field &field) const;
    ParityProbeConfig readProbe(const YAML::Node &item, const QString &path) const;
    void readSchema(const Field &field, Workspace &workspace) const;
    QList<EnvironmentConfig> readEnvironments(const Field &field) const;
    EnvironmentConfig readEnvironment(const Field &field) const;
    void checkPromotionChain(const QList<EnvironmentConfig> &environments) const;
    DatabaseConfig readDatabase(const Field &field) const;
    void checkDatabaseUrl(const Field &field, const QString &url) const;
    QList<ServiceConfig> readServices(const Field &field, const QString &environment) const;
    ServiceConfig readService(const YAML::Node &item, const QString &path,
                              QList<YAML::Node> &afterNodes) const;
    void checkServiceOrder(const QList<ServiceConfig> &services,
                           const QList<QList<YAML::Node>> &afterNodes,
                           const QString &environment) const;
    HealthProbeConfig readHealth(const Field &field) const;
    void checkHostPort(const Field &field, const QString &target) const;
    BranchConfig readBranches(const Field &field) const;
    CloudBranchesConfig readCloudBranches(const Field &field) const;
    QString commandTemplate(const Field &field, const QStringList &placeholders,
                            const QStringList &required) const;
    QString readDotenv(const Field &field) const;
    QMap<QString, QString> readVariables(const Field &field) const;
    QMap<QString, SecretRef> readSecretMap(const Field &field, bool variableNames) const;

    const SourceText &m_source;
};

QList<Field> WorkspaceReader::fieldsOf(const YAML::Node &map, const QString &path,
                                       const QString &duplicateWhat) const
{
    QList<Field> fields;
    QHash<QString, int> firstLine;
    for (auto it = map.begin(); it != map.end(); ++it) {
        const YAML::Node keyNode = it->first;
        if (!keyNode.IsScalar()) {
            fail(at(keyNode), QStringLiteral("a key ") + inside(path) + QStringLiteral(" is ") +
                                  describe(keyNode) + QStringLiteral("; expected a plain name"));
        }
        const QString key = fromYaml(keyNode.Scalar());
        if (key == u"<<") {
            // yaml-cpp 0.7 reads merge keys as an ordinary key named "<<".
            fail(at(keyNode), QStringLiteral("merge key '<<' ") + inside(path) +
                                  QStringLiteral(" is not supported; expected the settings "
                                                 "written out in full"));
        }
        const SourceLocation where = at(keyNode);
        if (const auto first = firstLine.constFind(key); first != firstLine.cend()) {
            if (duplicateWhat.isEmpty()) {
                fail(where, QStringLiteral("duplicate key %1 %2 (first at line %3); expected "
                                           "each key once")
                                .arg(quoted(key), inside(path))
                                .arg(*first));
            }
            fail(where, QStringLiteral("duplicate %1 %2 (first defined at line %3); expected "
                                       "unique %1 names")
                            .arg(duplicateWhat, quoted(key))
                            .arg(*first));
        }
        firstLine.insert(key, where.line);
        fields.append(Field{key, childPath(path, key), keyNode, it->second});
    }
    return fields;
}

void WorkspaceReader::rejectUnknownKeys(const QList<Field> &fields, const QString &path,
                                        const QStringList &known) const
{
    for (const Field &field : fields) {
        if (known.contains(field.key))
            continue;
        const QString start =
            QStringLiteral("unknown key ") + quoted(field.key) + u' ' + inside(path);
        const QString suggestion = closestName(field.key, known);
        if (!suggestion.isEmpty())
            fail(at(field.keyNode),
                 start + QStringLiteral("; did you mean ") + quoted(suggestion) + u'?');
        fail(at(field.keyNode), start + QStringLiteral("; expected ") + listOf(known));
    }
}

QString WorkspaceReader::text(const Field &field, const QString &expected) const
{
    if (!field.value.IsScalar())
        failType(field, expected);
    const QString value = fromYaml(field.value.Scalar());
    if (value.trimmed().isEmpty())
        fail(at(field), quoted(field.path) + QStringLiteral(" is empty; expected ") + expected);
    rejectControlCharacters(field, value, ControlCharacters::LineBreaksAndTabsAllowed, expected);
    return value;
}

void WorkspaceReader::rejectControlCharacters(const Field &field, const QString &value,
                                              ControlCharacters allowed,
                                              const QString &expected) const
{
    // The file itself holds only printable text (SourceText::encodingProblem), but YAML
    // escapes in quoted scalars ("\0", "\x1b", "\r") make any character. A NUL cuts a
    // command short where it reaches the C library, and a carriage return or an escape
    // sequence makes a command or name print as something other than what runs.
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char16_t c = value.at(i).unicode();
        const bool lineBreakOrTab = c == u'\n' || c == u'\t';
        const bool control = c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
        if (!control || (lineBreakOrTab && allowed == ControlCharacters::LineBreaksAndTabsAllowed))
            continue;
        fail(atOffset(field, value, i),
             quoted(field.path) +
                 QStringLiteral(" contains the control character U+%1; expected ")
                     .arg(QString::number(c, 16).toUpper().rightJustified(4, u'0')) +
                 expected + QStringLiteral(" in printable characters"));
    }
}

int WorkspaceReader::wholeNumber(const Field &field, int minimum, const QString &expected) const
{
    // Only what YAML itself reads as an integer: a quoted "5" is text, and 2.5 or 1e3 are
    // not a number of seconds.
    static const QRegularExpression digits(
        QRegularExpression::anchoredPattern(QStringLiteral("[+-]?[0-9]+")));
    if (field.value.IsScalar() && field.value.Tag() == "!") {
        fail(at(field), quoted(field.path) + QStringLiteral(" is the quoted text ") +
                            excerpt(fromYaml(field.value.Scalar())) +
                            QStringLiteral("; expected ") + expected +
                            QStringLiteral(", without quotes"));
    }
    bool ok = false;
    int number = 0;
    if (field.value.IsScalar()) {
        const QString value = fromYaml(field.value.Scalar());
        if (digits.match(value).hasMatch())
            number = value.toInt(&ok);
    }
    if (!ok)
        failType(field, expected);
    if (number < minimum)
        failType(field, expected);
    return number;
}

bool WorkspaceReader::flag(const Field &field) const
{
    // YAML 1.2 booleans only: "yes", "on" and "y" are the YAML 1.1 surprises that turn a
    // country code into false.
    const QString expected = QStringLiteral("true or false");
    if (field.value.IsScalar() && field.value.Tag() != "!") {
        const QString value = fromYaml(field.value.Scalar());
        if (value == u"true" || value == u"True" || value == u"TRUE")
            return true;
        if (value == u"false" || value == u"False" || value == u"FALSE")
            return false;
    }
    failType(field, expected);
}

QString WorkspaceReader::choice(const Field &field, const QStringList &choices,
                                const QString &what) const
{
    const QString value = text(field, listOf(choices));
    if (choices.contains(value))
        return value;
    QString message = QStringLiteral("unknown ") + what + u' ' + excerpt(value) +
                      QStringLiteral("; expected ") + listOf(choices);
    const QString suggestion = closestName(value, choices);
    if (!suggestion.isEmpty())
        message += QStringLiteral(" (did you mean ") + quoted(suggestion) + QStringLiteral("?)");
    fail(at(field), message);
}

SecretRef WorkspaceReader::secretRef(const Field &field) const
{
    if (!field.value.IsScalar())
        failType(field, QStringLiteral("a secret reference: ") + secretForms());
    const QString value = fromYaml(field.value.Scalar());
    rejectControlCharacters(field, value, ControlCharacters::NoneAllowed,
                            QStringLiteral("a secret reference"));
    int offset = 0;
    Result<SecretRef> parsed = SecretRef::parse(value, &offset);
    if (!parsed)
        fail(atOffset(field, value, offset),
             quoted(field.path) + QStringLiteral(": ") + parsed.error().message);
    return parsed.value();
}

void WorkspaceReader::read(const YAML::Node &root, Workspace &workspace) const
{
    if (!root.IsMap()) {
        fail(at(root), QStringLiteral("the file holds ") + describe(root) +
                           QStringLiteral("; expected ") + documentShape());
    }
    const QList<Field> fields = fieldsOf(root, {});

    // The version decides which keys exist, so a newer file gets "unsupported version"
    // rather than a complaint about its first new key.
    const Field *version = findField(fields, QStringLiteral("version"));
    if (!version)
        failMissing(root, {}, QStringLiteral("version"), QStringLiteral("version: 1"));
    workspace.version = wholeNumber(*version, 0, QStringLiteral("1"));
    if (workspace.version != 1) {
        fail(at(*version), QStringLiteral("unsupported workspace version %1; expected version: 1 "
                                          "(the only version this ParityDeck reads)")
                               .arg(workspace.version));
    }
    rejectUnknownKeys(fields, {}, topLevelKeys());

    const Field *project = findField(fields, QStringLiteral("project"));
    if (!project)
        failMissing(root, {}, QStringLiteral("project"), QStringLiteral("the project's name"));
    workspace.project = name(*project, QStringLiteral("the project's name"));

    if (const Field *interval = findField(fields, QStringLiteral("refresh_interval"))) {
        workspace.refreshIntervalSeconds =
            wholeNumber(*interval, 1, QStringLiteral("a whole number of seconds, at least 1"));
    }
    if (const Field *interval = findField(fields, QStringLiteral("drift_interval"))) {
        workspace.driftIntervalSeconds =
            wholeNumber(*interval, 0,
                        QStringLiteral("a whole number of seconds, 0 to turn the "
                                       "drift watch off"));
    }
    if (const Field *migrations = findField(fields, QStringLiteral("migrations")))
        workspace.migrations = readMigrations(*migrations);
    if (const Field *parity = findField(fields, QStringLiteral("parity")))
        readParity(*parity, workspace);
    if (const Field *schema = findField(fields, QStringLiteral("schema")))
        readSchema(*schema, workspace);

    const Field *environments = findField(fields, QStringLiteral("environments"));
    if (!environments) {
        failMissing(root, {}, QStringLiteral("environments"),
                    QStringLiteral("a mapping of environment names to their settings"));
    }
    workspace.environments = readEnvironments(*environments);
}

MigrationsConfig WorkspaceReader::readMigrations(const Field &field) const
{
    MigrationsConfig migrations;
    if (field.value.IsNull())
        return migrations;
    if (!field.value.IsMap())
        failType(field, QStringLiteral("a mapping with 'dir', 'format' or 'command'"));
    const QList<Field> fields = mapping(field.value, field.path, migrationsKeys());
    if (const Field *dir = findField(fields, QStringLiteral("dir"))) {
        migrations.dir = text(*dir, QStringLiteral("a folder, relative to the workspace file"));
        migrations.dirGiven = true;
    }
    if (const Field *format = findField(fields, QStringLiteral("format")))
        migrations.format =
            choice(*format, migrationFormatNames(), QStringLiteral("migrations format"));
    if (const Field *command = findField(fields, QStringLiteral("command")))
        migrations.command = text(*command, QStringLiteral("a shell command"));
    return migrations;
}

QStringList WorkspaceReader::readNameList(const Field &field, const QString &expected) const
{
    QStringList names;
    if (field.value.IsNull())
        return names;
    if (!field.value.IsSequence())
        failType(field, expected);
    for (std::size_t i = 0; i < field.value.size(); ++i) {
        const YAML::Node entry = field.value[i];
        const Field entryField{QString(), field.path + u'[' + QString::number(i) + u']', entry,
                               entry};
        const QString entryName = name(entryField, QStringLiteral("a name"));
        if (!names.contains(entryName))
            names.append(entryName);
    }
    return names;
}

void WorkspaceReader::readParity(const Field &field, Workspace &workspace) const
{
    if (field.value.IsNull())
        return;
    if (!field.value.IsMap())
        failType(field, QStringLiteral("a mapping with 'presence_only', 'show_values', 'probes' "
                                       "or 'target'"));
    const QList<Field> fields = mapping(field.value, field.path, parityKeys());
    if (const Field *probes = findField(fields, QStringLiteral("probes")))
        workspace.parityProbes = readProbes(*probes);
    if (const Field *target = findField(fields, QStringLiteral("target"))) {
        const QString expected =
            QStringLiteral("a whole percentage from 0 to 100, e.g. target: 95");
        const int percent = wholeNumber(*target, 0, expected);
        if (percent > 100)
            failType(*target, expected);
        workspace.parityTarget = percent;
    }
    if (const Field *presence = findField(fields, QStringLiteral("presence_only")))
        workspace.parityPresenceOnly = readNameList(
            *presence, QStringLiteral("a list of config keys whose values differ by design"));
    if (const Field *shown = findField(fields, QStringLiteral("show_values")))
        workspace.parityShowValues = readNameList(
            *shown, QStringLiteral("a list of config keys whose values are not secret"));
}

QList<ParityProbeConfig> WorkspaceReader::readProbes(const Field &field) const
{
    QList<ParityProbeConfig> probes;
    if (field.value.IsNull())
        return probes;
    if (!field.value.IsSequence())
        failType(field,
                 QStringLiteral("a list of probes: { name: NAME, command: CMD } or one of ") +
                     builtinProbes().join(QStringLiteral(", ")));
    QHash<QString, int> firstLine; // a row's name → where it was first given
    for (std::size_t i = 0; i < field.value.size(); ++i) {
        const YAML::Node item = field.value[i];
        const QString path = field.path + u'[' + QString::number(i) + u']';
        ParityProbeConfig probe = readProbe(item, path);
        const QString id = probe.kind == ParityProbeConfig::Kind::Command
                               ? QStringLiteral("probe ") + quoted(probe.name)
                               : QStringLiteral("built-in probe ") +
                                     quoted(builtinProbes().at(int(probe.kind) - 1));
        if (const auto first = firstLine.constFind(id); first != firstLine.cend())
            fail(probe.location, QStringLiteral("duplicate %1 in %2 (first at line %3); expected "
                                                "each probe once")
                                     .arg(id, quoted(field.path))
                                     .arg(*first));
        firstLine.insert(id, probe.location.line);
        probes.append(probe);
    }
    return probes;
}

ParityProbeConfig WorkspaceReader::readProbe(const YAML::Node &item, const QString &path) const
{
    ParityProbeConfig probe;
    probe.location = at(item);
    const Field itemField{QString(), path, item, item};
    const QString expected =
        QStringLiteral("{ name: NAME, command: CMD }, roles, privileges, "
                       "{ settings: [NAME, …] } or { reference_data: [TABLE, …] }");
    if (item.IsScalar()) {
        const QString value = choice(itemField, builtinProbes(), QStringLiteral("built-in probe"));
        if (value == u"roles")
            probe.kind = ParityProbeConfig::Kind::Roles;
        else if (value == u"privileges")
            probe.kind = ParityProbeConfig::Kind::Privileges;
        else
            fail(at(item), quoted(path) + QStringLiteral(" is ") + quoted(value) +
                               QStringLiteral(" without a list; expected { ") + value +
                               QStringLiteral(": [NAME, …] }"));
        return probe;
    }
    if (!item.IsMap())
        failType(itemField, expected);
    const QList<Field> fields = fieldsOf(item, path);
    const auto builtin = std::find_if(fields.cbegin(), fields.cend(), [](const Field &f) {
        return builtinProbes().contains(f.key);
    });
    const bool isCommand =
        findField(fields, QStringLiteral("command")) || findField(fields, QStringLiteral("name"));
    if (builtin != fields.cend() && !isCommand) {
        rejectUnknownKeys(fields, path,
                          {builtin->key, QStringLiteral("weight"), QStringLiteral("gate")});
        if (builtin->key == u"roles" || builtin->key == u"privileges") {
            if (!flag(*builtin))
                fail(at(*builtin),
                     quoted(builtin->path) +
                         QStringLiteral(" is false; leave the probe out to turn it off"));
            probe.kind = builtin->key == u"roles" ? ParityProbeConfig::Kind::Roles
                                                  : ParityProbeConfig::Kind::Privileges;
        } else if (builtin->key == u"settings") {
            probe.kind = ParityProbeConfig::Kind::Settings;
            probe.names = readNameList(*builtin, QStringLiteral("a list of setting names, e.g. "
                                                                "[TimeZone, max_connections]"));
            static const QRegularExpression setting(
                QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z_][A-Za-z0-9_.]*")));
            for (std::size_t n = 0; n < builtin->value.size(); ++n) {
                const QString name = fromYaml(builtin->value[n].Scalar());
                if (!setting.match(name).hasMatch())
                    fail(at(builtin->value[n]),
                         QStringLiteral("setting name %1 is not usable; "
                                        "expected a name as pg_settings lists it")
                             .arg(excerpt(name)));
            }
        } else {
            probe.kind = ParityProbeConfig::Kind::ReferenceData;
            probe.names = readNameList(*builtin, QStringLiteral("a list of tables, e.g. "
                                                                "[countries, public.plans]"));
            static const QRegularExpression table(QRegularExpression::anchoredPattern(
                QStringLiteral("([A-Za-z_][A-Za-z0-9_$]*\\.)?[A-Za-z_][A-Za-z0-9_$]*")));
            for (std::size_t n = 0; n < builtin->value.size(); ++n) {
                const QString name = fromYaml(builtin->value[n].Scalar());
                if (!table.match(name).hasMatch())
                    fail(at(builtin->value[n]), QStringLiteral("table name %1 is not usable; "
                                                               "expected TABLE or SCHEMA.TABLE")
                                                    .arg(excerpt(name)));
            }
        }
        if (probe.names.isEmpty() && (probe.kind == ParityProbeConfig::Kind::Settings ||
                                      probe.kind == ParityProbeConfig::Kind::ReferenceData))
            fail(at(*builtin), quoted(builtin->path) + QStringLiteral(" is empty; expected at "
                                                                      "least one name"));
    } else {
        rejectUnknownKeys(fields, path, commandProbeKeys());
        const Field *name = findField(fields, QStringLiteral("name"));
        if (!name)
            failMissing(item, path, QStringLiteral("name"), QStringLiteral("the probe's name"));
        probe.name = this->name(*name, QStringLiteral("the probe's name"));
        const Field *command = findField(fields, QStringLiteral("command"));
        if (!command)
            failMissing(item, path, QStringLiteral("command"),
                        QStringLiteral("a shell command, e.g. python3 --version"));
        probe.command = text(*command, QStringLiteral("a shell command"));
        if (const Field *timeout = findField(fields, QStringLiteral("timeout")))
            probe.timeoutSeconds =
                wholeNumber(*timeout, 1, QStringLiteral("a whole number of seconds, at least 1"));
        if (const Field *secret = findField(fields, QStringLiteral("secret")))
            probe.secret = flag(*secret);
    }
    if (const Field *weight = findField(fields, QStringLiteral("weight")))
        probe.weight = wholeNumber(*weight, 0, QStringLiteral("a whole number, 0 or more"));
    if (const Field *gate = findField(fields, QStringLiteral("gate")))
        probe.gate = flag(*gate);
    return probe;
}

void WorkspaceReader::readSchema(const Field &field, Workspace &workspace) const
{
    if (field.value.IsNull())
        return;
    if (!field.value.IsMap())
        failType(field, QStringLiteral("a mapping with 'include', 'exclude' or 'privileges'"));
    const QList<Field> fields = mapping(field.value, field.path, schemaKeys());
    if (const Field *include = findField(fields, QStringLiteral("include")))
        workspace.schemaInclude =
            readNameList(*include, QStringLiteral("a list of schema names (globs allowed)"));
    if (const Field *exclude = findField(fields, QStringLiteral("exclude")))
        workspace.schemaExclude =
            readNameList(*exclude, QStringLiteral("a list of schema names (globs allowed)"));
    if (const Field *privileges = findField(fields, QStringLiteral("privileges")))
        workspace.schemaPrivileges = flag(*privileges);
}

QList<EnvironmentConfig> WorkspaceReader::readEnvironments(const Field &field) const
{
    const QString expected = QStringLiteral("at least one environment, e.g. dev: { database: "
                                            "{ url: postgresql://USER@HOST/DBNAME } }");
    if (field.value.IsNull() || (field.value.IsMap() && field.value.size() == 0))
        fail(at(field), quoted(field.path) + QStringLiteral(" is empty; expected ") + expected);
    if (!field.value.IsMap())
        failType(field, QStringLiteral("a mapping of environment names to their settings"));

    QList<EnvironmentConfig> environments;
    for (const Field &environment :
         fieldsOf(field.value, field.path, QStringLiteral("environment")))
        environments.append(readEnvironment(environment));
    checkPromotionChain(environments);
    return environments;
}

// promotes_from names another environment, and following it from any environment ends at
// one that is promoted from nowhere: at most one step fewer than there are environments.
void WorkspaceReader::checkPromotionChain(const QList<EnvironmentConfig> &environments) const
{
    QStringList names;
    for (const EnvironmentConfig &env : environments)
        names.append(env.name);
    for (const EnvironmentConfig &env : environments) {
        if (env.promotesFrom.isEmpty())
            continue;
        if (env.promotesFrom == env.name) {
            fail(env.promotesFromLocation,
                 QStringLiteral("environment %1 is promoted from itself; expected another "
                                "environment (e.g. staging: { promotes_from: dev })")
                     .arg(quoted(env.name)));
        }
        if (!names.contains(env.promotesFrom)) {
            QStringList candidates = names;
            candidates.removeAll(env.name);
            QString message = QStringLiteral("environment %1 is promoted from %2, which is not an "
                                             "environment of this workspace; expected ")
                                  .arg(quoted(env.name), quoted(env.promotesFrom)) +
                              listOf(candidates);
            const QString suggestion = closestName(env.promotesFrom, candidates);
            if (!suggestion.isEmpty())
                message +=
                    QStringLiteral(" (did you mean ") + quoted(suggestion) + QStringLiteral("?)");
            fail(env.promotesFromLocation, message);
        }
    }
    // Walk upstream from each environment: a chain that comes back to a name on it is a
    // cycle (so longer than the environments), reported at the promotes_from that closes it.
    for (const EnvironmentConfig &env : environments) {
        QStringList chain{env.name};
        const EnvironmentConfig *current = &env;
        while (!current->promotesFrom.isEmpty()) {
            const QString upstream = current->promotesFrom;
            if (chain.contains(upstream)) {
                QStringList shown;
                for (qsizetype k = chain.indexOf(upstream); k < chain.size(); ++k)
                    shown.append(quoted(chain.at(k)));
                shown.append(quoted(upstream));
                fail(current->promotesFromLocation,
                     QStringLiteral(
                         "promotes_from goes round in a circle (%1, each promoted from the "
                         "next); expected a chain that starts at an environment without "
                         "promotes_from, no longer than the %2 environments")
                         .arg(shown.join(QStringLiteral(" ← ")))
                         .arg(environments.size()));
            }
            chain.append(upstream);
            current = &environments.at(names.indexOf(upstream));
        }
    }
}

EnvironmentConfig WorkspaceReader::readEnvironment(const Field &field) const
{
    EnvironmentConfig environment;
    environment.name = field.key;
    environment.location = at(field.keyNode);
    if (!isUsableName(field.key)) {
        fail(environment.location,
             QStringLiteral("environment name %1 is not usable; expected letters, digits, '-' "
                            "and '_', starting with a letter or digit")
                 .arg(excerpt(field.key)));
    }
    if (!field.value.IsMap())
        failType(field, QStringLiteral("a mapping with at least 'database'"));
    const QList<Field> fields = mapping(field.value, field.path, environmentKeys());

    if (const Field *protection = findField(fields, QStringLiteral("protection"))) {
        const QString level =
            choice(*protection, protectionLevels(), QStringLiteral("protection level"));
        environment.protection = level == protectionName(Protection::Confirm) ? Protection::Confirm
                                 : level == protectionName(Protection::ReadOnly)
                                     ? Protection::ReadOnly
                                     : Protection::None;
    }
    if (const Field *interval = findField(fields, QStringLiteral("drift_interval"))) {
        environment.driftIntervalSeconds =
            wholeNumber(*interval, 0,
                        QStringLiteral("a whole number of seconds, 0 to turn the "
                                       "drift watch off for this environment"));
    }
    if (const Field *upstream = findField(fields, QStringLiteral("promotes_from"))) {
        environment.promotesFrom =
            name(*upstream, QStringLiteral("the name of the environment migrations are promoted "
                                           "from, e.g. dev"));
        environment.promotesFromLocation = at(*upstream);
    }
    if (const Field *history = findField(fields, QStringLiteral("history"))) {
        const QString store =
            choice(*history, {QStringLiteral("local"), QStringLiteral("database")},
                   QStringLiteral("history store"));
        if (store == u"database") {
            // The protection rule decides: a read-only database is never written to.
            const ProtectionDecision decision = protectionDecision(
                environment.name, environment.protection, ProtectedChange::SharedHistory);
            if (decision.verdict == ProtectionVerdict::Refused)
                fail(at(*history), quoted(history->path) + QStringLiteral(": ") + decision.reason +
                                       QStringLiteral("; expected history: local (the default) "
                                                      "for a read-only environment"));
            environment.history = HistoryStore::Database;
        }
    }
    const Field *database = findField(fields, QStringLiteral("database"));
    if (!database) {
        failMissing(field.value, field.path, QStringLiteral("database"),
                    QStringLiteral("a 'database' mapping with a 'url'"));
    }
    environment.database = readDatabase(*database);
    if (const Field *services = findField(fields, QStringLiteral("services")))
        environment.services = readServices(*services, environment.name);
    if (const Field *config = findField(fields, QStringLiteral("config")))
        environment.dotenv = readDotenv(*config);
    if (const Field *secrets = findField(fields, QStringLiteral("secrets")))
        environment.secrets = readSecretMap(*secrets, false);
    if (const Field *branches = findField(fields, QStringLiteral("branches")))
        environment.branches = readBranches(*branches);
    return environment;
}

DatabaseConfig WorkspaceReader::readDatabase(const Field &field) const
{
    DatabaseConfig database;
    database.location = at(field.keyNode);
    if (!field.value.IsMap())
        failType(field, QStringLiteral("a mapping with a 'url'"));
    const QList<Field> fields = mapping(field.value, field.path, databaseKeys());

    const Field *url = findField(fields, QStringLiteral("url"));
    if (!url) {
        failMissing(field.value, field.path, QStringLiteral("url"),
                    QStringLiteral("url: postgresql://USER@HOST[:PORT]/DBNAME"));
    }
    database.url = text(*url, QStringLiteral("postgresql://USER@HOST[:PORT]/DBNAME"));
    checkDatabaseUrl(*url, database.url);
    if (const Field *password = findField(fields, QStringLiteral("password")))
        database.password = secretRef(*password);
    if (const Field *timeout = findField(fields, QStringLiteral("connect_timeout"))) {
        database.connectTimeoutSeconds =
            wholeNumber(*timeout, 1, QStringLiteral("a whole number of seconds, at least 1"));
    }
    if (const Field *timeout = findField(fields, QStringLiteral("statement_timeout"))) {
        database.statementTimeoutSeconds =
            wholeNumber(*timeout, 0, QStringLiteral("a whole number of seconds, 0 for no limit"));
    }
    if (const Field *keep = findField(fields, QStringLiteral("keep_connection")))
        database.keepConnection = flag(*keep);
    return database;
}

void WorkspaceReader::checkDatabaseUrl(const Field &field, const QString &url) const
{
    // Shape first, with positions, then ConnectionParams::fromUrl's full parse.
    // Written by hand because libpq URLs go beyond what QUrl accepts (an empty host for
    // the default socket, host lists, which fromUrl then refuses with their position).
    const auto failAt = [&](qsizetype offset, const QString &message) {
        fail(atOffset(field, url, offset), quoted(field.path) + message);
    };
    const QString passwordHint =
        QStringLiteral(" contains a password; expected no password in the URL: set 'password' "
                       "to a secret reference instead (") +
        secretForms() + u')';

    qsizetype schemeEnd = 0;
    if (url.startsWith(u"postgresql://"))
        schemeEnd = 13;
    else if (url.startsWith(u"postgres://"))
        schemeEnd = 11;
    else
        failAt(0, QStringLiteral(" is not a PostgreSQL URL; expected "
                                 "postgresql://USER@HOST[:PORT]/DBNAME"));

    // A password is reported as such whatever else is wrong with the URL: it is the one
    // mistake that leaks something.
    qsizetype authorityEnd = url.size();
    for (qsizetype i = schemeEnd; i < url.size(); ++i) {
        if (url[i] == u'/' || url[i] == u'?' || url[i] == u'#') {
            authorityEnd = i;
            break;
        }
    }
    const QString authority = url.mid(schemeEnd, authorityEnd - schemeEnd);
    const qsizetype userEnd = authority.lastIndexOf(u'@');
    if (userEnd >= 0) {
        const qsizetype colon = authority.first(userEnd).indexOf(u':');
        if (colon >= 0)
            failAt(schemeEnd + colon + 1, passwordHint);
    }
    if (const qsizetype query = url.indexOf(u'?', authorityEnd); query >= 0) {
        qsizetype start = query + 1;
        while (start <= url.size()) {
            qsizetype end = url.indexOf(u'&', start);
            if (end < 0)
                end = url.size();
            // sslpassword unlocks the client key: a secret too, which the file must not hold.
            const QStringView parameter = QStringView(url).sliced(start, end - start);
            if (parameter.startsWith(u"password=") || parameter.startsWith(u"sslpassword="))
                failAt(start, passwordHint);
            start = end + 1;
        }
    }

    for (qsizetype i = 0; i < url.size(); ++i) {
        if (url[i].isSpace())
            failAt(i, QStringLiteral(" contains a space; expected a URL without spaces (write "
                                     "a space as %20)"));
    }

    const qsizetype hostsStart = schemeEnd + userEnd + 1;
    const QString hosts = authority.mid(userEnd + 1);
    qsizetype start = 0;
    while (start <= hosts.size()) {
        qsizetype end = hosts.indexOf(u',', start);
        if (end < 0)
            end = hosts.size();
        const QStringView host = QStringView(hosts).sliced(start, end - start);
        // "[::1]:5432" keeps its colons inside brackets.
        const qsizetype portColon = host.startsWith(u'[')
                                        ? (host.indexOf(u"]:") < 0 ? -1 : host.indexOf(u"]:") + 1)
                                        : host.lastIndexOf(u':');
        if (portColon >= 0) {
            const QStringView port = host.sliced(portColon + 1);
            if (!isPort(port)) {
                failAt(hostsStart + start + portColon + 1,
                       QStringLiteral(" has port %1; expected a number from 1 to 65535")
                           .arg(excerpt(port.toString())));
            }
        }
        start = end + 1;
    }

    // The rest is ConnectionParams' full parse, which the connection uses later: several
    // hosts, a malformed IPv6 address or an unknown parameter is a mistake in this file,
    // so it is reported here with its position rather than as a failure to connect.
    qsizetype offset = 0;
    if (const Result<ConnectionParams> params = ConnectionParams::fromUrl(url, &offset); !params)
        failAt(offset, QStringLiteral(": ") + params.error().message);
}

QList<ServiceConfig> WorkspaceReader::readServices(const Field &field,
                                                   const QString &environment) const
{
    if (field.value.IsNull())
        return {};
    if (!field.value.IsSequence())
        failType(field, QStringLiteral("a list of services, each starting with '- name:'"));

    QList<ServiceConfig> services;
    QList<QList<YAML::Node>> afterNodes;
    QHash<QString, int> firstLine;
    for (std::size_t i = 0; i < field.value.size(); ++i) {
        const YAML::Node item = field.value[i];
        const QString path = field.path + u'[' + QString::number(i) + u']';
        if (!item.IsMap()) {
            failType(Field{QString(), path, item, item},
                     QStringLiteral("a mapping with 'name' and either 'run' or 'start'/'stop'"));
        }
        QList<YAML::Node> after;
        ServiceConfig service = readService(item, path, after);
        const YAML::Node nameNode = item[std::string("name")];
        if (const auto first = firstLine.constFind(service.name); first != firstLine.cend()) {
            fail(at(nameNode), QStringLiteral("duplicate service %1 in environment %2 (first "
                                              "defined at line %3); expected unique service names")
                                   .arg(quoted(service.name), quoted(environment))
                                   .arg(*first));
        }
        firstLine.insert(service.name, at(nameNode).line);
        services.append(service);
        afterNodes.append(after);
    }
    checkServiceOrder(services, afterNodes, environment);
    return services;
}

ServiceConfig WorkspaceReader::readService(const YAML::Node &item, const QString &path,
                                           QList<YAML::Node> &afterNodes) const
{
    ServiceConfig service;
    service.location = at(item);
    const QList<Field> fields = mapping(item, path, serviceKeys());
    const auto find = [&](const char *key) { return findField(fields, QString::fromLatin1(key)); };

    const Field *name = find("name");
    if (!name) {
        failMissing(item, path, QStringLiteral("name"),
                    QStringLiteral("a name unique within the environment"));
    }
    service.name = this->name(*name, QStringLiteral("a name unique within the environment"));
    if (!isUsableName(service.name)) {
        fail(at(*name), QStringLiteral("service name %1 is not usable; expected letters, digits, "
                                       "'-' and '_', starting with a letter or digit")
                            .arg(excerpt(service.name)));
    }
    const QString serviceName = QStringLiteral("service ") + quoted(service.name);
    const QString shellCommand = QStringLiteral("a shell command");
    const Field *start = find("start");
    const Field *stop = find("stop");
    const Field *run = find("run");
    if (start)
        service.start = text(*start, shellCommand);
    if (stop)
        service.stop = text(*stop, shellCommand);
    if (const Field *status = find("status"))
        service.status = text(*status, shellCommand);
    if (run)
        service.run = text(*run, shellCommand);

    // Exactly one way to control the service: a process ParityDeck supervises, or a
    // command pair that starts and stops something that manages itself.
    const QString styles = QStringLiteral("either 'run: CMD' (a process ParityDeck supervises) "
                                          "or a 'start'/'stop' pair");
    if (run && (start || stop)) {
        const Field *other = start ? start : stop;
        fail(at(other->keyNode), serviceName + QStringLiteral(" has both 'run' and ") +
                                     quoted(other->key) + QStringLiteral("; expected ") + styles);
    }
    if (!run && !start && !stop) {
        fail(service.location, serviceName +
                                   QStringLiteral(" has neither 'run' nor 'start'; "
                                                  "expected ") +
                                   styles);
    }
    if (start && !stop) {
        fail(service.location, serviceName + QStringLiteral(" has 'start' but no 'stop'; "
                                                            "expected a 'stop' command beside "
                                                            "'start'"));
    }
    if (stop && !start) {
        fail(service.location, serviceName + QStringLiteral(" has 'stop' but no 'start'; "
                                                            "expected a 'start' command beside "
                                                            "'stop'"));
    }

    if (const Field *cwd = find("cwd"))
        service.workingDirectory = text(*cwd, QStringLiteral("a folder, relative to the "
                                                             "workspace file"));
    if (const Field *env = find("env"))
        service.environment = readVariables(*env);
    if (const Field *secretEnv = find("secret_env"))
        service.secretEnvironment = readSecretMap(*secretEnv, true);
    if (const Field *after = find("after")) {
        if (!after->value.IsNull() && !after->value.IsSequence())
            failType(*after, QStringLiteral("a list of service names"));
        for (std::size_t i = 0; after->value.IsSequence() && i < after->value.size(); ++i) {
            const YAML::Node entry = after->value[i];
            const Field entryField{QString(), after->path + u'[' + QString::number(i) + u']', entry,
                                   entry};
            const QString other = this->name(entryField, QStringLiteral("a service name"));
            if (service.after.contains(other))
                continue;
            service.after.append(other);
            afterNodes.append(entry);
        }
    }
    if (const Field *health = find("health"))
        service.health = readHealth(*health);
    if (const Field *timeout = find("start_timeout")) {
        service.startTimeoutSeconds =
            wholeNumber(*timeout, 1, QStringLiteral("a whole number of seconds, at least 1"));
    }
    if (const Field *restart = find("restart")) {
        service.restart = flag(*restart);
        if (service.restart && !run) {
            fail(at(restart->keyNode),
                 serviceName + QStringLiteral(" has 'restart: true' but no 'run'; expected "
                                              "'restart' only on services ParityDeck supervises "
                                              "with 'run'"));
        }
    }
    return service;
}

void WorkspaceReader::checkServiceOrder(const QList<ServiceConfig> &services,
                                        const QList<QList<YAML::Node>> &afterNodes,
                                        const QString &environment) const
{
    QStringList names;
    for (const ServiceConfig &service : services)
        names.append(service.name);

    for (qsizetype i = 0; i < services.size(); ++i) {
        const ServiceConfig &service = services[i];
        for (qsizetype j = 0; j < service.after.size(); ++j) {
            const QString &other = service.after[j];
            const SourceLocation where = at(afterNodes[i][j]);
            if (other == service.name) {
                fail(where, QStringLiteral("service %1 waits for itself in 'after'; expected "
                                           "other services of environment %2")
                                .arg(quoted(service.name), quoted(environment)));
            }
            if (!names.contains(other)) {
                QStringList candidates = names;
                candidates.removeAll(service.name);
                QString message =
                    QStringLiteral("service %1 waits for %2, which is not a service "
                                   "of environment %3; expected ")
                        .arg(quoted(service.name), quoted(other), quoted(environment)) +
                    listOf(candidates);
                const QString suggestion = closestName(other, candidates);
                if (!suggestion.isEmpty())
                    message += QStringLiteral(" (did you mean ") + quoted(suggestion) +
                               QStringLiteral("?)");
                fail(where, message);
            }
        }
    }

    // Depth-first search; reaching a service that is still on the path closes a cycle,
    // reported at the 'after' entry that closes it.
    enum class Visit { New, OnPath, Done };
    QList<Visit> visit(services.size(), Visit::New);
    QList<qsizetype> path;
    const std::function<void(qsizetype)> walk = [&](qsizetype i) {
        visit[i] = Visit::OnPath;
        path.append(i);
        for (qsizetype j = 0; j < services[i].after.size(); ++j) {
            const qsizetype next = names.indexOf(services[i].after[j]);
            if (visit[next] == Visit::OnPath) {
                QStringList cycle;
                for (qsizetype k = path.indexOf(next); k < path.size(); ++k)
                    cycle.append(quoted(names[path[k]]));
                cycle.append(quoted(names[next]));
                fail(at(afterNodes[i][j]),
                     QStringLiteral("services %1 wait for each other in 'after'; expected an "
                                    "order in which they can start")
                         .arg(cycle.join(QStringLiteral(" → "))));
            }
            if (visit[next] == Visit::New)
                walk(next);
        }
        path.removeLast();
        visit[i] = Visit::Done;
    };
    for (qsizetype i = 0; i < services.size(); ++i) {
        if (visit[i] == Visit::New)
            walk(i);
    }
}

HealthProbeConfig WorkspaceReader::readHealth(const Field &field) const
{
    const QString exactlyOne =
        QStringLiteral("exactly one of: ") + healthProbes().join(QStringLiteral(", "));
    if (!field.value.IsMap())
        failType(field, QStringLiteral("a mapping with ") + exactlyOne);
    const QList<Field> fields =
        mapping(field.value, field.path, healthProbes() + QStringList{QStringLiteral("timeout")});

    const Field *probe = nullptr;
    for (const Field &candidate : fields) {
        if (!healthProbes().contains(candidate.key))
            continue;
        if (probe) {
            fail(at(candidate.keyNode), quoted(field.path) + QStringLiteral(" has both ") +
                                            quoted(probe->key) + QStringLiteral(" and ") +
                                            quoted(candidate.key) + QStringLiteral("; expected ") +
                                            exactlyOne);
        }
        probe = &candidate;
    }
    if (!probe)
        fail(at(field.value),
             quoted(field.path) + QStringLiteral(" has no probe; expected ") + exactlyOne);

    HealthProbeConfig health;
    if (probe->key == u"tcp") {
        health.kind = HealthProbeConfig::Kind::Tcp;
        health.target = text(*probe, QStringLiteral("HOST:PORT, e.g. 127.0.0.1:5432"));
        checkHostPort(*probe, health.target);
    } else if (probe->key == u"postgres") {
        health.kind = HealthProbeConfig::Kind::Postgres;
        if (!flag(*probe)) {
            fail(at(*probe), quoted(probe->path) + QStringLiteral(" is false; expected true "
                                                                  "(remove 'health' to skip "
                                                                  "the check)"));
        }
    } else if (probe->key == u"http") {
        health.kind = HealthProbeConfig::Kind::Http;
        health.target = text(*probe, QStringLiteral("an http:// or https:// URL"));
        const QUrl url(health.target, QUrl::StrictMode);
        const bool usable = url.isValid() &&
                            (url.scheme() == u"http" || url.scheme() == u"https") &&
                            !url.host().isEmpty();
        if (!usable) {
            fail(at(*probe), quoted(probe->path) + QStringLiteral(" is not an http:// or https:// "
                                                                  "URL; expected e.g. "
                                                                  "http://127.0.0.1:8080/health"));
        }
    } else {
        health.kind = HealthProbeConfig::Kind::Command;
        health.target = text(*probe, QStringLiteral("a shell command that exits 0 when healthy"));
    }
    if (const Field *timeout = findField(fields, QStringLiteral("timeout"))) {
        health.timeoutSeconds =
            wholeNumber(*timeout, 1, QStringLiteral("a whole number of seconds, at least 1"));
    }
    return health;
}

void WorkspaceReader::checkHostPort(const Field &field, const QString &target) const
{
    const qsizetype colon = target.lastIndexOf(u':');
    QStringView host = QStringView(target).first(std::max<qsizetype>(colon, 0));
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.sliced(1, host.size() - 2);
    if (colon < 0 || host.isEmpty()) {
        fail(at(field), quoted(field.path) + QStringLiteral(" is ") + excerpt(target) +
                            QStringLiteral("; expected HOST:PORT, e.g. 127.0.0.1:5432"));
    }
    const QString port = target.mid(colon + 1);
    if (!isPort(port)) {
        fail(atOffset(field, target, colon + 1),
             quoted(field.path) + QStringLiteral(" has port %1; expected a number from 1 to 65535")
                                      .arg(excerpt(port)));
    }
}

BranchConfig WorkspaceReader::readBranches(const Field &field) const
{
    BranchConfig branches;
    if (field.value.IsNull())
        return branches;
    if (!field.value.IsMap())
        failType(field, QStringLiteral("a mapping with 'git', 'database', 'naming' or 'cloud'"));
    const QList<Field> fields = mapping(field.value, field.path, branchKeys());
    const Field *cloud = findField(fields, QStringLiteral("cloud"));
    if (const Field *git = findField(fields, QStringLiteral("git")))
        branches.git = flag(*git);
    if (const Field *database = findField(fields, QStringLiteral("database"))) {
        const QString mode = choice(*database, {QStringLiteral("template"), QStringLiteral("none")},
                                    QStringLiteral("branch database mode"));
        branches.database = mode == u"none" ? QString() : mode;
        if (cloud && !branches.database.isEmpty()) {
            fail(at(cloud->keyNode),
                 quoted(cloud->path) + QStringLiteral(" and 'database: template' exclude each "
                                                      "other; expected one kind of database "
                                                      "branches (remove one of them)"));
        }
    }
    if (cloud) {
        branches.cloud = readCloudBranches(*cloud);
        // A vendor branch is named after the git branch alone; {db} would be the parent
        // branch ("main__feature_x"), which is rarely what a team wants.
        branches.naming = QStringLiteral("{branch}");
    }
    if (const Field *naming = findField(fields, QStringLiteral("naming"))) {
        const QString expected =
            QStringLiteral("a pattern containing {branch}, e.g. {db}__{branch}");
        branches.naming = text(*naming, expected);
        static const QRegularExpression placeholder(QStringLiteral("\\{[^}]*\\}"));
        for (const QRegularExpressionMatch &match : placeholder.globalMatch(branches.naming)) {
            if (match.captured() != u"{db}" && match.captured() != u"{branch}") {
                fail(atOffset(*naming, branches.naming, match.capturedStart()),
                     quoted(naming->path) +
                         QStringLiteral(" uses unknown placeholder %1; expected only {db} and "
                                        "{branch}")
                             .arg(quoted(match.captured())));
            }
        }
        if (!branches.naming.contains(u"{branch}"))
            failType(*naming, expected);
    }
    return branches;
}

QString WorkspaceReader::commandTemplate(const Field &field, const QStringList &placeholders,
                                         const QStringList &required) const
{
    const QString expected = required.isEmpty() ? QStringLiteral("a shell command")
                                                : QStringLiteral("a shell command using %1")
                                                      .arg(required.join(QStringLiteral(" and ")));
    const QString command = text(field, expected);
    // Lower-case words in braces are ours; ${VAR} and {A,B} belong to the shell.
    static const QRegularExpression placeholder(QStringLiteral("\\{[a-z_]+\\}"));
    for (const QRegularExpressionMatch &match : placeholder.globalMatch(command)) {
        const qsizetype start = match.capturedStart();
        if (start > 0 && command.at(start - 1) == u'$')
            continue;
        if (placeholders.contains(match.captured()))
            continue;
        QString message =
            quoted(field.path) +
            QStringLiteral(" uses unknown placeholder %1; expected ").arg(quoted(match.captured()));
        message += placeholders.isEmpty()
                       ? QStringLiteral("no placeholders in this command")
                       : QStringLiteral("only ") + placeholders.join(QStringLiteral(" and "));
        const QString suggestion = closestName(match.captured(), placeholders);
        if (!suggestion.isEmpty())
            message += QStringLiteral(" (did you mean %1?)").arg(quoted(suggestion));
        fail(atOffset(field, command, start), message);
    }
    for (const QString &needed : required) {
        if (!command.contains(needed)) {
            fail(at(field), quoted(field.path) +
                                QStringLiteral(" does not use %1; expected ").arg(needed) +
                                expected);
        }
    }
    return command;
}

CloudBranchesConfig WorkspaceReader::readCloudBranches(const Field &field) const
{
    CloudBranchesConfig cloud;
    cloud.location = at(field.keyNode);
    const QString shape =
        QStringLiteral("a mapping with 'create', 'delete', 'list' and 'connection' or "
                       "'url_field'");
    if (!field.value.IsMap())
        failType(field, shape);
    const QList<Field> fields = mapping(field.value, field.path, cloudBranchKeys());
    const QString name = QStringLiteral("{name}");
    const QString parent = QStringLiteral("{parent}");
    const auto required = [&](const char *key, const QString &expected) -> const Field & {
        const Field *found = findField(fields, QString::fromLatin1(key));
        if (!found)
            failMissing(field.value, field.path, QString::fromLatin1(key), expected);
        return *found;
    };
    cloud.create = commandTemplate(
        required("create", QStringLiteral("a command creating branch {name} from {parent}")),
        {name, parent}, {name});
    cloud.remove = commandTemplate(
        required("delete", QStringLiteral("a command deleting branch {name}")), {name}, {name});
    cloud.list = commandTemplate(
        required("list", QStringLiteral("a command printing the branches")), {}, {});
    if (const Field *reset = findField(fields, QStringLiteral("reset")))
        cloud.reset = commandTemplate(*reset, {name, parent}, {name});
    if (const Field *connection = findField(fields, QStringLiteral("connection")))
        cloud.connection = commandTemplate(*connection, {name, parent}, {name});
    if (const Field *format = findField(fields, QStringLiteral("list_format"))) {
        cloud.listLines = choice(*format, {QStringLiteral("json"), QStringLiteral("lines")},
                                 QStringLiteral("list format")) == u"lines";
    }
    if (const Field *nameField = findField(fields, QStringLiteral("name_field"))) {
        if (cloud.listLines) {
            fail(at(nameField->keyNode),
                 quoted(nameField->path) + QStringLiteral(" applies to JSON output only; "
                                                          "expected list_format: json, or no "
                                                          "name_field"));
        }
        cloud.nameField =
            text(*nameField, QStringLiteral("the JSON field holding a branch's name"));
    }
    if (const Field *urlField = findField(fields, QStringLiteral("url_field")))
        cloud.urlField = text(*urlField, QStringLiteral("the JSON field holding the branch's "
                                                        "postgresql:// URL, e.g. "
                                                        "connection_uris.0.connection_uri"));
    if (cloud.connection.isEmpty() && cloud.urlField.isEmpty()) {
        failMissing(field.value, field.path, QStringLiteral("connection"),
                    QStringLiteral("a command printing branch {name}'s postgresql:// URL, or "
                                   "'url_field' naming the JSON field that holds it"));
    }
    if (const Field *parentField = findField(fields, QStringLiteral("parent")))
        cloud.parent = text(*parentField, QStringLiteral("the name of the branch new branches "
                                                         "start from"));
    if (const Field *timeout = findField(fields, QStringLiteral("timeout"))) {
        cloud.timeoutSeconds =
            wholeNumber(*timeout, 1, QStringLiteral("a whole number of seconds, at least 1"));
    }
    if (const Field *env = findField(fields, QStringLiteral("env")))
        cloud.environment = readVariables(*env);
    if (const Field *secretEnv = findField(fields, QStringLiteral("secret_env")))
        cloud.secretEnvironment = readSecretMap(*secretEnv, true);
    return cloud;
}

QString WorkspaceReader::readDotenv(const Field &field) const
{
    if (field.value.IsNull())
        return {};
    if (!field.value.IsMap())
        failType(field, QStringLiteral("a mapping with 'dotenv'"));
    const QList<Field> fields = mapping(field.value, field.path, {QStringLiteral("dotenv")});
    if (const Field *dotenv = findField(fields, QStringLiteral("dotenv")))
        return text(*dotenv, QStringLiteral("a dotenv file, relative to the workspace file"));
    return {};
}

QMap<QString, QString> WorkspaceReader::readVariables(const Field &field) const
{
    QMap<QString, QString> variables;
    if (field.value.IsNull())
        return variables;
    if (!field.value.IsMap())
        failType(field, QStringLiteral("a mapping of variable names to values"));
    for (const Field &variable : fieldsOf(field.value, field.path)) {
        if (!isVariableName(variable.key)) {
            fail(at(variable.keyNode),
                 QStringLiteral("%1 names %2, which is not a valid variable name; expected "
                                "letters, digits and '_', not starting with a digit")
                     .arg(quoted(field.path), excerpt(variable.key)));
        }
        // "NAME:" with nothing after it sets the variable to the empty string, as in a
        // dotenv file.
        if (variable.value.IsNull())
            variables.insert(variable.key, QString());
        else if (variable.value.IsScalar())
            variables.insert(variable.key, fromYaml(variable.value.Scalar()));
        else
            failType(variable, QStringLiteral("a single value"));
    }
    return variables;
}

QMap<QString, SecretRef> WorkspaceReader::readSecretMap(const Field &field,
                                                        bool variableNames) const
{
    QMap<QString, SecretRef> secrets;
    if (field.value.IsNull())
        return secrets;
    if (!field.value.IsMap())
        failType(field, QStringLiteral("a mapping of names to secret references"));
    for (const Field &secret : fieldsOf(field.value, field.path)) {
        const bool valid = variableNames ? isVariableName(secret.key) : isSecretName(secret.key);
        if (!valid) {
            fail(at(secret.keyNode),
                 QStringLiteral("%1 names %2, which is not a valid %3; expected %4, not "
                                "starting with a digit")
                     .arg(quoted(field.path), excerpt(secret.key),
                          variableNames ? QStringLiteral("variable name")
                                        : QStringLiteral("secret name"),
                          variableNames ? QStringLiteral("letters, digits and '_'")
                                        : QStringLiteral("letters, digits, '_', '.' and '-'")));
        }
        secrets.insert(secret.key, secretRef(secret));
    }
    return secrets;
}

Result<Workspace> fileFailure(const QString &file, const QString &message, ConfigError *detail)
{
    const ConfigError error{file, 0, 0, message};
    if (detail)
        *detail = error;
    return error.toError();
}

} // namespace

Error ConfigError::toError() const
{
    // The same text as always ("file:line:col: message", "file: message", "message"),
    // from the templates in common/errormessage.cpp.
    QList<ErrorArg> args{ErrorArg::text(QStringLiteral("file"), file),
                         ErrorArg::text(QStringLiteral("detail"), message)};
    ErrorKind kind = file.isEmpty() ? ErrorKind::ConfigUnlocated : ErrorKind::ConfigInFile;
    if (line > 0) {
        args.append(ErrorArg::number(QStringLiteral("line"), line));
        kind = ErrorKind::ConfigAtLine;
        if (column > 0) {
            args.append(ErrorArg::number(QStringLiteral("column"), column));
            kind = ErrorKind::ConfigAtPosition;
        }
    }
    return Error(ErrorCode::Config, kind, std::move(args));
}

QString ConfigError::toString() const
{
    return toError().message;
}

Result<Workspace> WorkspaceLoader::load(const QString &path, ConfigError *detail)
{
    const QString fileName = QString::fromLatin1(FileName);
    if (path.isEmpty()) {
        return fileFailure({},
                           QStringLiteral("no workspace path given; expected %1 or the folder "
                                          "holding it")
                               .arg(fileName),
                           detail);
    }
    const QFileInfo given(path);
    QString filePath = path;
    if (given.isDir()) {
        filePath = QDir(path).filePath(fileName);
        if (!QFileInfo::exists(filePath)) {
            return fileFailure(path,
                               QStringLiteral("no %1 in this folder; expected the workspace "
                                              "file or the folder holding it")
                                   .arg(fileName),
                               detail);
        }
    } else if (!given.exists()) {
        return fileFailure(path,
                           QStringLiteral("no such file or folder; expected %1 or the folder "
                                          "holding it")
                               .arg(fileName),
                           detail);
    }

    const QString tooLarge = QStringLiteral("the file is larger than %1; expected a workspace "
                                            "file of a few kilobytes")
                                 .arg(byteLimitText(MaxFileBytes));
    const RegularFileRead read = readRegularFile(filePath, MaxFileBytes);
    switch (read.problem) {
    case RegularFileRead::Problem::None:
        break;
    case RegularFileRead::Problem::Folder:
        return fileFailure(filePath, QStringLiteral("is a folder; expected a file"), detail);
    case RegularFileRead::Problem::NotRegular:
        return fileFailure(filePath, QStringLiteral("is not a regular file; expected a file"),
                           detail);
    case RegularFileRead::Problem::TooLarge:
        return fileFailure(filePath, tooLarge, detail);
    case RegularFileRead::Problem::Missing:
    case RegularFileRead::Problem::Unreadable:
        return fileFailure(filePath,
                           QStringLiteral("cannot read the file (%1); expected a file "
                                          "you can read")
                               .arg(read.detail),
                           detail);
    }
    const QByteArray &bytes = read.bytes;
    return parse(bytes, filePath, detail);
}

Result<Workspace> WorkspaceLoader::parse(const QByteArray &text, const QString &fileName,
                                         ConfigError *detail)
{
    const auto failure = [&](const SourceLocation &where, const QString &message) {
        const ConfigError error{fileName, where.line, where.column, message};
        if (detail)
            *detail = error;
        return Result<Workspace>(error.toError());
    };

    const SourceText source(text);
    if (source.isBlank())
        return failure({1, 1}, QStringLiteral("the file is empty; expected ") + documentShape());
    if (const auto problem = source.encodingProblem())
        return failure(problem->where, problem->message);

    std::vector<YAML::Node> documents;
    std::vector<YAML::Mark> documentStarts;
    std::optional<YAML::Mark> openQuote;
    try {
        const QByteArray &bytes = source.bytes();
        const std::string yaml(bytes.constData(), std::size_t(bytes.size()));
        // yaml-cpp 0.7's LoadAll never returns on some inputs (a ',' where a document
        // should start): the parser reports documents that start again at the same place,
        // forever, and memory grows without bound. Count document starts first, a few at
        // most, and take no progress for the syntax error it is.
        documentStarts = documentStartsOf(yaml, 3);
        const auto noProgress = std::adjacent_find(
            documentStarts.cbegin(), documentStarts.cend(),
            [](const YAML::Mark &a, const YAML::Mark &b) { return b.pos <= a.pos; });
        if (noProgress != documentStarts.cend()) {
            const YAML::Mark stuck = *noProgress;
            return failure(source.locate(stuck.line, stuck.column),
                           QStringLiteral("invalid YAML: unexpected '%1'; expected valid YAML "
                                          "(check indentation, quotes and brackets)")
                               .arg(QChar::fromLatin1(source.byteAt(stuck.line, stuck.column))));
        }
        documents.push_back(YAML::Load(yaml));
        openQuote = unclosedQuote(bytes);
    } catch (const YAML::Exception &e) {
        if (const auto tab = tabBehind(source, e)) {
            return failure(source.locate(e.mark.line, *tab),
                           QStringLiteral("invalid YAML: a tab indents this line; expected "
                                          "spaces (YAML allows no tabs in indentation)"));
        }
        // ParserException, and DeepRecursion for absurd nesting; both carry a mark.
        // yaml-cpp 0.7 stops at a '?' inside { } even within a plain scalar, which is
        // exactly where a URL with ?sslmode=… ends up in the compact style of DESIGN §3.
        const bool questionMark = source.byteAt(e.mark.line, e.mark.column) == '?';
        return failure(source.locate(e.mark.line, e.mark.column),
                       QStringLiteral("invalid YAML: ") + fromYaml(e.msg) +
                           (questionMark ? QStringLiteral("; expected valid YAML (inside { } "
                                                          "put a value holding '?' in quotes)")
                                         : QStringLiteral("; expected valid YAML (check "
                                                          "indentation, quotes and "
                                                          "brackets)")));
    } catch (const std::exception &e) {
        return failure({1, 1}, QStringLiteral("could not parse the file (%1); expected valid YAML")
                                   .arg(QString::fromLocal8Bit(e.what())));
    }
    if (openQuote) {
        const QChar quote = QChar::fromLatin1(source.byteAt(openQuote->line, openQuote->column));
        return failure(source.locate(openQuote->line, openQuote->column),
                       QStringLiteral("invalid YAML: the quote %1 opened here is never closed; "
                                      "expected a closing %1 after the quoted text")
                           .arg(quoted(quote)));
    }
    if (documents.empty() || documents.front().IsNull())
        return failure({1, 1},
                       QStringLiteral("the file holds no settings; expected ") + documentShape());
    if (documentStarts.size() > 1) {
        const YAML::Mark mark = documentStarts[1];
        return failure(source.locate(mark.line, mark.column),
                       QStringLiteral("a second YAML document starts here; expected a single "
                                      "document (remove the '---' separator)"));
    }

    Workspace workspace;
    workspace.filePath = QFileInfo(fileName).absoluteFilePath();
    workspace.rootDir = QFileInfo(workspace.filePath).absolutePath();
    try {
        WorkspaceReader(source).read(documents.front(), workspace);
    } catch (const ConfigFailure &problem) {
        return failure(problem.where, problem.message);
    } catch (const YAML::Exception &e) {
        return failure(
            source.locate(e.mark.line, e.mark.column),
            QStringLiteral("could not read this value (%1); expected ").arg(fromYaml(e.msg)) +
                documentShape());
    } catch (const std::exception &e) {
        return failure({1, 1}, QStringLiteral("could not read the file (%1); expected ")
                                       .arg(QString::fromLocal8Bit(e.what())) +
                                   documentShape());
    }
    return workspace;
}

Result<QString> WorkspaceLoader::discover(const QString &startDir)
{
    const QString fileName = QString::fromLatin1(FileName);
    const QFileInfo start(startDir.isEmpty() ? QDir::currentPath() : startDir);
    if (!start.isDir()) {
        return Error(ErrorCode::Config, ErrorKind::StartFolderMissing,
                     {ErrorArg::text(QStringLiteral("folder"), startDir)});
    }
    // Lexical walk over the path as written (no symlink resolution), like git does for .git:
    // the user expects the parents they see in their shell.
    QDir dir(start.absoluteFilePath());
    for (;;) {
        const QFileInfo candidate(dir.filePath(fileName));
        if (candidate.isFile())
            return candidate.absoluteFilePath();
        if (dir.isRoot() || !dir.cdUp())
            break;
    }
    return Error(ErrorCode::Config, ErrorKind::NoWorkspaceFile,
                 {ErrorArg::text(QStringLiteral("file"), fileName),
                  ErrorArg::text(QStringLiteral("folder"), start.absoluteFilePath())});
}

} // namespace pd
