using System.Globalization;
using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Concern;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Concern;

internal static class Dates
{
    private static readonly string[] Formats = ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy"];

    public static bool TryParse(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}

/// <summary>Records one Ofsted outcome for a school of the LA; a grade 3 or 4 enrols it at gold.</summary>
public static class RecordOfstedOutcome
{
    public sealed record Command(int Code, int? Urn, string? InspectionDate, int? Grade) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(x => x.Urn).NotNull().WithMessage("Enter the school's URN").Must(u => u is null || Urn.IsValid(u.Value)).WithMessage("A URN has six digits");
            RuleFor(x => x.InspectionDate).NotEmpty().WithMessage("Enter the inspection date")
                .Must(d => Dates.TryParse(d, out _)).WithMessage("Enter the inspection date as YYYY-MM-DD or DD/MM/YYYY")
                .Must(d => !Dates.TryParse(d, out var date) || date <= clock.Today()).WithMessage("The inspection date cannot be in the future");
            RuleFor(x => x.Grade).NotNull().WithMessage("Enter the grade").InclusiveBetween(1, 4).WithMessage("The grade is 1 (outstanding) to 4 (inadequate)");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, ConcernService concern, SubscriptionService subscriptions)
        : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var school = await Access.SchoolOfLaAsync(db, la, request.Urn!.Value, ct);
            Dates.TryParse(request.InspectionDate, out var date);
            await subscriptions.InTransactionAsync(async () =>
                await concern.RecordOfstedAsync(school, date, (OfstedGrade)request.Grade!.Value, OutcomeSource.Manual, Actor.From(user), ct), ct);
            return Unit.Value;
        }
    }
}

/// <summary>
/// Imports Ofsted outcomes from CSV (header: URN, inspection date, grade). Every row is checked first;
/// good rows are recorded, bad rows (unknown URN, grade outside 1–4, malformed or future date,
/// duplicate, conflicting with a recorded inspection) are answered row by row and import nothing.
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

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, ConcernService concern, SubscriptionService subscriptions, TimeProvider clock)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var lines = request.Csv!.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
            var header = Split(lines[0].TrimStart('\uFEFF'));
            int Col(params string[] names) => Array.FindIndex(header, h => names.Contains(Normalise(h)));
            var (urnCol, dateCol, gradeCol) = (Col("urn"), Col("inspectiondate", "date", "dateofinspection"), Col("grade", "overalleffectiveness", "ofstedgrade"));
            if (urnCol < 0 || dateCol < 0 || gradeCol < 0)
                throw new ValidationException([new("Csv", "The first row must name the columns: URN, inspection date, grade")]);

            var dataRows = lines.Select((text, i) => (text, row: i + 1)).Skip(1).Where(l => l.text.Trim().Length > 0).ToList();
            if (dataRows.Count == 0) throw new ValidationException([new("Csv", "The file has no rows under its header")]);
            if (dataRows.Count > MaxRows) throw new ValidationException([new("Csv", $"Upload at most {MaxRows:N0} rows at a time")]);

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

            foreach (var (text, row) in dataRows)
            {
                var cells = Split(text);
                string Cell(int c) => c < cells.Length ? cells[c].Trim() : "";
                var errors = new List<string>();
                var urnText = Cell(urnCol);
                School? school = null;
                if (!int.TryParse(urnText, NumberStyles.None, CultureInfo.InvariantCulture, out var urn) || !Urn.IsValid(urn))
                    errors.Add($"'{urnText}' is not a URN (six digits)");
                else if (!schools.TryGetValue(urn, out school))
                    errors.Add($"URN {urn} is not a school in {la.Name}");
                if (!Dates.TryParse(Cell(dateCol), out var date)) errors.Add($"'{Cell(dateCol)}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)");
                else if (date > today) errors.Add("The inspection date is in the future");
                if (!int.TryParse(Cell(gradeCol), NumberStyles.None, CultureInfo.InvariantCulture, out var grade) || grade is < 1 or > 4)
                    errors.Add($"'{Cell(gradeCol)}' is not a grade (1 to 4)");

                if (errors.Count == 0)
                {
                    if (seen.TryGetValue((urn, date), out var first)) errors.Add($"Duplicate of row {first}");
                    else if (recorded.TryGetValue((school!.Id, date), out var existing) && existing != (OfstedGrade)grade)
                        errors.Add($"An inspection on {date:yyyy-MM-dd} is already recorded with grade {(int)existing}");
                    else seen[(urn, date)] = row;
                }
                if (errors.Count > 0) { rejected.Add(new RowError(row, urnText, errors)); continue; }
                if (recorded.ContainsKey((school!.Id, date))) { already++; continue; }
                good.Add((school, date, (OfstedGrade)grade));
            }

            var actor = Actor.From(user);
            await subscriptions.InTransactionAsync(async () =>
            {
                // Oldest first, so each school ends with its latest judgement and enrolment follows it.
                foreach (var (school, date, grade) in good.OrderBy(g => g.Date))
                    await concern.RecordOfstedAsync(school, date, grade, OutcomeSource.CsvImport, actor, ct);
                return 0;
            }, ct);
            return new Result(dataRows.Count, good.Count, already, rejected);
        }

        private static string Normalise(string h) => new(h.Trim().Trim('"').ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

        /// <summary>Splits one CSV line, honouring double-quoted cells.</summary>
        private static string[] Split(string line)
        {
            var cells = new List<string>();
            var cell = new System.Text.StringBuilder();
            var quoted = false;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                    else if (c == '"') quoted = false;
                    else cell.Append(c);
                }
                else if (c == '"') quoted = true;
                else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
                else cell.Append(c);
            }
            cells.Add(cell.ToString());
            return cells.ToArray();
        }
    }
}

