using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace MapControl.Web.Hosting;

/// <summary>
/// Turns the exceptions that are not the server's fault into problem details without internals: the database being down or
/// restarting → 503 with <c>Retry-After</c> (the pool reconnects by itself on a later request); a malformed or oversized request
/// that the framework refused while reading it → its 4xx. Everything else stays a 500 whose detail says nothing of the cause
/// (it is logged).
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait while the database is unavailable.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string title, detail;
        if (IsDatabaseUnavailable(exception))
        {
            log.LogWarning("Database unavailable while answering {Path}: {Message}", http.Request.Path, exception.Message);
            status = StatusCodes.Status503ServiceUnavailable;
            title = "Service unavailable";
            detail = "The database is unavailable; try again shortly.";
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (exception is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            title = status == StatusCodes.Status413PayloadTooLarge ? "Request too large" : "Bad request";
            detail = status == StatusCodes.Status413PayloadTooLarge
                ? "The request body is larger than the server accepts."
                : "The request could not be read: " + bad.Message;
        }
        else if (exception is InvalidDataException && http.Request.HasFormContentType)
        {
            status = StatusCodes.Status400BadRequest;
            title = "Bad request";
            detail = "The multipart form could not be read: " + exception.Message;
        }
        else
        {
            return false; // the default handler answers 500 with a generic problem
        }
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).ConfigureAwait(false);
    }

    /// <summary>True for failures to reach or keep a connection to PostgreSQL (down, restarting, pool exhausted), not for SQL errors.</summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    // 08: connection exception; 57P01..57P03: admin shutdown, crash shutdown, cannot connect now; 53300: too many connections.
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300";
                case NpgsqlException { InnerException: SocketException or IOException or TimeoutException }:
                case NpgsqlException when e.Message.Contains("The connection pool has been exhausted", StringComparison.Ordinal):
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                    return true;
            }
        }
        return false;
    }
}
