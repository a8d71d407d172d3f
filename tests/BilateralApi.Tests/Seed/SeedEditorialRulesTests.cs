using System.Text.Json;
using System.Text.RegularExpressions;
using BilateralApi.Tests.Infrastructure;

namespace BilateralApi.Tests.Seed;

/// <summary>
/// The editorial rules of data/README.md, one test per class of error, checked over every seeded record
/// through the API. Where a rule needs the source texts (which are not in the repository: their licences
/// are unknown), the test checks the rule's structure and names the records a second reading corrected.
/// </summary>
public sealed partial class SeedEditorialRulesTests(SeededApiFactory factory) : IClassFixture<SeededApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<List<JsonElement>> AllAsync(string resource)
    {
        var items = new List<JsonElement>();
        for (string? next = $"/v1/{resource}?limit=500"; next is not null;)
        {
            var page = await _client.GetJsonAsync(next);
            items.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.GetProperty("page").TryGetProperty("next", out var n) ? n.GetString() : null;
        }
        return items;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IEnumerable<JsonElement> Citations(JsonElement record) => record.GetProperty("citations").EnumerateArray();

    private static string Id(JsonElement record) => record.GetProperty("id").GetString()!;

    [Fact]
    public async Task No_claim_gives_a_group_or_a_pipeline_figure_to_one_partner()
    {
        var claims = await AllAsync("claims");
        var failures = new List<string>();
        foreach (var claim in claims)
        {
            var words = $"{Str(claim, "text")} {Str(claim, "notes")}";
            var partner = Str(claim, "partner");
            var group = claim.TryGetProperty("partners", out var p) && p.ValueKind == JsonValueKind.Array ? p.EnumerateArray().Select(m => m.GetString()!).ToList() : null;
            if (group is not null && (partner is not null || group.Count < 2))
            {
                failures.Add($"{Id(claim)}: a group needs two or more members and no single partner");
            }
            // A figure stated "combined", or for the BTC pipeline (which carries several countries' oil), is no one country's;
            // only a route share names its origin as the partner.
            if (partner is not null && Str(claim, "indicator") != "routeShare" && (words.Contains("combined", StringComparison.OrdinalIgnoreCase) || Str(claim, "text")!.Contains("BTC", StringComparison.Ordinal)))
            {
                failures.Add($"{Id(claim)}: stored under {partner} although the figure is combined or the pipeline's");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));

        var kpler = await _client.GetJsonAsync("/v1/claims/kpler-2023-az-kaz-share-israel-oil-60");
        Assert.Equal(JsonValueKind.Null, kpler.GetProperty("partner").ValueKind);
        Assert.Equal(["KAZ", "AZE"], kpler.GetProperty("partners").EnumerateArray().Select(m => m.GetString()));
        var azerbaijans = await _client.GetJsonAsync("/v1/claims?partner=AZE&limit=500");
        Assert.DoesNotContain(azerbaijans.GetProperty("items").EnumerateArray(), c => Id(c) == "kpler-2023-az-kaz-share-israel-oil-60");
    }

    [Fact]
    public async Task Every_claims_flow_agrees_with_its_indicators_definition_in_the_code_list()
    {
        var definitions = (await _client.GetJsonAsync("/v1/codelists/claimIndicator")).GetProperty("entries").EnumerateArray()
            .ToDictionary(e => e.GetProperty("code").GetString()!, e => e.GetProperty("description").GetString()!);
        string[]? Allowed(string description) =>
            description.Contains("sum of imports and exports", StringComparison.Ordinal) || description.Contains("own consumption", StringComparison.Ordinal) ? []
            : description.Contains("export", StringComparison.OrdinalIgnoreCase) || description.Contains("buyers", StringComparison.Ordinal) ? ["X", "RX"]
            : description.Contains("import", StringComparison.OrdinalIgnoreCase) || description.Contains("suppliers", StringComparison.Ordinal) ? ["M", "RM"]
            : null;
        var failures = new List<string>();
        foreach (var claim in await AllAsync("claims"))
        {
            var indicator = Str(claim, "indicator")!;
            var flow = Str(claim, "flow");
            if (Allowed(definitions[indicator]) is { } flows && flow is not null && !flows.Contains(flow))
            {
                failures.Add($"{Id(claim)}: {indicator} ('{definitions[indicator]}') with flow {flow}");
            }
            if (Allowed(definitions[indicator]) is [] && flow is not null)
            {
                failures.Add($"{Id(claim)}: {indicator} has no direction, but flow is {flow}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task No_value_that_no_source_states()
    {
        // The trade table holds official statistical releases only (decision 0026); the seed's sources are
        // news and analysis pages, so it holds none, and no valuation basis is filled in by convention.
        var sources = (await AllAsync("sources")).ToDictionary(Id);
        foreach (var row in await AllAsync("trade-records"))
        {
            Assert.Contains(Str(sources[Str(row, "sourceId")!], "type"), new[] { "statisticalDatabase", "datasetFile", "officialRecord" });
            Assert.NotEqual("FOB", Str(row, "valueBasis"));
        }
        Assert.Equal(JsonValueKind.Null, sources["seed-article"].GetProperty("retrievedOn").ValueKind);

        // First names that no source gives, found by the second reading.
        var events = await AllAsync("events");
        var agreements = await AllAsync("agreements");
        var text = string.Join('\n', events.Concat(agreements).Concat(await AllAsync("claims")).Select(r => r.GetRawText()));
        foreach (var added in new[] { "Benjamin Netanyahu", "Hakan Fidan", "Ali Khamenei" })
        {
            Assert.DoesNotContain(added, text, StringComparison.Ordinal);
        }

        // Organisations that no source places in a country.
        var unplaced = new HashSet<string> { "Hamas", "SOCAR Türkiye", "Union Energy", "Mekorot" };
        var placed = events.SelectMany(e => e.GetProperty("participants").EnumerateArray())
            .Concat(agreements.SelectMany(a => a.GetProperty("parties").EnumerateArray()))
            .Where(p => Str(p, "name") is { } name && unplaced.Contains(name) && Str(p, "country") is not null)
            .Select(p => $"{Str(p, "name")} → {Str(p, "country")}").ToList();
        Assert.True(placed.Count == 0, string.Join(", ", placed));
    }

    [Fact]
    public async Task Second_hand_and_rounded_figures_are_claims_that_keep_their_hedges()
    {
        Assert.Empty((await _client.GetJsonAsync("/v1/trade-records?limit=500")).GetProperty("items").EnumerateArray());
        var former = await _client.GetJsonAsync("/v1/claims/jpost-2024-01-az-oil-exports-israel-usd");
        Assert.Equal("about", former.GetProperty("qualifier").GetString());
        Assert.Equal("jpost-2024-02-israel-top-oil-customer", Citations(former).First().GetProperty("sourceId").GetString());

        var failures = new List<string>();
        foreach (var claim in await AllAsync("claims"))
        {
            var text = Str(claim, "text")!;
            var qualifier = Str(claim, "qualifier");
            if (qualifier is null)
            {
                continue;
            }
            var expected = NearlyWords().IsMatch(text) ? "atMost"
                : MoreThanWords().IsMatch(text) ? "moreThan"
                : AboutWords().IsMatch(text) ? "about"
                : null;
            if (expected is not null && qualifier != expected)
            {
                failures.Add($"{Id(claim)}: '{text}' is {qualifier}, the source's hedge reads {expected}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task Conflicting_sources_are_cited_as_contradicting_and_make_events_disputed()
    {
        var events = await AllAsync("events");
        var records = events.Concat(await AllAsync("agreements")).Concat(await AllAsync("claims")).ToList();
        var flattened = events.Where(e => Citations(e).Any(c => Str(c, "supports") == "contradicts") && Str(e, "verification") != "disputed").Select(Id).ToList();
        Assert.True(flattened.Count == 0, "cited as contradicted but not disputed: " + string.Join(", ", flattened));

        // One rule for all nineteen disagreements: each is named on a record that cites the other reading as contradicting.
        var unhandled = Enumerable.Range(1, 19).Select(n => $"D-{n:00}")
            .Where(d => !records.Any(r => (Str(r, "notes") ?? "").Contains(d, StringComparison.Ordinal) && Citations(r).Any(c => Str(c, "supports") == "contradicts")))
            .ToList();
        Assert.True(unhandled.Count == 0, "no record cites the other reading of " + string.Join(", ", unhandled));

        var wheat = await _client.GetJsonAsync("/v1/events/isr-az-uzb-wheat-declarations-2023-09-11");
        Assert.NotEqual("supplyCommitment", Str(wheat, "subtype"));
    }

    [Fact]
    public async Task Citations_state_the_fact_they_are_attached_to()
    {
        var records = (await AllAsync("events")).Concat(await AllAsync("agreements")).Concat(await AllAsync("claims")).ToList();
        var sourceNotes = (await AllAsync("sources")).ToDictionary(Id, s => Str(s, "notes") ?? "");
        var failures = new List<string>();
        foreach (var record in records)
        {
            foreach (var citation in Citations(record))
            {
                var locator = Str(citation, "locator")!;
                var quote = Str(citation, "quote");
                if (Str(citation, "sourceId") == "seed-article")
                {
                    // Paragraphs 1..21 are the article body (22 is the author note); quotes never cross its link markup.
                    if (ParagraphLocator().Match(locator) is not { Success: true } m || int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is < 1 or > 21
                        || (quote is not null && (quote.Contains('[', StringComparison.Ordinal) || quote.Contains("](", StringComparison.Ordinal))))
                    {
                        failures.Add($"{Id(record)}: article citation '{locator}' / '{quote}'");
                    }
                }
                else if (FactsItem().Match(locator) is { Success: true } item && !sourceNotes[Str(citation, "sourceId")!].Contains(item.Groups[1].Value, StringComparison.Ordinal))
                {
                    // A source's notes name the fact-sheet items its page carries; a citation of any other item is about something else.
                    failures.Add($"{Id(record)}: cites {Str(citation, "sourceId")} for FACTS.md {item.Groups[1].Value}, which that page does not carry");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));

        // The citations a second reading found about something else.
        var talks = await _client.GetJsonAsync("/v1/events/kmg-socar-btc-kazakh-crude-talks-2022");
        Assert.DoesNotContain(Citations(talks), c => Str(c, "sourceId") == "seed-article");
        var herzog = await _client.GetJsonAsync("/v1/events/herzog-visit-baku-2023-05-30");
        Assert.DoesNotContain(Citations(herzog), c => Str(c, "sourceId") == "apa-2023-05-30-aliyev-reliable-supplier");
        var forty = await _client.GetJsonAsync("/v1/claims/seed-article-israel-oil-share-40");
        Assert.DoesNotContain(Citations(forty), c => Str(c, "quote")?.Contains("BTC", StringComparison.Ordinal) == true
            || Str(c, "sourceId") is "intellinews-2024-az-oil-exports-via-turkey" or "jpost-2020-07-suleymanov-oil-supplies");
    }

    [Fact]
    public async Task Coding_conventions_do_not_narrow_the_source()
    {
        var failures = new List<string>();
        foreach (var claim in await AllAsync("claims"))
        {
            var text = Str(claim, "text")!;
            if (Str(claim, "hs") == "2709" && !$"{text} {Str(claim, "notes")}".Contains("crude", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{Id(claim)}: '{text}' coded as crude (2709)");
            }
        }
        // data/README.md: reprints of wire stories and summaries of another outlet's report are C (D when flagged ⚠).
        foreach (var source in await AllAsync("sources"))
        {
            var publisher = Str(source, "publisher") ?? "";
            if (ReprintPublisher().IsMatch(publisher) && Str(source, "reliability") is not ("C" or "D"))
            {
                failures.Add($"{Id(source)}: '{publisher}' is a reprint or summary graded {Str(source, "reliability")}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task The_facts_the_relationship_needs_are_there_with_their_precision()
    {
        var assad = await _client.GetJsonAsync("/v1/events/assad-regime-fall-syria-2024-12");
        Assert.Equal(["paragraph 17", "paragraph 21"], Citations(assad).Where(c => Str(c, "sourceId") == "seed-article").Select(c => Str(c, "locator")).Order());
        Assert.True(assad.GetProperty("date").GetProperty("inferred").GetBoolean());

        var rank = await _client.GetJsonAsync("/v1/claims/ashkenazi-2021-04-28-az-largest-energy-supplier");
        Assert.Equal(("supplierRank", "ISR", "AZE", 1m), (Str(rank, "indicator"), Str(rank, "reporter"), Str(rank, "partner"), rank.GetProperty("value").GetDecimal()));

        var stop = await _client.GetJsonAsync("/v1/claims/customs-2024-10-az-oil-exports-israel-stop");
        var traders = await _client.GetJsonAsync("/v1/claims/isr-2024-oil-imports-az-via-traders-continued");
        Assert.Equal(JsonValueKind.Null, stop.GetProperty("value").ValueKind);
        Assert.Equal(("AZE", "X", "ISR", "M"), (Str(stop, "reporter"), Str(stop, "flow"), Str(traders, "reporter"), Str(traders, "flow")));

        // Both sides of the Iskander dispute, each dated.
        foreach (var id in new[] { "aliyev-no-iskander-use-recorded-2021-02", "aliyev-iskander-m-used-on-shusha-2021-04", "russia-mod-no-ballistic-launch-2021-04", "peskov-iskanders-not-used-2021-04" })
        {
            var statement = await _client.GetJsonAsync($"/v1/events/{id}");
            Assert.Equal("month", statement.GetProperty("date").GetProperty("precision").GetString());
        }

        // The denominators the share claims need.
        foreach (var (id, indicator) in new[] { ("faktyoxla-israel-oil-demand-12mt", "consumption"), ("kpler-2023-israel-oil-imports-220k-bpd", "tradeValue"),
            ("tps-2023-israel-wheat-import-dependence-90", "importDependence"), ("faktyoxla-2023-az-oil-exports-world-tonnes", "tradeValue") })
        {
            Assert.Equal(indicator, Str(await _client.GetJsonAsync($"/v1/claims/{id}"), "indicator"));
        }
    }

    [Fact]
    public async Task No_claim_check_on_the_seed_contradicts_the_claims_own_source()
    {
        var failures = new List<string>();
        foreach (var claim in await AllAsync("claims"))
        {
            var check = await _client.GetJsonAsync($"/v1/claims/{Id(claim)}/check");
            if (Str(check, "verdict") != "inconsistent")
            {
                continue;
            }
            var cited = Citations(claim).Select(c => Str(c, "sourceId")).ToHashSet();
            var rows = check.GetProperty("observed").GetProperty("rows").EnumerateArray().Select(r => Str(r, "sourceId")).ToList();
            if (rows.Any(cited.Contains))
            {
                failures.Add($"{Id(claim)}: judged inconsistent with figures from its own source");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));

        var group = await _client.GetJsonAsync("/v1/claims/kpler-2023-az-kaz-share-israel-oil-60/check");
        Assert.Equal("insufficientData", Str(group, "verdict"));
        Assert.Contains(group.GetProperty("missing").EnumerateArray(), m => m.GetString()!.Contains("group", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_readmes_count_the_records_the_seed_holds()
    {
        var counts = new Dictionary<string, int>();
        foreach (var resource in new[] { "sources", "agreements", "events", "claims", "trade-records" })
        {
            counts[resource] = (await AllAsync(resource)).Count;
        }
        var expected = $"{counts["sources"]} sources, {counts["agreements"]} agreements, {counts["events"]} events, {counts["claims"]} claims, {counts["trade-records"]} trade records";
        var readme = (await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "README.md"))).ReplaceLineEndings(" ");
        Assert.Contains(expected, Regex.Replace(readme, @"\s+", " "), StringComparison.Ordinal);
        var dataReadme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "data", "README.md"));
        foreach (var (resource, count) in counts)
        {
            Assert.Contains($"| `{resource}.json` | {count} |", dataReadme, StringComparison.Ordinal);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BilateralApi.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (BilateralApi.sln) was not found above the test binaries.");
    }

    [GeneratedRegex(@"\b(nearly|almost)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NearlyWords();

    [GeneratedRegex(@"\b(more than|over)\b", RegexOptions.IgnoreCase)]
    private static partial Regex MoreThanWords();

    [GeneratedRegex(@"(~|\b(around|about|roughly|some)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex AboutWords();

    [GeneratedRegex(@"^paragraph (\d+)$")]
    private static partial Regex ParagraphLocator();

    [GeneratedRegex(@"FACTS\.md ([ADN]-\d+)")]
    private static partial Regex FactsItem();

    [GeneratedRegex(@"(reprint|repost|republish|summaris|citing|syndicated|relaying|mirror of|\((Reuters|AFP|JNS|TPS|AzerNews|Anadolu|Zacks)\)|by AzerNews|Reuters wire)", RegexOptions.IgnoreCase)]
    private static partial Regex ReprintPublisher();
}
