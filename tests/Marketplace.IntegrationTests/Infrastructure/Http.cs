using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.IntegrationTests.Infrastructure;

public static class Http
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>An RFC 9457 problem with this status; for 400s, the named fields carry errors.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected, params string[] fields)
    {
        var problem = await response.JsonAsync(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        foreach (var field in fields)
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"Expected a field error for '{field}' in {problem}");
        return problem;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object? body = null) =>
        body is null ? client.PostAsync(url, null) : client.PostAsJsonAsync(url, body);

    public static async Task<HttpResponseMessage> SendWithIfMatchAsync(this HttpClient client, HttpMethod method, string url, object? body, string etag)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await client.SendAsync(request);
    }
}

/// <summary>A valid offer body that tests change one field at a time.</summary>
public static class OfferBodies
{
    public static Dictionary<string, object?> Valid(string title = "Assessment without levels: a consultancy day") => new()
    {
        ["title"] = title,
        ["description"] = "A consultant reviews your assessment policy and moderates a sample of work with your subject leaders.",
        ["category"] = "subjectConsultancy",
        ["subject"] = "assessment",
        ["phases"] = new[] { "primary", "secondary" },
        ["unit"] = "day",
        ["pricePence"] = 47500,
        ["priceCredits"] = 10,
        ["bronzeCredits"] = 10,
        ["silverCredits"] = 9,
        ["goldCredits"] = 8,
        ["serviceStandards"] = "Report within 10 working days of the visit.",
    };

    public static Dictionary<string, object?> With(string field, object? value)
    {
        var body = Valid();
        body[field] = value;
        return body;
    }
}
