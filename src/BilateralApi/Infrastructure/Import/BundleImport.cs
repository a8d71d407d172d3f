using System.ComponentModel;
using BilateralApi.Agreements;
using BilateralApi.Claims;
using BilateralApi.Events;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.OpenApi;
using BilateralApi.Sources;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BilateralApi.Infrastructure.Import;

/// <summary>
/// What one curated resource (sources, agreements, events, claims) gives the bundle import: its name,
/// its single-write validator built over the import's own <see cref="RecordLookup"/> (so references
/// resolve inside the import transaction, including records written earlier in the same bundle), and
/// its repository's PUT inside a caller's transaction (which writes the children tables and the change log).
/// </summary>
public sealed record BundleSlice<TWrite>(
    string Resource,
    Func<IServiceProvider, RecordLookup, IValidator<TWrite>> Validator,
    Func<IServiceProvider, IWriteScope, string, TWrite, Func<long?, Preconditions.Outcome>, CancellationToken, Task<WriteStatus>> Put)
    where TWrite : class, IWriteWithId;

/// <summary>
/// POST /v1/{sources,agreements,events,claims}/import: NDJSON or a JSON array of the resource's write
/// shape, each row with its id, with the trade-record import's modes, atomic/dry-run semantics and report.
/// Rows are few and rich (citations, parties, participants), so each goes through the repository's own
/// PUT path rather than a bulk statement. One transaction for the whole body, as for trade records.
/// </summary>
public static class BundleImport
{
    public static readonly BundleSlice<SourceWrite> Sources = new("sources",
        (services, _) => ActivatorUtilities.CreateInstance<SourceWriteValidator>(services),
        async (services, scope, id, write, precondition, ct) => (await services.GetRequiredService<SourceRepository>().PutAsync(scope, id, write, precondition, ct)).Status);

    public static readonly BundleSlice<AgreementWrite> Agreements = new("agreements",
        (services, lookup) => ActivatorUtilities.CreateInstance<AgreementWriteValidator>(services, lookup, ActivatorUtilities.CreateInstance<CitationValidator>(services, lookup)),
        async (services, scope, id, write, precondition, ct) => (await services.GetRequiredService<AgreementRepository>().PutAsync(scope, id, write, precondition, ct)).Status);

    public static readonly BundleSlice<EventWrite> Events = new("events",
        (services, lookup) => ActivatorUtilities.CreateInstance<EventWriteValidator>(services, lookup, ActivatorUtilities.CreateInstance<CitationValidator>(services, lookup)),
        async (services, scope, id, write, precondition, ct) => (await services.GetRequiredService<EventRepository>().PutAsync(scope, id, write, precondition, ct)).Status);

    public static readonly BundleSlice<ClaimWrite> Claims = new("claims",
        (services, lookup) => ActivatorUtilities.CreateInstance<ClaimWriteValidator>(services, ActivatorUtilities.CreateInstance<CitationValidator>(services, lookup)),
        async (services, scope, id, write, precondition, ct) => (await services.GetRequiredService<ClaimRepository>().PutAsync(scope, id, write, precondition, ct)).Status);

