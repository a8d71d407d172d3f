using System.Text.Encodings.Web;
using BilateralApi.Infrastructure.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace BilateralApi.Infrastructure.Security;

/// <summary>
/// Authenticates a request by its API key, taken only from <c>Authorization: Bearer</c> or
/// <c>X-Api-Key</c> (never the query string, which ends up in logs and browser histories). Answers
/// 401 and 403 as problem+json. The key itself is never logged: failure messages do not contain it.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>
    /// Whether the request presents a key at all (either header). Only such requests go through
    /// authentication; the others are anonymous, exactly what <see cref="HandleAuthenticateAsync"/> would
    /// answer for them (NoResult), without its per-request cost.
    /// </summary>
    public static bool PresentsKey(HttpContext http) =>
        http.Request.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Authorization) || http.Request.Headers.ContainsKey(HeaderName);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? bearer = null;
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            bearer = authorization["Bearer ".Length..].Trim();
        }
        var header = Request.Headers[HeaderName].ToString().Trim();
        var presented = bearer ?? (header.Length > 0 ? header : null);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }
        if (bearer is not null && header.Length > 0 && header != bearer)
        {
            return AuthenticateResult.Fail("Two different API keys were sent.");
        }
        var key = await keys.ValidateAsync(presented, Context.RequestAborted);
        return key is null
            ? AuthenticateResult.Fail("The API key is unknown or revoked.")
            : AuthenticateResult.Success(new AuthenticationTicket(ApiKeyClaims.Principal(key), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await Context.AuthenticateAsync(Scheme.Name);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null
            ? "Bearer realm=\"BilateralApi\""
            : "Bearer realm=\"BilateralApi\", error=\"invalid_token\"";
        await WriteProblemAsync(401, Problems.Unauthorized, "Unauthorized", result.Failure is null
            ? "This operation needs an API key: send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'."
            : "The API key is not valid (unknown, revoked or malformed).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var needed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy).Where(p => p is not null && p != ApiKeyClaims.ReadPolicy).ToList() ?? [];
        var scopes = needed.Count == 0 ? "another scope" : $"the scope '{string.Join("', '", needed)}' (or 'admin')";
        return WriteProblemAsync(403, Problems.Forbidden, "Forbidden", $"This API key may not do this: the operation needs {scopes}.");
    }

    private async Task WriteProblemAsync(int status, string code, string title, string detail)
    {
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = title,
                Detail = detail,
                Extensions = { ["code"] = code },
            },
        });
    }
}
