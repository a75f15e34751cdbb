using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Domain.Bookings;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Home;

/// <summary>
/// What waits for the signed-in provider on the home page: requests to confirm or decline, confirmed bookings whose
/// dates have come (their delivery to record), changes the school has proposed, and the bookings to deliver this
/// month (UK calendar month).
/// </summary>
public static class GetProviderWork
{
    public sealed record Query : IQuery<Result>;

    public sealed record Result(string ProviderName, WorkList<WorkBooking> ToConfirm, WorkList<WorkBooking> DeliveriesToRecord,
        WorkList<WorkBooking> ChangesProposed, WorkList<WorkBooking> ThisMonth, string MonthLabel);

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            if (!user.IsInRole(Roles.Provider) || user.ProviderId is not Guid providerId)
                throw new ForbiddenException("Only a provider's own users can see its work.");
            var name = await db.Providers.AsNoTracking().Where(p => p.Id == providerId).Select(p => p.Name).SingleAsync(ct);
            var today = clock.Today();
            var monthStart = new DateOnly(today.Year, today.Month, 1);
            var monthEnd = monthStart.AddMonths(1).AddDays(-1);

            var open = await db.Bookings.AsNoTracking()
                .Where(b => b.ProviderId == providerId && (b.Status == BookingStatus.Requested || b.Status == BookingStatus.Confirmed))
                .Select(b => new
                {
                    b.Id, b.Reference, b.Status, b.RequestedAt, b.PreferredDates, b.ConfirmedDates,
                    Title = db.OfferVersions.Where(v => v.Id == b.OfferVersionId).Select(v => v.Title).Single(),
                    School = db.Schools.Where(s => s.Id == b.SchoolId).Select(s => s.Name).Single(),
                    ChangeProposed = b.Changes.Any(c => c.Status == BookingChangeStatus.Pending && c.ProposedBy == BookingSide.School),
                }).ToListAsync(ct);

            WorkList<WorkBooking> List(IEnumerable<(Guid Id, string Reference, string Title, string School, DateOnly? Date, DateTimeOffset At)> rows)
            {
                var all = rows.OrderBy(r => r.Date ?? DateOnly.MaxValue).ThenBy(r => r.At).ToList();
                return new WorkList<WorkBooking>(all.Count, all.Take(WorkList<WorkBooking>.Shown)
                    .Select(r => new WorkBooking(r.Id, r.Reference, r.Title, r.School, r.Date)).ToList());
            }

            var requested = open.Where(b => b.Status == BookingStatus.Requested)
                .Select(b => (b.Id, b.Reference, b.Title, b.School, b.PreferredDates.Count == 0 ? (DateOnly?)null : b.PreferredDates.Min(), b.RequestedAt));
            var confirmed = open.Where(b => b.Status == BookingStatus.Confirmed).ToList();
            var toRecord = confirmed.Where(b => b.ConfirmedDates.Any(d => d <= today))
                .Select(b => (b.Id, b.Reference, b.Title, b.School, (DateOnly?)b.ConfirmedDates.Min(), b.RequestedAt));
            var changes = open.Where(b => b.ChangeProposed)
                .Select(b => (b.Id, b.Reference, b.Title, b.School, b.ConfirmedDates.Count == 0 ? (DateOnly?)null : b.ConfirmedDates.Min(), b.RequestedAt));
            var thisMonth = confirmed.Where(b => b.ConfirmedDates.Any(d => d >= monthStart && d <= monthEnd))
                .Select(b => (b.Id, b.Reference, b.Title, b.School, (DateOnly?)b.ConfirmedDates.Where(d => d >= monthStart && d <= monthEnd).Min(), b.RequestedAt));

            return new Result(name, List(requested), List(toRecord), List(changes), List(thisMonth),
                monthStart.ToString("MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB")));
        }
    }
}
