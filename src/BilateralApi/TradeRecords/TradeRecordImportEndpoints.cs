using System.ComponentModel;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Import;
using BilateralApi.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.TradeRecords;

public static class TradeRecordImportEndpoints
{
    /// <summary>Maps POST /import on the trade records' group; <see cref="TradeRecordEndpoints"/> declares its scope, budget and body limit.</summary>
    public static RouteHandlerBuilder MapTradeRecordImport(this RouteGroupBuilder group) =>
        group.MapPost("/import", Import).WithName("importTradeRecords")
            .WithSummary("Import trade records in bulk")
            .WithDescription("""
                Streams trade records from the body into the store: text/csv (UN Comtrade columns: reporterISO or reporterCode, partnerISO or partnerCode, period YYYY or YYYYMM, flowCode, cmdCode, motCode, primaryValue, netWgt, qty, qtyUnitAbbr, optionally cifvalue/fobvalue, sourceId; or the API's own member names; other columns are ignored; tab-separated files work too), application/x-ndjson (one trade record write per line) or application/json (an array of them).
                Each row is checked by the same rules as POST /v1/trade-records. Rows whose natural key exists are rejected (mode=insert), replaced when different (mode=upsert; identical rows stay unchanged and keep their version) or skipped (mode=skip-existing).
                atomic=true (default): all rows or none; any rejected row answers 422 with the report and nothing is stored. atomic=false: valid rows are stored and the answer is 207 with per-row results. dryRun=true checks and counts everything and stores nothing.
                The answer lists the first 100 rejected rows with line, field, CSV column and reason, then a count. The whole import is one transaction: a body that breaks off stores nothing.
                """)
            .WithImportMetadata(csv: true);

    public static async Task<Results<Ok<ImportReport>, JsonHttpResult<ImportReport>, ProblemHttpResult, ValidationProblem>> Import(
        [FromQuery(Name = "mode"), Description("What to do with a row whose natural key is stored: insert (reject it, the default), upsert (replace it when different) or skip-existing (keep the stored one)."), Example("upsert")] string? mode,
        [FromQuery(Name = "atomic"), Description("true (default): all rows or none, 422 when any row is rejected. false: store the valid rows and answer 207 with per-row results."), Example("true")] bool? atomic,
        [FromQuery(Name = "dryRun"), Description("true: check and count every row, store nothing."), Example("false")] bool? dryRun,
        [FromQuery(Name = "sourceId"), Description("Id of the existing source (the dataset release) the rows come from: required for CSV without a sourceId column; for JSON rows, used where a row gives none."), Example("comtrade-2025-release")] string? sourceId,
        TradeRecordImporter importer, HttpContext http, CancellationToken cancellationToken)
    {
        if (!ImportHttp.TryParseMode(mode, out var importMode))
        {
            return Problems.Parameter("mode", $"'{mode}' is not an import mode. Allowed: insert, upsert, skip-existing.");
        }
        if (!ImportHttp.TryGetFormat(http.Request, csv: true, out var format))
        {
            return ImportHttp.UnsupportedMediaType(csv: true);
        }
        var options = new ImportOptions(importMode, atomic ?? true, dryRun ?? false, string.IsNullOrEmpty(sourceId) ? null : sourceId);
        try
        {
            // The whole body is on disk before the import takes the write lock.
            await using var body = await ImportSpool.CopyAsync(http, cancellationToken);
            var report = await importer.ImportAsync(body, format, options, progress: null, cancellationToken);
            return ImportHttp.Answer(report);
        }
        catch (ImportBodyException ex)
        {
            return ImportHttp.BadBody(ex);
        }
        catch (ImportParameterException ex)
        {
            return Problems.Parameter(ex.Parameter, ex.Message);
        }
    }
}
