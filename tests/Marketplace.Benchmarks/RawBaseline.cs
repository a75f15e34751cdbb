using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;

namespace Marketplace.Benchmarks;

/// <summary>
/// The baseline: a bare ASP.NET Core endpoint that runs the catalogue search's SQL through a plain
/// NpgsqlDataSource (count and page in one round trip) and writes the same JSON fields by hand. No
/// EF Core, no Mediator, no validation, no auth: the cost of the database and HTTP alone.
/// </summary>
internal sealed class RawBaseline : IAsyncDisposable
{
    private const string Filter = """
        FROM offers o
        JOIN offer_versions v ON v.id = o.published_version_id
        JOIN providers p ON p.id = o.provider_id
        JOIN local_authorities la ON la.id = p.local_authority_id
        WHERE o.status <> 'Withdrawn' AND v.subject = $1 AND (v.phases & $2) <> 0
          AND (v.search_vector @@ websearch_to_tsquery('english', $3) OR v.title ILIKE $4 ESCAPE '\' OR p.name ILIKE $4 ESCAPE '\')
        """;

    private static readonly string CountSql = "SELECT count(*) " + Filter;

    private static readonly string PageSql = """
        SELECT o.id, v.number, v.title, v.description, v.category, v.subject, v.phases, v.unit, v.price_pence, v.price_credits,
               v.bronze_credits, v.silver_credits, v.gold_credits, p.id, p.name, p.kind, la.code, la.name
        """ + "\n" + Filter + "\n" + """
        ORDER BY ts_rank(v.search_vector, websearch_to_tsquery('english', $3)) DESC, v.title, o.id
        LIMIT $5 OFFSET $6
        """;

    private readonly WebApplication _app;
    private readonly NpgsqlDataSource _dataSource;

    private RawBaseline(WebApplication app, NpgsqlDataSource dataSource, string url)
    {
        _app = app;
        _dataSource = dataSource;
        Url = url;
    }

    public string Url { get; }

    public static async Task<RawBaseline> StartAsync(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/offers", async (HttpContext http) =>
        {
            try
            {
                await SearchAsync(http, dataSource);
            }
            catch (Exception e)
            {
                Console.Error.WriteLine("Baseline failed: " + e.Message);
                throw;
            }
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RawBaseline(app, dataSource, url);
    }

    /// <summary>Prints PostgreSQL's plan for the search, for tuning (`-- --explain`).</summary>
    public static async Task ExplainAsync(string connectionString, string subject, int phaseBit, string q)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        foreach (var sql in new[] { CountSql, PageSql.Replace("$5", "20").Replace("$6", "0") })
        {
            await using var cmd = dataSource.CreateCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql);
            cmd.Parameters.Add(new NpgsqlParameter { Value = subject });
            cmd.Parameters.Add(new NpgsqlParameter { Value = phaseBit });
            cmd.Parameters.Add(new NpgsqlParameter { Value = q });
            cmd.Parameters.Add(new NpgsqlParameter { Value = "%" + q + "%" });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) Console.WriteLine(reader.GetString(0));
            Console.WriteLine();
        }
    }

    private static async Task SearchAsync(HttpContext http, NpgsqlDataSource dataSource)
    {
        var subject = http.Request.Query["subject"].ToString();
        var phase = http.Request.Query["phase"].ToString();
        var q = http.Request.Query["q"].ToString();
        var subjectName = char.ToUpperInvariant(subject[0]) + subject[1..];
        var phaseBit = phase.ToLowerInvariant() switch { "nursery" => 1, "primary" => 2, "secondary" => 4, "allthrough" => 8, "special" => 16, _ => 32 };
        var pattern = "%" + q.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        const int pageSize = 20;

        await using var batch = dataSource.CreateBatch();
        var count = new NpgsqlBatchCommand(CountSql);
        var page = new NpgsqlBatchCommand(PageSql);
        foreach (var c in new[] { count, page })
        {
            c.Parameters.Add(new NpgsqlParameter { Value = subjectName });
            c.Parameters.Add(new NpgsqlParameter { Value = phaseBit });
            c.Parameters.Add(new NpgsqlParameter { Value = q });
            c.Parameters.Add(new NpgsqlParameter { Value = pattern });
        }
        page.Parameters.Add(new NpgsqlParameter { Value = pageSize });
        page.Parameters.Add(new NpgsqlParameter { Value = 0 });
        batch.BatchCommands.Add(count);
        batch.BatchCommands.Add(page);

        http.Response.ContentType = "application/json; charset=utf-8";
        await using var reader = await batch.ExecuteReaderAsync();
        await reader.ReadAsync();
        var total = reader.GetInt64(0);
        await reader.NextResultAsync();
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteStartArray("items");
        while (await reader.ReadAsync())
        {
            json.WriteStartObject();
            json.WriteString("id", reader.GetGuid(0));
            json.WriteNumber("version", reader.GetInt32(1));
            json.WriteString("title", reader.GetString(2));
            var description = reader.GetString(3);
            json.WriteString("summary", description.Length <= 240 ? description : description[..240] + "…");
            json.WriteString("category", reader.GetString(4));
            json.WriteString("subject", reader.GetString(5));
            json.WriteStartArray("phases");
            var phases = reader.GetInt32(6);
            foreach (var (bit, name) in new[] { (1, "nursery"), (2, "primary"), (4, "secondary"), (8, "allThrough"), (16, "special"), (32, "pru") })
                if ((phases & bit) != 0) json.WriteStringValue(name);
            json.WriteEndArray();
            json.WriteString("unit", reader.GetString(7));
            json.WriteNumber("pricePence", reader.GetInt64(8));
            json.WriteNumber("priceCredits", reader.GetInt32(9));
            json.WriteStartObject("tierPrices");
            foreach (var (i, name) in new[] { (10, "bronze"), (11, "silver"), (12, "gold") })
                if (reader.IsDBNull(i)) json.WriteNull(name); else json.WriteNumber(name, reader.GetInt32(i));
            json.WriteEndObject();
            json.WriteStartObject("provider");
            json.WriteString("id", reader.GetGuid(13));
            json.WriteString("name", reader.GetString(14));
            json.WriteString("kind", reader.GetString(15));
            json.WriteNumber("laCode", reader.GetInt32(16));
            json.WriteString("laName", reader.GetString(17));
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNumber("pageNumber", 1);
        json.WriteNumber("pageSize", pageSize);
        json.WriteNumber("totalCount", total);
        json.WriteNumber("totalPages", (total + pageSize - 1) / pageSize);
        json.WriteEndObject();
        await json.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
