using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marketplace.Application.Common;
using Marketplace.Application.DemoWorld;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace Marketplace.IntegrationTests.Hostile;

/// <summary>
/// Every write in the served OpenAPI document (POST, PUT, PATCH, DELETE) and every GET that takes query
/// parameters, sent hostile values by a caller allowed to reach it, with real ids in the path: control
/// characters, lone surrogates, 1 MB strings, extreme and fractional numbers, unknown enum values, dates at the
/// calendar's ends, null for each field, malformed, deeply nested and oversized JSON, wrong content types and
/// broken multipart. No answer may be a 5xx, and no 4xx may leave the database changed.
/// </summary>
public class HostileInputSweepTests(MarketplaceFixture fixture, ITestOutputHelper output) : IntegrationTest(fixture)
{
    private static readonly string Megabyte = new('x', 1_000_000);

    /// <summary>Hostile JSON string values, as raw JSON text (so a lone surrogate escape reaches the server as sent).</summary>
    private static readonly string[] HostileStrings =
    [
        "\"a\\u0000b\"", "\"a\\u0001b\\u001f\"", "\"a\\u007fb\"", "\"\\ud800\"", "\"x\\udc00y\"", "\"" + Megabyte + "\"", "\"notAValue\"", "\"\"", "\"   \"",
        "\"9999-12-31\"", "\"0001-01-01\"",
    ];

    private static readonly string[] HostileNumbers =
        ["2147483647", "-2147483648", "9223372036854775807", "-9223372036854775808", "1e308", "1.5", "-1", "0", "\"12\""];

    private static readonly string[] HostileDates =
        ["\"9999-12-31\"", "\"0001-01-01\"", "\"1999-12-31\"", "\"2100-01-01\"", "\"2027-02-30\"", "\"a\\u0000b\"", "20270104"];

    private static readonly string[] HostileQueryValues =
        ["a%00b", "a%01b%1F", "%ED%A0%80", "%C0%80", "notAValue", "2147483648", "-2147483649", "1.5", "9999-12-31", "0001-01-01", "1999-12-31", new('q', 4000)];

    private sealed record Operation(string Method, string Path, JsonObject Spec);

    private sealed class Tally
    {
        public int Requests;
        public readonly Dictionary<int, int> Statuses = new();
        public readonly List<string> Failures = [];
        public int Reached; // answers other than 401/403: the caller got past authorisation
    }

    [Fact]
    public async Task No_hostile_input_gets_a_5xx_or_changes_the_database_with_a_4xx()
    {
        var clock = Stopwatch.StartNew();
        using var anonymous = Fixture.Client();
        var document = JsonNode.Parse(await (await anonymous.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync())!.AsObject();
        var operations = Operations(document).ToList();
        Assert.NotEmpty(operations);

        var tally = new Tally();
        var ids = await IdsAsync();
        await using var watch = await DatabaseWatch.StartAsync(Fixture.OwnerConnectionString);
        foreach (var operation in operations)
        {
            var caller = CallerFor(operation);
            using var client = caller is null ? Fixture.Client() : await Fixture.ClientFor(caller);
            await watch.CheckAsync(refused: false, []); // signing in writes its session: not the sweep's doing
            var before = tally.Reached;
            foreach (var request in Requests(operation, document, ids))
                await SendAsync(client, operation, request, watch, tally);
            if (tally.Reached == before) tally.Failures.Add($"{operation.Method} {operation.Path}: every request was refused as unauthorised; the sweep did not reach it");
        }

        output.WriteLine($"{tally.Requests} requests over {operations.Count} operations in {clock.Elapsed.TotalSeconds:F1} s; database fingerprinted {watch.Fingerprints} times");
        output.WriteLine(string.Join(", ", tally.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(tally.Failures.Count == 0, string.Join("\n", tally.Failures.Take(60)));
    }

    private async Task SendAsync(HttpClient client, Operation operation, HttpRequestMessage request, DatabaseWatch watch, Tally tally)
    {
        var what = $"{request.Method} {Shorten(request.RequestUri!.ToString())} [{Shorten(request.Content is null ? "" : await request.Content.ReadAsStringAsync())}]";
        if (operation.Path.EndsWith("/bookings", StringComparison.Ordinal) || operation.Path.EndsWith("/purchases", StringComparison.Ordinal))
            request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString());
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request);
        }
        catch (HttpRequestException e)
        {
            tally.Failures.Add($"{what}: the connection failed ({e.Message})");
            return;
        }
        var status = (int)response.StatusCode;
        tally.Requests++;
        tally.Statuses[status] = tally.Statuses.GetValueOrDefault(status) + 1;
        if (status is not (401 or 403)) tally.Reached++;
        if (status >= 500) tally.Failures.Add($"{what} → {status}: {Shorten(await response.Content.ReadAsStringAsync())}");
        response.Dispose();
        // A refused sign-in is counted (per address and client, ADR 0016): that one change is the point of it.
        string[] expected = operation.Path == "/api/v1/auth/login" && status is 401 or 429 ? ["sign_in_throttles"] : [];
        var change = await watch.CheckAsync(refused: status is >= 400 and < 500, expected);
        if (change is not null) tally.Failures.Add($"{what} → {status} changed the database: {change}");
    }

