// libFuzzer entry point; which target is chosen at compile time (fuzz/CMakeLists.txt).
#include "fuzztargets.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
#if defined(PD_FUZZ_TARGET_workspace)
    pd::fuzz::workspaceLoader(input);
#elif defined(PD_FUZZ_TARGET_dotenv)
    pd::fuzz::dotenv(input);
#elif defined(PD_FUZZ_TARGET_sqlscript)
    pd::fuzz::sqlScript(input);
#elif defined(PD_FUZZ_TARGET_migrationsource)
    pd::fuzz::migrationSource(input);
#elif defined(PD_FUZZ_TARGET_generatedsql)
    pd::fuzz::generatedSql(input);
#else
#error "no PD_FUZZ_TARGET_… defined"
#endif
    return 0;
}
