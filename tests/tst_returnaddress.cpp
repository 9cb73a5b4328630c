// ReturnAddress (core/common/returnaddress.h): results posted from worker threads run on the
// owner's thread, and never once the owner has closed it or is gone.
#include "common/returnaddress.h"

#include <QObject>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace pd;

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