    /// <summary>The operations the sweep covers, from the document: every write, and every GET with query parameters.</summary>
    private static IEnumerable<Operation> Operations(JsonObject document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        foreach (var (method, spec) in item!.AsObject())
        {
            var upper = method.ToUpperInvariant();
            if (upper is not ("GET" or "POST" or "PUT" or "PATCH" or "DELETE")) continue;
            var parameters = spec!["parameters"]?.AsArray() ?? [];
            if (upper == "GET" && !parameters.Any(p => (string?)p!["in"] == "query")) continue;
            yield return new Operation(upper, path, spec.AsObject());
        }
    }

    /// <summary>A demo account allowed to reach the route (the school's buyer for its own subscription and settings).</summary>
    private static string? CallerFor(Operation operation)
    {
        var path = operation.Path;
        if (path.StartsWith("/api/v1/auth/", StringComparison.Ordinal)) return null;
        if (path.StartsWith("/api/v1/schools/{urn}/subscription", StringComparison.Ordinal) || path == "/api/v1/schools/{urn}/booking-settings") return DemoAccounts.YorkBuyer;
        if (path == "/api/v1/offers" && operation.Method == "GET") return null; // the anonymous catalogue
        return DemoAccounts.Admin;
    }

    private sealed record Ids(int Urn, Guid Provider, Guid Practitioner, Guid Offer, Guid Draft, Guid Booking, int NextYear);

    /// <summary>
    /// Real ids from the demo world: a published offer to book (and a requested booking for the booking routes to act
    /// on), and a draft offer of its provider for the offer routes (which may withdraw it).
    /// </summary>
    private async Task<Ids> IdsAsync()
    {
        var school = await Fixture.BuyerSchoolAsync();
        var (offer, _, practitioner, _) = await Fixture.YorkTeamDayAsync();
        var provider = await Fixture.DbAsync(db => db.Providers.Where(p => p.Name == "City of York Council School Improvement Team").Select(p => p.Id).SingleAsync());
        using var buyer = await Fixture.ClientFor(DemoAccounts.YorkBuyer);
        await BookingApi.BuyCreditsAsync(buyer, school.Urn, 50);
        var booking = await BookingApi.BookAsync(buyer, school.Urn, new { offerId = offer, quantity = 1 });
        using var team = await Fixture.ClientFor(DemoAccounts.YorkProviderTeam);
        var draft = await (await team.PostAsJsonAsync("/api/v1/offers", OfferBodies.Valid("Sweep draft"))).JsonAsync(HttpStatusCode.Created);
        return new Ids(school.Urn, provider, practitioner, offer, draft.GetProperty("id").GetGuid(), booking.GetProperty("id").GetGuid(),
            Fixture.Clock.Today().Year + 1);
    }

