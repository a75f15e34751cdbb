using System.Text.Json;
using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Marketplace.Web.Api;

/// <summary>
/// The one place exceptions become RFC 9457 problem details: validation 400 with field errors, not
/// found 404, forbidden 403, business-rule and stale-write conflicts 409. Anything else is a 500 with
/// no detail: stack traces and SQL never leave the server.
/// </summary>
internal sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        // The middleware has already pointed the request at the error page; the feature keeps the original path.
        var path = new PathString(context.Features.Get<IExceptionHandlerFeature>()?.Path ?? context.Request.Path);
        if (!path.StartsWithSegments("/api") && !path.StartsWithSegments("/openapi") && !path.StartsWithSegments("/health"))
        {
            // Pages: let the exception handler show the GOV.UK error page (with the status the input caused, if it did).
            if (ToProblem(exception) is { Status: < 500 } refused)
                logger.LogInformation("{Method} {Path} refused with {Status}: {Message}", context.Request.Method, path, refused.Status, exception.Message);
            else
                logger.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, path);
            return false;
        }

        var problem = ToProblem(exception);
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Something went wrong on our side",
                Detail = "The error has been logged. Please try again later.",
            };
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    public static ProblemDetails? ToProblem(Exception exception) => exception switch
    {
        ValidationException v => new ValidationProblemDetails(FieldErrors(v))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Some of the information you gave is not valid",
        },
        NotFoundException n => new ProblemDetails { Status = 404, Title = "Not found", Detail = n.Message },
        ForbiddenException f => new ProblemDetails { Status = 403, Title = "Forbidden", Detail = f.Message },
        DomainRuleException d => new ProblemDetails { Status = 409, Title = "Conflict", Detail = d.Message, Extensions = { ["code"] = d.Code } },
        ConcurrencyConflictException or DbUpdateConcurrencyException => new ProblemDetails
        {
            Status = 409,
            Title = "Conflict",
            Detail = "Someone else changed this since you loaded it. Reload it and make your change again.",
            Extensions = { ["code"] = "stale-write" },
        },
        InsufficientCreditsException i => new ProblemDetails
        {
            Status = 409, Title = "Not enough credits", Detail = i.Message,
            Extensions = { ["code"] = "insufficient-credits", ["requested"] = i.Requested, ["available"] = i.Available },
        },
        IdempotencyKeyReusedException k => new ProblemDetails
        {
            Status = 422, Title = "Idempotency-Key reused", Detail = k.Message, Extensions = { ["code"] = "idempotency-key-reused" },
        },
        // A database constraint (a balance that would go below zero) caught what the code did not.
        PostgresException { SqlState: PostgresErrorCodes.CheckViolation } or DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.CheckViolation } } => new ProblemDetails
        {
            Status = 409, Title = "Conflict", Detail = "That change would break a rule the service keeps (for example a balance below zero).",
        },
        DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } } => new ProblemDetails
        {
            Status = 409, Title = "Conflict", Detail = "That would duplicate something that already exists.",
        },
        // A body field of the wrong kind, or null where the field cannot be empty: name the field, as validators do.
        BadHttpRequestException { StatusCode: 400, InnerException: JsonException { Path: { Length: > 0 } jsonPath } } => new ValidationProblemDetails(
            new Dictionary<string, string[]> { [JsonField(jsonPath)] = [WrongKindMessage] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Some of the information you gave is not valid",
        },
        BadHttpRequestException b => new ProblemDetails
        {
            Status = b.StatusCode, Title = "The request could not be read",
            Detail = b.StatusCode == 400 ? "Check the request body and parameters are well-formed." : null,
        },
        JsonException => new ProblemDetails { Status = 400, Title = "The request body is not valid JSON" },
        _ => null,
    };

    internal const string WrongKindMessage = "Give a value of the kind this field takes (a number, a date, true or false, or text); it cannot be null";

    /// <summary>A JSON path from the serializer (<c>$.dates[0]</c>) as the field the client sent (<c>dates[0]</c>); <c>body</c> for the body itself.</summary>
    internal static string JsonField(string jsonPath)
    {
        var field = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }

    /// <summary>Field names as the client sent them: camelCase JSON paths, without the command's wrapper.</summary>
    internal static Dictionary<string, string[]> FieldErrors(ValidationException v) =>
        v.Errors
            .GroupBy(e => FieldName(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());

    internal static string FieldName(string propertyName)
    {
        var name = propertyName.StartsWith("Offer.", StringComparison.Ordinal) ? propertyName["Offer.".Length..] : propertyName;
        // Header names (Idempotency-Key, If-Match) keep their HTTP spelling; body fields are camelCase.
        return string.Join('.', name.Split('.').Select(part => part.Contains('-') ? part : JsonNamingPolicy.CamelCase.ConvertName(part)));
    }
}
