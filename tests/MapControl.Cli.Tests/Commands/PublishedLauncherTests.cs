using System.Diagnostics;

namespace MapControl.Cli.Tests.Commands;

/// <summary>
/// The command users run, <c>.mapcontrol/cli/mapcontrol</c> (published by <c>./build.sh</c> before its tests): a launcher that sets
/// the GC's gen-0 budget and execs the program beside it. It must run from anywhere, through a link, and keep the exit code.
/// </summary>
public sealed class PublishedLauncherTests : IDisposable
{
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "mc launcher " + Guid.NewGuid().ToString("N"));

    public PublishedLauncherTests() => Directory.CreateDirectory(_scratch);

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static string Launcher()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MapControl.sln"))) dir = dir.Parent;
        var launcher = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("MapControl.sln not found above the test binaries"), ".mapcontrol", "cli", "mapcontrol");
        File.Exists(launcher).Should().BeTrue($"./build.sh publishes the CLI to {launcher} before the tests");
        return launcher;
    }

    private static (int Code, string Out, string Err) Run(string command, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("DOTNET_GCgen0size");
        using var process = Process.Start(start)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit(60_000).Should().BeTrue("the CLI answers in well under a minute");
            return (process.ExitCode, output.Result, error.Result);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void The_launcher_runs_the_program_beside_it_through_a_link_in_a_folder_with_spaces()
    {
        var launcher = Launcher();
        File.ReadAllText(launcher).Should().StartWith("#!/bin/sh").And.Contain("DOTNET_GCgen0size").And.Contain("mapcontrol-host");
        File.Exists(Path.Combine(Path.GetDirectoryName(launcher)!, "mapcontrol-host")).Should().BeTrue();
        var link = Path.Combine(_scratch, "mapcontrol");
        File.CreateSymbolicLink(link, launcher);

        var (code, output, _) = Run(link, _scratch, "patrol-coverage", "--help");

        code.Should().Be(0);
        output.Should().Contain("patrol-coverage").And.Contain("--jurisdictions");
    }

    [Fact]
    public void The_launcher_keeps_the_programs_exit_code_and_error_line()
    {
        var (code, _, error) = Run(Launcher(), _scratch, "patrol-coverage", "--tracks", "none.csv", "--jurisdictions", "none.geojson", "--radius-m", "300", "--out", "o.geojson");

        code.Should().Be(1);
        error.Should().StartWith("mapcontrol: error:").And.Contain("none.geojson");
    }
}
