using MapControl.Data.PostGis.Repositories;
using MapControl.Data.Tests.PostGis;

namespace MapControl.Web.Tests.OneMap;

/// <summary>A migrated test database loaded with the one-map fixture (onemap-fixture.sql): three departments, a planted gap and overlap.</summary>
public sealed class OneMapDatabase() : TestDatabase(migrate: true), IAsyncLifetime
{
    /// <summary>The fixture SQL.</summary>
    public static string FixtureSql
    {
        get
        {
            using var stream = typeof(OneMapDatabase).Assembly.GetManifestResourceStream("onemap-fixture.sql")
                ?? throw new InvalidOperationException("onemap-fixture.sql is not embedded");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    /// <summary>Creates, migrates and loads the fixture.</summary>
    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        await ReloadAsync();
    }

    /// <summary>Empties the tables and loads the fixture again; with <paramref name="keepUsers"/> the users survive (a running app keeps its sign-ins).</summary>
    public async Task ReloadAsync(bool keepUsers = false)
    {
        if (keepUsers)
        {
            await using var keep = DataSource.CreateCommand("DROP TABLE IF EXISTS keep_users; CREATE TABLE keep_users AS SELECT * FROM app_user");
            await keep.ExecuteNonQueryAsync();
        }
        await TruncateAsync();
        await using (var cmd = DataSource.CreateCommand(FixtureSql))
            await cmd.ExecuteNonQueryAsync();
        // Incidents get their department and oil zone from the one rule (Core IncidentAttribution), as every write in the app does.
        await new IncidentRepository(DataSource).AttributeAsync();
        if (keepUsers)
        {
            await using var back = DataSource.CreateCommand("INSERT INTO app_user SELECT * FROM keep_users; DROP TABLE keep_users");
            await back.ExecuteNonQueryAsync();
        }
    }
}
