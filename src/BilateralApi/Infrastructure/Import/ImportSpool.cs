namespace BilateralApi.Infrastructure.Import;

/// <summary>
/// Copies an import body to a temporary file before the import starts, so that the import's write
/// transaction (SQLite's one write lock) is never held while waiting on the network: a client that
/// trickles its body delays only itself. The copy streams (constant memory) and the server's body
/// limit still applies while it is read (413 beyond it). The file is opened delete-on-close and lives
/// in <c>Import:SpoolDirectory</c> (default: the system's temporary directory); it is gone when the
/// returned stream is disposed, whatever the import's outcome. See decision 0023.
/// </summary>
public static class ImportSpool
{
    public const string DirectorySetting = "Import:SpoolDirectory";

    public static async Task<FileStream> CopyAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var directory = http.RequestServices.GetRequiredService<IConfiguration>()[DirectorySetting] is { Length: > 0 } configured
            ? configured
            : Path.GetTempPath();
        var path = Path.Combine(directory, $"bilateral-import-{Guid.NewGuid():N}.tmp");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose | FileOptions.SequentialScan);
        try
        {
            await http.Request.Body.CopyToAsync(file, cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
