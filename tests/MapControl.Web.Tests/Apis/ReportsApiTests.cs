using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MapControl.Core.Model;
using MapControl.Data.PostGis.Repositories;
using MapControl.Web.Apis;
using MapControl.Web.Tests.OneMap;
using Microsoft.Extensions.DependencyInjection;

namespace MapControl.Web.Tests.Apis;

/// <summary><c>/api/reports</c> and the monthly run over the one-map fixture (departments D1 纯梁, D2 河口, D3 孤岛).</summary>
public sealed class ReportsApiTests(OneMapDatabase database) : IClassFixture<OneMapDatabase>
{
    private async Task<Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>> FactoryAsync()
    {
        await database.ReloadAsync();
        await using (var clear = database.DataSource.CreateCommand("DELETE FROM monthly_report")) await clear.ExecuteNonQueryAsync();
        return OneMapWeb.Factory(database.ConnectionString, b => b.UseSetting("MapControl:Reports:Schedule", "false"));
    }

    [Fact]
    public async Task A_department_user_gets_their_own_department_report_only()
    {
        await using var factory = await FactoryAsync();
        _ = factory.CreateClient(); // starts the app (demo users)
        await new UserRepository(database.DataSource).AddAsync(new User("d1-analyst", "纯梁分析员", Role.Analyst, "D1"), OneMapWeb.DemoPassword);
        using var client = await OneMapWeb.SignedInClientAsync(factory, "d1-analyst");

        (await client.GetAsync("/api/reports/monthly?month=2026-10&department=D2")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await client.GetAsync("/api/reports/monthly?month=2026-10&department=ALL")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the centre's report is not a department's");
        (await client.PostAsync("/api/reports/monthly?month=2026-10&department=D2", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        using var own = await client.GetAsync("/api/reports/monthly?month=2026-10");
        own.StatusCode.Should().Be(HttpStatusCode.OK);
        own.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        own.Content.Headers.ContentDisposition!.FileNameStar.Should().Be("mapcontrol-report-2026-10-D1-zh-CN.pdf");
        var text = PdfText(await own.Content.ReadAsByteArrayAsync());
        text.Should().Contain("纯梁护卫部").And.Contain("2026年10月");
        (await client.GetAsync("/api/reports/monthly?month=2026-10&department=D1")).StatusCode.Should().Be(HttpStatusCode.OK);

        var list = await client.GetFromJsonAsync<JsonElement>("/api/reports");
        list.EnumerateArray().Select(r => r.GetProperty("departmentCode").GetString()).Should().OnlyContain(d => d == "D1");
    }

    [Fact]
    public async Task A_centre_user_gets_any_report_and_mistakes_are_told()
    {
        await using var factory = await FactoryAsync();
        using var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");

        using var centre = await client.GetAsync("/api/reports/monthly?month=2026-10&lang=en");
        centre.StatusCode.Should().Be(HttpStatusCode.OK);
        PdfText(await centre.Content.ReadAsByteArrayAsync()).Should().Contain("Centre (all departments)").And.Contain("October 2026");
        using var d2 = await client.GetAsync("/api/reports/monthly?month=2026-10&department=D2");
        d2.StatusCode.Should().Be(HttpStatusCode.OK);
        PdfText(await d2.Content.ReadAsByteArrayAsync()).Should().Contain("河口护卫部");

        (await client.GetAsync("/api/reports/monthly?month=2026-10&department=NOPE")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("/api/reports/monthly?month=October")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync("/api/reports/monthly?month=2026-10&lang=fr")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        using var anonymous = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        (await anonymous.GetAsync("/api/reports/monthly?month=2026-10")).StatusCode.Should().NotBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_finished_month_is_kept_listed_served_again_and_regenerated_on_request()
    {
        await using var factory = await FactoryAsync();
        using var client = await OneMapWeb.SignedInClientAsync(factory, "analyst");

        var first = await client.GetByteArrayAsync("/api/reports/monthly?month=2026-10&department=D1");
        var listed = (await client.GetFromJsonAsync<JsonElement>("/api/reports")).EnumerateArray().Single();
        listed.GetProperty("month").GetString().Should().Be("2026-10-01");
        listed.GetProperty("departmentCode").GetString().Should().Be("D1");
        listed.GetProperty("generatedBy").GetString().Should().Be("analyst");
        listed.GetProperty("bytes").GetInt32().Should().Be(first.Length);
        (await client.GetByteArrayAsync("/api/reports/monthly?month=2026-10&department=D1")).Should().Equal(first, "the kept report is served");

        using var again = await client.PostAsync("/api/reports/monthly?month=2026-10&department=D1", null);
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        var relisted = (await client.GetFromJsonAsync<JsonElement>("/api/reports")).EnumerateArray().Single();
        relisted.GetProperty("generatedAt").GetDateTimeOffset().Should().BeAfter(listed.GetProperty("generatedAt").GetDateTimeOffset());

        // The running month is made on request but not kept (the run on the 1st makes it from the whole month).
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        (await client.GetAsync($"/api/reports/monthly?month={now:yyyy-MM}&department=D1")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetFromJsonAsync<JsonElement>("/api/reports")).GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task The_monthly_run_makes_the_centres_and_every_departments_report_of_the_previous_month_once()
    {
        await using var factory = await FactoryAsync();
        _ = factory.CreateClient();
        var scheduler = factory.Services.GetRequiredService<MonthlyReportScheduler>();
        var firstOfDecember = new DateTimeOffset(2026, 12, 1, 0, 5, 0, TimeSpan.FromHours(8));

        var made = await scheduler.RunOnceAsync(firstOfDecember, CancellationToken.None);

        made.Select(f => f.Request.DepartmentCode ?? "ALL").Should().BeEquivalentTo(["ALL", "D1", "D2", "D3"]);
        made.Should().OnlyContain(f => f.Request.Month == new DateOnly(2026, 11, 1) && f.Pages >= 5);
        var stored = await new MonthlyReportRepository(database.DataSource).ListAsync();
        stored.Select(r => (r.Month, r.DepartmentCode, r.GeneratedBy)).Should().BeEquivalentTo(
            new (DateOnly, string?, string)[] { (new(2026, 11, 1), null, "scheduler"), (new(2026, 11, 1), "D1", "scheduler"), (new(2026, 11, 1), "D2", "scheduler"), (new(2026, 11, 1), "D3", "scheduler") });
        (await scheduler.RunOnceAsync(firstOfDecember.AddHours(5), CancellationToken.None)).Should().BeEmpty("the month's reports are kept already");
    }

    [Theory]
    [InlineData("2026-11-30T23:59:00+08:00", "2026-12-01T00:05:00+08:00")]
    [InlineData("2026-12-01T00:04:59+08:00", "2026-12-01T00:05:00+08:00")]
    [InlineData("2026-12-01T00:05:00+08:00", "2027-01-01T00:05:00+08:00")]
    [InlineData("2026-11-30T16:30:00+00:00", "2027-01-01T00:05:00+08:00")] // 00:30 on 1 December in China: this month's run is past
    public void The_run_is_on_the_first_of_each_month_china_time(string now, string next) =>
        MonthlyReportScheduler.NextRun(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMinutes(5))
            .Should().Be(DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Who_gets_which_report()
    {
        var centre = new User("a", "a", Role.Analyst, null);
        var d1 = new User("b", "b", Role.Commander, "D1");
        ReportService.Scope(centre, null).Should().Be((true, (string?)null));
        ReportService.Scope(centre, "ALL").Should().Be((true, (string?)null));
        ReportService.Scope(centre, "D2").Should().Be((true, "D2"));
        ReportService.Scope(d1, null).Should().Be((true, "D1"));
        ReportService.Scope(d1, "D1").Should().Be((true, "D1"));
        ReportService.Scope(d1, "D2").Allowed.Should().BeFalse();
        ReportService.Scope(d1, "ALL").Allowed.Should().BeFalse();
        ReportService.Scope(null, "D1").Allowed.Should().BeFalse();
    }

    private static string PdfText(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"report-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            var start = new ProcessStartInfo("pdftotext") { RedirectStandardOutput = true };
            foreach (var a in new[] { "-enc", "UTF-8", file, "-" }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return text;
        }
        finally { File.Delete(file); }
    }
}
