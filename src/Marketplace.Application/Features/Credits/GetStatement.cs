using System.Globalization;
using System.Text;
using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Credits;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Credits;

/// <summary>
/// A school's credits statement for a date range (UK dates, both ends included): the opening balance,
/// every wallet movement with the grant it used (source, expiry), a running balance, and the closing
/// balance. A spend drawing on two grants shows as two lines, so each credit is traceable.
/// </summary>
public static class GetStatement
{
    public const int MaxDays = 3 * 366;

    public sealed record Query(int Urn, DateOnly? From, DateOnly? To) : IQuery<Statement>;

    public sealed record Line(DateTimeOffset At, LedgerTransactionKind Kind, string Description, string? Reference, Guid TransactionId,
        Guid GrantId, CreditSource Source, DateOnly GrantExpiresOn, long Credits, long Balance);

    public sealed record Statement(int Urn, string SchoolName, DateOnly From, DateOnly To, long OpeningBalance, IReadOnlyList<Line> Lines,
        long CreditsIn, long CreditsOut, long ClosingBalance);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(x => x.To).GreaterThanOrEqualTo(x => x.From).When(x => x.From is not null && x.To is not null)
                .WithMessage("The end date must be on or after the start date");
            RuleFor(x => x).Must(x => x.From is null || x.To is null || x.To.Value.DayNumber - x.From.Value.DayNumber < MaxDays)
                .OverridePropertyName("To").WithMessage("A statement covers at most three years");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, Statement>
    {
        public async ValueTask<Statement> Handle(Query request, CancellationToken ct)
        {
            var school = await Access.SchoolAsync(db, user, request.Urn, ct);
            var to = request.To ?? clock.Today();
            var from = request.From ?? (request.To is null ? DefaultStart(to) : to.AddDays(-364));
            if (from > to) throw new ValidationException([new("From", "The statement cannot start after the day it ends (today, unless you give an end date)")]);
            if (to.DayNumber - from.DayNumber >= MaxDays) throw new ValidationException([new("To", "A statement covers at most three years")]);
            var start = UkClock.StartOf(from);
            var end = UkClock.StartOf(to.AddDays(1));

            var wallet = await db.LedgerAccounts.AsNoTracking()
                .Where(a => a.Kind == LedgerAccountKind.SchoolWallet && a.SchoolId == school.Id).Select(a => (Guid?)a.Id).SingleOrDefaultAsync(ct);
            if (wallet is null) return new Statement(school.Urn, school.Name, from, to, 0, [], 0, 0, 0);

            var entries = db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == wallet)
                .Join(db.LedgerTransactions, e => e.TransactionId, t => t.Id, (e, t) => new { e, t });
            var opening = await entries.Where(x => x.t.OccurredAt < start).SumAsync(x => (long?)x.e.Amount, ct) ?? 0;
            var rows = await entries.Where(x => x.t.OccurredAt >= start && x.t.OccurredAt < end)
                .Join(db.CreditGrants, x => x.e.GrantId, g => g.Id, (x, g) => new
                {
                    x.t.OccurredAt, x.t.Kind, x.t.Description, x.t.Reference, x.t.Id, EntryId = x.e.Id, GrantId = g.Id, g.Source, g.ExpiresOn, x.e.Amount,
                })
                .OrderBy(r => r.OccurredAt).ThenBy(r => r.EntryId)
                .ToListAsync(ct);

            var balance = opening;
            var lines = new List<Line>(rows.Count);
            foreach (var r in rows)
            {
                balance += r.Amount;
                lines.Add(new Line(r.OccurredAt, r.Kind, r.Description, r.Reference, r.Id, r.GrantId, r.Source, r.ExpiresOn, r.Amount, balance));
            }
            return new Statement(school.Urn, school.Name, from, to, opening, lines, rows.Where(r => r.Amount > 0).Sum(r => r.Amount),
                -rows.Where(r => r.Amount < 0).Sum(r => r.Amount), balance);
        }

        /// <summary>By default: from the start of the current financial year (when schools reconcile) to today.</summary>
        private static DateOnly DefaultStart(DateOnly today) => new(today.Month >= 4 ? today.Year : today.Year - 1, 4, 1);
    }

    /// <summary>The statement as CSV (RFC 4180) for a finance officer's spreadsheet; cells that a spreadsheet would run as formulas are defused.</summary>
    public static string ToCsv(Statement s)
    {
        var sb = new StringBuilder();
        sb.Append("Date,Type,Description,Reference,Credit source,Credits expire,Credits,Balance,Transaction,Grant\r\n");
        Row(sb, s.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "Opening balance", "", "", "", "", "", s.OpeningBalance.ToString(CultureInfo.InvariantCulture), "", "");
        foreach (var l in s.Lines)
        {
            Row(sb, l.At.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), l.Kind.ToString(), l.Description, l.Reference ?? "",
                l.Source.ToString(), l.GrantExpiresOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), l.Credits.ToString(CultureInfo.InvariantCulture),
                l.Balance.ToString(CultureInfo.InvariantCulture), l.TransactionId.ToString(), l.GrantId.ToString());
        }
        Row(sb, s.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "Closing balance", "", "", "", "", "", s.ClosingBalance.ToString(CultureInfo.InvariantCulture), "", "");
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, params string[] cells)
    {
        sb.AppendJoin(',', cells.Select(Cell));
        sb.Append("\r\n");
    }

    public static string Cell(string value)
    {
        // A leading = + - @ (or tab/CR) makes Excel evaluate the cell: prefix a quote so it stays text.
        // Numbers we write ourselves (e.g. -3 credits) are left as numbers.
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0]) && !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
