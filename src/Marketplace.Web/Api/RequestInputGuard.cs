using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using Marketplace.Domain.Common;
using Microsoft.AspNetCore.Http.Metadata;

namespace Marketplace.Web.Api;

/// <summary>
/// The one guard every request passes before it reaches an endpoint, whatever the endpoint does with it (a
/// command, a query, Identity's sign-in): a request body is read whole and must be well-formed (JSON parses
/// within the depth limit, a form or multipart body reads), a JSON body is at most <see cref="MaxJsonBytes"/>,
/// and under /api no path, query-string value, form field or JSON string holds a character <see cref="StorableText"/>
/// refuses, and no top-level JSON field the endpoint declares non-nullable is <c>null</c>. Anything else is a 400
/// (413 when too large) problem, never a 500 from deeper down. It runs after routing, so it knows the endpoint's body type.
/// Commands and queries keep the same text and date rules themselves (<c>InputRulesBehaviour</c>), so pages
/// and jobs get them too.
/// </summary>
internal sealed class RequestInputGuard(RequestDelegate next, IProblemDetailsService problems)
{
    /// <summary>The largest JSON body accepted: an offer, the largest body the API takes, is a few kilobytes.</summary>
    public const int MaxJsonBytes = 1_048_576;

    public async Task InvokeAsync(HttpContext http)
    {
        var api = IsApi(http.Request.Path);
        if (api && Refused(http.Request) is { Count: > 0 } failures)
        {
            await WriteAsync(http, new ValidationException(failures));
            return;
        }
        if (http.Request.HasFormContentType)
        {
            try
            {
                var form = await http.Request.ReadFormAsync(http.RequestAborted);
                if (api && RefusedForm(form) is { Count: > 0 } formFailures)
                {
                    await WriteAsync(http, new ValidationException(formFailures));
                    return;
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException && !http.RequestAborted.IsCancellationRequested)
            {
                // A multipart content type with a body that is not multipart (no boundary, a truncated part).
                await WriteAsync(http, new BadHttpRequestException("The form body could not be read", StatusCodes.Status400BadRequest));
                return;
            }
        }
        else if (http.Request.HasJsonContentType() && HasBody(http.Request))
        {
            var bytes = await ReadJsonAsync(http);
            if (bytes is null) return;
            if (JsonFailures(bytes, api, api ? NonNullableFields(http) : null) is { } jsonFailures)
            {
                if (jsonFailures.Count == 0)
                    await WriteAsync(http, new BadHttpRequestException("The request body is not valid JSON", StatusCodes.Status400BadRequest));
                else await WriteAsync(http, new ValidationException(jsonFailures));
                return;
            }
        }
        await next(http);
    }

    private static bool IsApi(PathString path) => path.StartsWithSegments("/api");

    // HTTP/2 and HTTP/3 bodies need not declare a length: ask the server whether this request can carry one.
    private static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0
        || (request.ContentLength is null && (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true));

    private static List<ValidationFailure> Refused(HttpRequest request)
    {
        var failures = new List<ValidationFailure>();
        if (!StorableText.IsStorable(request.Path.Value)) failures.Add(new ValidationFailure("path", StorableText.RefusedMessage));
        foreach (var (key, values) in request.Query)
        {
            if (!StorableText.IsStorable(key)) failures.Add(new ValidationFailure("query", StorableText.RefusedMessage));
            else if (values.Any(v => !StorableText.IsStorable(v))) failures.Add(new ValidationFailure(key, StorableText.RefusedMessage));
        }
        return failures;
    }

    private static List<ValidationFailure> RefusedForm(IFormCollection form)
    {
        var failures = new List<ValidationFailure>();
        foreach (var (key, values) in form)
        {
            if (!StorableText.IsStorable(key)) failures.Add(new ValidationFailure("form", StorableText.RefusedMessage));
            else if (values.Any(v => !StorableText.IsStorable(v))) failures.Add(new ValidationFailure(key, StorableText.RefusedMessage));
        }
        return failures;
    }

    /// <summary>The whole JSON body, put back for the endpoint to read; null when the answer (413) has been written.</summary>
    private async Task<byte[]?> ReadJsonAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxJsonBytes)
        {
            await WriteAsync(http, TooLarge());
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxJsonBytes)
            {
                await WriteAsync(http, TooLarge());
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        var bytes = buffer.ToArray();
        http.Request.Body = new MemoryStream(bytes, writable: false);
        return bytes;

        static BadHttpRequestException TooLarge() => new($"A JSON body is at most {MaxJsonBytes / 1024} KB", StatusCodes.Status413PayloadTooLarge);
    }

