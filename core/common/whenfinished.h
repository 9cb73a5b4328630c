// Delivers a future's outcome to an object: `callback(future)` runs on `context`'s thread
// once `future` finishes, through a QFutureWatcher parented to `context` — so an object
// destroyed first (a closed window, a controller) never receives a late result, and the
// waiting thread never blocks.
#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

namespace pd {

template<typename T, typename Callback>
void whenFinished(QObject *context, const QFuture<T> &future, Callback callback)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, callback = std::move(callback)]() mutable {
                         watcher->deleteLater();
                         callback(watcher->future());
                     });
    watcher->setFuture(future);
}

} // namespace pd
