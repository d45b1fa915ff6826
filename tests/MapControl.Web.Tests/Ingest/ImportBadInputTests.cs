using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MapControl.Core.Model;
using MapControl.Data.Files;
using MapControl.Data.PostGis.Repositories;
using MapControl.Tests.Corpus;
using MapControl.Web.Tests.Ogc;
using Microsoft.AspNetCore.Hosting;

namespace MapControl.Web.Tests.Ingest;

/// <summary>
/// The bad-input corpus (tests/corpus) against POST /api/import on the real PostGIS test database: never a 500, always a 4xx problem
/// (or the import's 422 report) that says what is wrong, nothing stored, no staging folder left behind.
/// </summary>
[Collection(InteropCollection.Name)]
public sealed class ImportBadInputTests(InteropServer server)
{
    private static readonly Lazy<IReadOnlyList<CorpusCase>> s_cases = new(BadInputCorpus.Cases);
    private static readonly Lazy<IReadOnlyList<ZipCase>> s_zipCases = new(BadInputCorpus.ZipCases);

    /// <summary>What an import could change: the counts compared before and after.</summary>
    private const string StoredSql = "SELECT (SELECT count(*) FROM oil_zone) * 1000000 + (SELECT count(*) FROM audit_log)";

    public static TheoryData<string> CaseNames() => [.. s_cases.Value.Select(c => c.Name)];

    public static TheoryData<string> ZipCaseNames() => [.. s_zipCases.Value.Select(c => c.Name)];

    private async Task<HttpClient> PlannerAsync(HttpClient? client = null)
    {
        var users = new UserRepository(server.DataSource);
        if (await users.GetAsync("corpus-planner") is null) await users.AddAsync(new User("corpus-planner", "Planner", Role.Planner, null), "planner-secret-1");
        var token = await users.CreateApiTokenAsync("corpus-planner");
        client ??= server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static MultipartFormDataContent Form(params (string Name, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("oil-zones"), "layer" },
            { new StringContent("false"), "dryRun" },
        };
        foreach (var (name, bytes) in files) form.Add(new ByteArrayContent(bytes), "file", name);
        return form;
    }