/// <summary>Flags a school at risk against the York criteria, clears a flag, or overrides/lifts automatic enrolment.</summary>
public static class ConcernActions
{
    public enum Kind { Flag, ClearFlag, Override, LiftOverride }

    public sealed record Command(int Code, int Urn, Kind Action, IReadOnlyList<string>? Reasons, string? Note) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Reasons).NotEmpty().When(x => x.Action == Kind.Flag).WithMessage("Choose at least one risk criterion");
            RuleForEach(x => x.Reasons).Must(r => EnumText.TryParse<RiskCriterion>(r, out _)).When(x => x.Action == Kind.Flag)
                .WithMessage(r => $"Risk criteria are: {EnumText.Allowed<RiskCriterion>()}");
            RuleFor(x => x.Note).NotEmpty().When(x => x.Action is Kind.ClearFlag or Kind.Override).OverridePropertyName("Reason")
                .WithMessage(x => x.Action == Kind.Override ? "Give a reason for the override" : "Say why the school is no longer at risk");
            RuleFor(x => x.Note).MaximumLength(1000).WithMessage("Keep it to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, ConcernService concern, SubscriptionService subscriptions)
        : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var school = await Access.SchoolOfLaAsync(db, la, request.Urn, ct);
            var actor = Actor.From(user);
            await subscriptions.InTransactionAsync(async () =>
            {
                switch (request.Action)
                {
                    case Kind.Flag:
                        var reasons = request.Reasons!.Select(r => EnumText.TryParse<RiskCriterion>(r, out var c) ? c : default).ToList();
                        await concern.FlagAtRiskAsync(school, reasons, request.Note, actor, ct);
                        break;
                    case Kind.ClearFlag: await concern.ClearRiskFlagAsync(school, request.Note!, actor, ct); break;
                    case Kind.Override: await concern.OverrideAsync(school, request.Note!, actor, ct); break;
                    default: await concern.LiftOverrideAsync(school, actor, ct); break;
                }
                return 0;
            }, ct);
            return Unit.Value;
        }
    }
}

public sealed record ConcernRow(int Urn, string Name, OfstedGrade? OfstedGrade, DateOnly? InspectionDate, IReadOnlyList<RiskCriterion> RiskReasons,
    string? RiskNote, EnrolmentStatus? Enrolment, string? Trigger, Tier? PreviousTier, Tier? CurrentTier, long EnrolmentFeePence, string? FundName,
    DateTimeOffset? EnrolledAt, string? OverrideReason);

