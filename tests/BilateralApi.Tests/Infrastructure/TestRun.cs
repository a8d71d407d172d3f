namespace BilateralApi.Tests.Infrastructure;

/// <summary>
/// Which store this run of the suite puts the API on. The same test files compile twice: into BilateralApi.Tests
/// (SQLite files) and into BilateralApi.Tests.Postgres with the constant POSTGRES_PASS (a PostgreSQL database per
/// <see cref="ApiFactory"/>; decision 0040).
/// </summary>
public static class TestRun
{
#if POSTGRES_PASS
    public static readonly bool OnPostgres = true;
#else
    public static readonly bool OnPostgres;
#endif
}
