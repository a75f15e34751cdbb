using CsvHelper;
using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Concern;
using Marketplace.Domain.Calendar;
using Mediator;

namespace Marketplace.Application.Features.Terms;

/// <summary>
/// Imports terms and INSET days from CSV with the columns academic_year, term, starts_on, ends_on (other
/// columns are ignored): one row per term ("2026/27,Autumn 1,2026-09-01,2026-10-23") and one per INSET day
/// (term "INSET", the day in starts_on, ends_on empty or the same day). Dates as YYYY-MM-DD or DD/MM/YYYY.
/// Each academic year in the file replaces what is recorded for it, whole or not at all: a year with any
/// bad row imports nothing (a year with a term missing would refuse bookings in it), and every bad row is
/// answered by its line number (the header is row 1), as the Ofsted import does.
/// </summary>
public static class ImportSchoolTerms
{
    public const int MaxRows = 1_000;

    public sealed record Command(int Code, string? Csv) : ICommand<Result>;

    public sealed record RowError(int Row, IReadOnlyList<string> Errors);

    /// <param name="Years">The academic years imported, by name ("2026/27").</param>
    public sealed record Result(int Rows, IReadOnlyList<string> Years, int Terms, int InsetDays, IReadOnlyList<RowError> Rejected);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(x => x.Csv).NotEmpty().WithMessage($"Upload a CSV file with the columns {Columns}");
    }

    public const string Columns = "academic_year, term, starts_on, ends_on";

    private sealed record Row(int Number, string Year, string Term, string StartsOn, string EndsOn);

    private static readonly CsvReaderOptions Options = CsvReaderOptions.Default with
    {
        Separator = ',', HasHeader = false, SkipEmptyLines = true, TrackLineNumbers = true,
    };

    private static List<Row> Read(string csv)
    {
        using var reader = CsvReader.FromText(csv.TrimStart('\uFEFF'), Options);
        var headerMessage = $"The first row must name the columns: {Columns}";
        if (!reader.Read()) throw new ValidationException([new("Csv", headerMessage)]);
        var header = Enumerable.Range(0, reader.FieldCount).Select(i => Normalise(reader.GetString(i) ?? "")).ToArray();
        int Col(params string[] names) => Array.FindIndex(header, h => names.Contains(h));
        var (yearCol, termCol, startCol, endCol) = (Col("academicyear", "year"), Col("term", "name"), Col("startson", "start", "from"), Col("endson", "end", "to"));
        if (yearCol < 0 || termCol < 0 || startCol < 0 || endCol < 0) throw new ValidationException([new("Csv", headerMessage)]);

        var rows = new List<Row>();
        while (reader.Read())
        {
            var cells = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i) ?? "").ToArray();
            if (cells.All(c => c.Trim().Length == 0)) continue;
            if (rows.Count == MaxRows) throw new ValidationException([new("Csv", $"Upload at most {MaxRows:N0} rows at a time")]);
            string Cell(int c) => c < cells.Length ? cells[c].Trim() : "";
            rows.Add(new Row((int)reader.LineNumber, Cell(yearCol), Cell(termCol), Cell(startCol), Cell(endCol)));
        }
        if (rows.Count == 0) throw new ValidationException([new("Csv", "The file has no rows under its header")]);
        return rows;
    }

    private static string Normalise(string h) => new(h.Trim().ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

    private static bool IsInset(string term) => Normalise(term) is "inset" or "insetday";

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var rows = Read(request.Csv!);
            var rejected = new Dictionary<int, List<string>>();
            void Reject(int row, string message) { if (!rejected.TryGetValue(row, out var list)) rejected[row] = list = []; list.Add(message); }

            // Each row on its own first: the year, the name and the dates it gives.
            var years = new Dictionary<int, List<(Row Row, TermRules.TermInput? Term, DateOnly? Inset)>>();
            foreach (var row in rows)
            {
                var before = rejected.Count;
                if (!AcademicYears.TryParse(row.Year, out var year)) Reject(row.Number, $"'{row.Year}' is not an academic year (for example 2026/27)");
                DateOnly? starts = null, ends = null;
                if (!InspectionDates.TryParse(row.StartsOn, out var s)) Reject(row.Number, $"'{row.StartsOn}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)");
                else starts = s;
                if (row.EndsOn.Length > 0)
                {
                    if (!InspectionDates.TryParse(row.EndsOn, out var e)) Reject(row.Number, $"'{row.EndsOn}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)");
                    else ends = e;
                }
                else if (!IsInset(row.Term)) Reject(row.Number, "Give the term's last day in ends_on");
                if (IsInset(row.Term) && ends is { } end && starts is { } start && end != start) Reject(row.Number, "An INSET day is one day: leave ends_on empty or give the same day");
                if (rejected.Count != before || !AcademicYears.TryParse(row.Year, out year)) { years.TryAdd(year, []); years[year].Add((row, null, null)); continue; }
                if (!years.TryGetValue(year, out var list)) years[year] = list = [];
                list.Add(IsInset(row.Term) ? (row, null, starts) : (row, new TermRules.TermInput(row.Term, starts, ends), null));
            }

            // Then each year as a whole, with the same rules as the page and the API.
            var imported = new List<string>();
            var (termCount, insetCount) = (0, 0);
            foreach (var (year, entries) in years.OrderBy(y => y.Key))
            {
                if (year == 0) continue; // rows whose year could not be read are already answered
                var terms = entries.Where(e => e.Term is not null).ToList();
                var inset = entries.Where(e => e.Inset is not null).ToList();
                foreach (var failure in TermRules.Check(year, terms.Select(t => t.Term!).ToList(), inset.Select(i => i.Inset!.Value).ToList()))
                {
                    var at = Index(failure.PropertyName);
                    var row = failure.PropertyName.StartsWith("Terms[", StringComparison.Ordinal) && at < terms.Count ? terms[at].Row.Number
                        : failure.PropertyName.StartsWith("InsetDays[", StringComparison.Ordinal) && at < inset.Count ? inset[at].Row.Number
                        : entries[0].Row.Number;
                    Reject(row, failure.ErrorMessage);
                }
                var bad = entries.Where(e => rejected.ContainsKey(e.Row.Number)).Select(e => e.Row.Number).ToList();
                if (bad.Count > 0)
                {
                    foreach (var e in entries.Where(e => !rejected.ContainsKey(e.Row.Number)))
                        Reject(e.Row.Number, $"Not imported: {AcademicYears.Name(year)} has a problem in row {bad.Min()}");
                    continue;
                }
                await SetSchoolTerms.RemoveYearAsync(db, la.Id, year, ct);
                await db.SaveChangesAsync(ct);
                SetSchoolTerms.AddYear(db, la.Id, year, terms.Select(t => t.Term!).ToList(), inset.Select(i => i.Inset!.Value).ToList());
                await db.SaveChangesAsync(ct);
                imported.Add(AcademicYears.Name(year));
                (termCount, insetCount) = (termCount + terms.Count, insetCount + inset.Select(i => i.Inset).Distinct().Count());
            }
            return new Result(rows.Count, imported, termCount, insetCount,
                rejected.OrderBy(r => r.Key).Select(r => new RowError(r.Key, r.Value)).ToList());
        }

        private static int Index(string property)
        {
            var open = property.IndexOf('[', StringComparison.Ordinal);
            var close = property.IndexOf(']', StringComparison.Ordinal);
            return open >= 0 && close > open && int.TryParse(property[(open + 1)..close], out var i) ? i : int.MaxValue;
        }
    }
}