/// <summary>The LA's schools causing concern (or with an enrolment or override in force), with their gold enrolment.</summary>
public static class ListSchoolsCausingConcern
{
    public sealed record Query(int Code) : IQuery<IReadOnlyList<ConcernRow>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, IReadOnlyList<ConcernRow>>
    {
        public async ValueTask<IReadOnlyList<ConcernRow>> Handle(Query request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var today = clock.Today();
            var flags = await db.RiskFlags.AsNoTracking().Where(f => f.ClearedAt == null && db.Schools.Any(s => s.Id == f.SchoolId && s.LocalAuthorityId == la.Id))
                .ToDictionaryAsync(f => f.SchoolId, ct);
            var enrolments = await db.ConcernEnrolments.AsNoTracking()
                .Where(e => e.LocalAuthorityId == la.Id && (e.Status == EnrolmentStatus.Active || e.Status == EnrolmentStatus.Exiting || e.Status == EnrolmentStatus.Overridden))
                .ToDictionaryAsync(e => e.SchoolId, ct);
            var schools = await db.Schools.AsNoTracking()
                .Where(s => s.LocalAuthorityId == la.Id && (s.OfstedGrade == OfstedGrade.RequiresImprovement || s.OfstedGrade == OfstedGrade.Inadequate
                    || flags.Keys.Contains(s.Id) || enrolments.Keys.Contains(s.Id)))
                .OrderBy(s => s.Name).ToListAsync(ct);
            var ids = schools.Select(s => s.Id).ToList();
            var tiers = await db.Subscriptions.AsNoTracking()
                .Where(s => ids.Contains(s.SchoolId) && s.Status == Domain.Subscriptions.SubscriptionStatus.Active && s.StartsOn <= today && s.PeriodEnd >= today)
                .ToDictionaryAsync(s => s.SchoolId, s => s.Tier, ct);
            return schools.Select(s =>
            {
                flags.TryGetValue(s.Id, out var f);
                enrolments.TryGetValue(s.Id, out var e);
                return new ConcernRow(s.Urn, s.Name, s.OfstedGrade, s.OfstedInspectionDate, f?.Reasons ?? [], f?.Note, e?.Status, e?.Trigger, e?.PreviousTier,
                    tiers.TryGetValue(s.Id, out var t) ? t : null, e?.FeePence ?? 0, e?.FundName, e?.StartedAt, e?.OverrideReason);
            }).ToList();
        }
    }
}

public sealed record AuditView(DateTimeOffset At, string Actor, int? Urn, string? School, string Action, string Detail, string? Reason);

/// <summary>The LA's audit trail, newest first, optionally for one school.</summary>
public static class GetAuditTrail
{
    public sealed record Query(int Code, int? Urn, int Page = 1, int PageSize = 50) : IQuery<IReadOnlyList<AuditView>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, IReadOnlyList<AuditView>>
    {
        public async ValueTask<IReadOnlyList<AuditView>> Handle(Query request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var q = db.AuditEvents.AsNoTracking().Where(a => a.LocalAuthorityId == la.Id);
            if (request.Urn is { } urn)
            {
                var school = await Access.SchoolOfLaAsync(db, la, urn, ct);
                q = q.Where(a => a.SchoolId == school.Id);
            }
            var size = Math.Clamp(request.PageSize, 1, 200);
            var page = Math.Max(1, request.Page);
            var rows = await q.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Skip((page - 1) * size).Take(size)
                .Select(a => new { a.At, a.ActorName, a.SchoolId, a.Action, a.Detail, a.Reason }).ToListAsync(ct);
            var schoolIds = rows.Where(r => r.SchoolId != null).Select(r => r.SchoolId!.Value).Distinct().ToList();
            var names = await db.Schools.AsNoTracking().Where(s => schoolIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => (s.Urn, s.Name), ct);
            return rows.Select(r => new AuditView(r.At, r.ActorName, r.SchoolId is { } id ? names[id].Urn : null, r.SchoolId is { } id2 ? names[id2].Name : null,
                r.Action, r.Detail, r.Reason)).ToList();
        }
    }
}
