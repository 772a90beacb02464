package dev.autolab.bench;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.stub.StreamObserver;

/**
 * What both gRPC load clients run: {@code concurrency} unary calls kept in flight (each starts the
 * next when it completes) for a warm-up, then for the measured seconds, recording every latency.
 */
final class ClosedLoopLoad {
    private static final int MAX_RECORDED = 4_000_000;

    /** Starts one call, answering on the observer. */
    interface Call<T> {
        void start(StreamObserver<T> observer);
    }

    /** A measured run: calls completed, how long it took, and their latencies sorted. */
    record Result(long calls, double seconds, long[] sortedNanos) {
        double perSecond() {
            return calls / seconds;
        }

        double millisAt(double percentile) {
            if (sortedNanos.length == 0) {
                return 0;
            }
            int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(percentile / 100 * sortedNanos.length) - 1);
            return sortedNanos[Math.max(0, i)] / 1e6;
        }

        double maxMillis() {
            return sortedNanos.length == 0 ? 0 : sortedNanos[sortedNanos.length - 1] / 1e6;
        }
    }

    private ClosedLoopLoad() {}

    static <T> Result measure(Call<T> call, int concurrency, int warmupSeconds, int seconds)
            throws InterruptedException {
        run(call, concurrency, warmupSeconds, null);
        Recorder recorder = new Recorder(new long[MAX_RECORDED], new AtomicLong());
        long start = System.nanoTime();
        run(call, concurrency, seconds, recorder);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long calls = recorder.count().get();
        long[] sorted = Arrays.copyOf(recorder.latencies(), (int) Math.min(calls, MAX_RECORDED));
        Arrays.sort(sorted);
        return new Result(calls, elapsed, sorted);
    }

    private record Recorder(long[] latencies, AtomicLong count) {
        void record(long nanos) {
            long i = count.getAndIncrement();
            if (i < latencies.length) {
                latencies[(int) i] = nanos;
            }
        }
    }

    private static <T> void run(Call<T> call, int concurrency, int seconds, Recorder recorder)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            loop(call, deadline, recorder, done);
        }
        done.await();
    }

    private static <T> void loop(Call<T> call, long deadline, Recorder recorder, CountDownLatch done) {
        long sent = System.nanoTime();
        if (sent > deadline) {
            done.countDown();
            return;
        }
        call.start(new StreamObserver<T>() {
            @Override
            public void onNext(T value) {
                if (recorder != null) {
                    recorder.record(System.nanoTime() - sent);
                }
            }

            @Override
            public void onError(Throwable t) {
                System.err.println("call failed: " + t);
                done.countDown();
            }

            @Override
            public void onCompleted() {
                loop(call, deadline, recorder, done);
            }
        });
    }
}
