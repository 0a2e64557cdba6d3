using System.Collections.Concurrent;
using LoadLab.Metrics;
using LoadLab.Sinks.Prometheus.Buffering;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LoadLab.Sinks.Prometheus.Tests.Buffering;

public class BufferedSinkTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);

    private static MetricSample Sample(double value) =>
        new(MetricNames.Iterations, MetricKind.Counter, LabelSet.Of(("status", "ok")), value, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Publish_IntervalElapses_FlushesWhatAccumulatedInOrder()
    {
        var time = new FakeTimeProvider();
        await using var sink = new RecordingSink(time, capacity: 10, fail: false);
        await sink.StartAsync(new(), CancellationToken.None);
        sink.Publish([Sample(1)]);
        sink.Publish([Sample(2)]);

        Assert.Empty(sink.Flushes);
        time.Advance(TimeSpan.FromSeconds(5));
        await sink.Flushed.WaitAsync(s_bound);

        var flush = Assert.Single(sink.Flushes);
        Assert.Equal([1.0, 2.0], flush.Values);
        Assert.False(flush.Final);
    }

    [Fact]
    public async Task StopAsync_FinalSamples_AreFlushedInAFinalFlush()
    {
        var time = new FakeTimeProvider();
        await using var sink = new RecordingSink(time, capacity: 10, fail: false);
        await sink.StartAsync(new(), CancellationToken.None);
        sink.Publish([Sample(1)]);

        await sink.StopAsync(SinkTestContext.Summary([Sample(9)]), CancellationToken.None);

        var flush = Assert.Single(sink.Flushes);
        Assert.Equal([1.0, 9.0], flush.Values);
        Assert.True(flush.Final);
        Assert.Equal(2, sink.GetReport().Sent);
        Assert.True(sink.GetReport().Delivered);
    }

    [Fact]
    public async Task Publish_WhenFlushFails_DoesNotThrowAndReportsTheError()
    {
        var time = new FakeTimeProvider();
        await using var sink = new RecordingSink(time, capacity: 10, fail: true);
        await sink.StartAsync(new(), CancellationToken.None);
        sink.Publish([Sample(1)]);
        time.Advance(TimeSpan.FromSeconds(5));
        await sink.Flushed.WaitAsync(s_bound);

        sink.Publish([Sample(2)]);
        await sink.StopAsync(SinkTestContext.Summary(), CancellationToken.None);

        var report = sink.GetReport();
        Assert.Equal(2, report.Errors);
        Assert.Equal("backend down", report.LastError);
        Assert.False(report.Delivered);
    }

    [Fact]
    public async Task Publish_BufferFull_DropsOldestAndCountsThem()
    {
        var time = new FakeTimeProvider();
        await using var sink = new RecordingSink(time, capacity: 2, fail: false);
        await sink.StartAsync(new(), CancellationToken.None);
        for (var i = 1; i <= 5; i++)
        {
            sink.Publish([Sample(i), Sample(i)]);
        }

        await sink.StopAsync(SinkTestContext.Summary(), CancellationToken.None);

        Assert.Equal([4.0, 4.0, 5.0, 5.0], Assert.Single(sink.Flushes).Values);
        Assert.Equal(6, sink.GetReport().Dropped);
        Assert.Equal(4, sink.GetReport().Sent);
    }

    [Fact]
    public async Task Publish_AfterStop_IsIgnored()
    {
        var time = new FakeTimeProvider();
        await using var sink = new RecordingSink(time, capacity: 2, fail: false);
        await sink.StartAsync(new(), CancellationToken.None);
        await sink.StopAsync(SinkTestContext.Summary(), CancellationToken.None);

        sink.Publish([Sample(1)]);

        Assert.Equal(0, sink.GetReport().Sent);
        Assert.Equal(0, sink.GetReport().Dropped);
    }

    private sealed class RecordingSink(FakeTimeProvider time, int capacity, bool fail)
        : BufferedSink("test", TimeSpan.FromSeconds(5), capacity, latestOnly: false, time, NullLogger.Instance)
    {
        public ConcurrentQueue<(double[] Values, bool Final)> Flushes { get; } = new();

        public SemaphoreSlim Flushed { get; } = new(0);

        protected override string Endpoint => "memory";

        protected override Task FlushAsync(IReadOnlyList<SampleBatch> batches, bool final, CancellationToken cancellationToken)
        {
            if (batches.Count > 0)
            {
                Flushes.Enqueue((batches.SelectMany(b => b.Samples).Select(s => s.Value).ToArray(), final));
            }

            Flushed.Release();
            if (fail)
            {
                throw new InvalidOperationException("backend down");
            }

            CountSent(batches.Sum(b => b.Weight));
            return Task.CompletedTask;
        }
    }
}