    private static string FillPath(string path, Ids ids, string? hostile = null, string? hostileName = null)
    {
        string Value(string name) => name == hostileName ? hostile! : name switch
        {
            "urn" => ids.Urn.ToString(),
            "code" => DemoAccounts.YorkCode.ToString(),
            "year" => ids.NextYear.ToString(),
            "tier" => "gold",
            "practitionerId" => ids.Practitioner.ToString(),
            "changeId" or "absenceId" => "00000000-0000-0000-0000-000000000001",
            "id" when path.StartsWith("/api/v1/providers", StringComparison.Ordinal) => ids.Provider.ToString(),
            "id" when path.StartsWith("/api/v1/bookings", StringComparison.Ordinal) => ids.Booking.ToString(),
            "id" => ids.Draft.ToString(),
            _ => throw new InvalidOperationException($"No id for {{{name}}} in {path}"),
        };
        return System.Text.RegularExpressions.Regex.Replace(path, @"\{(\w+)\}", m => Value(m.Groups[1].Value));
    }

    private IEnumerable<HttpRequestMessage> Requests(Operation operation, JsonObject document, Ids ids)
    {
        var method = new HttpMethod(operation.Method);
        var parameters = (operation.Spec["parameters"]?.AsArray() ?? []).Select(p => p!.AsObject()).ToList();
        var url = FillPath(operation.Path, ids);

        // Text path parameters (a tier's name) get hostile text; numbers and ids are held to their route constraints.
        foreach (var p in parameters.Where(p => (string?)p["in"] == "path" && Type(Resolve(p["schema"], document)) == "string" && Resolve(p["schema"], document)?["format"] is null))
        foreach (var value in new[] { "a%00b", "a%01b", "%ED%A0%80", "notAValue" })
            yield return new HttpRequestMessage(method, FillPath(operation.Path, ids, value, (string)p["name"]!)) { Content = operation.Method == "GET" ? null : Json("{}") };

        foreach (var p in parameters.Where(p => (string?)p["in"] == "query"))
        {
            var name = (string)p["name"]!;
            foreach (var value in HostileQueryValues)
                yield return new HttpRequestMessage(method, $"{url}?{name}={value}");
        }
        // Dates at the ends of the calendar, alone and as a range ('to' alone used to skip the range check).
        if (parameters.Any(p => (string?)p["name"] == "to"))
            foreach (var query in new[] { "to=9999-12-31", "to=0001-01-01", "from=0001-01-01", "from=0001-01-01&to=9999-12-31", "to=2099-12-31", "from=2000-01-01&to=2099-12-31" })
                yield return new HttpRequestMessage(method, $"{url}?{query}");

        if (operation.Method == "GET") yield break;

        var body = operation.Spec["requestBody"]?["content"]?.AsObject();
        if (body?["application/json"]?["schema"] is { } schemaNode)
        {
            var schema = Resolve(schemaNode, document)!;
            var valid = Example(schema, document, ids, 0);
            if (valid is JsonObject validObject && Valid(operation, ids) is { } known)
                foreach (var (key, value) in known) validObject[key] = value?.DeepClone();
            if (operation.Method == "POST" && operation.Path == "/api/v1/offers") url += $"?providerId={ids.Provider}";
            // One field at a time: every hostile value of its kind, and null.
            foreach (var (field, fieldSchema) in Fields(schema, document, ""))
            {
                foreach (var value in HostileValues(fieldSchema, document))
                    yield return new HttpRequestMessage(method, url) { Content = Json(Replace(valid, field, value)) };
            }
            foreach (var raw in WholeBodies(valid))
                yield return new HttpRequestMessage(method, url) { Content = Json(raw) };
            yield return new HttpRequestMessage(method, url) { Content = new StringContent(valid?.ToJsonString() ?? "{}", Encoding.UTF8, "text/plain") };
            yield return new HttpRequestMessage(method, url) { Content = new StringContent("a=b", Encoding.UTF8, "application/x-www-form-urlencoded") };
            yield return new HttpRequestMessage(method, url) { Content = new ByteArrayContent([0xff, 0xfe, 0x00, 0x7b]) { Headers = { { "Content-Type", "application/json" } } } };
        }
        else if (body is not null)
        {
            // An upload (text/csv or multipart): hostile text, a huge body, and multipart that is not multipart.
            foreach (var text in new[] { "URN,Inspection date,Grade\n\u0000,\u0001,\uFFFF\n", "URN,Inspection date,Grade\n100001,9999-12-31,2\n100001,0001-01-01,2\n", new string('a', 1_100_000), "" })
                yield return new HttpRequestMessage(method, url) { Content = new StringContent(text, Encoding.UTF8, "text/csv") };
            yield return new HttpRequestMessage(method, url) { Content = Raw("not multipart at all", "multipart/form-data; boundary=xyz") };
            yield return new HttpRequestMessage(method, url) { Content = Raw("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nURN", "multipart/form-data; boundary=xyz") };
            yield return new HttpRequestMessage(method, url) { Content = Raw("--xyz--", "multipart/form-data") };
            yield return new HttpRequestMessage(method, url) { Content = Json("{\"csv\": \"a\\u0000b\"}") };
        }
        else
        {
            // No body declared: a body anyway, of every awkward kind.
            foreach (var raw in new[] { "{", "{\"note\": \"a\\u0000b\"}", "null", new string('[', 5000) + new string(']', 5000) })
                yield return new HttpRequestMessage(method, url) { Content = Json(raw) };
            yield return new HttpRequestMessage(method, url) { Content = Raw("not multipart", "multipart/form-data; boundary=xyz") };
        }
    }

