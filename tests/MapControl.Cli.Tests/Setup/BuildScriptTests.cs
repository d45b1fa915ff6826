using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MapControl.Cli.Tests.Setup;

/// <summary>
/// Issue 11: a newcomer who clones into a home folder that others cannot enter (Debian's /root is 0700) got <c>./build.sh run</c>
/// failing at initdb, because the cluster runs as <c>postgres</c>. The repository is cloned into a 0700 folder and build.sh's own
/// set-up functions (sourced: the script then only defines them) create, start, query and stop a PostGIS cluster from there.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BuildScriptTests
{
    [Fact]
    public async Task A_clone_in_a_0700_folder_sets_up_its_postgis_cluster()
    {
        var repository = RepositoryRoot();
        var home = Directory.CreateTempSubdirectory("mc-home-0700-");
        File.SetUnixFileMode(home.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var clone = Path.Combine(home.FullName, "MapControl");
        string? clusters = null;
        try
        {
            (await RunAsync("git", ["clone", "-q", repository, clone], "/")).ExitCode.Should().Be(0);
            var port = FreePort();
            var script = $"""
                set -e
                source ./build.sh
                root="$(cluster_root)"
                echo "CLUSTERS=$root"
                ensure_cluster "$root/pg-probe" {port} fast
                create_database "$root/pg-probe" {port} probe
                as_pg "$PGBIN/psql" -h "$root/pg-probe/run" -p {port} -U postgres -d probe -qAt -c "SELECT 'POSTGIS=' || postgis_lib_version()"
                stop_cluster "$root/pg-probe"
                """;
            var (exit, output) = await RunAsync("bash", ["-c", script], clone);
            clusters = output.Split('\n').FirstOrDefault(l => l.StartsWith("CLUSTERS=", StringComparison.Ordinal))?["CLUSTERS=".Length..].Trim();

            exit.Should().Be(0, output);
            output.Should().Contain("POSTGIS=3.");
            output.Should().NotContain("Permission denied");
            if (Environment.UserName == "root")
                clusters.Should().StartWith("/var/lib/mapcontrol/", "postgres cannot enter the 0700 home, so the cluster lives where it can");
        }
        finally
        {
            if (clusters is not null && clusters.StartsWith("/var/lib/mapcontrol/", StringComparison.Ordinal)) Directory.Delete(clusters, recursive: true);
            home.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, string workingDirectory)
    {
        var start = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MapControl.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MapControl.sln not found above " + AppContext.BaseDirectory);
    }
}
