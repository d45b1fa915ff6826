using System.CommandLine;

namespace MapControl.Cli.Tests.Commands;

/// <summary>A run naming a verb builds that verb alone (Program.CreateRoot(args)); it must read and answer as the whole tree does.</summary>
public sealed class CommandTreeTests
{
    private static readonly string[] s_verbs = [.. Program.CreateRoot().Subcommands.Select(c => c.Name)];

    public static TheoryData<string> Verbs() => [.. s_verbs];

    [Theory]
    [MemberData(nameof(Verbs))]
    public void A_run_naming_a_verb_builds_that_verb_alone(string verb)
    {
        var root = Program.CreateRoot([verb, "--help"]);

        root.Subcommands.Select(c => c.Name).Should().Equal(verb);
        root.Options.Select(o => o.Name).Should().Equal(Program.CreateRoot().Options.Select(o => o.Name));
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task A_verb_built_alone_gives_the_same_help_as_in_the_whole_tree(string verb)
    {
        var alone = await RunAsync(Program.CreateRoot([verb]), verb, "--help");
        var whole = await RunAsync(Program.CreateRoot(), verb, "--help");

        alone.Should().Be(whole);
        alone.Code.Should().Be(0);
    }

    [Theory]
    [InlineData("patrol-coverag", "--help")]
    [InlineData("--help")]
    [InlineData("--db", "Host=nowhere", "stats", "--help")]
    public async Task Other_first_arguments_build_the_whole_tree(params string[] args)
    {
        Program.CreateRoot(args).Subcommands.Select(c => c.Name).Should().Equal(s_verbs);
        (await RunAsync(Program.CreateRoot(args), args)).Should().Be(await RunAsync(Program.CreateRoot(), args));
    }

    [Fact]
    public async Task A_bad_option_of_a_verb_built_alone_is_the_same_error()
    {
        string[] args = ["patrol-coverage", "--tracks", "t.csv", "--jurisdictions", "j.geojson", "--radius-m", "300", "--out", "o.geojson", "--bogus"];

        var alone = await RunAsync(Program.CreateRoot(args), args);

        alone.Should().Be(await RunAsync(Program.CreateRoot(), args));
        alone.Code.Should().NotBe(0);
        alone.Err.Should().Contain("--bogus");
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(RootCommand root, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(root, args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
