using System.Text.Json;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Validation;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.Infrastructure.Http;

/// <summary>
/// The HTTP side of item reads and writes, the same for every resource: ETag on every item,
/// If-None-Match → 304, 201 with Location on create, 200 on replace, 204 on delete, and the
/// precondition, conflict and not-found problems.
/// </summary>
public static class ItemResults
{
    public static Results<Ok<T>, StatusCodeHttpResult, ProblemHttpResult> Get<TRow, T>(
        HttpContext http, TRow? row, string resource, string id, Func<TRow, T> map)
        where TRow : class, IVersionedRow
    {
        if (row is null)
        {
            return Problems.NotFoundFor(resource, id);
        }
        http.Response.Headers.ETag = Preconditions.ETagFor(row.Version);
        if (Preconditions.NotModified(http.Request, row.Version))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Ok(map(row));
    }

    public static Results<Created<T>, Ok<T>, ProblemHttpResult> Written<TRow, T>(
        HttpContext http, WriteResult<TRow> result, string resource, string id, Func<TRow, string> location, Func<TRow, T> map)
        where TRow : class, IVersionedRow
    {
        switch (result.Status)
        {
            case WriteStatus.Created:
                http.Response.Headers.ETag = Preconditions.ETagFor(result.Row!.Version);
                return TypedResults.Created(location(result.Row), map(result.Row));
            case WriteStatus.Updated or WriteStatus.Unchanged:
                http.Response.Headers.ETag = Preconditions.ETagFor(result.Row!.Version);
                return TypedResults.Ok(map(result.Row));
            default:
                return Failure(result.Status, resource, id);
        }
    }

    public static Results<Created<T>, ProblemHttpResult> Created<TRow, T>(
        HttpContext http, WriteResult<TRow> result, string resource, string id, Func<TRow, string> location, Func<TRow, T> map)
        where TRow : class, IVersionedRow
    {
        if (result.Status != WriteStatus.Created)
        {
            return Failure(result.Status, resource, id);
        }
        http.Response.Headers.ETag = Preconditions.ETagFor(result.Row!.Version);
        return TypedResults.Created(location(result.Row), map(result.Row));
    }

    public static Results<NoContent, ProblemHttpResult> Deleted<TRow>(WriteResult<TRow> result, string resource, string id) =>
        result.Status == WriteStatus.Deleted ? TypedResults.NoContent() : Failure(result.Status, resource, id);

    public static ProblemHttpResult Failure(WriteStatus status, string resource, string id) => status switch
    {
        WriteStatus.NotFound => Problems.NotFoundFor(resource, id),
        WriteStatus.AlreadyExists => Problems.Exists(resource, id),
        WriteStatus.InUse => Problems.Conflicting($"The {resource} '{id}' is still referenced by other records; remove those references first."),
        WriteStatus.PreconditionRequired => (ProblemHttpResult)Preconditions.Problem(Preconditions.Outcome.Required, resource, id),
        _ => (ProblemHttpResult)Preconditions.Problem(Preconditions.Outcome.Failed, resource, id),
    };

    /// <summary>A 400 for a bad path or body id, in the same shape as validation problems.</summary>
    public static ProblemHttpResult FieldProblem(string field, string message) =>
        TypedResults.Problem(detail: "The request has invalid fields; see 'errors'.", statusCode: 400, title: "Validation failed",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = Problems.ValidationFailed,
                ["errors"] = new Dictionary<string, string[]> { [field] = [message] },
            });

    /// <summary>Checks an id from the path (PUT) and that a body id, if any, agrees with it.</summary>
    public static ProblemHttpResult? CheckPutId(string pathId, string? bodyId)
    {
        if (!RuleExtensions.SlugPattern().IsMatch(pathId))
        {
            return FieldProblem("id", $"'{pathId}' is not a valid id: use 3 to 100 characters a-z, 0-9 and '-', starting with a letter or digit.");
        }
        return bodyId is not null && bodyId != pathId ? FieldProblem("id", $"The body id '{bodyId}' differs from the path id '{pathId}'.") : null;
    }

    /// <summary>
    /// PATCH (RFC 7396) on any resource: merge the patch into the current write shape, validate the
    /// result like a PUT body, and store it only if nobody changed the record in between.
    /// </summary>
    public static async Task<Results<Ok<T>, ProblemHttpResult>> PatchAsync<TWrite, TRow, T>(
        HttpContext http,
        JsonElement patch,
        TRow? current,
        string resource,
        string id,
        IValidator<TWrite> validator,
        Func<TRow, TWrite> toWrite,
        Func<TWrite, Func<long?, Preconditions.Outcome>, Task<WriteResult<TRow>>> put,
        Func<TRow, T> map)
        where TRow : class, IVersionedRow
    {
        if (!MergePatch.IsMergePatch(http.Request))
        {
            return Problems.Create(415, Problems.UnsupportedMediaType, "Unsupported media type", $"PATCH takes {MergePatch.MediaType} (RFC 7396).");
        }
        if (current is null)
        {
            return Problems.NotFoundFor(resource, id);
        }
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return FieldProblem("$", "A merge patch is a JSON object.");
        }
        TWrite merged;
        try
        {
            merged = MergePatch.ApplyTo(toWrite(current), patch);
        }
        catch (JsonException ex)
        {
            return FieldProblem(JsonPaths.ToFieldName(ex.Path), JsonPaths.Describe(ex));
        }
        // Only write shapes that carry an id can try to change it; integer-id resources take theirs from the path.
        if (merged is IWriteWithId withId && withId.Id != id)
        {
            return FieldProblem("id", "The id of a record cannot be changed by PATCH.");
        }
        var validation = await validator.ValidateAsync(merged, http.RequestAborted);
        if (!validation.IsValid)
        {
            return TypedResults.Problem(detail: "The patched record has invalid fields; see 'errors'.", statusCode: 400, title: "Validation failed",
                extensions: new Dictionary<string, object?> { ["code"] = Problems.ValidationFailed, ["errors"] = validation.ToFieldErrors() });
        }
        var snapshot = current.Version;
        var result = await put(merged, version =>
            version is null ? Preconditions.Outcome.Failed
            : Preconditions.Evaluate(http.Request, version) is var outcome && outcome != Preconditions.Outcome.Proceed ? outcome
            : version == snapshot ? Preconditions.Outcome.Proceed
            : Preconditions.Outcome.Failed);
        if (result.Status is not (WriteStatus.Updated or WriteStatus.Unchanged))
        {
            return Failure(result.Status, resource, id);
        }
        http.Response.Headers.ETag = Preconditions.ETagFor(result.Row!.Version);
        return TypedResults.Ok(map(result.Row));
    }
}

/// <summary>A write body that may carry the record's id (curated records; trade records have none).</summary>
public interface IWriteWithId
{
    string? Id { get; }
}
