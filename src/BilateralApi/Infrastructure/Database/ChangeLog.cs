using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BilateralApi.Infrastructure.Json;
using BilateralApi.Infrastructure.Security;
using Dapper;

namespace BilateralApi.Infrastructure.Database;

/// <summary>
/// Records every write in the change log, inside the write's own transaction:
/// which key (from the request's authenticated user; none for the seed and the CLI), when, what
/// (create/update/delete of which record at which version) and the stored representation as JSON
/// (none for a delete: the tombstone). Every repository's write path calls <see cref="RecordAsync"/>
/// once per written record; a bulk import instead appends one entry for the whole import
/// (<see cref="BeginImport"/>, decision 0029).
/// </summary>
public sealed class ChangeLog(IHttpContextAccessor http, TimeProvider time)
{
    private const string Insert = """
        INSERT INTO change_log (resource, record_id, action, version, changed_at, key_id, data)
        VALUES (@resource, @recordId, @action, @version, @changedAt, @keyId, @data)
        """;

    /// <summary>
    /// The last version a record id had, live or deleted (none when the id was never used): the change
    /// log keeps the tombstone of a deleted record, so a record created again under the same id can
    /// continue after it and never repeat a version, nor so an ETag (decision 0024).
    /// </summary>
    public const string LastVersion = "SELECT version FROM change_log WHERE resource = @resource AND record_id = @id ORDER BY seq DESC LIMIT 1";

    /// <summary>The version a record created under <paramref name="id"/> starts at: 1, or one past the version of its tombstone.</summary>
    public static async Task<long> FirstVersionAsync(IWriteScope scope, string resource, string id, CancellationToken cancellationToken) =>
        1 + (await scope.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(LastVersion, new { resource, id }, scope.Transaction, cancellationToken: cancellationToken)) ?? 0);

    /// <summary>The newest change (0 when none): every write raises it, so it versions every list.</summary>
    public const string LatestSeq = "SELECT COALESCE(MAX(seq), 0) FROM change_log";

    /// <summary>The action of a bulk import's one entry (decision 0029).</summary>
    public const string ImportAction = "import";

    /// <summary>The id a bulk import's entry carries in the feed, and that a record's history names as the writer of a version.</summary>
    public static string ImportId(long seq) => ImportAction + "-" + seq.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The one change-log entry of a bulk import (decision 0029), appended when the import stores its first
    /// row (an import that stores nothing is no change), completed with the import's description at the end;
    /// both inside the import's transaction. Which rows it wrote is the importer's to record (per resource).
    /// </summary>
    public BulkImport BeginImport(IWriteScope scope, string resource) => new(scope, resource, ApiKeyClaims.KeyId(http.HttpContext?.User), Clock.Now(time));

    public sealed class BulkImport(IWriteScope scope, string resource, string? keyId, string changedAt)
    {
        private long? _seq;

        /// <summary>The entry's seq, or null while the import has stored nothing.</summary>
        public long? Seq => _seq;

        /// <summary>The entry's seq, appending the entry on the first call.</summary>
        public long Append()
        {
            if (_seq is { } seq)
            {
                return seq;
            }
            var appended = scope.Connection.ExecuteScalar<long>(new CommandDefinition("""
                INSERT INTO change_log (resource, record_id, action, version, changed_at, key_id, data)
                VALUES (@resource, '', 'import', 1, @changedAt, @keyId, NULL) RETURNING seq
                """, new { resource, changedAt, keyId }, scope.Transaction));
            scope.Connection.Execute(new CommandDefinition(
                "UPDATE change_log SET record_id = @id WHERE seq = @seq", new { id = ImportId(appended), seq = appended }, scope.Transaction));
            _seq = appended;
            return appended;
        }

        /// <summary>Stores the import's description (its JSON as the feed serves it) in its entry, when it has one.</summary>
        public void Complete<T>(T description, JsonTypeInfo<T> type)
        {
            if (_seq is not { } seq)
            {
                return;
            }
            scope.Connection.Execute(new CommandDefinition(
                "UPDATE change_log SET data = @data WHERE seq = @seq", new { data = JsonSerializer.Serialize(description, type), seq }, scope.Transaction));
        }
    }

    /// <summary>The API's JSON contract of <typeparamref name="T"/>, for <see cref="BulkImport.Complete{T}"/>.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)JsonDefaults.Options.GetTypeInfo(typeof(T));

    private static string Action(WriteStatus status) => status switch
    {
        WriteStatus.Created => "create",
        WriteStatus.Updated => "update",
        WriteStatus.Deleted => "delete",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Only successful writes are changes."),
    };

    /// <summary>Appends one change; <paramref name="representation"/> is the record as served (null for a delete).</summary>
    public Task RecordAsync(IWriteScope scope, string resource, string id, WriteStatus status, long version, object? representation, CancellationToken cancellationToken)
    {
        var action = Action(status);
        var data = status == WriteStatus.Deleted || representation is null
            ? null
            : JsonSerializer.Serialize(representation, representation.GetType(), JsonDefaults.Options);
        return scope.Connection.ExecuteAsync(new CommandDefinition(Insert, new
        {
            resource,
            recordId = id,
            action,
            version,
            changedAt = Clock.Now(time),
            keyId = ApiKeyClaims.KeyId(http.HttpContext?.User),
            data,
        }, scope.Transaction, cancellationToken: cancellationToken));
    }
}
