using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Calendar;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Terms;

/// <summary>An LA's terms and INSET days for one academic year, and the years it has recorded (its commissioners only).</summary>
public static class GetSchoolTerms
{
    public sealed record Query(int Code, int Year) : IQuery<Result>;

    public sealed record TermView(Guid Id, string Name, DateOnly StartsOn, DateOnly EndsOn);

    /// <param name="Year">The year the academic year starts in (2026 for 2026/27).</param>
    public sealed record Result(int Code, int Year, string AcademicYear, DateOnly Starts, DateOnly Ends, IReadOnlyList<TermView> Terms,
        IReadOnlyList<DateOnly> InsetDays, IReadOnlyList<int> YearsRecorded);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(x => x.Year).InclusiveBetween(TermRules.FirstYear, TermRules.LastYear).WithMessage(TermRules.YearMessage);
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            return await ReadAsync(db, la.Id, request.Code, request.Year, ct);
        }
    }

    internal static async Task<Result> ReadAsync(MarketplaceDbContext db, Guid laId, int code, int year, CancellationToken ct)
    {
        var terms = await db.SchoolTerms.AsNoTracking().Where(t => t.LocalAuthorityId == laId && t.AcademicYear == year).OrderBy(t => t.StartsOn)
            .Select(t => new TermView(t.Id, t.Name, t.StartsOn, t.EndsOn)).ToListAsync(ct);
        var inset = await db.InsetDays.AsNoTracking().Where(i => i.LocalAuthorityId == laId && i.AcademicYear == year).OrderBy(i => i.Date)
            .Select(i => i.Date).ToListAsync(ct);
        var years = await db.SchoolTerms.AsNoTracking().Where(t => t.LocalAuthorityId == laId).Select(t => t.AcademicYear).Distinct().OrderBy(y => y).ToListAsync(ct);
        return new Result(code, year, AcademicYears.Name(year), AcademicYears.Start(year), AcademicYears.End(year), terms, inset, years);
    }
}
