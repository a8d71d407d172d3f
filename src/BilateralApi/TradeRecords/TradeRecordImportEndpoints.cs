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
                Streams trade records from the body into the store. The body is recognised from itself (format= only overrides): a UN Comtrade+ CSV as the website exports it (reporterISO or reporterCode, partnerISO or partnerCode, period YYYY or YYYYMM or refYear/refMonth, flowCode, cmdCode, classificationCode, motCode, primaryValue, netWgt, qty, qtyUnitAbbr, cifvalue/fobvalue, isReported, …; or the API's own member names; other columns are ignored; tab-separated works too), a UN Comtrade+ API answer ({"elapsedTime", "count", "data", "error"}), a legacy Comtrade CSV (Classification, Year, Period, …, Trade Value (US$), Flag), a CEPII BACI file (t,i,j,k,v,q), NDJSON (one trade record write per line) or a JSON array of them. Text may be UTF-8 (with or without BOM) or Windows-1252/ISO-8859-1. Send it as text/csv, text/tab-separated-values, application/x-ndjson or application/json.
                Rows the store keeps no total for (services, breakdowns by second partner, customs procedure or mode of supply, Comtrade's sub-flows) are skipped and counted per reason in skippedByReason, never rejected.
                Each row is checked by the same rules as POST /v1/trade-records. Rows whose natural key exists are rejected (mode=insert), replaced when different (mode=upsert; identical rows stay unchanged and keep their version) or skipped (mode=skip-existing).
                atomic=true (default): all rows or none; any rejected row answers 422 with the report and nothing is stored. atomic=false: valid rows are stored and the answer is 207 with per-row results. dryRun=true checks and counts everything and stores nothing.
                The answer lists the first 100 rejected rows with line, field, CSV column and reason, then a count. The whole import is one transaction: a body that breaks off stores nothing.
                """)
            .WithImportMetadata(csv: true);

    public static async Task<Results<Ok<ImportReport>, JsonHttpResult<ImportReport>, ProblemHttpResult, ValidationProblem>> Import(
        [FromQuery(Name = "mode"), Description("What to do with a row whose natural key is stored: insert (reject it, the default), upsert (replace it when different) or skip-existing (keep the stored one)."), Example("upsert")] string? mode,
        [FromQuery(Name = "atomic"), Description("true (default): all rows or none, 422 when any row is rejected. false: store the valid rows and answer 207 with per-row results."), Example("true")] bool? atomic,
        [FromQuery(Name = "dryRun"), Description("true: check and count every row, store nothing."), Example("false")] bool? dryRun,
        [FromQuery(Name = "format"), Description("Overrides what the body is recognised as: comtrade (Comtrade+ CSV or the API's own columns), comtrade-legacy, baci, comtrade-json (a Comtrade+ API answer), ndjson or json."), Example("comtrade")] string? format,
        [FromQuery(Name = "sourceId"), Description("Id of the existing source (the dataset release) the rows come from: required for CSV without a sourceId column; for JSON rows, used where a row gives none."), Example("comtrade-2025-release")] string? sourceId,
        TradeRecordImporter importer, HttpContext http, CancellationToken cancellationToken)
    {
        if (!ImportHttp.TryParseMode(mode, out var importMode))
        {
            return Problems.Parameter("mode", $"'{mode}' is not an import mode. Allowed: insert, upsert, skip-existing.");
        }
        if (!TradeFileFormats.TryParse(format, out var formatOverride))
        {
            return Problems.Parameter("format", $"'{format}' is not a trade file format. Allowed: {TradeFileFormats.AllowedNames}.");
        }
        if (!ImportHttp.TryGetFormat(http.Request, csv: true, out var declared))
        {
            return ImportHttp.UnsupportedMediaType(csv: true);
        }
        var options = new ImportOptions(importMode, atomic ?? true, dryRun ?? false, string.IsNullOrEmpty(sourceId) ? null : sourceId)
        {
            FileName = ImportHttp.FileName(http.Request),
        };
        try
        {
            // The whole body is on disk before the import takes the write lock.
            await using var body = await ImportSpool.CopyAsync(http, cancellationToken);
            var report = await importer.ImportAsync(body, declared, options, progress: null, cancellationToken, formatOverride);
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
