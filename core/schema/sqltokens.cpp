#include "schema/sqltokens.h"

#include <pg_query.h>

#include <cstdint>

namespace pd {

namespace {

// pg_query_scan answers in protobuf; Debian ships no protobuf-c headers, and ScanResult
// is two flat messages of varints, so a minimal wire-format reader is all it takes.
class ProtobufReader final
{
public:
    ProtobufReader(const uint8_t *data, size_t size)
        : m_p(data)
        , m_end(data + size)
    {
    }
    bool atEnd() const { return m_p >= m_end; }

    std::optional<uint64_t> varint()
    {
        uint64_t value = 0;
        for (int shift = 0; shift < 64 && m_p < m_end; shift += 7) {
            const uint8_t byte = *m_p++;
            value |= uint64_t(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                return value;
        }
        return std::nullopt;
    }
    // Skips a field of the given wire type; false on malformed input.
    bool skip(uint64_t wireType)
    {
        switch (wireType) {
        case 0:
            return varint().has_value();
        case 1:
            return advance(8);
        case 2: {
            const auto length = varint();
            return length && advance(*length);
        }
        case 5:
            return advance(4);
        default:
            return false;
        }
    }
    std::optional<ProtobufReader> message()
    {
        const auto length = varint();
        if (!length || *length > uint64_t(m_end - m_p))
            return std::nullopt;
        ProtobufReader inner(m_p, size_t(*length));
        m_p += *length;
        return inner;
    }

private:
    bool advance(uint64_t n)
    {
        if (n > uint64_t(m_end - m_p))
            return false;
        m_p += n;
        return true;
    }
    const uint8_t *m_p;
    const uint8_t *m_end;
};

} // namespace

std::optional<std::vector<SqlToken>> scanSqlTokens(const QByteArray &utf8)
{
    PgQueryScanResult scan = pg_query_scan(utf8.constData());
    std::optional<std::vector<SqlToken>> tokens;
    if (!scan.error) {
        tokens.emplace();
        ProtobufReader reader(reinterpret_cast<const uint8_t *>(scan.pbuf.data), scan.pbuf.len);
        while (!reader.atEnd() && tokens) {
            const auto key = reader.varint();
            if (!key) {
                tokens.reset();
                break;
            }
            if ((*key >> 3) != 2 || (*key & 7) != 2) { // not "repeated ScanToken tokens = 2"
                if (!reader.skip(*key & 7))
                    tokens.reset();
                continue;
            }
            auto message = reader.message();
            if (!message) {
                tokens.reset();
                break;
            }
            SqlToken token;
            while (!message->atEnd()) {
                const auto field = message->varint();
                if (!field) {
                    tokens.reset();
                    break;
                }
                if ((*field & 7) != 0) {
                    if (!message->skip(*field & 7)) {
                        tokens.reset();
                        break;
                    }
                    continue;
                }
                const auto value = message->varint();
                if (!value) {
                    tokens.reset();
                    break;
                }
                switch (*field >> 3) {
                case 1:
                    token.start = int(*value);
                    break;
                case 2:
                    token.end = int(*value);
                    break;
                case 4:
                    token.token = int(*value);
                    break;
                default:
                    break;
                }
            }
            if (tokens)
                tokens->push_back(token);
        }
    }
    pg_query_free_scan_result(scan);
    return tokens;
}

} // namespace pd
