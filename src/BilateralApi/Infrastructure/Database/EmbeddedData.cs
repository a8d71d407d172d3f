using System.Reflection;

namespace BilateralApi.Infrastructure.Database;

/// <summary>Reads the migrations, reference data and seed files embedded in the assembly (see the csproj).</summary>
public static class EmbeddedData
{
    private static readonly Assembly Assembly = typeof(EmbeddedData).Assembly;

    public static Stream Open(string logicalName) =>
        Assembly.GetManifestResourceStream(logicalName)
        ?? throw new InvalidOperationException($"Embedded resource '{logicalName}' is missing from the build.");

    public static string ReadText(string logicalName)
    {
        using var reader = new StreamReader(Open(logicalName));
        return reader.ReadToEnd();
    }

    public static IEnumerable<string> Names(string prefix) =>
        Assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal);
}
