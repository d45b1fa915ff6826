using Npgsql;
using static MapControl.Data.PostGis.DbCommands;

namespace MapControl.Data.PostGis.Repositories;

/// <summary>A stored monthly report without its PDF.</summary>
/// <param name="Month">First day of the month.</param>
/// <param name="DepartmentCode">Department code; null for the centre.</param>
/// <param name="Language">"zh-CN" or "en".</param>
/// <param name="GeneratedBy">"scheduler" or the user who asked for it.</param>
/// <param name="BuildMs">Time the report took to make, ms.</param>
/// <param name="Bytes">Size of the PDF.</param>
public sealed record StoredReport(long Id, DateOnly Month, string? DepartmentCode, string Language, DateTimeOffset GeneratedAt,
    string GeneratedBy, int BuildMs, int Pages, int Bytes);

/// <summary>Reads and writes the stored monthly reports (table <c>monthly_report</c>, migration 0006).</summary>
public sealed class MonthlyReportRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, month, department_code, language, generated_at, generated_by, build_ms, pages, octet_length(pdf)";

    /// <summary>Stores a report, replacing the one of the same month, scope and language.</summary>
    public async Task<StoredReport> SaveAsync(DateOnly month, string? departmentCode, string language, byte[] pdf, string generatedBy,
        TimeSpan took, int pages, CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, $"""
            INSERT INTO monthly_report (month, department_code, language, generated_at, generated_by, build_ms, pages, pdf)
            VALUES ($1, $2, $3, now(), $4, $5, $6, $7)
            ON CONFLICT (month, department_code, language) DO UPDATE SET generated_at = now(), generated_by = EXCLUDED.generated_by,
                build_ms = EXCLUDED.build_ms, pages = EXCLUDED.pages, pdf = EXCLUDED.pdf
            RETURNING {Columns}
            """, Read, cancellationToken, month, departmentCode ?? "", language, generatedBy,
            (int)Math.Min(int.MaxValue, took.TotalMilliseconds), pages, pdf).ConfigureAwait(false))[0];

    /// <summary>The stored reports, newest month first, centre first within a month; only one department's (and no centre) when given.</summary>
    public async Task<IReadOnlyList<StoredReport>> ListAsync(string? onlyDepartment = null, int limit = 500, CancellationToken cancellationToken = default) =>
        await QueryAsync(dataSource, $"""
            SELECT {Columns} FROM monthly_report
            WHERE $1::text IS NULL OR department_code = $1
            ORDER BY month DESC, department_code, language LIMIT $2
            """, Read, cancellationToken, (object?)onlyDepartment ?? DBNull.Value, limit).ConfigureAwait(false);

    /// <summary>The PDF of a stored report, or null.</summary>
    public async Task<(StoredReport Report, byte[] Pdf)?> GetAsync(DateOnly month, string? departmentCode, string language,
        CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(dataSource, $"""
            SELECT {Columns}, pdf FROM monthly_report WHERE month = $1 AND department_code = $2 AND language = $3
            """, r => (Read(r), r.GetFieldValue<byte[]>(9)), cancellationToken, month, departmentCode ?? "", language).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Scopes (department codes, "" for the centre) of a month that have a stored report in the language.</summary>
    public async Task<IReadOnlySet<string>> ScopesOfAsync(DateOnly month, string language, CancellationToken cancellationToken = default) =>
        (await QueryAsync(dataSource, "SELECT department_code FROM monthly_report WHERE month = $1 AND language = $2",
            r => r.GetString(0), cancellationToken, month, language).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);

    private static StoredReport Read(NpgsqlDataReader r) =>
        new(r.GetInt64(0), DateOnly.FromDateTime(r.GetDateTime(1)), r.GetString(2) is { Length: > 0 } d ? d : null, r.GetString(3),
            r.GetFieldValue<DateTimeOffset>(4), r.GetString(5), r.GetInt32(6), r.GetInt32(7), r.GetInt32(8));
}
