using System.Globalization;
using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Common;
using Marketplace.Domain.Organisations;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Marketplace.Application.Features.Practitioners;

/// <summary>The provider's practitioners with their working week and how many days ahead are booked.</summary>
public static class ListPractitioners
{
    public sealed record Query(Guid ProviderId) : IQuery<IReadOnlyList<PractitionerSummary>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, IReadOnlyList<PractitionerSummary>>
    {
        public async ValueTask<IReadOnlyList<PractitionerSummary>> Handle(Query request, CancellationToken ct)
        {
            if (!user.IsAdmin() && !user.IsProviderUserOf(request.ProviderId)) throw new ForbiddenException("Only the provider can see its practitioners' calendars.");
            var today = clock.Today();
            var rows = await db.Practitioners.AsNoTracking().Where(p => p.ProviderId == request.ProviderId).OrderBy(p => p.Name)
                .Select(p => new { p.Id, p.Name, p.Specialism, p.WorkingWeek, Booked = db.BookingSlots.Count(s => s.PractitionerId == p.Id && s.Date >= today) })
                .ToListAsync(ct);
            return rows.Select(r => new PractitionerSummary(r.Id, r.Name, r.Specialism, WeekNames(r.WorkingWeek), r.Booked)).ToList();
        }
    }

    internal static IReadOnlyList<string> WeekNames(WorkingWeek week) =>
        Enum.GetValues<DayOfWeek>().OrderBy(d => ((int)d + 6) % 7).Where(d => week.HasFlag(Practitioner.WorkingWeekOf(d))).Select(d => d.ToString()).ToList();
}
