#include "workspace/closestname.h"

#include <algorithm>
#include <vector>

namespace pd {

int editDistance(const QString &a, const QString &b)
{
    // Optimal string alignment: Levenshtein plus adjacent transpositions, the most
    // common typing slip ("prtoection").
    const QString s = a.toCaseFolded();
    const QString t = b.toCaseFolded();
    const qsizetype n = s.size();
    const qsizetype m = t.size();
    std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
    for (qsizetype i = 0; i <= n; ++i)
        d[i][0] = int(i);
    for (qsizetype j = 0; j <= m; ++j)
        d[0][j] = int(j);
    for (qsizetype i = 1; i <= n; ++i) {
        for (qsizetype j = 1; j <= m; ++j) {
            const int cost = s[i - 1] == t[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

QString closestName(const QString &word, const QStringList &candidates)
{
    // Beyond these limits a "suggestion" is mostly noise: "url" is two edits from "run".
    const int tolerated = word.size() <= 4 ? 1 : word.size() <= 8 ? 2 : 3;
    QString best;
    int bestDistance = tolerated + 1;
    for (const QString &candidate : candidates) {
        const int distance = editDistance(word, candidate);
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

} // namespace pd