    /// <exception cref="ImportBodyException">The body cannot be split into records; nothing was written.</exception>
    public static async Task<ImportReport> ImportAsync<TWrite>(IServiceProvider services, BundleSlice<TWrite> slice, Stream body, ImportFormat format,
        ImportOptions options, CancellationToken cancellationToken)
        where TWrite : class, IWriteWithId
    {
        await using var scope = await services.GetRequiredService<IStoreConnections>().BeginWriteAsync(cancellationToken);
        var validator = slice.Validator(services, new RecordLookup(scope));
        var tally = new ImportTally(slice.Resource, options);
        await foreach (var row in ImportJson.ReadAsync<TWrite>(body, format, cancellationToken))
        {
            if (row.Error is { } error)
            {
                tally.Rejected(row.Row, row.Line, [error]);
                continue;
            }
            var write = row.Value!;
            if (string.IsNullOrEmpty(write.Id))
            {
                tally.Rejected(row.Row, row.Line, [new ImportError("id", null, "Each imported record needs its 'id': imports create or replace records by id, so that importing the same bundle twice changes nothing twice.")]);
                continue;
            }
            var validation = await validator.ValidateAsync(write, cancellationToken);
            if (!validation.IsValid)
            {
                tally.Rejected(row.Row, row.Line, validation.Errors.Select(e => new ImportError(e.PropertyName, null, e.ErrorMessage)).ToList());
                continue;
            }
            // insert and skip-existing refuse to touch a stored record; upsert replaces it (version + 1), unless
            // the stored record already has exactly this content (unchanged: nothing written).
            var status = await slice.Put(services, scope, write.Id, write,
                version => version is null || options.Mode == ImportMode.Upsert ? Preconditions.Outcome.Proceed : Preconditions.Outcome.Failed,
                cancellationToken);
            switch (status)
            {
                case WriteStatus.Created:
                    tally.Inserted(row.Row, row.Line, write.Id);
                    break;
                case WriteStatus.Updated:
                    tally.Updated(row.Row, row.Line, write.Id);
                    break;
                case WriteStatus.Unchanged:
                    tally.Unchanged(row.Row, row.Line, write.Id);
                    break;
                case WriteStatus.PreconditionFailed when options.Mode == ImportMode.SkipExisting:
                    tally.Skipped(row.Row, row.Line, write.Id);
                    break;
                case WriteStatus.PreconditionFailed:
                    tally.Rejected(row.Row, row.Line, [new ImportError("id", null, $"A record with the id '{write.Id}' already exists. Use mode=upsert to replace it or mode=skip-existing to keep it.")]);
                    break;
                default:
                    tally.Rejected(row.Row, row.Line, [new ImportError("$", null, $"The record could not be written ({status}).")]);
                    break;
            }
        }
        var commit = tally.ShouldCommit;
        if (commit)
        {
            await scope.CommitAsync(cancellationToken);
        }
        return tally.Report(commit);
    }

    /// <summary>Maps POST /import on one resource's group; the slice declares its scope, budget and body limit.</summary>
    public static RouteHandlerBuilder MapBundleImport<TWrite>(this RouteGroupBuilder group, string operationId, BundleSlice<TWrite> slice)
        where TWrite : class, IWriteWithId =>
        group.MapPost("/import",
            async Task<Results<Ok<ImportReport>, JsonHttpResult<ImportReport>, ProblemHttpResult, ValidationProblem>> (
                [FromQuery(Name = "mode"), Description("What to do with a row whose id is stored: insert (reject it, the default), upsert (replace it; its version goes up, unless the row is identical to the stored record: unchanged, nothing written) or skip-existing (keep the stored one)."), Example("upsert")] string? mode,
                [FromQuery(Name = "atomic"), Description("true (default): all rows or none, 422 when any row is rejected. false: store the valid rows and answer 207 with per-row results."), Example("true")] bool? atomic,
                [FromQuery(Name = "dryRun"), Description("true: check and count every row, store nothing."), Example("false")] bool? dryRun,
                HttpContext http, CancellationToken cancellationToken) =>
            {
                if (!ImportHttp.TryParseMode(mode, out var importMode))
                {
                    return Problems.Parameter("mode", $"'{mode}' is not an import mode. Allowed: insert, upsert, skip-existing.");
                }
                if (!ImportHttp.TryGetFormat(http.Request, csv: false, out var format))
                {
                    return ImportHttp.UnsupportedMediaType(csv: false);
                }
                var options = new ImportOptions(importMode, atomic ?? true, dryRun ?? false, SourceId: null);
                try
                {
                    // The whole body is on disk before the import takes the write lock.
                    await using var body = await ImportSpool.CopyAsync(http, cancellationToken);
                    return ImportHttp.Answer(await ImportAsync(http.RequestServices, slice, body, format, options, cancellationToken));
                }
                catch (ImportBodyException ex)
                {
                    return ImportHttp.BadBody(ex);
                }
            })
            .WithName(operationId)
            .WithSummary($"Import {slice.Resource} in bulk")
            .WithDescription($"""
                Reads {slice.Resource} from the body: application/x-ndjson (one {slice.Resource} write per line, the shape of PUT /v1/{slice.Resource}/ID, with its id) or application/json (an array of them).
                Each row is checked by the same rules as a single write, with references (sources, agreements) resolved inside the import, so a bundle may cite records it creates earlier in the same body. A row whose id is stored is rejected (mode=insert), replaced with its version raised (mode=upsert; a row identical to the stored record is counted unchanged and writes nothing) or skipped (mode=skip-existing).
                atomic=true (default): all rows or none; any rejected row answers 422 with the report and nothing is stored. atomic=false: valid rows are stored and the answer is 207 with per-row results. dryRun=true checks and counts everything and stores nothing.
                The answer lists the first 100 rejected rows with row, line, field and reason, then a count. The whole import is one transaction: a body that breaks off stores nothing.
                """)
            .WithImportMetadata(csv: false);
}
