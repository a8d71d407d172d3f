using BilateralApi.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace BilateralApi.Infrastructure.Import;

/// <summary>
/// What every import endpoint shares: the media types it reads, its query parameters, and how a
/// report becomes an answer (200, 207, or 422 with nothing written).
/// </summary>
public static class ImportHttp
{
    public const string CsvMediaType = "text/csv";
    public const string TsvMediaType = "text/tab-separated-values";
    public const string NdjsonMediaType = "application/x-ndjson";
    public const string JsonMediaType = "application/json";

    public const string InvalidBody = "invalidImportBody";
    public const string ImportRejected = "importRejected";

    /// <summary>The uploaded file's name when the client gives one (Content-Disposition: attachment; filename=…), path parts dropped.</summary>
    public static string? FileName(HttpRequest request) =>
        ContentDispositionHeaderValue.TryParse(request.Headers.ContentDisposition.ToString(), out var disposition)
        && HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName) is { Length: > 0 } name
            ? Path.GetFileName(name.ToString())
            : null;

    public static string ModeName(ImportMode mode) => mode switch
    {
        ImportMode.Upsert => "upsert",
        ImportMode.SkipExisting => "skip-existing",
        _ => "insert",
    };

    public static bool TryParseMode(string? value, out ImportMode mode)
    {
        mode = ImportMode.Insert;
        switch (value)
        {
            case null or "insert":
                return true;
            case "upsert":
                mode = ImportMode.Upsert;
                return true;
            case "skip-existing":
                mode = ImportMode.SkipExisting;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The format of the request body from its Content-Type; false when it is none the import reads.</summary>
    public static bool TryGetFormat(HttpRequest request, bool csv, out ImportFormat format)
    {
        format = ImportFormat.JsonArray;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
        {
            return false;
        }
        var media = type.MediaType.Value?.ToLowerInvariant();
        switch (media)
        {
            case CsvMediaType or TsvMediaType when csv:
                format = ImportFormat.Csv;
                return true;
            case NdjsonMediaType:
                format = ImportFormat.Ndjson;
                return true;
            case JsonMediaType:
                format = ImportFormat.JsonArray;
                return true;
            default:
                return false;
        }
    }

    public static ProblemHttpResult UnsupportedMediaType(bool csv) =>
        Problems.Create(StatusCodes.Status415UnsupportedMediaType, Problems.UnsupportedMediaType, "Unsupported media type",
            csv
                ? $"Send {CsvMediaType} (Comtrade-style columns), {NdjsonMediaType} (one record per line) or {JsonMediaType} (an array of records)."
                : $"Send {NdjsonMediaType} (one record per line) or {JsonMediaType} (an array of records).");

    public static ProblemHttpResult BadBody(ImportBodyException exception) =>
        Problems.Create(StatusCodes.Status400BadRequest, exception.Code, "The import body cannot be read", exception.Message + " Nothing was written.");

    /// <summary>200 with the report; 207 for non-atomic imports; 422 problem (nothing written) when an atomic import had rejected rows.</summary>
    public static Results<Ok<ImportReport>, JsonHttpResult<ImportReport>, ProblemHttpResult, ValidationProblem> Answer(ImportReport report)
    {
        if (!report.Atomic)
        {
            return TypedResults.Json(report, statusCode: StatusCodes.Status207MultiStatus);
        }
        if (report.Rejected > 0)
        {
            return TypedResults.Problem(
                detail: $"{report.Rejected} of {report.Rows} rows were rejected, so nothing was written (atomic import). See 'report.rejectedRows'; send atomic=false to store the valid rows.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Rows rejected",
                extensions: new Dictionary<string, object?> { ["code"] = ImportRejected, ["report"] = report });
        }
        return TypedResults.Ok(report);
    }

    /// <summary>The import endpoints' shared OpenAPI metadata (their body limit is declared with WithBodyLimit).</summary>
    public static RouteHandlerBuilder WithImportMetadata(this RouteHandlerBuilder builder, bool csv)
    {
        string[] types = csv
            ? [CsvMediaType, TsvMediaType, NdjsonMediaType, JsonMediaType]
            : [NdjsonMediaType, JsonMediaType];
        return builder
            .Accepts<Stream>(types[0], types[1..])
            .Produces<ImportReport>(StatusCodes.Status207MultiStatus)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }
}
