using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Database.Sqlite;
using BilateralApi.Infrastructure.Http;
using BilateralApi.Sources;
using BilateralApi.Tests.Infrastructure;
using BilateralApi.TradeRecords;
using FluentValidation;
using FluentValidation.TestHelper;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.TradeRecords;

/// <summary>The validator on its own, with the reference data of a started app (no HTTP).</summary>
public sealed class TradeRecordValidatorTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly IValidator<TradeRecordWrite> _validator = factory.Services.GetRequiredService<IValidator<TradeRecordWrite>>();

    private static TradeRecordWrite Valid => TradeRecordWrite.Example with { SourceId = "no-source-needed-here" };

    [Theory]
    [InlineData("0.005")]
    [InlineData("-1")]
    [InlineData("1000000000000000.01")]
    public async Task ValueUsd_outside_range_or_finer_than_cents_is_rejected(string value)
    {
        var result = await _validator.TestValidateAsync(Valid with { ValueUsd = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture) });

        result.ShouldHaveValidationErrorFor(r => r.ValueUsd);
    }

    [Theory]
    [InlineData("HS")]
    [InlineData("S3")]
    [InlineData("EB")]
    public async Task A_commodity_code_is_required_in_every_classification(string classification)
    {
        var result = await _validator.TestValidateAsync(Valid with { Classification = classification, Hs = "" });

        result.ShouldHaveValidationErrorFor(r => r.Hs).WithErrorMessage("'hs' is required.");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.01")]
    [InlineData("297000000.10")]
    [InlineData("1.000")]
    public async Task ValueUsd_in_whole_cents_is_accepted(string value)
    {
        var result = await _validator.TestValidateAsync(Valid with { ValueUsd = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture) });

        result.ShouldNotHaveValidationErrorFor(r => r.ValueUsd);
    }

    [Fact]
    public async Task Weights_with_more_digits_than_a_real_keeps_are_rejected()
    {
        (await _validator.TestValidateAsync(Valid with { NetWeightKg = 1234567890.1234567m })).ShouldHaveValidationErrorFor(r => r.NetWeightKg);
        (await _validator.TestValidateAsync(Valid with { NetWeightKg = 1234567890.12345m })).ShouldNotHaveValidationErrorFor(r => r.NetWeightKg);
        (await _validator.TestValidateAsync(Valid with { Quantity = -1m, QuantityUnit = "t" })).ShouldHaveValidationErrorFor(r => r.Quantity);
    }

    [Fact]
    public async Task Quantity_needs_a_unit()
    {
        (await _validator.TestValidateAsync(Valid with { Quantity = 10m })).ShouldHaveValidationErrorFor(r => r.QuantityUnit);
        (await _validator.TestValidateAsync(Valid with { Quantity = 10m, QuantityUnit = "t" })).ShouldNotHaveValidationErrorFor(r => r.QuantityUnit);
        (await _validator.TestValidateAsync(Valid with { QuantityUnit = new string('k', 21) })).ShouldHaveValidationErrorFor(r => r.QuantityUnit);
    }

    [Fact]
    public async Task Optional_members_may_be_null_and_default_later()
    {
        var result = await _validator.TestValidateAsync(Valid with
        {
            Month = null,
            TransportMode = null,
            ValueUsd = null,
            NetWeightKg = null,
            ValueBasis = null,
            Estimated = null,
        });

        result.ShouldNotHaveValidationErrorFor(r => r.Month);
        result.ShouldNotHaveValidationErrorFor(r => r.TransportMode);
        result.ShouldNotHaveValidationErrorFor(r => r.ValueUsd);
        result.ShouldNotHaveValidationErrorFor(r => r.ValueBasis);
        result.ShouldHaveValidationErrorFor(r => r.SourceId); // only the unknown source
        Assert.Single(result.Errors);
    }

    [Fact]
    public async Task Reporter_and_partner_are_compared_after_normalisation()
    {
        (await _validator.TestValidateAsync(Valid with { Reporter = "031", Partner = "AZ" })).ShouldHaveValidationErrorFor(r => r.Partner);
        (await _validator.TestValidateAsync(Valid with { Reporter = "000" })).ShouldHaveValidationErrorFor(r => r.Reporter);
        (await _validator.TestValidateAsync(Valid with { Partner = "000" })).ShouldNotHaveValidationErrorFor(r => r.Partner);
    }

    [Theory]
    [InlineData("X", true)]
    [InlineData("RM", true)]
    [InlineData("x", false)]
    [InlineData("", false)]
    public async Task Flow_must_be_a_tradeFlow_code(string flow, bool ok)
    {
        var result = await _validator.TestValidateAsync(Valid with { Flow = flow });

        if (ok)
        {
            result.ShouldNotHaveValidationErrorFor(r => r.Flow);
        }
        else
        {
            result.ShouldHaveValidationErrorFor(r => r.Flow);
        }
    }

    [Fact]
    public async Task The_seed_validator_sees_sources_of_the_seed_transaction_and_upserts_by_natural_key()
    {
        var services = factory.Services;
        await using var scope = await services.GetRequiredService<SqliteConnectionFactory>().BeginWriteAsync(CancellationToken.None);
        var source = new SourceWrite("seed-tx-source", "news", null, null, "Seed transaction source", null, null, null, "B", null, null);
        await services.GetRequiredService<SourceRepository>().PutAsync(scope, source.Id!, source, _ => Preconditions.Outcome.Proceed, CancellationToken.None);
        var write = TradeRecordWrite.Example with { SourceId = "seed-tx-source" };

        var seedValidator = ActivatorUtilities.CreateInstance<TradeRecordWriteValidator>(services, new RecordLookup(scope));
        (await seedValidator.TestValidateAsync(write)).ShouldNotHaveAnyValidationErrors();

        var repository = services.GetRequiredService<TradeRecordRepository>();
        var created = await repository.UpsertAsync(scope, write, CancellationToken.None);
        var updated = await repository.UpsertAsync(scope, write with { Reporter = "AZ", ValueUsd = 1.5m }, CancellationToken.None);

        Assert.Equal(WriteStatus.Created, created.Status);
        Assert.Equal(WriteStatus.Updated, updated.Status);
        Assert.Equal(created.Row!.Id, updated.Row!.Id);
        Assert.Equal(2, updated.Row.Version);
        Assert.Equal(150, updated.Row.ValueUsdCents);
        // Not committed: disposing the scope rolls the writes back.
    }
}
