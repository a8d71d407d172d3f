using System.Text.Json;
using BilateralApi.Agreements;
using BilateralApi.Claims;
using BilateralApi.Events;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Json;
using BilateralApi.Infrastructure.Validation;
using BilateralApi.Sources;
using BilateralApi.TradeRecords;
using FluentValidation;

namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// Loads the curated seed dataset (data/seed, embedded in the build) through the same validators and
/// repositories as API writes, inside one transaction: a seed record that breaks a rule stops the
/// start-up instead of storing a bad fact, and a failed load leaves nothing behind. Validators read
/// references (sources, agreements) through that transaction, so records loaded earlier count.
/// </summary>
public sealed class SeedLoader(IServiceProvider services)
{
    private static readonly Func<long?, Preconditions.Outcome> Always = _ => Preconditions.Outcome.Proceed;

    public async Task<string> LoadAsync(IWriteScope scope, CancellationToken cancellationToken)
    {
        var lookup = new RecordLookup(scope);
        var citations = ActivatorUtilities.CreateInstance<CitationValidator>(services, lookup);
        var counts = new List<string>();

        var sources = services.GetRequiredService<SourceRepository>();
        counts.Add(await LoadFileAsync("sources", ActivatorUtilities.CreateInstance<SourceWriteValidator>(services),
            (SourceWrite w, CancellationToken ct) => sources.PutAsync(scope, w.Id!, w, Always, ct), cancellationToken));

        var agreements = services.GetRequiredService<AgreementRepository>();
        counts.Add(await LoadFileAsync("agreements", ActivatorUtilities.CreateInstance<AgreementWriteValidator>(services, lookup, citations),
            (AgreementWrite w, CancellationToken ct) => agreements.PutAsync(scope, w.Id!, w, Always, ct), cancellationToken));

        // Events come after agreements: an event may name the agreement it belongs to.
        var events = services.GetRequiredService<EventRepository>();
        counts.Add(await LoadFileAsync("events", ActivatorUtilities.CreateInstance<EventWriteValidator>(services, lookup, citations),
            (EventWrite w, CancellationToken ct) => events.PutAsync(scope, w.Id!, w, Always, ct), cancellationToken));

        var claims = services.GetRequiredService<ClaimRepository>();
        counts.Add(await LoadFileAsync("claims", ActivatorUtilities.CreateInstance<ClaimWriteValidator>(services, citations),
            (ClaimWrite w, CancellationToken ct) => claims.PutAsync(scope, w.Id!, w, Always, ct), cancellationToken));

        // Trade records have no slug id: they are upserted by natural key.
        var tradeRecords = services.GetRequiredService<TradeRecordRepository>();
        counts.Add(await LoadFileAsync("trade-records", ActivatorUtilities.CreateInstance<TradeRecordWriteValidator>(services, lookup),
            (TradeRecordWrite w, CancellationToken ct) => tradeRecords.UpsertAsync(scope, w, ct), cancellationToken));

        return string.Join(", ", counts);
    }

    private static async Task<string> LoadFileAsync<TWrite, TResult>(
        string name, IValidator<TWrite> validator, Func<TWrite, CancellationToken, Task<TResult>> write, CancellationToken cancellationToken)
    {
        var resource = $"Seed.{name}.json";
        await using var stream = EmbeddedData.Open(resource);
        var items = await JsonSerializer.DeserializeAsync<List<TWrite>>(stream, JsonDefaults.Options, cancellationToken)
            ?? throw new InvalidOperationException($"{resource} is empty.");
        for (var i = 0; i < items.Count; i++)
        {
            var result = await validator.ValidateAsync(items[i], cancellationToken);
            if (!result.IsValid)
            {
                var errors = string.Join("; ", result.ToFieldErrors().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
                var label = items[i] is IWriteWithId { Id: { } id } ? $"'{id}'" : $"#{i + 1}";
                throw new InvalidOperationException($"Seed record {label} in {resource} is invalid: {errors}");
            }
            await write(items[i], cancellationToken);
        }
        return $"{items.Count} {name}";
    }
}
