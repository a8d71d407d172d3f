using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using BilateralApi.Infrastructure.Import;
using BilateralApi.TradeRecords;

namespace BilateralApi.Cli;

/// <summary>
/// `import trade-records FILE`: the HTTP import's code path (<see cref="TradeRecordImporter"/>) fed from a
/// file. On a terminal it shows rows/s and an ETA while it runs; otherwise it prints one summary line.
/// Exit codes: 0 stored (or a clean dry run), 1 rows rejected, 2 the file or an option is unusable.
/// </summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A trade file, recognised from its content: Comtrade+ CSV or API answer (JSON), legacy Comtrade CSV, CEPII BACI CSV, NDJSON or a JSON array of trade record writes; UTF-8 or Windows-1252." };
        var format = new Option<string?>("--format") { Description = $"Overrides what the file is recognised as: {TradeFileFormats.AllowedNames}." };
        format.AcceptOnlyFromAmong([.. TradeFileFormats.Names.Keys]);
        var mode = new Option<string>("--mode")
        {
            Description = "What to do with rows whose natural key is stored: insert (reject), upsert (replace when different), skip-existing.",
            DefaultValueFactory = _ => "insert",
        };
        mode.AcceptOnlyFromAmong("insert", "upsert", "skip-existing");
        var dryRun = new Option<bool>("--dry-run") { Description = "Check and count every row; store nothing." };
        var atomic = new Option<bool>("--atomic")
        {
            Description = "true (default): all rows or none. false: store the valid rows and report the rejected ones.",
            DefaultValueFactory = _ => true,
        };
        var sourceId = new Option<string?>("--source-id") { Description = "Id of the existing source the rows come from (required for CSV without a sourceId column)." };
        var db = CliApp.DbOption();

        var tradeRecords = new Command("trade-records", "Import trade records from a file, with the same rules as POST /v1/trade-records/import.")
        {
            file, mode, dryRun, atomic, sourceId, db, format,
        };
        tradeRecords.SetAction((result, cancellationToken) => ImportTradeRecordsAsync(
            result.GetValue(file)!,
            new ImportOptions(ImportHttp.TryParseMode(result.GetValue(mode), out var m) ? m : ImportMode.Insert,
                result.GetValue(atomic), result.GetValue(dryRun), result.GetValue(sourceId)) { FileName = result.GetValue(file)!.Name },
            result.GetValue(db) ?? Environment.GetEnvironmentVariable("BILATERAL_DB"),
            TradeFileFormats.TryParse(result.GetValue(format), out var f) ? f : null,
            cancellationToken));
        return new Command("import", "Import records in bulk from a file.") { tradeRecords };
    }

    private static ImportFormat FormatOf(FileInfo file) => file.Extension.ToLowerInvariant() switch
    {
        ".ndjson" or ".jsonl" => ImportFormat.Ndjson,
        ".json" => ImportFormat.JsonArray,
        _ => ImportFormat.Csv,
    };

    private static async Task<int> ImportTradeRecordsAsync(FileInfo file, ImportOptions options, string? dbPath, TradeFileFormat? format, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            await Console.Error.WriteLineAsync($"No such file: {file.FullName}");
            return 2;
        }
        List<string> hostArgs = [.. CliApp.QuietLogging];
        if (dbPath is not null)
        {
            hostArgs.Add($"--Database:Path={dbPath}");
        }
        await using var app = Program.Build([.. hostArgs]);
        await Program.InitializeAsync(app.Services, cancellationToken);
        var importer = app.Services.GetRequiredService<TradeRecordImporter>();

        var interactive = !Console.IsOutputRedirected;
        var clock = Stopwatch.StartNew();
        var lastShown = TimeSpan.Zero;
        void Show(ImportProgress progress)
        {
            if (!interactive || clock.Elapsed - lastShown < TimeSpan.FromMilliseconds(250))
            {
                return;
            }
            lastShown = clock.Elapsed;
            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
            var fraction = file.Length == 0 ? 1 : Math.Min(1, (double)progress.BytesRead / file.Length);
            var eta = fraction > 0 ? TimeSpan.FromSeconds(seconds / fraction - seconds) : TimeSpan.Zero;
            Console.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r{progress.Rows,12:N0} rows  {progress.Rows / seconds,10:N0} rows/s  {fraction,6:P0}  ETA {eta:hh\\:mm\\:ss}   "));
        }

        ImportReport report;
        try
        {
            await using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            report = await importer.ImportAsync(stream, FormatOf(file), options, Show, cancellationToken, format);
        }
        catch (ImportBodyException ex)
        {
            await Console.Error.WriteLineAsync($"{file.Name}: {ex.Message} Nothing was written.");
            return 2;
        }
        catch (ImportParameterException ex)
        {
            await Console.Error.WriteLineAsync($"--{(ex.Parameter == "sourceId" ? "source-id" : ex.Parameter)}: {ex.Message}");
            return 2;
        }
        if (interactive)
        {
            Console.WriteLine();
        }
        foreach (var rejection in report.RejectedRows.Take(20))
        {
            foreach (var error in rejection.Errors)
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{(rejection.Line is { } line ? $"line {line}" : $"row {rejection.Row}")}: {error.Field}{(error.Column is { } c ? $" ({c})" : "")}: {error.Message}"));
            }
            if (rejection.ErrorsOmitted > 0)
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{(rejection.Line is { } line ? $"line {line}" : $"row {rejection.Row}")}: ... and {rejection.ErrorsOmitted:N0} more reasons."));
            }
        }
        if (report.Rejected > 20)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"... and {report.Rejected - 20:N0} more rejected rows."));
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        var outcome = report.Committed ? "stored" : report.DryRun ? "dry run, nothing stored" : "nothing stored (atomic import with rejected rows)";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trade-records: {report.Rows:N0} rows: {report.Inserted:N0} inserted, {report.Updated:N0} updated, {report.Unchanged:N0} unchanged, {report.Skipped:N0} skipped, {report.Rejected:N0} rejected{NotStored(report)}; {outcome}; {elapsed:F1} s ({report.Rows / Math.Max(elapsed, 0.001):N0} rows/s)"));
        return report.Rejected > 0 ? 1 : 0;
    }

    /// <summary>", not stored: 12 secondPartnerBreakdown, 3 services" when rows were skipped for a reason.</summary>
    private static string NotStored(ImportReport report) => report.SkippedByReason.Count == 0
        ? ""
        : "; not stored: " + string.Join(", ", report.SkippedByReason.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Value:N0} {r.Key}")));
}
