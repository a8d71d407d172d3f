using BilateralApi.Claims;
using BilateralApi.Infrastructure.Dates;
using BilateralApi.Sources;
using BilateralApi.Tests.Infrastructure;
using FluentValidation;
using FluentValidation.TestHelper;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.Claims;

/// <summary>The validator alone, with the real reference-data catalogs of a started application.</summary>
public sealed class ClaimWriteValidatorTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private const string SourceId = "claim-validator-source";

    private IValidator<ClaimWrite> Validator => factory.Services.GetRequiredService<IValidator<ClaimWrite>>();

    public async Task InitializeAsync()
    {
        using var client = factory.CreateWriterClient();
        await client.PutAsync($"/v1/sources/{SourceId}", Json.Body(new
        {
            id = SourceId, type = "news", author = (string?)null, publisher = (string?)null, title = "Validator source",
            url = (string?)null, publishedOn = (string?)null, retrievedOn = (string?)null, reliability = "U", licence = (string?)null, notes = (string?)null,
        }));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static ClaimWrite Valid => ClaimWrite.Example with { Citations = [new Citation(SourceId, "paragraph 7", null, "asserts")] };

    [Fact]
    public async Task The_documented_example_is_valid_once_its_source_exists()
    {
        var result = await Validator.TestValidateAsync(Valid);

        result.ShouldNotHaveAnyValidationErrors();
    }

    [Theory]
    [InlineData("percent", "-0.1", false)]
    [InlineData("percent", "100", true)]
    [InlineData("percent", "100.0001", false)]
    [InlineData("rank", "0", false)]
    [InlineData("rank", "1.5", false)]
    [InlineData("rank", "3", true)]
    [InlineData("usd", "0", true)]
    [InlineData("tonnes", "-5", false)]
    public async Task Values_must_lie_in_the_range_of_their_unit(string unit, string value, bool valid)
    {
        var indicator = unit switch { "percent" => "importPartnerShare", "rank" => "supplierRank", _ => "tradeValue" };
        var claim = Valid with { Indicator = indicator, Unit = unit, Value = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture) };

        var result = await Validator.TestValidateAsync(claim);

        if (valid)
        {
            result.ShouldNotHaveAnyValidationErrors();
        }
        else
        {
            result.ShouldHaveValidationErrorFor(c => c.Value);
        }
    }

    [Fact]
    public async Task Value_to_must_not_be_below_value_and_obeys_the_unit_range()
    {
        (await Validator.TestValidateAsync(Valid with { Value = 19m, ValueTo = 18m })).ShouldHaveValidationErrorFor(c => c.ValueTo);
        (await Validator.TestValidateAsync(Valid with { Value = 90m, ValueTo = 101m })).ShouldHaveValidationErrorFor(c => c.ValueTo);
        (await Validator.TestValidateAsync(Valid with { Value = 18m, ValueTo = 18m })).ShouldNotHaveAnyValidationErrors();
    }

    [Fact]
    public async Task Required_members_are_named_in_json_case()
    {
        var empty = new ClaimWrite(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

        var result = await Validator.TestValidateAsync(empty);

        foreach (var field in new[] { "text", "indicator", "unit", "basis", "citations" })
        {
            result.ShouldHaveValidationErrorFor(field);
        }
        // A claim may state no figure at all ("one of the main suppliers"): value and qualifier then stay null.
        result.ShouldNotHaveValidationErrorFor(c => c.Value);
        result.ShouldNotHaveValidationErrorFor(c => c.Qualifier);
        result.ShouldNotHaveValidationErrorFor(c => c.Reporter);
        result.ShouldNotHaveValidationErrorFor(c => c.Period);
    }

    [Fact]
    public async Task Value_and_qualifier_come_together()
    {
        (await Validator.TestValidateAsync(Valid with { Qualifier = null })).ShouldHaveValidationErrorFor(c => c.Qualifier);
        (await Validator.TestValidateAsync(Valid with { Value = null, ValueTo = null })).ShouldHaveValidationErrorFor(c => c.Value);
        (await Validator.TestValidateAsync(Valid with { Value = null, ValueTo = null, Qualifier = null })).ShouldNotHaveAnyValidationErrors();
    }

    [Fact]
    public async Task Partner_must_differ_from_reporter_in_any_code_form()
    {
        (await Validator.TestValidateAsync(Valid with { Reporter = "IL", Partner = "ISR" })).ShouldHaveValidationErrorFor(c => c.Partner);
        (await Validator.TestValidateAsync(Valid with { Partner = "WLD" })).ShouldNotHaveAnyValidationErrors();
    }

    [Fact]
    public async Task Indicator_and_unit_must_fit_together()
    {
        var result = await Validator.TestValidateAsync(Valid with { Unit = "usd" });

        result.ShouldHaveValidationErrorFor(c => c.Unit).WithErrorMessage("The indicator importPartnerShare is stated in percent, not 'usd'.");
    }

    [Fact]
    public async Task Period_is_checked_as_a_date_value_and_text_length_is_bounded()
    {
        var result = await Validator.TestValidateAsync(Valid with
        {
            Period = new DateValue("2023-02-30"),
            Text = new string('x', ClaimWriteValidator.ClaimTextMaxLength + 1),
            Reporter = "IL",
            Hs = "27",
        });

        result.ShouldHaveValidationErrorFor("period.value");
        result.ShouldHaveValidationErrorFor(c => c.Text);
        result.ShouldNotHaveValidationErrorFor(c => c.Reporter);
        result.ShouldNotHaveValidationErrorFor(c => c.Hs);
    }
}
