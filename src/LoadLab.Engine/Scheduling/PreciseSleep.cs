using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LoadLab.Engine.Scheduling;

/// <summary>
/// Sleeps the scheduler thread until a Stopwatch timestamp. On Linux it uses clock_nanosleep on
/// CLOCK_MONOTONIC with an absolute deadline (the clock Stopwatch reads), which wakes within tens of
/// microseconds; Thread.Sleep counts whole milliseconds and would add up to two of them to launches.
/// Elsewhere it falls back to Thread.Sleep(1).
/// </summary>
internal static partial class PreciseSleep
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsTime = 1;
    private static readonly bool s_useNanosleep = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    public static void Until(long timestamp)
    {
        if (timestamp <= Stopwatch.GetTimestamp())
        {
            return;
        }

        if (!s_useNanosleep)
        {
            Thread.Sleep(1);
            return;
        }

        var deadline = new TimeSpec { Seconds = timestamp / 1_000_000_000, Nanoseconds = timestamp % 1_000_000_000 };
        // EINTR (a signal) just ends the sleep early; the scheduler loop looks again.
        _ = ClockNanosleep(ClockMonotonic, TimerAbsTime, in deadline, IntPtr.Zero);
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clockId, int flags, in TimeSpec request, IntPtr remain);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
