using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace BilateralApi.Infrastructure.Database;

/// <summary>Which store a database location names.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The one reading of a <c>--db</c> / <c>BILATERAL_DB</c> value (docs/postgresql.md): a file path means
/// SQLite; a <c>postgres://</c> or <c>postgresql://</c> URL, or a key=value connection string naming a
/// <c>Host</c> (or <c>Server</c>), means PostgreSQL, normalised to Npgsql's connection string. No message
/// and no <see cref="ToString"/> ever contains the password.
/// </summary>
public sealed partial class StoreLocation
{
    private StoreLocation(StoreKind kind, string value, string display)
    {
        Kind = kind;
        Value = value;
        _display = display;
    }

    private readonly string _display;

    public StoreKind Kind { get; }

    /// <summary>SQLite: the file's full path. PostgreSQL: the Npgsql connection string (with its password).</summary>
    public string Value { get; }

    /// <summary>The location for logs and messages: the path, or the connection string without its password.</summary>
    public override string ToString() => _display;

    /// <summary>Reads a location, or throws <see cref="InvalidStoreLocationException"/> saying what is wrong (never the password).</summary>
    public static StoreLocation Parse(string value) =>
        TryParse(value, out var location, out var error) ? location : throw new InvalidStoreLocationException(error);

    public static bool TryParse(string? value, [NotNullWhen(true)] out StoreLocation? location, [NotNullWhen(false)] out string? error)
    {
        location = null;
        error = null;
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            error = "The database location is empty: give a file path (SQLite) or a PostgreSQL URL or connection string.";
            return false;
        }
        NpgsqlConnectionStringBuilder? postgres = null;
        if (IsUrl(value))
        {
            postgres = FromUrl(value, out error);
        }
        else if (NamesHost(value))
        {
            postgres = FromKeyValues(value, out error);
        }
        if (postgres is not null)
        {
            location = Postgres(postgres);
            return true;
        }
        if (error is not null)
        {
            return false;
        }
        var path = Path.GetFullPath(value);
        location = new StoreLocation(StoreKind.Sqlite, path, path);
        return true;
    }

    private static readonly string[] Schemes = ["postgres://", "postgresql://"];

    private static bool IsUrl(string value) => Schemes.Any(s => value.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>A key=value connection string (Npgsql's keywords separated by ';'), told from a path by naming a Host.</summary>
    private static bool NamesHost(string value) => HostSetting().IsMatch(value);

    [GeneratedRegex(@"(^|;)\s*(host|server)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HostSetting();

    private static StoreLocation Postgres(NpgsqlConnectionStringBuilder builder)
    {
        var display = new NpgsqlConnectionStringBuilder(builder.ConnectionString);
        foreach (var secret in display.Keys.Where(IsSecret).ToList())
        {
            display.Remove(secret);
        }
        return new StoreLocation(StoreKind.Postgres, builder.ConnectionString, display.ConnectionString);
    }

    private static NpgsqlConnectionStringBuilder? FromKeyValues(string value, out string? error)
    {
        var pairs = new DbConnectionStringBuilder();
        try
        {
            pairs.ConnectionString = value;
        }
        catch (ArgumentException)
        {
            error = "The PostgreSQL connection string is not a list of key=value settings separated by ';'.";
            return null;
        }
        var builder = new NpgsqlConnectionStringBuilder();
        foreach (string key in pairs.Keys)
        {
            if (!TrySet(builder, key, pairs[key]?.ToString() ?? "", $"connection string setting '{key}'", out error))
            {
                return null;
            }
        }
        return Validated(builder, out error);
    }

    /// <summary>
    /// postgres://[user[:password]@]host[:port][,host[:port]…][/database][?option=value&amp;…] as libpq reads it:
    /// user, password and database percent-decoded; options by libpq's names (sslmode, application_name,
    /// connect_timeout, …) or Npgsql's.
    /// </summary>
    private static NpgsqlConnectionStringBuilder? FromUrl(string value, out string? error)
    {
        var rest = value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var builder = new NpgsqlConnectionStringBuilder();

        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var query = queryStart < 0 ? "" : rest[(queryStart + 1)..];
        rest = queryStart < 0 ? rest : rest[..queryStart];
        var pathStart = rest.IndexOf('/', StringComparison.Ordinal);
        var database = pathStart < 0 ? "" : Decode(rest[(pathStart + 1)..]);
        var authority = pathStart < 0 ? rest : rest[..pathStart];

        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Decode(colon < 0 ? userInfo : userInfo[..colon]);
            if (user.Length > 0)
            {
                builder.Username = user;
            }
            if (colon >= 0)
            {
                builder.Password = Decode(userInfo[(colon + 1)..]);
            }
        }

        var hosts = authority.Split(',');
        if (hosts.FirstOrDefault(h => SplitPort(h) is null) is { } badHost)
        {
            error = $"The port in the PostgreSQL URL's host '{badHost}' is not a number from 1 to 65535.";
            return null;
        }
        if (hosts.All(h => h.Length == 0))
        {
            error = "The PostgreSQL URL names no host: write postgres://user:password@host:port/database.";
            return null;
        }
        if (hosts.Length == 1)
        {
            var (host, port) = SplitPort(hosts[0])!.Value;
            builder.Host = host;
            if (port is { } number)
            {
                builder.Port = number;
            }
        }
        else
        {
            // Several hosts keep their ports in Host: Npgsql's multi-host form (host:port,host:port).
            builder.Host = string.Join(',', hosts);
        }
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var option in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = option.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? option : option[..equals]);
            var optionValue = equals < 0 ? "" : Decode(option[(equals + 1)..]);
            var keyword = LibpqOptions.TryGetValue(name, out var npgsqlName) ? npgsqlName : name;
            if (keyword == "SSL Mode")
            {
                // libpq spells the modes verify-ca and verify-full; Npgsql's names are VerifyCA and VerifyFull.
                optionValue = optionValue.Replace("-", "", StringComparison.Ordinal);
            }
            if (!TrySet(builder, keyword, optionValue, $"URL option '{name}'", out error))
            {
                return null;
            }
        }
        return Validated(builder, out error);
    }

    /// <summary>libpq's URL options and the Npgsql settings they are.</summary>
    private static readonly Dictionary<string, string> LibpqOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["target_session_attrs"] = "Target Session Attributes",
        ["user"] = "Username",
        ["password"] = "Password",
        ["dbname"] = "Database",
        ["host"] = "Host",
        ["port"] = "Port",
        ["options"] = "Options",
    };

    /// <summary>host[:port] or [ipv6][:port]; null when the port is not a valid one.</summary>
    private static (string Host, int? Port)? SplitPort(string hostPort)
    {
        string host;
        string? port = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }
            host = hostPort[1..close];
            var after = hostPort[(close + 1)..];
            if (after.Length > 0)
            {
                if (!after.StartsWith(':'))
                {
                    return null;
                }
                port = after[1..];
            }
        }
        else
        {
            var colon = hostPort.LastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort[..colon];
            port = colon < 0 ? null : hostPort[(colon + 1)..];
        }
        if (port is null || port.Length == 0)
        {
            return (Decode(host), null);
        }
        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535
            ? (Decode(host), number)
            : null;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text);

    /// <summary>Sets one setting; a wrong name or value is named, and a password's value never shown.</summary>
    private static bool TrySet(NpgsqlConnectionStringBuilder builder, string keyword, string value, string what, out string? error)
    {
        error = null;
        if (!IsKnown(keyword))
        {
            error = $"The PostgreSQL {what} is not a setting Npgsql knows.";
            return false;
        }
        try
        {
            builder[keyword] = value;
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            error = IsSecret(keyword)
                ? $"The PostgreSQL {what} has a value that is not valid."
                : $"The PostgreSQL {what} has a value that is not valid: '{value}'.";
            return false;
        }
    }

    private static bool IsKnown(string keyword)
    {
        try
        {
            // The indexer's getter accepts exactly Npgsql's keywords and their aliases.
            _ = new NpgsqlConnectionStringBuilder()[keyword];
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (KeyNotFoundException)
        {
            return false;
        }
    }

    private static bool IsSecret(string keyword) =>
        keyword.Contains("password", StringComparison.OrdinalIgnoreCase) || keyword.Equals("Pwd", StringComparison.OrdinalIgnoreCase);

    private static NpgsqlConnectionStringBuilder? Validated(NpgsqlConnectionStringBuilder builder, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            error = "The PostgreSQL connection string names no Host.";
            return null;
        }
        return builder;
    }
}

/// <summary>
/// A database location (<c>--db</c>, <c>--read-db</c>) that names no usable store. Its message says why and never
/// contains a password, so the commands print it as it is and exit 2.
/// </summary>
public sealed class InvalidStoreLocationException(string message) : FormatException(message);
