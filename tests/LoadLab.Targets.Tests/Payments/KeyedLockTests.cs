using LoadLab.Targets.Payments;

namespace LoadLab.Targets.Tests.Payments;

public class KeyedLockTests
{
    [Fact]
    public async Task AcquireAsync_SameKey_SecondWaitsForFirst()
    {
        var locks = new KeyedLock();
        var first = await locks.AcquireAsync("k", CancellationToken.None);

        var second = locks.AcquireAsync("k", CancellationToken.None);
        Assert.False(second.IsCompleted);
        first.Dispose();
        (await second).Dispose();

        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task AcquireAsync_OtherKey_DoesNotWait()
    {
        var locks = new KeyedLock();
        using var first = await locks.AcquireAsync("a", CancellationToken.None);

        var other = locks.AcquireAsync("b", CancellationToken.None);

        Assert.True(other.IsCompletedSuccessfully);
        (await other).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_LeavesNoEntryBehind()
    {
        var locks = new KeyedLock();
        var first = await locks.AcquireAsync("k", CancellationToken.None);
        using var cts = new CancellationTokenSource();

        var waiting = locks.AcquireAsync("k", cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        first.Dispose();

        Assert.Equal(0, locks.Count);
    }
}