    private static int[] Expected(CorpusOutcome outcome) => outcome switch
    {
        CorpusOutcome.LimitExceeded => [413],
        CorpusOutcome.Repaired => [422],
        _ => [400],
    };

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpContent content, HttpClient? client = null)
    {
        using var planner = await PlannerAsync(client);
        var before = await server.CountAsync(StoredSql);
        var staging = StagingFolders();
        var response = await planner.PostAsync("/api/import", content);
        var body = await response.Content.ReadAsStringAsync();
        (await server.CountAsync(StoredSql)).Should().Be(before, "nothing is stored from a bad upload");
        // another test class may be importing at the same time in this process: a folder of ours would never go away
        for (var i = 0; i < 50 && StagingFolders().Except(staging).Any(); i++) await Task.Delay(100);
        StagingFolders().Except(staging).Should().BeEmpty("the staging folder is deleted after the request");
        return (response.StatusCode, body);
    }

    private static string[] StagingFolders() =>
        Directory.GetDirectories(Path.GetTempPath(), $"{ImportStaging.FolderPrefix}{Environment.ProcessId}-*");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Import_badFile_uploadedAsIs_is4xxWithItsReason_andStoresNothing(string name)
    {
        var corpusCase = s_cases.Value.Single(c => c.Name == name);

        var (status, body) = await PostAsync(Form([.. corpusCase.Files.Select(f => (f.Key, f.Value))]));

        ((int)status).Should().BeOneOf(Expected(corpusCase.Outcome), body);
        body.Should().ContainEquivalentOf(corpusCase.MessageContains);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Import_badFile_uploadedZipped_is4xxWithItsReason_andStoresNothing(string name)
    {
        var corpusCase = s_cases.Value.Single(c => c.Name == name);

        var (status, body) = await PostAsync(Form(("upload.zip", corpusCase.Zipped())));

        ((int)status).Should().BeOneOf(Expected(corpusCase.Outcome), body);
    }

    [Theory]
    [MemberData(nameof(ZipCaseNames))]
    public async Task Import_badZip_is4xxProblem_andStoresNothing(string name)
    {
        var zipCase = s_zipCases.Value.Single(c => c.Name == name);

        var (status, body) = await PostAsync(Form(("upload.zip", zipCase.Bytes)));

        ((int)status).Should().BeOneOf(Expected(zipCase.Outcome), body);
        var problem = JsonDocument.Parse(body).RootElement;
        problem.GetProperty("detail").GetString().Should().ContainEquivalentOf(zipCase.MessageContains);
    }

    /// <summary>The reproduction: the first 150 bytes of a .shp zipped with its .shx, .dbf and .prj, dryRun=true.</summary>
    [Fact]
    public async Task Import_truncatedShapefileZip_dryRun_is400NamingTheTruncation()
    {
        var zip = s_zipCases.Value.Single(c => c.Name == "zip-truncated-shapefile").Bytes;
        var form = new MultipartFormDataContent
        {
            { new StringContent("oil-zones"), "layer" },
            { new StringContent("true"), "dryRun" },
            { new ByteArrayContent(zip), "file", "zones.zip" },
        };

        var (status, body) = await PostAsync(form);

        status.Should().Be(HttpStatusCode.BadRequest, body);
        JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString().Should().Match("zones.shp: truncated: the header says * bytes, the file has 150");
    }

    [Theory]
    [InlineData("../zones.geojson")]
    [InlineData("..")]
    [InlineData("sub/zones.geojson")]
    [InlineData("..\\zones.geojson")]
    public async Task Import_fileNameWithAPath_is400(string fileName)
    {
        var geojson = Encoding.UTF8.GetBytes(FeatureFiles.ToGeoJson(BadInputCorpus.ValidFeatures));
        var form = new MultipartFormDataContent { { new StringContent("oil-zones"), "layer" }, { new StringContent("true"), "dryRun" } };
        var file = new ByteArrayContent(geojson);
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = "\"" + fileName.Replace("\\", "\\\\") + "\"" };
        form.Add(file);

        var (status, body) = await PostAsync(form);

        status.Should().Be(HttpStatusCode.BadRequest, body);
        body.Should().Contain("not a plain file name");
    }

    [Fact]
    public async Task Import_brokenMultipart_is400()
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes("--xyz\r\nContent-Disposition: form-data; name=\"layer\"\r\n\r\noil-zones\r\n--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.geojson\"\r\n\r\n{\"type\""));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");

        var (status, body) = await PostAsync(content);

        status.Should().Be(HttpStatusCode.BadRequest, body);
        body.Should().Contain("multipart/form-data body cannot be read");
    }

    [Fact]
    public async Task Import_validFileStillImports_dryRun()
    {
        var geojson = Encoding.UTF8.GetBytes(FeatureFiles.ToGeoJson(BadInputCorpus.ValidFeatures));
        var form = new MultipartFormDataContent
        {
            { new StringContent("oil-zones"), "layer" }, { new StringContent("true"), "dryRun" },
            { new ByteArrayContent(BadInputCorpus.Zip(("zones.geojson", geojson))), "file", "zones.zip" },
        };

        var (status, body) = await PostAsync(form);

        status.Should().Be(HttpStatusCode.OK, body);
        JsonDocument.Parse(body).RootElement.GetProperty("inserts").GetInt32().Should().Be(3);
    }

    /// <summary>One setting, Import:MaxUploadBytes: beyond it the answer is 413 problem details, whether the length is declared or not.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Import_uploadOverMaxUploadBytes_is413Problem(bool declaredLength)
    {
        await using var small = server.Factory.WithWebHostBuilder(b => b.UseSetting("Import:MaxUploadBytes", "65536"));
        using var client = await PlannerAsync(small.CreateClient());
        var form = Form(("big.geojson", new byte[200_000]));
        HttpContent content = form;
        if (!declaredLength)
        {
            content = new StreamContent(new NoLengthStream(await form.ReadAsByteArrayAsync()));
            content.Headers.ContentType = form.Headers.ContentType;
        }

        var response = await client.PostAsync("/api/import", content);
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        body.Should().Contain("upload 65,536 bytes").And.Contain("Import limits");
    }

    /// <summary>
    /// On Kestrel (not the in-memory test server): Import:MaxUploadBytes raises Kestrel's 30 MB default for this endpoint (a 35 MB
    /// upload reaches the reader and is refused as a bad file, 400) and lowers it too (413 problem details, not a reset or a 500).
    /// </summary>
    [Theory]
    [InlineData(35L * 1024 * 1024, null, HttpStatusCode.BadRequest)]
    [InlineData(200_000L, "65536", HttpStatusCode.RequestEntityTooLarge)]
    public async Task Import_onKestrel_followsTheOneUploadSetting(long bytes, string? maxUploadBytes, HttpStatusCode expected)
    {
        await using var factory = server.Factory.WithWebHostBuilder(b =>
        {
            if (maxUploadBytes is not null) b.UseSetting("Import:MaxUploadBytes", maxUploadBytes);
        });
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = await PlannerAsync(factory.CreateClient());
        var geojson = new byte[bytes];
        geojson.AsSpan().Fill((byte)' ');
        geojson[^1] = (byte)'x';

        var response = await client.PostAsync("/api/import", Form(("big.geojson", geojson)));
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(expected, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        if (expected == HttpStatusCode.BadRequest) body.Should().Contain("big.geojson: not valid JSON");
    }

    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