    /// <summary>Fields the document cannot give a valid value for (names a validator checks), so the rest of a body passes and the hostile field is what is tested.</summary>
    private static JsonObject? Valid(Operation operation, Ids ids)
    {
        var date = $"{ids.NextYear}-01-12";
        object? body = (operation.Method, operation.Path) switch
        {
            ("POST", "/api/v1/offers") or ("PUT", "/api/v1/offers/{id}") => OfferBodies.Valid("Sweep offer"),
            ("POST", "/api/v1/schools/{urn}/subscription") => new { tier = "gold", termYears = 1 },
            ("POST", "/api/v1/schools/{urn}/subscription/upgrade") => new { tier = "gold", reason = "Sweep" },
            ("POST", "/api/v1/schools/{urn}/subscription/downgrade") => new { tier = "bronze", reason = "Sweep" },
            ("POST", "/api/v1/schools/{urn}/subscription/renewal/confirm") => new { tier = "silver" },
            ("PUT", "/api/v1/las/{code}/packages/{year}/{tier}") => new { annualFeePence = 300_000, perPupilPence = 950, creditsIncluded = 50 },
            ("PUT", "/api/v1/las/{code}/subscription-policy") => new { periodBasisOverride = (string?)null, concern = new { payer = "fund", fundName = "SCC Fund", schoolShareBasisPoints = 0 }, renewalWindowDays = 60 },
            ("PUT", "/api/v1/las/{code}/schools/{urn}/subscription/payer") => new { payer = "school" },
            ("POST", "/api/v1/las/{code}/ofsted-outcomes") => new { urn = ids.Urn, inspectionDate = "2024-01-10", grade = 2 },
            ("POST", "/api/v1/las/{code}/schools/{urn}/risk-flag") => new { reasons = new[] { "inconsistentTeaching" }, note = "Sweep" },
            ("POST", "/api/v1/schools/{urn}/bookings") => new { offerId = ids.Offer, quantity = 1, preferredDates = new[] { date }, preferredTerm = (string?)null, practitionerId = (Guid?)null,
                purchaseOrderNumber = "PO-1", notes = "Sweep", payShortfallInPounds = false },
            ("POST", "/api/v1/bookings/{id}/confirm") => new { practitionerId = ids.Practitioner, dates = new[] { date } },
            ("POST", "/api/v1/bookings/{id}/deliver") => new { dates = new[] { date }, quantity = 1, minutes = 60, note = "Sweep" },
            ("POST", "/api/v1/bookings/{id}/changes") => new { dates = new[] { date }, reason = "Sweep" },
            ("PUT", "/api/v1/providers/{id}/practitioners/{practitionerId}/working-week") => new { workingDays = new[] { "Monday", "Friday" } },
            // An address with no account: a wrong password for a real one counts towards its lockout, a change by design.
            ("POST", "/api/v1/auth/login") => new { email = "nobody@sweep.example", password = "not the password" },
            _ => null,
        };
        return body is null ? null : JsonSerializer.SerializeToNode(body, JsonSerializerOptions.Web)!.AsObject();
    }

