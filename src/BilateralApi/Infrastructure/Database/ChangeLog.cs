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
/// once per written record; nothing else inserts into change_log.
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
    public static async Task<long> FirstVersionAsync(WriteScope scope, string resource, string id, CancellationToken cancellationToken) =>
        1 + (await scope.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(LastVersion, new { resource, id }, scope.Transaction, cancellationToken: cancellationToken)) ?? 0);

    /// <summary>The newest change (0 when none): every write raises it, so it versions every list.</summary>
    public const string LatestSeq = "SELECT COALESCE(MAX(seq), 0) FROM change_log";

    /// <summary>
    /// A recorder for bulk writes (imports): one prepared statement reused for every row, executed
    /// synchronously inside the import's transaction like the import's own statements.
    /// </summary>
    public Recorder Prepare(WriteScope scope) => new(scope, ApiKeyClaims.KeyId(http.HttpContext?.User), Clock.Now(time));

    public sealed class Recorder : IDisposable
    {
        private readonly Microsoft.Data.Sqlite.SqliteCommand _command;
        private readonly Microsoft.Data.Sqlite.SqliteParameter _resource, _recordId, _action, _version, _data;

        internal Recorder(WriteScope scope, string? keyId, string changedAt)
        {
            _command = scope.Connection.CreateCommand();
            _command.Transaction = scope.Transaction;
            _command.CommandText = Insert;
            _resource = _command.Parameters.Add("@resource", Microsoft.Data.Sqlite.SqliteType.Text);
            _recordId = _command.Parameters.Add("@recordId", Microsoft.Data.Sqlite.SqliteType.Text);
            _action = _command.Parameters.Add("@action", Microsoft.Data.Sqlite.SqliteType.Text);
            _version = _command.Parameters.Add("@version", Microsoft.Data.Sqlite.SqliteType.Integer);
            _command.Parameters.AddWithValue("@changedAt", changedAt);
            _command.Parameters.AddWithValue("@keyId", (object?)keyId ?? DBNull.Value);
            _data = _command.Parameters.Add("@data", Microsoft.Data.Sqlite.SqliteType.Text);
            _command.Prepare();
        }

        public void Record(string resource, string id, WriteStatus status, long version, object? representation)
        {
            _resource.Value = resource;
            _recordId.Value = id;
            _action.Value = Action(status);
            _version.Value = version;
            _data.Value = status == WriteStatus.Deleted || representation is null
                ? DBNull.Value
                : JsonSerializer.Serialize(representation, representation.GetType(), JsonDefaults.Options);
            _command.ExecuteNonQuery();
        }

        /// <summary>
        /// The same as <see cref="Record"/> for a representation of a known type: serialised with the
        /// API's options and the type's cached contract into a buffer reused for every row (the same
        /// JSON as <see cref="JsonSerializer"/> writes, without a writer and buffers per row).
        /// </summary>
        public void Record<T>(string resource, string id, WriteStatus status, long version, T representation, JsonTypeInfo<T> type)
        {
            _resource.Value = resource;
            _recordId.Value = id;
            _action.Value = Action(status);
            _version.Value = version;
            if (status == WriteStatus.Deleted || representation is null)
            {
                _data.Value = DBNull.Value;
            }
            else
            {
                _buffer.ResetWrittenCount();
                _writer.Reset(_buffer);
                JsonSerializer.Serialize(_writer, representation, type);
                _writer.Flush();
                _data.Value = Encoding.UTF8.GetString(_buffer.WrittenSpan);
            }
            _command.ExecuteNonQuery();
        }

        private readonly ArrayBufferWriter<byte> _buffer = new(4096);
        private readonly Utf8JsonWriter _writer = new(Stream.Null, new JsonWriterOptions
        {
            Encoder = JsonDefaults.Options.Encoder,
            Indented = JsonDefaults.Options.WriteIndented,
            MaxDepth = JsonDefaults.Options.MaxDepth,
        });

        public void Dispose()
        {
            _writer.Dispose();
            _command.Dispose();
        }
    }

    /// <summary>The API's JSON contract of <typeparamref name="T"/>, for <see cref="Recorder.Record{T}"/>.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)JsonDefaults.Options.GetTypeInfo(typeof(T));

    private static string Action(WriteStatus status) => status switch
    {
        WriteStatus.Created => "create",
        WriteStatus.Updated => "update",
        WriteStatus.Deleted => "delete",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Only successful writes are changes."),
    };

    /// <summary>Appends one change; <paramref name="representation"/> is the record as served (null for a delete).</summary>
    public Task RecordAsync(WriteScope scope, string resource, string id, WriteStatus status, long version, object? representation, CancellationToken cancellationToken)
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
