using System.Globalization;
using CsvHelper;
using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Concern;
using Marketplace.Application.Data;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Concern;

/// <summary>
/// Imports Ofsted outcomes from CSV (header: URN, inspection date, grade; other columns are ignored).
/// The file is read as RFC 4180 by CsvHelper, so a quoted field may hold commas, doubled quotes and
/// line breaks. Every row is checked first; good rows are recorded, bad rows (unknown URN, grade
/// outside 1–4, malformed or future date, duplicate, conflicting with a recorded inspection) are
/// answered row by row and import nothing. A row is numbered by the line of the file it starts on
/// (the header is row 1), as a text editor shows it.
/// </summary>
public static class ImportOfstedOutcomes
{
    public const int MaxRows = 5_000;

    public sealed record Command(int Code, string? Csv) : ICommand<Result>;

    public sealed record RowError(int Row, string? Urn, IReadOnlyList<string> Errors);

    public sealed record Result(int Rows, int Imported, int AlreadyRecorded, IReadOnlyList<RowError> Rejected);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Csv).NotEmpty().WithMessage("Upload a CSV file with the columns URN, inspection date and grade");
        }
    }

    private sealed record Row(int Number, string Urn, string Date, string Grade);

    /// <summary>Commas only (no guessing the separator), the header read by us, blank lines passed over.</summary>
    private static readonly CsvReaderOptions Options = CsvReaderOptions.Default with
    {
        Separator = ',', HasHeader = false, SkipEmptyLines = true, TrackLineNumbers = true,
    };

    /// <summary>The data rows under the header, or a 400 when the header lacks a column or there are no rows or too many.</summary>
    private static List<Row> Read(string csv)
    {
        using var reader = CsvReader.FromText(csv.TrimStart('\uFEFF'), Options);
        if (!reader.Read()) throw new ValidationException([new("Csv", "The first row must name the columns: URN, inspection date, grade")]);
        var header = Fields(reader);
        int Col(params string[] names) => Array.FindIndex(header, h => names.Contains(Normalise(h)));
        var (urnCol, dateCol, gradeCol) = (Col("urn"), Col("inspectiondate", "date", "dateofinspection"), Col("grade", "overalleffectiveness", "ofstedgrade"));
        if (urnCol < 0 || dateCol < 0 || gradeCol < 0)
            throw new ValidationException([new("Csv", "The first row must name the columns: URN, inspection date, grade")]);

        var rows = new List<Row>();
        while (reader.Read())
        {
            var cells = Fields(reader);
            if (cells.Length == 1 && cells[0].Trim().Length == 0) continue; // a line of spaces is as blank as an empty one
            if (rows.Count == MaxRows) throw new ValidationException([new("Csv", $"Upload at most {MaxRows:N0} rows at a time")]);
            string Cell(int c) => c < cells.Length ? cells[c].Trim() : "";
            rows.Add(new Row((int)reader.LineNumber, Cell(urnCol), Cell(dateCol), Cell(gradeCol)));
        }
        if (rows.Count == 0) throw new ValidationException([new("Csv", "The file has no rows under its header")]);
        return rows;
    }

    private static string[] Fields(CsvReader reader) => Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i) ?? "").ToArray();

    private static string Normalise(string h) => new(h.Trim().ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, ConcernEnrolmentRule rule, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var dataRows = Read(request.Csv!);

            var schools = await db.Schools.Where(s => s.LocalAuthorityId == la.Id).ToDictionaryAsync(s => s.Urn, ct);
            var schoolIds = schools.Values.Select(s => s.Id).ToList();
            var recorded = (await db.OfstedInspections.AsNoTracking().Where(i => schoolIds.Contains(i.SchoolId))
                .Select(i => new { i.SchoolId, i.InspectionDate, i.Grade }).ToListAsync(ct))
                .ToDictionary(i => (i.SchoolId, i.InspectionDate), i => i.Grade);
            var today = clock.Today();
            var seen = new Dictionary<(int, DateOnly), int>();
            var good = new List<(School School, DateOnly Date, OfstedGrade Grade)>();
            var rejected = new List<RowError>();
            var already = 0;

            foreach (var (row, urnText, dateText, gradeText) in dataRows)
            {
                var errors = new List<string>();
                School? school = null;
                if (!int.TryParse(urnText, NumberStyles.None, CultureInfo.InvariantCulture, out var urn) || !Urn.IsValid(urn))
                    errors.Add($"'{urnText}' is not a URN (six digits)");
                else if (!schools.TryGetValue(urn, out school))
                    errors.Add($"URN {urn} is not a school in {la.Name}");
                if (!InspectionDates.TryParse(dateText, out var date)) errors.Add($"'{dateText}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)");
                else if (!Marketplace.Domain.Common.ServiceDates.Contains(date)) errors.Add("The inspection date " + Marketplace.Domain.Common.ServiceDates.OutOfRangeMessage);
                else if (date > today) errors.Add("The inspection date is in the future");
                if (!int.TryParse(gradeText, NumberStyles.None, CultureInfo.InvariantCulture, out var grade) || grade is < 1 or > 4)
                    errors.Add($"'{gradeText}' is not a grade (1 to 4)");

                if (errors.Count == 0)
                {
                    if (seen.TryGetValue((urn, date), out var first)) errors.Add($"Duplicate of row {first}");
                    else if (recorded.TryGetValue((school!.Id, date), out var existing) && existing != (OfstedGrade)grade)
                        errors.Add($"An inspection on {date.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"))} is already recorded with grade {(int)existing}");
                    else seen[(urn, date)] = row;
                }
                if (errors.Count > 0) { rejected.Add(new RowError(row, urnText, errors)); continue; }
                if (recorded.ContainsKey((school!.Id, date))) { already++; continue; }
                good.Add((school, date, (OfstedGrade)grade));
            }

            var actor = Actor.From(user);
            // Oldest first, so each school ends with its latest judgement and enrolment follows it.
            foreach (var (school, date, grade) in good.OrderBy(g => g.Date))
            {
                if (!await RecordOfstedOutcome.RecordAsync(db, clock, school, date, grade, OutcomeSource.CsvImport, actor, ct)) continue;
                // Saved row by row: the rule reads the school's inspections and enrolment back from the database.
                await db.SaveChangesAsync(ct);
                await rule.ApplyAsync(school, actor, ct);
                await db.SaveChangesAsync(ct);
            }
            return new Result(dataRows.Count, good.Count, already, rejected);
        }
    }
}
