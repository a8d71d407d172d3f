using BilateralApi.Infrastructure.Database;
using Npgsql;

namespace BilateralApi.Tests.Infrastructure;

public class StoreLocationTests
{
    private const string Secret = "s3cr@t:pw";

    [Theory]
    [InlineData("bilateral.db")]
    [InlineData("./data/my.db")]
    [InlineData("/var/lib/bilateral/bilateral.db")]
    [InlineData("dir with spaces/a=b.db")]
    [InlineData("postgres.db")]
    public void A_file_path_means_sqlite_at_its_full_path(string value)
    {
        var location = StoreLocation.Parse(value);

        Assert.Equal(StoreKind.Sqlite, location.Kind);
        Assert.Equal(Path.GetFullPath(value), location.Value);
        Assert.Equal(Path.GetFullPath(value), location.ToString());
    }

    [Fact]
    public void A_url_gives_user_password_host_port_database_and_options()
    {
        var location = StoreLocation.Parse("postgres://api:s3cr%40t%3Apw@db.example.org:5433/bilateral?sslmode=verify-full&application_name=bilateral-api&connect_timeout=7");

        Assert.Equal(StoreKind.Postgres, location.Kind);
        var builder = new NpgsqlConnectionStringBuilder(location.Value);
        Assert.Equal("api", builder.Username);
        Assert.Equal(Secret, builder.Password);
        Assert.Equal("db.example.org", builder.Host);
        Assert.Equal(5433, builder.Port);
        Assert.Equal("bilateral", builder.Database);
        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
        Assert.Equal("bilateral-api", builder.ApplicationName);
        Assert.Equal(7, builder.Timeout);
        Assert.Equal(
            new NpgsqlConnectionStringBuilder(location.Value) { Password = null }.ConnectionString.Split(';').Order(StringComparer.Ordinal),
            location.ToString().Split(';').Order(StringComparer.Ordinal));
        Assert.DoesNotContain("s3cr", location.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_display_form_leaves_out_every_password()
    {
        var location = StoreLocation.Parse("postgres://api:pw1@db/x?sslpassword=pw2&sslmode=require");

        Assert.Equal("pw2", new NpgsqlConnectionStringBuilder(location.Value).SslPassword);
        Assert.DoesNotContain("pw", location.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("postgresql://localhost/bilateral", "localhost", 5432, "bilateral")]
    [InlineData("POSTGRES://10.0.0.5", "10.0.0.5", 5432, null)]
    [InlineData("postgres://[::1]:6543/db%20name", "::1", 6543, "db name")]
    [InlineData("postgres://u@h:1/d?sslmode=require&Maximum%20Pool%20Size=20", "h", 1, "d")]
    public void Urls_without_some_parts_keep_npgsqls_defaults(string url, string host, int port, string? database)
    {
        var builder = new NpgsqlConnectionStringBuilder(StoreLocation.Parse(url).Value);

        Assert.Equal(host, builder.Host);
        Assert.Equal(port, builder.Port);
        Assert.Equal(database, builder.Database);
        Assert.Null(builder.Password);
    }

    [Fact]
    public void A_url_with_several_hosts_keeps_each_port()
    {
        var builder = new NpgsqlConnectionStringBuilder(StoreLocation.Parse("postgres://u:p@primary:5432,replica:5433/d?target_session_attrs=read-write").Value);

        Assert.Equal("primary:5432,replica:5433", builder.Host);
        Assert.Equal("read-write", builder.TargetSessionAttributes);
    }

    [Theory]
    [InlineData("Host=db;Port=5433;Database=bilateral;Username=api;Password=s3cr@t:pw")]
    [InlineData("host=db; port=5433; database=bilateral; user id=api; password=s3cr@t:pw")]
    [InlineData("Server=db;Port=5433;Database=bilateral;User ID=api;Password='s3cr@t:pw'")]
    public void A_connection_string_naming_a_host_means_postgres_normalised(string value)
    {
        var location = StoreLocation.Parse(value);

        Assert.Equal(StoreKind.Postgres, location.Kind);
        Assert.Equal("Host=db;Port=5433;Database=bilateral;Username=api;Password=s3cr@t:pw", location.Value);
        Assert.Equal("Host=db;Port=5433;Database=bilateral;Username=api", location.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("postgres://api:s3cr%40t%3Apw@/bilateral", "names no host")]
    [InlineData("postgres://api:s3cr%40t%3Apw@db:54x2/bilateral", "port in the PostgreSQL URL's host 'db:54x2' is not a number from 1 to 65535")]
    [InlineData("postgres://api:s3cr%40t%3Apw@db:70000/bilateral", "'db:70000' is not a number from 1 to 65535")]
    [InlineData("postgres://api:s3cr%40t%3Apw@[::1/bilateral", "'[::1' is not a number")]
    [InlineData("postgres://api:s3cr%40t%3Apw@db/bilateral?sslmod=require", "URL option 'sslmod' is not a setting Npgsql knows")]
    [InlineData("postgres://api:s3cr%40t%3Apw@db/bilateral?sslmode=sometimes", "URL option 'sslmode' has a value that is not valid: 'sometimes'")]
    [InlineData("postgres://api:s3cr%40t%3Apw@db/bilateral?connect_timeout=soon", "URL option 'connect_timeout' has a value that is not valid: 'soon'")]
    // Keys are named as .NET's connection string parser reads them: lower-cased.
    [InlineData("Host=db;Passwort=s3cr@t:pw", "connection string setting 'passwort' is not a setting Npgsql knows")]
    [InlineData("Host=db;Port=five;Password=s3cr@t:pw", "connection string setting 'port' has a value that is not valid: 'five'")]
    [InlineData("Host=db;Password='s3cr@t:pw", "is not a list of key=value settings")]
    [InlineData("Host=;Password=s3cr@t:pw", "names no Host")]
    public void A_malformed_location_says_what_is_wrong_and_never_shows_the_password(string value, string expected)
    {
        Assert.False(StoreLocation.TryParse(value, out var location, out var error));
        Assert.Null(location);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr", error, StringComparison.Ordinal);
        Assert.DoesNotContain("%40", error, StringComparison.Ordinal);
        var thrown = Assert.Throws<InvalidStoreLocationException>(() => StoreLocation.Parse(value));
        Assert.Equal(error, thrown.Message);
    }

    [Fact]
    public void A_bad_password_option_is_named_without_its_value()
    {
        Assert.False(StoreLocation.TryParse("postgres://db/x?sslpassword=s3cr%40t&sslmode=", out _, out var error));
        Assert.Contains("'sslmode'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr", error, StringComparison.Ordinal);
    }
}
