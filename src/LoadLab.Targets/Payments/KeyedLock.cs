namespace LoadLab.Targets.Payments;

/// <summary>
/// One async lock per key (Idempotency-Key), created on demand and dropped when nobody holds or
/// waits for it, so memory stays bounded by the requests in flight and different keys never wait
/// for each other.
/// </summary>
internal sealed class KeyedLock
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public async Task<Releaser> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                entry = new Entry();
                _entries[key] = entry;
            }

            entry.Users++;
        }

        try
        {
            await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(key, entry, held: false);
            throw;
        }

        return new Releaser(this, key, entry);
    }

    private void Leave(string key, Entry entry, bool held)
    {
        if (held)
        {
            entry.Gate.Release();
        }

        lock (_lock)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(key);
                entry.Gate.Dispose();
            }
        }
    }

    internal readonly struct Releaser(KeyedLock owner, string key, Entry entry) : IDisposable
    {
        public void Dispose() => owner.Leave(key, entry, held: true);
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