    /// <summary>
    /// Null when the body is well-formed JSON whose strings are all storable; an empty list when it is not JSON
    /// (or nests deeper than the serializer would read); otherwise a field error per refused string, by its JSON path.
    /// Outside /api only well-formedness counts.
    /// </summary>
    private static List<ValidationFailure>? JsonFailures(byte[] body, bool checkText, IReadOnlySet<string>? nonNullable)
    {
        var failures = new List<ValidationFailure>();
        var path = new List<(string? Name, int Index)>(); // Index -1: an object; -2: an array before its first item; else the item's index
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        NextItem(path);
                        path.Add((null, -1));
                        break;
                    case JsonTokenType.StartArray:
                        NextItem(path);
                        path.Add((null, -2));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = Text(ref reader);
                        path[^1] = (name, -1);
                        if (checkText && (name is null || !StorableText.IsStorable(name))) failures.Add(new ValidationFailure(Path(path), StorableText.RefusedMessage));
                        break;
                    case JsonTokenType.String:
                        NextItem(path);
                        if (checkText && Text(ref reader) is var text && (text is null || !StorableText.IsStorable(text)))
                            failures.Add(new ValidationFailure(Path(path), StorableText.RefusedMessage));
                        break;
                    case JsonTokenType.Null when path.Count == 1 && path[0].Name is { } field && nonNullable?.Contains(field) == true:
                        failures.Add(new ValidationFailure(field, NullMessage));
                        break;
                    default:
                        NextItem(path);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return [];
        }
        return failures.Count == 0 ? null : failures;
    }

    public const string NullMessage = "Give a value here: it cannot be null";

    private static readonly ConcurrentDictionary<Type, IReadOnlySet<string>> NonNullable = new();

    /// <summary>
    /// The top-level fields of the endpoint's JSON body declared as non-nullable text, lists or objects (Identity's
    /// sign-in email): <c>null</c> sent for one is a 400 naming it, where the serializer would pass the null on.
    /// </summary>
    private static IReadOnlySet<string>? NonNullableFields(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is { IsValueType: false } type && type != typeof(string)
            ? NonNullable.GetOrAdd(type, static t =>
            {
                var nullability = new NullabilityInfoContext();
                return t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.CanWrite && !p.PropertyType.IsValueType && nullability.Create(p).WriteState == NullabilityState.NotNull)
                    .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
                    .ToHashSet(StringComparer.OrdinalIgnoreCase);
            })
            : null;

    /// <summary>The string's text, or null when it cannot be text at all (an escaped lone surrogate, bytes that are not UTF-8).</summary>
    private static string? Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static void NextItem(List<(string? Name, int Index)> path)
    {
        if (path.Count > 0 && path[^1].Index != -1) path[^1] = (null, path[^1].Index == -2 ? 0 : path[^1].Index + 1);
    }

    /// <summary>The field as the client sent it (<c>concern.fundName</c>, <c>preferredDates[0]</c>), <c>body</c> for the body itself.</summary>
    private static string Path(List<(string? Name, int Index)> path)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (name, index) in path)
        {
            if (index >= 0) text.Append('[').Append(index).Append(']');
            else if (name is not null) text.Append(text.Length == 0 ? "" : ".").Append(name);
        }
        return text.Length == 0 ? "body" : text.ToString();
    }

    private async Task WriteAsync(HttpContext http, Exception refusal)
    {
        var problem = ProblemDetailsExceptionHandler.ToProblem(refusal)!;
        http.Response.StatusCode = problem.Status!.Value;
        // Pages show their own error page for the status; the API answers with the problem.
        if (!IsApi(http.Request.Path)) return;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}

internal static class RequestInputGuardExtensions
{
    /// <summary>
    /// A body or parameter the endpoint cannot bind (a value of the wrong kind, null for a number or a flag) is thrown
    /// in every environment, not only Development, so the one exception handler answers it as a problem naming the field.
    /// </summary>
    public static IServiceCollection AddRequestInputGuard(this IServiceCollection services) =>
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

    public static IApplicationBuilder UseRequestInputGuard(this IApplicationBuilder app) => app.UseMiddleware<RequestInputGuard>();
}
