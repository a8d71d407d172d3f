using BilateralApi.Querying;

namespace BilateralApi.Sources;

internal static class SourceSql
{
    /// <summary>What filter=, sort=, facet= and q= may use on GET /v1/sources.</summary>
    public static readonly QueryResource Query = new()
    {
        Name = "sources",
        From = "source",
        Columns = Columns,
        Id = new("id", "source.id", FieldType.Code) { Example = "seed-article" },
        Fields =
        [
            new("type", "type", FieldType.Code),
            new("author", "author", FieldType.Text) { Nullable = true, Example = "Rufat Ahmadzada" },
            new("publisher", "publisher", FieldType.Text) { Nullable = true, Example = "AzerNews" },
            new("title", "source.title", FieldType.Text) { Nullable = true, Facetable = false, Example = "Azerbaijan-Israel Strategic Relationship Proves Its Importance" },
            new("url", "url", FieldType.Text) { Nullable = true, Facetable = false, Example = "https://jewishpress.com/news/israel/government-israel/azerbaijan-decides-to-open-tourism-trade-offices-in-israel/2021/04/28" },
            new("publishedOn", "published_on", FieldType.Date) { EndSql = "published_on", Nullable = true },
            new("retrievedOn", "retrieved_on", FieldType.Date) { EndSql = "retrieved_on", Nullable = true },
            new("reliability", "reliability", FieldType.Code),
            new("licence", "licence", FieldType.Code) { Nullable = true, Example = "CC-BY-4.0" },
            new("createdAt", "source.created_at", FieldType.Text) { Facetable = false, Example = "2026-11-01.." },
            new("updatedAt", "source.updated_at", FieldType.Text) { Facetable = false, Example = "2026-11-01.." },
        ],
        FullText = [TextTable.Sources],
        FilterExample = "type eq 'news' and publishedOn ge '2023'",
        SearchFields = ["title", "author", "publisher", "notes"],
    };

    public const string Columns = """
        id AS Id, type AS Type, author AS Author, publisher AS Publisher, title AS Title, url AS Url,
        published_on AS PublishedOn, retrieved_on AS RetrievedOn, reliability AS Reliability, licence AS Licence,
        notes AS Notes, created_at AS CreatedAt, updated_at AS UpdatedAt, version AS Version
        """;

    public const string GetById = $"SELECT {Columns} FROM source WHERE id = @id";

    public const string VersionOf = "SELECT version FROM source WHERE id = @id";

    /// <summary>The list statement; {0} is the WHERE built from whitelisted filters.</summary>
    public const string List = $"SELECT {Columns} FROM source WHERE {{0}} ORDER BY id LIMIT @limit";

    public const string Insert = """
        INSERT INTO source (id, type, author, publisher, title, url, published_on, retrieved_on, reliability, licence, notes, created_at, updated_at, version)
        VALUES (@Id, @Type, @Author, @Publisher, @Title, @Url, @PublishedOn, @RetrievedOn, @Reliability, @Licence, @Notes, @CreatedAt, @UpdatedAt, @Version)
        """;

    public const string Update = """
        UPDATE source SET type = @Type, author = @Author, publisher = @Publisher, title = @Title, url = @Url,
            published_on = @PublishedOn, retrieved_on = @RetrievedOn, reliability = @Reliability, licence = @Licence,
            notes = @Notes, updated_at = @UpdatedAt, version = @Version
        WHERE id = @Id
        """;

    public const string Delete = "DELETE FROM source WHERE id = @id";

    public const string IsCited = """
        SELECT EXISTS (SELECT 1 FROM citation WHERE source_id = @id)
            OR EXISTS (SELECT 1 FROM trade_record WHERE source_id = @id)
        """;

    public const string IdExists = "SELECT EXISTS (SELECT 1 FROM source WHERE id = @id)";
}
