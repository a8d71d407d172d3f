using System.Text.Json;
using BilateralApi.Claims;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Infrastructure.Json;
using BilateralApi.Infrastructure.Validation;
using BilateralApi.Sources;
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
        // Claims validate inside the seed's transaction, so citations of sources loaded above resolve.
        var claimValidator = ActivatorUtilities.CreateInstance<ClaimWriteValidator>(services,
            ActivatorUtilities.CreateInstance<CitationValidator>(services, new RecordLookup(scope)));
        var claims = await LoadAsync<ClaimWrite>(scope, "Seed.claims.json", claimValidator,
            (write, ct) => services.GetRequiredService<ClaimRepository>().PutAsync(scope, write.Id!, write, _ => Preconditions.Outcome.Proceed, ct),
            cancellationToken);
        return $"{sources} sources, {claims} claims";
    }

    private static async Task<int> LoadAsync<TWrite>(
        WriteScope scope, string resource, IValidator<TWrite> validator, Func<TWrite, CancellationToken, Task> put, CancellationToken cancellationToken)
        where TWrite : IWriteWithId
    {
        _ = scope;
        await using var stream = EmbeddedData.Open(resource);
        var items = await JsonSerializer.DeserializeAsync<List<TWrite>>(stream, JsonDefaults.Options, cancellationToken)
            ?? throw new InvalidOperationException($"{resource} is empty.");
        foreach (var item in items)
        {
            var result = await validator.ValidateAsync(item, cancellationToken);
            if (!result.IsValid)
            {
                var errors = string.Join("; ", result.ToFieldErrors().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
                throw new InvalidOperationException($"Seed record '{item.Id}' in {resource} is invalid: {errors}");
            }
            await put(item, cancellationToken);
        }
        return items.Count;
    }
}