    private static IEnumerable<string> WholeBodies(JsonNode? valid) =>
    [
        "", "{", "{\"a\":", "[]", "null", "\"a\\u0000b\"", "12", "{\"\\u0000\": 1}", "{\"\\ud800\": \"x\"}",
        new string('[', 100_000) + new string(']', 100_000),
        string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000),
        "{\"padding\": \"" + new string('x', 2_000_000) + "\"}",
        valid?.ToJsonString() + "trailing",
    ];

    private static IEnumerable<string> HostileValues(JsonNode? schema, JsonObject document)
    {
        yield return "null";
        var type = Type(schema);
        var format = (string?)schema?["format"];
        if (type == "array")
        {
            yield return "[]";
            yield return "[null]";
            yield return "\"notAnArray\"";
            yield return "[" + string.Join(",", Enumerable.Repeat("\"x\"", 10_000)) + "]";
            foreach (var item in HostileValues(Resolve(schema?["items"], document), document).Take(12)) yield return $"[{item}]";
            yield break;
        }
        if (type == "object") { yield return "[]"; yield return "\"x\""; yield break; }
        if (type is "integer" or "number") { foreach (var n in HostileNumbers) yield return n; yield break; }
        if (type == "boolean") { yield return "\"yes\""; yield return "2"; yield break; }
        if (format == "date") { foreach (var d in HostileDates) yield return d; yield break; }
        foreach (var s in HostileStrings) yield return s;
        yield return "123";
    }

    /// <summary>Fields to replace, top level and one level into nested objects (e.g. the concern payer of a policy).</summary>
    private static IEnumerable<(string Path, JsonNode? Schema)> Fields(JsonNode schema, JsonObject document, string prefix)
    {
        if (schema["properties"] is not JsonObject properties) yield break;
        foreach (var (name, property) in properties)
        {
            var resolved = Resolve(property, document);
            yield return (prefix + name, resolved);
            if (prefix.Length == 0 && Type(resolved) == "object")
                foreach (var nested in Fields(resolved!, document, name + "."))
                    yield return nested;
        }
    }

    private static string Replace(JsonNode? valid, string path, string rawValue)
    {
        var root = (valid?.DeepClone() as JsonObject) ?? new JsonObject();
        var parts = path.Split('.');
        var target = root;
        foreach (var part in parts[..^1])
        {
            if (target[part] is not JsonObject next) { next = new JsonObject(); target[part] = next; }
            target = next;
        }
        const string marker = "\"__hostile__\"";
        target[parts[^1]] = "__hostile__";
        return root.ToJsonString().Replace(marker, rawValue);
    }

    /// <summary>A plausible value for each field, so a hostile value in one field is what the endpoint has to deal with.</summary>
    private static JsonNode? Example(JsonNode? schema, JsonObject document, Ids ids, int depth, string name = "")
    {
        schema = Resolve(schema, document);
        if (schema is null || depth > 4) return null;
        if (schema["enum"] is JsonArray values && values.FirstOrDefault(v => v is not null) is { } first) return first.DeepClone();
        var format = (string?)schema["format"];
        return Type(schema) switch
        {
            "object" => new JsonObject((schema["properties"]?.AsObject() ?? []).Select(p =>
                new KeyValuePair<string, JsonNode?>(p.Key, Example(p.Value, document, ids, depth + 1, p.Key)))),
            "array" => new JsonArray(Example(schema["items"], document, ids, depth + 1)),
            "integer" => 1,
            "number" => 1,
            "boolean" => true,
            _ when format == "date" => ids.NextYear + "-01-12",
            _ when format == "uuid" => (name == "offerId" ? ids.Offer : ids.Practitioner).ToString(),
            _ => "Sweep",
        };
    }

    private static JsonNode? Resolve(JsonNode? schema, JsonObject document)
    {
        for (var i = 0; i < 5 && schema?["$ref"] is { } reference; i++)
        {
            var name = ((string)reference!).Split('/')[^1];
            schema = document["components"]!["schemas"]![name];
        }
        // "oneOf": [null, X] / "anyOf" as OpenAPI 3.1 writes nullable references.
        foreach (var key in new[] { "oneOf", "anyOf", "allOf" })
            if (schema?[key] is JsonArray options && options.FirstOrDefault(o => Type(Resolve(o, document)) is not (null or "null")) is { } option)
                return Resolve(option, document);
        return schema;
    }

    private static string? Type(JsonNode? schema) => schema?["type"] switch
    {
        JsonValue v => (string?)v,
        JsonArray a => a.Select(t => (string?)t).FirstOrDefault(t => t != "null"),
        _ => schema?["properties"] is not null ? "object" : null,
    };

    private static StringContent Json(string raw) => new(raw, Encoding.UTF8, "application/json");

    private static ByteArrayContent Raw(string text, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..120] + $"…({text.Length} chars)";

    /// <summary>
    /// Notices any write: PostgreSQL hands out a transaction id only to a transaction that writes, so the snapshot's
    /// xmax moves only then (cheap to read after every request). When it has moved after a refused request, the public
    /// tables' fingerprint (row counts and a hash of every row) must be what it was: a write rolled back is no change.
    /// </summary>
    private sealed class DatabaseWatch : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;
        private ulong _xmax;
        private Dictionary<string, string> _fingerprint = [];
        private string _fingerprintSql = "";
        public int Fingerprints { get; private set; }

        private DatabaseWatch(NpgsqlConnection connection) => _connection = connection;

        public static async Task<DatabaseWatch> StartAsync(string connectionString)
        {
            var watch = new DatabaseWatch(new NpgsqlConnection(connectionString));
            await watch._connection.OpenAsync();
            var tables = new List<string>();
            await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", watch._connection))
            await using (var reader = await list.ExecuteReaderAsync())
                while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
            watch._fingerprintSql = string.Join(" UNION ALL ", tables.Select(t =>
                $"SELECT '{t}', count(*)::text || ':' || coalesce(md5(string_agg(md5(x::text), '' ORDER BY md5(x::text))), '') FROM public.\"{t}\" x"));
            watch._xmax = await watch.XmaxAsync();
            watch._fingerprint = await watch.FingerprintAsync();
            return watch;
        }

        /// <summary>Null when nothing changed that should not have; otherwise the tables that changed.</summary>
        public async Task<string?> CheckAsync(bool refused, IReadOnlyCollection<string> expected)
        {
            var xmax = await XmaxAsync();
            if (xmax == _xmax) return null;
            _xmax = xmax;
            var now = await FingerprintAsync();
            var changed = now.Where(t => _fingerprint.GetValueOrDefault(t.Key) != t.Value && !expected.Contains(t.Key)).Select(t => t.Key).ToList();
            _fingerprint = now;
            return refused && changed.Count > 0 ? string.Join(", ", changed) : null;
        }

        private async Task<ulong> XmaxAsync()
        {
            await using var command = new NpgsqlCommand("SELECT pg_snapshot_xmax(pg_current_snapshot())::text", _connection);
            return ulong.Parse((string)(await command.ExecuteScalarAsync())!);
        }

        private async Task<Dictionary<string, string>> FingerprintAsync()
        {
            Fingerprints++;
            var result = new Dictionary<string, string>();
            await using var command = new NpgsqlCommand(_fingerprintSql, _connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) result[reader.GetString(0)] = reader.GetString(1);
            return result;
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
