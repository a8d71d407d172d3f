using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using BilateralApi.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace BilateralApi.Tests.Security;

/// <summary>The list tests of ApiKeyTests: a file of their own because they need the store's list executor (the PostgreSQL pass takes them when it has one).</summary>
public sealed partial class ApiKeyTests
{
    [Fact]
    public async Task Reads_are_public_even_with_a_bad_key()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client().GetAsync("/v1/sources")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client("bk_0000000000000000_wrong").GetAsync("/v1/countries/AZE")).StatusCode);
    }
}
