using System.Globalization;
using System.Text;

namespace BilateralApi.Benchmarks;

/// <summary>
/// Realistic Comtrade-shaped annual data: the ~250 current countries of the reference data as reporters
/// and partners (World included as a partner), 20 years, HS chapters and headings, flows M and X, and
/// trade concentrated the way real trade is: country and commodity weights follow a Zipf law, so a few
/// large economies and product groups carry most rows and value. Deterministic (fixed seed).
/// </summary>
public static class Generator
{
    public const string Header = "typeCode,freqCode,period,reporterCode,reporterISO,reporterDesc,flowCode,partnerCode,partnerISO,partnerDesc,cmdCode,customsCode,mosCode,motCode,qtyUnitAbbr,qty,netWgt,primaryValue";

    public sealed record Country(string Alpha3, string Numeric, string Name);

    public static (List<Country> Countries, List<string> Commodities) Reference(string repoRoot)
    {
        var countries = File.ReadLines(Path.Combine(repoRoot, "data/reference/countries.csv")).Skip(1)
            .Select(l => l.Split(','))
            .Where(f => f[5] == "false" && f[0] != "WLD")
            .Select(f => new Country(f[0], f[2], f[3].Replace("\"", "", StringComparison.Ordinal)))
            .ToList();
        var commodities = File.ReadLines(Path.Combine(repoRoot, "data/reference/commodities.csv")).Skip(1)
            .Select(l => l.Split(',')[0])
            .Where(c => c != "TOTAL")
            .ToList();
        return (countries, commodities);
    }

    /// <summary>Writes <paramref name="rows"/> rows with distinct natural keys to <paramref name="path"/>.</summary>
    public static void Write(string path, int rows, List<Country> countries, List<string> commodities)
    {
        var random = new Random(20261128);
        var countryOrder = countries.OrderBy(_ => random.Next()).ToArray();
        var countryWeights = Cumulative(countryOrder.Length, 1.1);
        var hsOrder = commodities.OrderBy(_ => random.Next()).ToArray();
        var hsWeights = Cumulative(hsOrder.Length, 0.9);
        var seen = new HashSet<(int, int, int, int, int)>();
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write(Header);
        writer.Write('\n');
        var written = 0;
        while (written < rows)
        {
            var r = Pick(random, countryWeights);
            var p = random.NextDouble() < 0.05 ? -1 : Pick(random, countryWeights);
            if (p == r)
            {
                continue;
            }
            var year = 2005 + random.Next(20);
            var flow = random.Next(2);
            var h = Pick(random, hsWeights);
            if (!seen.Add((r, p, year, flow, h)))
            {
                continue;
            }
            written++;
            var reporter = countryOrder[r];
            var partner = p < 0 ? new Country("W00", "0", "World") : countryOrder[p];
            // Value scales with both economies' weights and the commodity's, with log-normal noise.
            var scale = 1e9 / Math.Pow(r + 1, 1.1) / Math.Pow(Math.Max(p, 0) + 1, 0.8) / Math.Pow(h + 1, 0.6);
            var value = Math.Round(scale * Math.Exp(Normal(random) * 1.5) + 1, 2);
            var weight = Math.Round(value / (0.5 + random.NextDouble() * 20));
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"C,A,{year},{reporter.Numeric},{reporter.Alpha3},\"{reporter.Name}\",{(flow == 0 ? "M" : "X")},{partner.Numeric},{partner.Alpha3},\"{partner.Name}\",{hsOrder[h]},C00,0,0,kg,{weight},{weight},{value}\n"));
        }
    }

    private static double[] Cumulative(int n, double exponent)
    {
        var weights = new double[n];
        double total = 0;
        for (var i = 0; i < n; i++)
        {
            total += 1 / Math.Pow(i + 1, exponent);
            weights[i] = total;
        }
        for (var i = 0; i < n; i++)
        {
            weights[i] /= total;
        }
        return weights;
    }

    private static int Pick(Random random, double[] cumulative)
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, cumulative.Length - 1);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>
/// A CEPII BACI-shaped file (t,i,j,k,v,q; one year; BACI's numeric country codes, data/reference/baci-country-codes.csv
/// where they differ from M49; HS 6-digit products; v in thousands of USD, q in metric tons, NA for some
/// unknown quantities), sorted by exporter, importer and product as CEPII ships it. Deterministic.
/// </summary>
public static class BaciGenerator
{
    public const int Year = 2022;

    /// <summary>BACI code to ISO alpha-3, for every country the file uses.</summary>
    public static Dictionary<string, string> Codes(string repoRoot, List<Generator.Country> countries)
    {
        var baci = File.ReadLines(Path.Combine(repoRoot, "data/reference/baci-country-codes.csv")).Skip(1)
            .Select(l => l.Split(','))
            .GroupBy(f => f[1]).ToDictionary(g => g.Key, g => g.Last()[0]);
        return countries.Where(c => c.Numeric.Length > 0)
            .ToDictionary(c => baci.GetValueOrDefault(c.Alpha3, c.Numeric.TrimStart('0')), c => c.Alpha3);
    }

    public static void Write(string path, int rows, IReadOnlyDictionary<string, string> codes, List<string> commodities)
    {
        var random = new Random(20261202);
        var chapters = commodities.Where(c => c.Length == 2).ToList();
        var products = chapters.SelectMany(c => Enumerable.Range(0, 50).Select(n => c + (101 + n * 7).ToString("D4", CultureInfo.InvariantCulture))).Order(StringComparer.Ordinal).ToArray();
        var countryCodes = codes.Keys.Select(int.Parse).Order().ToArray();
        var pairs = countryCodes.Length * (countryCodes.Length - 1);
        var perPair = Math.Min(products.Length, (rows + pairs - 1) / pairs);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("t,i,j,k,v,q\n");
        var written = 0;
        var chosen = new int[perPair];
        foreach (var i in countryCodes)
        {
            foreach (var j in countryCodes)
            {
                if (i == j)
                {
                    continue;
                }
                // perPair distinct products in ascending order: a random start and stride over the sorted list.
                var start = random.Next(products.Length);
                for (var n = 0; n < perPair; n++)
                {
                    chosen[n] = (start + n * (products.Length / perPair)) % products.Length;
                }
                Array.Sort(chosen);
                foreach (var k in chosen)
                {
                    if (written == rows)
                    {
                        return;
                    }
                    var value = Math.Round(Math.Exp(3 + random.NextDouble() * 8), 3);
                    var tons = random.NextDouble() < 0.05 ? "NA" : Math.Round(value / (0.5 + random.NextDouble() * 20), 3).ToString(CultureInfo.InvariantCulture);
                    writer.Write(string.Create(CultureInfo.InvariantCulture, $"{Year},{i},{j},{products[k]},{value},{tons}\n"));
                    written++;
                }
            }
        }
        if (written < rows)
        {
            throw new InvalidOperationException($"Only {written} distinct BACI rows fit the generator's product list.");
        }
    }
}
