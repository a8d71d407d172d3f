using System.Text.Json;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Json;
using BilateralApi.Infrastructure.Validation;
using BilateralApi.Sources;
using BilateralApi.TradeRecords;
using FluentValidation;

namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// Loads the curated seed dataset (data/seed, embedded in the build) through the same validators and
/// repositories as API writes, inside the caller's transaction: a seed file that breaks a rule stops
/// the start-up instead of storing a bad fact.
/// </summary>
public sealed class SeedLoader(IServiceProvider services)
{
    public async Task<string> LoadAsync(WriteScope scope, CancellationToken cancellationToken)
    {
        var sources = await LoadAsync<SourceWrite>(scope, "Seed.sources.json",
            services.GetRequiredService<IValidator<SourceWrite>>(),
            (write, ct) => services.GetRequiredService<SourceRepository>().PutAsync(scope, write.Id!, write, _ => Preconditions.Outcome.Proceed, ct),
            cancellationToken);
        // Trade records have no id: they are upserted by natural key, and their validator reads source ids through this transaction.
        var tradeRecords = await LoadAsync<TradeRecordWrite>(scope, "Seed.trade-records.json",
            ActivatorUtilities.CreateInstance<TradeRecordWriteValidator>(services, new RecordLookup(scope)),
            (write, ct) => services.GetRequiredService<TradeRecordRepository>().UpsertAsync(scope, write, ct),
            cancellationToken);
        return $"{sources} sources, {tradeRecords} trade records";
    }

    private static async Task<int> LoadAsync<TWrite>(
        WriteScope scope, string resource, IValidator<TWrite> validator, Func<TWrite, CancellationToken, Task> put, CancellationToken cancellationToken)
    {
        _ = scope;
        await using var stream = EmbeddedData.Open(resource);
        var items = await JsonSerializer.DeserializeAsync<List<TWrite>>(stream, JsonDefaults.Options, cancellationToken)
            ?? throw new InvalidOperationException($"{resource} is empty.");
        foreach (var (item, index) in items.Select((item, index) => (item, index)))
        {
            var result = await validator.ValidateAsync(item, cancellationToken);
            if (!result.IsValid)
            {
                var errors = string.Join("; ", result.ToFieldErrors().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
                var label = item is IWriteWithId { Id: { } id } ? $"'{id}'" : $"#{index + 1}";
                throw new InvalidOperationException($"Seed record {label} in {resource} is invalid: {errors}");
            }
            await put(item, cancellationToken);
        }
        return items.Count;
    }
}
