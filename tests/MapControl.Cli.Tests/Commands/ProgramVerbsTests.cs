using MapControl.Cli;

namespace MapControl.Cli.Tests.Commands;

/// <summary><c>Program.Verbs</c>: the name each verb is found by is the name of its command, and a run builds only its verb.</summary>
public sealed class ProgramVerbsTests
{
    [Fact]
    public void Each_verb_is_listed_under_its_command_name()
    {
        foreach (var (name, create) in Program.Verbs)
        {
            Assert.Equal(name, create().Name);
        }

        Assert.Equal(Program.Verbs.Select(v => v.Name), Program.CreateRoot().Subcommands.Select(c => c.Name));
    }

    [Fact]
    public void A_run_of_a_verb_builds_that_verb_only_and_anything_else_builds_all()
    {
        Assert.Equal(["patrol-coverage"], Program.CreateRoot("patrol-coverage").Subcommands.Select(c => c.Name));
        Assert.Equal(Program.Verbs.Length, Program.CreateRoot("--help").Subcommands.Count);
        Assert.Equal(Program.Verbs.Length, Program.CreateRoot("patrol").Subcommands.Count);
    }
}
