using System.Text.Json;
using BilateralApi.Infrastructure.Database;
using BilateralApi.Infrastructure.Validation;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BilateralApi.Infrastructure.Http;

/// <summary>
/// The HTTP side of item reads and writes, the same for every resource: ETag on every item
/// (the endpoint's <see cref="EndpointBehaviours.WithConditionalGet"/> answers 304), 201 with Location on create, 200 on replace, 204 on delete, and the
/// precondition, conflict and not-found problems.
/// </summary>
public static class ItemResults
{
    public static Results<Ok<T>, ProblemHttpResult> Get<TRow, T>(
        HttpContext http, TRow? row, string resource, string id, Func<TRow, T> map)
        where TRow : class, IVersionedRow
    {
        if (row is null)
        {
            return Problems.NotFoundFor(resource, id);
        }
        // The endpoint's WithConditionalGet turns this into 304 when If-None-Match names the tag.
        http.Response.Headers.ETag = Preconditions.ETagFor(row.Version);
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

/// <summary>
/// The answers of <see cref="ItemResults"/> besides its typed 2xx, declared on the endpoints that use it
/// (problem results carry no status of their own for OpenAPI to see).
/// </summary>
public static class ItemAnswers
{
    private const string NotFound = "Not found: no record has this id (code notFound).";
    private const string JsonOnly = "Unsupported media type: send application/json (code unsupportedMediaType).";

    /// <summary><see cref="ItemResults.Get"/>: 404.</summary>
    public static RouteHandlerBuilder ProducesItem(this RouteHandlerBuilder builder) =>
        builder.AnswersProblem(StatusCodes.Status404NotFound, NotFound);

    /// <summary><see cref="ItemResults.Created"/> (POST): 409 on a taken id or natural key, 415 for a body that is not JSON.</summary>
    public static RouteHandlerBuilder ProducesCreated(this RouteHandlerBuilder builder) =>
        builder.AnswersProblem(StatusCodes.Status409Conflict, "Conflict: a record with this id or natural key exists (code alreadyExists or conflict).")
            .AnswersProblem(StatusCodes.Status415UnsupportedMediaType, JsonOnly);

    /// <summary>PUT (<see cref="ItemResults.Written"/>): 404, 409, 415; <paramref name="creates"/>: PUT creates a record at any valid id.</summary>
    public static RouteHandlerBuilder ProducesWritten(this RouteHandlerBuilder builder, bool creates) =>
        builder.AnswersProblem(StatusCodes.Status404NotFound, creates
                ? "Not found: the path names no record of this resource, e.g. an id such as '..' that the client resolved away (code notFound). PUT creates a record at any valid id."
                : "Not found: no record has this id; PUT never creates here (code notFound).")
            .AnswersProblem(StatusCodes.Status409Conflict, "Conflict: the record would clash with another one (code conflict).")
            .AnswersProblem(StatusCodes.Status415UnsupportedMediaType, JsonOnly);

    /// <summary><see cref="ItemResults.PatchAsync"/>: 400, 404, 409, 415.</summary>
    public static RouteHandlerBuilder ProducesPatched(this RouteHandlerBuilder builder) =>
        builder.AnswersProblem(StatusCodes.Status400BadRequest, "Invalid patch or patched record (code validationFailed or invalidJson).")
            .AnswersProblem(StatusCodes.Status404NotFound, NotFound)
            .AnswersProblem(StatusCodes.Status409Conflict, "Conflict: the patched record would clash with another one (code conflict).")
            .AnswersProblem(StatusCodes.Status415UnsupportedMediaType, $"Unsupported media type: send {MergePatch.MediaType} (code unsupportedMediaType).");

    /// <summary><see cref="ItemResults.Deleted"/>: 404, 409.</summary>
    public static RouteHandlerBuilder ProducesDeleted(this RouteHandlerBuilder builder) =>
        builder.AnswersProblem(StatusCodes.Status404NotFound, NotFound)
            .AnswersProblem(StatusCodes.Status409Conflict, "Conflict: other records still reference this one (code conflict).");
}

/// <summary>A write body that may carry the record's id (curated records; trade records have none).</summary>
public interface IWriteWithId
{
    string? Id { get; }
}
