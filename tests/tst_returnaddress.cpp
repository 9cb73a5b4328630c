// ReturnAddress (core/common/returnaddress.h): results posted from worker threads run on the
// owner's thread, and never once the owner has closed it or is gone; GatheredReturn brings
// the results of workers that finish together back in one post, and never waits long for one
// that hangs.
#include "common/returnaddress.h"
#include "metacallcounter.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSemaphore>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

using namespace pd;
using namespace pd::test;

namespace {

using Workers = std::vector<std::unique_ptr<QThread>>;

// `count` workers of one gathering, started at once: each is expected, then runs `body(i)`.
Workers startWorkers(GatheredReturn &gathered, int count, const std::function<void(int)> &body)
{
    Workers workers;
    for (int i = 0; i < count; ++i) {
        gathered.expectOne();
        workers.emplace_back(QThread::create(body, i));
        workers.back()->start();
    }
    return workers;
}

bool allEnd(const Workers &workers)
{
    return std::all_of(workers.cbegin(), workers.cend(),
                       [](const auto &worker) { return worker->wait(10000); });
}

} // namespace

class TestReturnAddress final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aPostFromAWorkerRunsOnTheOwnersThread()
    {
        QObject owner;
        auto address = std::make_shared<ReturnAddress>(&owner);
        QThread *ranOn = nullptr;
        int runs = 0;
        std::atomic_bool posted = false;
        std::unique_ptr<QThread> worker(QThread::create([&, address] {
            posted = address->post([&] {
                ranOn = QThread::currentThread();
                ++runs;
            });
        }));
        worker->start();
        QVERIFY(worker->wait(10000));
        QVERIFY(posted.load());
        QCOMPARE(runs, 0); // queued, not called on the worker
        QTRY_COMPARE(runs, 1);
        QCOMPARE(ranOn, QThread::currentThread());
    }

    void workersThatFinishTogetherComeBackInOnePost()
    {
        QObject owner;
        MetaCallCounter calls(&owner);
        auto address = std::make_shared<ReturnAddress>(&owner);
        auto gathered = std::make_shared<GatheredReturn>(address, 5000);
        std::vector<int> order;
        QSemaphore go;
        const Workers workers = startWorkers(*gathered, 3, [&](int i) {
            go.acquire();
            QThread::msleep(20 * (i + 1));
            gathered->deliver([&order, i] { order.push_back(i); });
        });
        gathered->startedAll();
        go.release(3);
        QVERIFY(allEnd(workers));
        QTRY_COMPARE(order.size(), size_t(3));
        QCOMPARE(order, (std::vector<int>{0, 1, 2}));
        QCOMPARE(gathered->posts(), 1);
        QCOMPARE(calls.count, 1);
    }

    void aHangingWorkerHoldsTheOthersBackForTheWaitAtMost()
    {
        QObject owner;
        MetaCallCounter calls(&owner);
        auto address = std::make_shared<ReturnAddress>(&owner);
        auto gathered = std::make_shared<GatheredReturn>(address, 200);
        std::vector<int> arrived;
        QSemaphore hangs;
        QElapsedTimer clock;
        clock.start();
        const Workers workers = startWorkers(*gathered, 3, [&](int i) {
            if (i == 2)
                hangs.acquire(); // until the test lets it go
            gathered->deliver([&arrived, i] { arrived.push_back(i); });
        });
        gathered->startedAll();
        QTRY_COMPARE_WITH_TIMEOUT(arrived.size(), size_t(2), 10000);
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(calls.count, 1); // the two quick ones, together
        hangs.release();
        QTRY_COMPARE(arrived.size(), size_t(3));
        QCOMPARE(arrived.back(), 2);
        QCOMPARE(gathered->posts(), 2);
        QCOMPARE(calls.count, 2);
        QVERIFY(allEnd(workers));
    }

    // Workers that hang alike (servers that never answer, timing out together) are gathered
    // in a round of their own: the quick ones in one post, the late ones in another.
    void lateWorkersThatFinishTogetherComeBackInOnePost()
    {
        QObject owner;
        MetaCallCounter calls(&owner);
        auto address = std::make_shared<ReturnAddress>(&owner);
        auto gathered = std::make_shared<GatheredReturn>(address, 2000);
        std::vector<int> arrived;
        QSemaphore hangs;
        const Workers workers = startWorkers(*gathered, 4, [&](int i) {
            if (i >= 2) {
                hangs.acquire(); // until the test lets it go
                QThread::msleep(20 * (i - 1));
            }
            gathered->deliver([&arrived, i] { arrived.push_back(i); });
        });
        gathered->startedAll();
        // The quick pair waits for the hanging pair 2 s at most, then comes alone.
        QTRY_COMPARE_WITH_TIMEOUT(arrived.size(), size_t(2), 10000);
        QCOMPARE(calls.count, 1);
        QCOMPARE(gathered->posts(), 1);
        hangs.release(2);
        QTRY_COMPARE(arrived.size(), size_t(4));
        // The quick ones in either order, then the late ones as they were delivered.
        QCOMPARE(std::min(arrived[0], arrived[1]), 0);
        QCOMPARE(std::max(arrived[0], arrived[1]), 1);
        QCOMPARE(std::vector<int>(arrived.begin() + 2, arrived.end()), (std::vector<int>{2, 3}));
        QCOMPARE(gathered->posts(), 2);
        QCOMPARE(calls.count, 2);
        QVERIFY(allEnd(workers));
    }

    // A worker with more to post after its result (the status check that carries the drift
    // watch's look) waits until its result is posted: what it posts next never overtakes it.
    void whatAWorkerPostsAfterItsResultComesAfterIt()
    {
        QObject owner;
        auto address = std::make_shared<ReturnAddress>(&owner);
        auto gathered = std::make_shared<GatheredReturn>(address, 300);
        std::vector<QString> arrived;
        QSemaphore firstIn;
        QSemaphore hangs;
        std::vector<std::unique_ptr<QThread>> workers;
        for (int i = 0; i < 3; ++i)
            gathered->expectOne();
        // The first to deliver waits for the others; the hanging one never comes in time.
        workers.emplace_back(QThread::create([&, gathered] {
            firstIn.release();
            gathered->deliver([&arrived] { arrived.push_back(QStringLiteral("first")); });
        }));
        workers.emplace_back(QThread::create([&, gathered, address] {
            firstIn.acquire();
            QThread::msleep(20);
            const quint64 round =
                gathered->deliver([&arrived] { arrived.push_back(QStringLiteral("second")); });
            gathered->waitUntilPosted(round);
            address->post([&arrived] { arrived.push_back(QStringLiteral("second's look")); });
        }));
        workers.emplace_back(QThread::create([&, gathered] {
            hangs.acquire();
            gathered->deliver([&arrived] { arrived.push_back(QStringLiteral("hung")); });
        }));
        for (const auto &worker : workers)
            worker->start();
        gathered->startedAll();
        QTRY_COMPARE_WITH_TIMEOUT(arrived.size(), size_t(3), 10000);
        QCOMPARE(arrived, (std::vector<QString>{QStringLiteral("first"), QStringLiteral("second"),
                                                QStringLiteral("second's look")}));
        hangs.release();
        QTRY_COMPARE(arrived.size(), size_t(4));
        for (const auto &worker : workers)
            QVERIFY(worker->wait(10000));
    }

    void nothingIsPostedOnceClosed()
    {
        QObject owner;
        auto address = std::make_shared<ReturnAddress>(&owner);
        address->close();
        bool ran = false;
        QVERIFY(!address->post([&ran] { ran = true; }));
        QTest::qWait(50);
        QVERIFY(!ran);
    }

    void aPostedCallGoesWithItsOwner()
    {
        auto owner = std::make_unique<QObject>();
        auto address = std::make_shared<ReturnAddress>(owner.get());
        bool ran = false;
        QVERIFY(address->post([&ran] { ran = true; }));
        // The owner goes before the event loop delivers: its destructor closes the address
        // (as owners do) and the queued call is dropped with its posted events.
        address->close();
        owner.reset();
        QTest::qWait(50);
        QVERIFY(!ran);
    }
};

QTEST_GUILESS_MAIN(TestReturnAddress)
#include "tst_returnaddress.moc"
