using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Calendar;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Terms;

/// <summary>
/// A commissioner records one academic year's terms and INSET days for the LA, replacing what was recorded
/// for that year (the page and the API send the whole year; an empty list of terms clears it).
/// </summary>
public static class SetSchoolTerms
{
    public sealed record Command(int Code, int Year, IReadOnlyList<TermRules.TermInput>? Terms, IReadOnlyList<DateOnly>? InsetDays) : ICommand<GetSchoolTerms.Result>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() =>
            RuleFor(x => x).Custom((x, context) =>
            {
                foreach (var failure in TermRules.Check(x.Year, x.Terms ?? [], x.InsetDays ?? [])) context.AddFailure(failure);
            });
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : ICommandHandler<Command, GetSchoolTerms.Result>
    {
        public async ValueTask<GetSchoolTerms.Result> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            await RemoveYearAsync(db, la.Id, request.Year, ct);
            // Removed first, so a day kept from the old list does not meet the unique index on its way back in.
            await db.SaveChangesAsync(ct);
            AddYear(db, la.Id, request.Year, request.Terms ?? [], request.InsetDays ?? []);
            await db.SaveChangesAsync(ct);
            return await GetSchoolTerms.ReadAsync(db, la.Id, request.Code, request.Year, ct);
        }
    }

    internal static async Task RemoveYearAsync(MarketplaceDbContext db, Guid laId, int year, CancellationToken ct)
    {
        db.SchoolTerms.RemoveRange(await db.SchoolTerms.Where(t => t.LocalAuthorityId == laId && t.AcademicYear == year).ToListAsync(ct));
        db.InsetDays.RemoveRange(await db.InsetDays.Where(i => i.LocalAuthorityId == laId && i.AcademicYear == year).ToListAsync(ct));
    }

    internal static void AddYear(MarketplaceDbContext db, Guid laId, int year, IReadOnlyList<TermRules.TermInput> terms, IReadOnlyList<DateOnly> insetDays)
    {
        foreach (var t in terms)
            db.SchoolTerms.Add(new SchoolTerm(Guid.CreateVersion7(), laId, year, t.Name!.Trim(), t.StartsOn!.Value, t.EndsOn!.Value));
        foreach (var d in insetDays.Distinct())
            db.InsetDays.Add(new InsetDay(Guid.CreateVersion7(), laId, year, d));
    }
}
