using BilateralApi.CodeLists;
using BilateralApi.Commodities;
using BilateralApi.Countries;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Tests.Infrastructure;
using BilateralApi.TradeRecords;
using Microsoft.Extensions.DependencyInjection;

namespace BilateralApi.Tests.TradeRecords;

/// <summary>
/// The import's plain-code rules (<see cref="TradeRecordImportRules"/>) must accept exactly the rows
/// <see cref="TradeRecordWriteValidator"/> accepts: the import trusts them to skip the validator.
/// Every rule's edge cases, on both sides of each limit.
/// </summary>
public sealed class TradeRecordImportRulesTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string SourceId = "import-rules-source";

    private static readonly TradeRecordWrite Valid = new(
        "AZE", "ISR", 2024, 1, "X", "2709", 0, 297000000m, 523500000m, 12.5m, "kg", "FOB", false, SourceId);

    public static TheoryData<string> Cases => new(Variants.Keys);

    private static readonly Dictionary<string, TradeRecordWrite> Variants = new()
    {
        ["valid"] = Valid,
        ["minimal"] = Valid with { Month = null, TransportMode = null, ValueUsd = null, NetWeightKg = null, Quantity = null, QuantityUnit = null, ValueBasis = null, Estimated = null },
        ["alpha-2 and numeric countries"] = Valid with { Reporter = "AZ", Partner = "376" },
        ["lower-case country"] = Valid with { Reporter = "aze" },
        ["World partner"] = Valid with { Partner = "WLD" },
        ["World reporter"] = Valid with { Reporter = "WLD" },
        ["reporter missing"] = Valid with { Reporter = null },
        ["reporter blank"] = Valid with { Reporter = "  " },
        ["reporter unknown"] = Valid with { Reporter = "XXX" },
        ["partner missing"] = Valid with { Partner = null },
        ["partner empty"] = Valid with { Partner = "" },
        ["partner unknown"] = Valid with { Partner = "QQQ" },
        ["partner same as reporter"] = Valid with { Partner = "AZE" },
        ["partner same as reporter, other code"] = Valid with { Partner = "AZ" },
        ["year missing"] = Valid with { Year = null },
        ["year 1899"] = Valid with { Year = 1899 },
        ["year 1900"] = Valid with { Year = 1900 },
        ["year 2100"] = Valid with { Year = 2100 },
        ["year 2101"] = Valid with { Year = 2101 },
        ["month 0"] = Valid with { Month = 0 },
        ["month 12"] = Valid with { Month = 12 },
        ["month 13"] = Valid with { Month = 13 },
        ["flow missing"] = Valid with { Flow = null },
        ["flow blank"] = Valid with { Flow = " " },
        ["flow M"] = Valid with { Flow = "M" },
        ["flow unknown"] = Valid with { Flow = "Q" },
        ["flow lower-case"] = Valid with { Flow = "x" },
        ["hs missing"] = Valid with { Hs = null },
        ["hs TOTAL"] = Valid with { Hs = "TOTAL" },
        ["hs chapter"] = Valid with { Hs = "27" },
        ["hs 6 digits"] = Valid with { Hs = "270900" },
        ["hs unknown chapter"] = Valid with { Hs = "9999" },
        ["hs 3 digits"] = Valid with { Hs = "270" },
        ["hs letters"] = Valid with { Hs = "27AB" },
        ["classification H6"] = Valid with { Classification = "H6" },
        ["classification unknown"] = Valid with { Classification = "H9" },
        ["classification lower-case"] = Valid with { Classification = "h6" },
        ["H6 with an unknown chapter"] = Valid with { Classification = "H6", Hs = "9999" },
        ["SITC code outside HS"] = Valid with { Classification = "S3", Hs = "334" },
        ["SITC code with a dot"] = Valid with { Classification = "S1", Hs = "0011.1" },
        ["SITC code with a space"] = Valid with { Classification = "S3", Hs = "33 4" },
        ["SITC code too long"] = Valid with { Classification = "S3", Hs = "1234567890123" },
        ["EBOPS code"] = Valid with { Classification = "EB10", Hs = "SA" },
        ["origin reconciled"] = Valid with { Origin = "reconciled" },
        ["origin unknown"] = Valid with { Origin = "mirror" },
        ["transport mode unknown"] = Valid with { TransportMode = 12345 },
        ["transport mode negative"] = Valid with { TransportMode = -1 },
        ["value 0"] = Valid with { ValueUsd = 0m },
        ["value negative"] = Valid with { ValueUsd = -0.01m },
        ["value max"] = Valid with { ValueUsd = TradeRecordWriteValidator.MaxAmount },
        ["value above max"] = Valid with { ValueUsd = TradeRecordWriteValidator.MaxAmount + 0.01m },
        ["value 3 decimals"] = Valid with { ValueUsd = 1.001m },
        ["value 2 decimals, trailing zeros"] = Valid with { ValueUsd = 1.2500m },
        ["weight negative"] = Valid with { NetWeightKg = -1m },
        ["weight above max"] = Valid with { NetWeightKg = TradeRecordWriteValidator.MaxAmount + 1m },
        ["weight 16 digits"] = Valid with { NetWeightKg = 1234567890.123456m },
        ["weight 15 digits"] = Valid with { NetWeightKg = 1234567890.12345m },
        ["quantity negative"] = Valid with { Quantity = -1m },
        ["quantity 17 digits"] = Valid with { Quantity = 0.12345678901234567m },
        ["quantity without unit"] = Valid with { QuantityUnit = null },
        ["quantity with blank unit"] = Valid with { QuantityUnit = " " },
        ["unit without quantity"] = Valid with { Quantity = null },
        ["unit 20 chars"] = Valid with { QuantityUnit = new string('u', 20) },
        ["unit 21 chars"] = Valid with { QuantityUnit = new string('u', 21) },
        ["unit control char"] = Valid with { QuantityUnit = "k\u0001g" },
        ["unit tab"] = Valid with { QuantityUnit = "k\tg" },
        ["value basis CIF"] = Valid with { ValueBasis = "CIF" },
        ["value basis unknown code"] = Valid with { ValueBasis = "unknown" },
        ["value basis bad"] = Valid with { ValueBasis = "XYZ" },
        ["value basis lower-case"] = Valid with { ValueBasis = "fob" },
        ["estimated"] = Valid with { Estimated = true },
        ["source missing"] = Valid with { SourceId = null },
        ["source blank"] = Valid with { SourceId = "  " },
        ["source unknown"] = Valid with { SourceId = "no-such-source-anywhere" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Plain_rules_accept_exactly_what_the_validator_accepts(string name)
    {
        await factory.CreateWriterClient().EnsureSourceAsync(SourceId);
        var services = factory.Services;
        var (countries, codes, commodities) = (services.GetRequiredService<CountryCatalog>(), services.GetRequiredService<CodeListCatalog>(), services.GetRequiredService<CommodityCatalog>());
        RecordLookup lookup;
        await using (var scope = await services.GetRequiredService<IStoreConnections>().BeginWriteAsync(CancellationToken.None))
        {
            lookup = await RecordLookup.PreloadAsync(scope, CancellationToken.None);
        }
        var validator = new TradeRecordWriteValidator(countries, codes, commodities, lookup);
        var rules = new TradeRecordImportRules(countries, codes, commodities, lookup);
        var write = Variants[name];

        var expected = (await validator.ValidateAsync(write)).IsValid;
        Assert.Equal(expected, rules.Accepts(write));
        // Asked twice: the rules' code-list caches must not change the answer.
        Assert.Equal(expected, rules.Accepts(write));
    }
}
