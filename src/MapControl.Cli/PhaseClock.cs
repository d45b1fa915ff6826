using System.Diagnostics;
using System.Globalization;

namespace MapControl.Cli;

/// <summary>
/// <c>--timings</c> of the file verbs: the wall and CPU time of each phase (reading, the analysis, writing) since the previous one,
/// and the process's CPU time so far, to stderr. A no-op without a writer.
/// </summary>
internal sealed class PhaseClock(TextWriter? writer)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>Whether timings are printed.</summary>
    public bool Enabled => writer is not null;

    /// <summary>Prints a line within a phase, with the wall time since the phase began and the process's CPU time so far (thread-safe).</summary>
    public void Note(string line)
    {
        if (writer is null) return;
        lock (_clock)
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"timing:   {_clock.Elapsed.TotalSeconds:F2} s (process {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F2} s cpu) {line}"));
    }

    /// <summary>Prints the phase that just ended and starts the next.</summary>
    public void Done(string name)
    {
        if (writer is null) return;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"timing: {name}: {_clock.Elapsed.TotalSeconds:F2} s wall, {(cpu - _cpu).TotalSeconds:F2} s cpu (process {cpu.TotalSeconds:F2} s cpu, since start {(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds:F2} s; JIT so far {System.Runtime.JitInfo.GetCompiledMethodCount()} methods, {System.Runtime.JitInfo.GetCompilationTime().TotalSeconds:F2} s; GC so far {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} collections of gen 0/1/2, {GC.GetTotalPauseDuration().TotalSeconds:F2} s paused, {GC.GetTotalAllocatedBytes() / 1048576.0:F0} MB allocated)"));
        _cpu = cpu;
        _clock.Restart();
    }
}
