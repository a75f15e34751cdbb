using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Bookings;

/// <summary>
/// The school's LA's commissioners settle a disputed delivery: they charge some or all of what the
/// provider recorded (captured, with earnings as on sign-off) and release the rest to the school.
/// </summary>
public static class ResolveDispute
{
    public sealed record Command(Guid Id, int? ChargedQuantity, string? Note) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.ChargedQuantity).NotNull().WithMessage("Enter how much of the delivery to charge (0 for nothing)")
                .InclusiveBetween(0, 100).WithMessage("Charge between 0 and what was delivered");
            RuleFor(x => x.Note).NotEmpty().WithMessage("Record why the dispute was settled this way").MaximumLength(1000).WithMessage("Keep the note to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, BookingSettlement settlement, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            if (!user.IsAdmin() && !user.IsCommissionerOf(booking.SellerLaId))
                throw new ForbiddenException("Only the school's local authority's commissioners resolve disputes.");
            booking.ResolveDispute(request.ChargedQuantity!.Value, request.Note!, user.UserId, clock.GetUtcNow());
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct); // the row version refuses a racing sign-off or second resolution (409)
            await settlement.SettleAsync(booking, booking.CapturedCredits, "dispute resolved", ct);
            await mail.QueueAsync(booking, "resolved", ct);
            await tx.CommitAsync(ct);
            return Unit.Value;
        }
    }
}

public sealed record DisputeSummary(Guid Id, string Reference, int Urn, string School, string Provider, string OfferTitle, int Quantity, OfferUnit Unit,
    int? DeliveredQuantity, IReadOnlyList<DateOnly> DeliveredDates, string? VisitNote, string? DisputeReason, DateTimeOffset? DisputedAt,
    BookingStatus Status, int? ChargedQuantity, string? ResolutionNote);

/// <summary>The LA's disputes: open ones first (oldest first), then those resolved in the last 90 days.</summary>
public static class ListDisputes
{
    public sealed record Query(int LaCode) : IQuery<IReadOnlyList<DisputeSummary>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, IReadOnlyList<DisputeSummary>>
    {
        public async ValueTask<IReadOnlyList<DisputeSummary>> Handle(Query request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.LaCode, ct);
            var since = clock.GetUtcNow().AddDays(-90);
            var rows = await db.Bookings.AsNoTracking()
                .Where(b => b.SellerLaId == la.Id && (b.Status == BookingStatus.Disputed
                    || (b.Status == BookingStatus.Resolved && b.Events.Any(e => e.Kind == BookingEventKind.DisputeResolved && e.At >= since))))
                .Select(b => new
                {
                    b.Id, b.Reference, b.Status, b.Quantity, b.Unit, b.DeliveredQuantity, b.DeliveredDates, b.VisitNote, b.DisputeReason, b.ChargedQuantity, b.ResolutionNote,
                    School = db.Schools.Where(s => s.Id == b.SchoolId).Select(s => new { s.Urn, s.Name }).Single(),
                    Provider = db.Providers.Where(p => p.Id == b.ProviderId).Select(p => p.Name).Single(),
                    Title = db.OfferVersions.Where(v => v.Id == b.OfferVersionId).Select(v => v.Title).Single(),
                    DisputedAt = b.Events.Where(e => e.Kind == BookingEventKind.Disputed).Max(e => (DateTimeOffset?)e.At),
                }).ToListAsync(ct);
            return rows.OrderBy(r => r.Status == BookingStatus.Disputed ? 0 : 1).ThenBy(r => r.DisputedAt)
                .Select(r => new DisputeSummary(r.Id, r.Reference, r.School.Urn, r.School.Name, r.Provider, r.Title, r.Quantity, r.Unit, r.DeliveredQuantity,
                    r.DeliveredDates, r.VisitNote, r.DisputeReason, r.DisputedAt, r.Status, r.ChargedQuantity, r.ResolutionNote)).ToList();
        }
    }
}

public sealed record SchoolBookingSettings(int Urn, bool RequiresPurchaseOrder);

/// <summary>A school's booking settings (its buyers read them; a buyer allowed to commit spend changes them).</summary>
public static class SchoolBookingSettingsFeature
{
    public sealed record Get(int Urn) : IQuery<SchoolBookingSettings>;

    public sealed record Set(int Urn, bool? RequiresPurchaseOrder) : ICommand<SchoolBookingSettings>;

    public sealed class SetValidator : AbstractValidator<Set>
    {
        public SetValidator() => RuleFor(x => x.RequiresPurchaseOrder).NotNull().WithMessage("Say whether every booking needs a purchase-order number");
    }

    public sealed class GetHandler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Get, SchoolBookingSettings>
    {
        public async ValueTask<SchoolBookingSettings> Handle(Get request, CancellationToken ct)
        {
            var school = await Access.SchoolAsync(db, user, request.Urn, ct);
            return new(school.Urn, school.RequiresPurchaseOrder);
        }
    }

    public sealed class SetHandler(MarketplaceDbContext db, ICurrentUser user) : ICommandHandler<Set, SchoolBookingSettings>
    {
        public async ValueTask<SchoolBookingSettings> Handle(Set request, CancellationToken ct)
        {
            var school = await Access.SchoolToCommitAsync(db, user, request.Urn, ct);
            school.SetRequiresPurchaseOrder(request.RequiresPurchaseOrder!.Value);
            await db.SaveChangesAsync(ct);
            return new(school.Urn, school.RequiresPurchaseOrder);
        }
    }
}
