using System.Text.Json;
using BilateralApi.Events;
using BilateralApi.Infrastructure.Json;
using BilateralApi.Tests.Infrastructure;
using FluentValidation;
using FluentValidation.TestHelper;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.Events;

/// <summary>Fast checks of the event rules, without HTTP (the catalogs come from the factory's services).</summary>
public sealed class EventWriteValidatorTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private IValidator<EventWrite> Validator => factory.Services.GetRequiredService<IValidator<EventWrite>>();

    private static EventWrite Valid() => EventWrite.Example with { Citations = [new("seed-article-missing", "paragraph 1", null, "asserts")] };

    [Fact]
    public async Task The_openapi_example_passes_apart_from_its_source_which_this_database_lacks()
    {
        var result = await Validator.TestValidateAsync(Valid());

        result.ShouldHaveValidationErrorFor("citations[0].sourceId").Only();
    }

    [Fact]
    public async Task A_mode_must_belong_to_the_type()
    {
        (await Validator.TestValidateAsync(Valid() with { Type = "CONSULT", Mode = "phone" })).ShouldNotHaveValidationErrorFor(e => e.Mode);
        (await Validator.TestValidateAsync(Valid() with { Type = "CONSULT", Mode = "riot" })).ShouldHaveValidationErrorFor(e => e.Mode)
            .WithErrorMessage("'riot' is not a mode of event type 'CONSULT'. Allowed: visit, thirdParty, multilateral, phone, or null.");
        (await Validator.TestValidateAsync(Valid() with { Type = "SUPPORT", Mode = "visit" })).ShouldHaveValidationErrorFor(e => e.Mode)
            .WithErrorMessage("Event type 'SUPPORT' has no modes; use null.");
    }

    [Theory]
    [InlineData(-10.0, true)]
    [InlineData(10.0, true)]
    [InlineData(0.5, true)]
    [InlineData(-10.5, false)]
    [InlineData(10.01, false)]
    public async Task Intensity_is_bounded(double intensity, bool valid)
    {
        var result = await Validator.TestValidateAsync(Valid() with { Intensity = intensity });

        if (valid)
        {
            result.ShouldNotHaveValidationErrorFor(e => e.Intensity);
        }
        else
        {
            result.ShouldHaveValidationErrorFor(e => e.Intensity);
        }
    }

    [Fact]
    public async Task Participants_need_a_role_and_a_country_or_a_name()
    {
        var result = await Validator.TestValidateAsync(Valid() with
        {
            Participants = [new(null, null, null, null), new("actor", null, "BUS", "SOCAR"), new("recipient", "AZ", "XYZ", null)],
        });

        result.ShouldHaveValidationErrorFor("participants[0].role");
        result.ShouldHaveValidationErrorFor("participants[0].country");
        result.ShouldNotHaveValidationErrorFor("participants[1].country");
        result.ShouldNotHaveValidationErrorFor("participants[2].country");
        result.ShouldHaveValidationErrorFor("participants[2].sector");
    }

    [Fact]
    public async Task A_location_names_a_country_or_a_place()
    {
        (await Validator.TestValidateAsync(Valid() with { Location = new(null, null) })).ShouldHaveValidationErrorFor("location");
        (await Validator.TestValidateAsync(Valid() with { Location = new(null, "Baku") })).ShouldNotHaveValidationErrorFor("location");
        (await Validator.TestValidateAsync(Valid() with { Location = null })).ShouldNotHaveValidationErrorFor("location");
    }

    [Fact]
    public async Task Lists_reject_null_entries_duplicates_and_unknown_codes()
    {
        var json = """{ "contexts": ["diplomatic", null], "subjects": ["energy", "energy"], "participants": [null] }""";
        var partial = JsonSerializer.Deserialize<EventWrite>(json, JsonDefaults.Options)!;

        var result = await Validator.TestValidateAsync(Valid() with { Contexts = partial.Contexts, Subjects = partial.Subjects, Participants = partial.Participants });

        result.ShouldHaveValidationErrorFor("contexts[1]");
        result.ShouldHaveValidationErrorFor("subjects");
        result.ShouldHaveValidationErrorFor("participants[0]");
    }
}
