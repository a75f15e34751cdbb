using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Marketplace.Application.Features.Bookings;

public sealed record BookingEventView(BookingEventKind Kind, DateTimeOffset At, string? Note);

public sealed record BookingView(Guid Id, string Reference, int Urn, string School, Guid OfferId, string OfferTitle, Guid ProviderId, string Provider,
    Tier? Tier, int Quantity, OfferUnit Unit, int CreditsPerUnit, int TotalCredits, long CreditsHeld, IReadOnlyList<DateOnly> PreferredDates,
    string? PreferredTerm, Guid? PractitionerId, IReadOnlyList<DateOnly> ConfirmedDates, string? PurchaseOrderNumber, string? Notes,
    BookingStatus Status, string? DeclineReason, DateTimeOffset RequestedAt, IReadOnlyList<DateOnly> DeliveredDates, int? DeliveredQuantity,
    int? DeliveredMinutes, string? VisitNote, string? DisputeReason, int CapturedCredits, IReadOnlyList<BookingEventView> History)
{
    public string? Practitioner { get; init; }
    public BookingPaymentView Payment { get; init; } = null!;
    public IReadOnlyList<BookingChangeView> Changes { get; init; } = [];
    public bool LateRuleWaived { get; init; }
    public int FreeCancellationWorkingDays { get; init; }
    public int LateCancellationPercent { get; init; }
    public string? ResolutionNote { get; init; }
}

/// <summary>How the booking is paid (included sessions, then credits, then pounds) and, once settled, what was charged.</summary>
public sealed record BookingPaymentView(int SessionUnits, int CreditUnits, int PoundUnits, long PencePerUnit, string Summary,
    int? ChargedQuantity, int SessionsUsed, int CreditsCaptured, long PenceDue);

public sealed record BookingChangeView(Guid Id, BookingSide ProposedBy, IReadOnlyList<DateOnly> Dates, Guid? PractitionerId, string Reason, bool Late,
    DateTimeOffset ProposedAt, BookingChangeStatus Status, string? AnswerNote, DateTimeOffset? AnsweredAt);

/// <summary>Included adviser sessions a school has used (or holds on open bookings) in a subscription period.</summary>
public static class AdviserSessions
{
    public static Task<int> UsedAsync(MarketplaceDbContext db, Guid schoolId, DateOnly periodStart, CancellationToken ct) =>
        db.Bookings.Where(b => b.SchoolId == schoolId && b.SessionSubscriptionId != null
                && db.Subscriptions.Any(s => s.Id == b.SessionSubscriptionId && s.PeriodStart == periodStart))
            .SumAsync(b => b.SessionsCounted, ct);
}

internal static class BookingAccess
{
    /// <summary>The booking, tracked, for the school's buyers, the provider, the school's LA's commissioners and admins; otherwise 404.</summary>
    public static async Task<Booking> FindAsync(MarketplaceDbContext db, ICurrentUser user, Guid id, CancellationToken ct)
    {
        var booking = await db.Bookings.Include(b => b.Events).Include(b => b.Changes).AsSplitQuery().SingleOrDefaultAsync(b => b.Id == id, ct)
            ?? throw new NotFoundException("Booking", id);
        if (!user.IsAdmin() && !user.IsBuyerFor(booking.SchoolId) && !user.IsProviderUserOf(booking.ProviderId) && !user.IsCommissionerOf(booking.SellerLaId))
            throw new NotFoundException("Booking", id);
        return booking;
    }

    public static Task<CancellationTerms> TermsAsync(MarketplaceDbContext db, Booking booking, CancellationToken ct) =>
        db.OfferVersions.Where(v => v.Id == booking.OfferVersionId)
            .Select(v => new CancellationTerms(v.FreeCancellationWorkingDays, v.LateCancellationPercent)).SingleAsync(ct);

    /// <summary>Which side the caller is on (admins act for the provider unless they are the school's buyer).</summary>
    public static BookingSide SideOf(ICurrentUser user, Booking booking) =>
        user.IsBuyerFor(booking.SchoolId) ? BookingSide.School
        : user.IsProviderUserOf(booking.ProviderId) || user.IsAdmin() ? BookingSide.Provider
        : throw new ForbiddenException("Only the school or the provider can do this.");

    public static async Task<BookingView> ViewAsync(MarketplaceDbContext db, Guid id, CancellationToken ct)
    {
        var b = await db.Bookings.AsNoTracking().Include(x => x.Events).Include(x => x.Changes).AsSplitQuery().SingleAsync(x => x.Id == id, ct);
        var names = await db.Schools.AsNoTracking().Where(s => s.Id == b.SchoolId).Select(s => new
        {
            s.Urn, School = s.Name,
            Offer = db.OfferVersions.Where(v => v.Id == b.OfferVersionId).Select(v => v.Title).Single(),
            Provider = db.Providers.Where(p => p.Id == b.ProviderId).Select(p => p.Name).Single(),
            Practitioner = db.Practitioners.Where(p => p.Id == b.PractitionerId).Select(p => p.Name).SingleOrDefault(),
            Terms = db.OfferVersions.Where(v => v.Id == b.OfferVersionId).Select(v => new { v.FreeCancellationWorkingDays, v.LateCancellationPercent }).Single(),
            Held = db.LedgerAccounts.Where(a => a.Kind == Domain.Credits.LedgerAccountKind.BookingHold && a.OwnerId == b.Id).Select(a => a.Balance).SingleOrDefault(),
        }).SingleAsync(ct);
        return new BookingView(b.Id, b.Reference, names.Urn, names.School, b.OfferId, names.Offer, b.ProviderId, names.Provider, b.Tier, b.Quantity, b.Unit,
            b.CreditsPerUnit, b.TotalCredits, names.Held ?? 0, b.PreferredDates, b.PreferredTerm, b.PractitionerId, b.ConfirmedDates, b.PurchaseOrderNumber,
            b.Notes, b.Status, b.DeclineReason, b.RequestedAt, b.DeliveredDates, b.DeliveredQuantity, b.DeliveredMinutes, b.VisitNote, b.DisputeReason,
            b.CapturedCredits, b.Events.OrderBy(e => e.At).Select(e => new BookingEventView(e.Kind, e.At, e.Note)).ToList())
        {
            Practitioner = names.Practitioner,
            Payment = new BookingPaymentView(b.SessionUnits, b.CreditUnits, b.PoundUnits, b.PencePerUnit, b.PaymentSummary, b.ChargedQuantity,
                b.SessionsCounted, b.CapturedCredits, b.PenceDue),
            Changes = b.Changes.OrderBy(c => c.ProposedAt).Select(c => new BookingChangeView(c.Id, c.ProposedBy, c.Dates, c.PractitionerId, c.Reason, c.Late,
                c.ProposedAt, c.Status, c.AnswerNote, c.AnsweredAt)).ToList(),
            LateRuleWaived = b.LateRuleWaived,
            FreeCancellationWorkingDays = names.Terms.FreeCancellationWorkingDays,
            LateCancellationPercent = names.Terms.LateCancellationPercent,
            ResolutionNote = b.ResolutionNote,
        };
    }
}

/// <summary>
/// A school books an offer at its tier's price; the credits are held (moved from the wallet into the
/// booking's hold account) in the same transaction, or the request is refused with 409 and nothing is
/// written. Idempotent by the client's Idempotency-Key (scoped to the school), like purchases.
/// </summary>
public static class RequestBooking
{
    /// <param name="PayShortfallInPounds">When the school's credits do not cover the booking and the offer allows it, pay the rest in pounds
    /// at the offer's pay-as-you-use price (less the tier's discount), invoiced after delivery.</param>
    public sealed record Command(int Urn, Guid? OfferId, int? Quantity, IReadOnlyList<DateOnly>? PreferredDates, string? PreferredTerm,
        Guid? PractitionerId, string? PurchaseOrderNumber, string? Notes, string? IdempotencyKey, bool PayShortfallInPounds = false) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(x => x.OfferId).NotEmpty().WithMessage("Choose the offer to book");
            RuleFor(x => x.Quantity).NotNull().WithMessage("Enter how many to book").InclusiveBetween(1, 100).WithMessage("Book between 1 and 100 at a time");
            RuleFor(x => x.PreferredDates).Must(d => d is null || d.Count <= 20).WithMessage("Give at most 20 preferred dates");
            RuleForEach(x => x.PreferredDates).Must(d => d > clock.Today()).WithMessage("Preferred dates must be in the future");
            RuleFor(x => x.PreferredTerm).MaximumLength(100).WithMessage("Keep the preferred term to 100 characters");
            RuleFor(x => x.PurchaseOrderNumber).MaximumLength(50).WithMessage("A purchase-order number is 50 characters or fewer");
            RuleFor(x => x.Notes).MaximumLength(2000).WithMessage("Keep the notes to 2,000 characters");
            RuleFor(x => x.IdempotencyKey).NotEmpty().OverridePropertyName("Idempotency-Key").WithMessage("Send an Idempotency-Key header (a new random value per booking)")
                .MaximumLength(100).WithMessage("The Idempotency-Key is 100 characters or fewer");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, CreditLedger ledger, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var school = await Access.SchoolAsync(db, user, request.Urn, ct);
            if (!user.IsAdmin() && !user.IsBuyerFor(school.Id)) throw new ForbiddenException("Only the school's own buyers can book for it.");
            var key = $"booking:{school.Id:N}:{request.IdempotencyKey}";
            var hash = Fingerprint(request);
            var existing = await db.Bookings.AsNoTracking().Where(b => b.RequestKey == key).Select(b => new { b.Id, b.RequestHash }).SingleOrDefaultAsync(ct);
            if (existing is not null) return existing.RequestHash == hash ? existing.Id : throw new IdempotencyKeyReusedException();
            if (school.RequiresPurchaseOrder && string.IsNullOrWhiteSpace(request.PurchaseOrderNumber))
                throw new ValidationException([new("PurchaseOrderNumber", "Enter your school's purchase-order number: your school quotes one on every booking")]);

            // Only the published version is loaded (not every version of the offer).
            var offer = await db.Offers.AsNoTracking().Where(o => o.Id == request.OfferId).Select(o => new
            {
                o.Id, o.ProviderId, o.Status, o.PublishedVersionId,
                EverApproved = o.Versions.Any(v => v.ApprovedAt != null),
                Version = o.Versions.FirstOrDefault(v => v.Id == o.PublishedVersionId),
                Provider = db.Providers.Where(p => p.Id == o.ProviderId).Select(p => new { p.Kind, p.LocalAuthorityId }).Single(),
            }).SingleOrDefaultAsync(ct);
            // A withdrawn offer that was once in the catalogue gets a clear 409; anything never published is not there (404).
            if (offer is { Status: OfferStatus.Withdrawn, EverApproved: true })
                throw new DomainRuleException("booking.withdrawn", "This offer has been withdrawn and can no longer be booked.");
            if (offer?.Version is null) throw new NotFoundException("Offer", request.OfferId!);
            var version = offer.Version;
            var today = clock.Today();
            var subscription = await db.Subscriptions.AsNoTracking()
                .Where(s => s.SchoolId == school.Id && s.Status == SubscriptionStatus.Active && s.StartsOn <= today && s.PeriodEnd >= today)
                .Select(s => new
                {
                    s.Id, s.Tier, s.PeriodStart,
                    Package = db.TierPackages.Where(p => p.Id == s.PackageId).Select(p => new { p.AdviserSessions, p.DiscountBasisPoints }).Single(),
                }).SingleOrDefaultAsync(ct);
            var tier = subscription?.Tier;
            var price = version.CreditsFor(tier);
            if (price is null)
                throw new DomainRuleException("booking.tier", $"This offer is not available to {tier.ToString()!.ToLowerInvariant()} subscribers.");
            if (request.PayShortfallInPounds)
            {
                if (!version.PayAsYouUse)
                    throw new DomainRuleException("booking.pounds", "This offer is paid for in credits only.");
                if (!user.IsAdmin() && !user.CanCommitSpend)
                    throw new ForbiddenException("Only a buyer authorised to commit the school's spend can agree to pay in pounds.");
            }
            if (request.PractitionerId is { } practitioner
                && !await db.Practitioners.AnyAsync(p => p.Id == practitioner && p.ProviderId == offer.ProviderId, ct))
                throw new ValidationException([new("PractitionerId", "Choose one of the provider's practitioners")]);

            var quantity = request.Quantity!.Value;
            // References are short enough to read out on the phone, so two can collide: then the whole write is tried again with a new one.
            for (var attempt = 1; ; attempt++)
            {
                var id = Guid.CreateVersion7();
                await using var tx = await db.Database.BeginTransactionAsync(ct);

                // 1. Included adviser sessions (the school's own LA's traded service only), counted per school and period under a lock.
                var sessionUnits = 0;
                if (version.UsesAdviserSessions && subscription is { Package.AdviserSessions: > 0 }
                    && offer.Provider.Kind == Domain.Organisations.ProviderKind.LaTradedService && offer.Provider.LocalAuthorityId == school.LocalAuthorityId)
                {
                    await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtext({"sessions:" + school.Id.ToString("N")}))", ct);
                    var used = await AdviserSessions.UsedAsync(db, school.Id, subscription.PeriodStart, ct);
                    sessionUnits = Math.Clamp(subscription.Package.AdviserSessions - used, 0, quantity);
                }

                // 2. Credits; 3. pounds for what the credits do not cover, when the buyer asked for that.
                var creditUnits = quantity - sessionUnits;
                var poundUnits = 0;
                if (request.PayShortfallInPounds && creditUnits > 0 && price > 0)
                {
                    var balance = await ledger.LockWalletAsync(school.Id, ct);
                    var affordable = (int)Math.Min(creditUnits, balance / price.Value);
                    poundUnits = creditUnits - affordable;
                    creditUnits = affordable;
                }
                var discount = subscription?.Package.DiscountBasisPoints ?? 0;
                var pencePerUnit = poundUnits > 0 ? (version.PricePence * (10_000 - discount) + 5_000) / 10_000 : 0;
                var payment = new BookingPayment(sessionUnits, creditUnits, poundUnits, price.Value, pencePerUnit, sessionUnits > 0 ? subscription!.Id : null);

                var booking = new Booking(id, BookingReferences.Next(), school.Id, offer.Id, version.Id, offer.ProviderId, school.LocalAuthorityId, tier,
                    version.Unit, payment, request.PreferredDates ?? [], request.PreferredTerm, request.PractitionerId,
                    request.PurchaseOrderNumber, request.Notes, user.UserId, clock.GetUtcNow(), key, hash);

                // The booking, its first event and the provider's email go in one round trip; the wallet is locked
                // last (by the hold), so concurrent bookings for one school queue on it for as short a time as possible.
                db.Bookings.Add(booking);
                try
                {
                    await mail.QueueAsync(booking, "requested", ct, fresh: true);
                }
                catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: var c } && c!.Contains("request_key"))
                {
                    // A concurrent request with the same key won: answer as a replay.
                    await tx.RollbackAsync(ct);
                    db.ChangeTracker.Clear();
                    var first = await db.Bookings.AsNoTracking().Where(b => b.RequestKey == key).Select(b => new { b.Id, b.RequestHash }).SingleAsync(ct);
                    return first.RequestHash == hash ? first.Id : throw new IdempotencyKeyReusedException();
                }
                catch (DbUpdateException e) when (attempt < 5
                    && e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: var c } && c!.Contains("reference"))
                {
                    await tx.RollbackAsync(ct);
                    db.ChangeTracker.Clear();
                    continue;
                }
                if (booking.TotalCredits > 0)
                    await ledger.HoldAsync(id, new CreditLedger.SpendRequest($"hold:{id:N}", school.Id, booking.TotalCredits, offer.Id, Guid.Empty,
                        $"Held for {booking.Reference}: {version.Title}", booking.Reference), ct);
                await tx.CommitAsync(ct);
                return id;
            }
        }

        private static string Fingerprint(Command r) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
            r.OfferId, r.Quantity, string.Join(',', r.PreferredDates ?? []), r.PreferredTerm, r.PractitionerId, r.PurchaseOrderNumber, r.Notes)
            + (r.PayShortfallInPounds ? "\npounds" : ""))));
    }
}

/// <summary>Booking references such as "BK-7Q2M9X": six characters people can read out on the phone (no 0/O or 1/I/L).</summary>
public static class BookingReferences
{
    private const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    /// <summary>The generator; a test swaps it to force a collision (a clash is retried with a new reference, never a 500).</summary>
    internal static Func<string> Next { get; set; } = Random;

    public static string Random()
    {
        Span<char> chars = stackalloc char[6];
        for (var i = 0; i < chars.Length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return "BK-" + new string(chars);
    }
}

public static class GetBooking
{
    public sealed record Query(Guid Id) : IQuery<BookingView>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, BookingView>
    {
        public async ValueTask<BookingView> Handle(Query request, CancellationToken ct)
        {
            await BookingAccess.FindAsync(db, user, request.Id, ct);
            return await BookingAccess.ViewAsync(db, request.Id, ct);
        }
    }
}

/// <summary>
/// The provider declines a request (the hold is released). Either side cancels: a request not yet
/// confirmed is free; a confirmed booking cancelled by the school is charged by the offer's terms
/// (<see cref="CancellationTerms"/>, counted in England's working days), by the provider it is free.
/// </summary>
public static class AnswerBooking
{
    public enum Kind { Decline, Cancel }

    public sealed record Command(Guid Id, Kind Action, string? Reason) : ICommand<Unit>;

    /// <summary>Work on a booked date is taken to start at 09:00 UK time for the 48-hour rule.</summary>
    public static readonly TimeSpan DayStarts = TimeSpan.FromHours(9);

    /// <summary>When work on <paramref name="day"/> starts, for the 48-hour rule.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => UkClock.StartOf(day) + DayStarts;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).NotEmpty().When(x => x.Action == Kind.Decline).WithMessage("Give the school a reason");
            RuleFor(x => x.Reason).MaximumLength(1000).WithMessage("Keep the reason to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, BookingSettlement settlement, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            var now = clock.GetUtcNow();
            var isProvider = user.IsProviderUserOf(booking.ProviderId);
            var isSchool = user.IsBuyerFor(booking.SchoolId);
            string why;
            if (request.Action == Kind.Decline)
            {
                if (!user.IsAdmin() && !isProvider) throw new ForbiddenException("Only the provider can decline a booking.");
                booking.Decline(request.Reason!, user.UserId, now);
                why = "declined";
            }
            else if (booking.Status == BookingStatus.Requested)
            {
                if (!user.IsAdmin() && !isSchool) throw new ForbiddenException("Only the school can withdraw its request; the provider declines it.");
                booking.CancelRequest(request.Reason, user.UserId, now);
                why = "request cancelled";
            }
            else
            {
                if (!user.IsAdmin() && !isSchool && !isProvider) throw new ForbiddenException("Only the school or the provider can cancel a booking.");
                var first = booking.ConfirmedDates.Count > 0 ? booking.ConfirmedDates[0] : clock.Today();
                var terms = await BookingAccess.TermsAsync(db, booking, ct);
                var charge = terms.ChargeFor(booking.TotalCredits, first, StartOf(first), clock.Today(), now, booking.LateRuleWaived);
                booking.CancelConfirmed(byProvider: isProvider, charge, request.Reason, user.UserId, now);
                db.BookingSlots.RemoveRange(db.BookingSlots.Where(s => s.BookingId == booking.Id));
                why = isProvider ? "cancelled by the provider" : $"cancelled by the school, {charge.Rule}";
            }
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct); // the row version refuses a racing answer (409)
            await settlement.SettleAsync(booking, booking.CapturedCredits, why, ct);
            await mail.QueueAsync(booking, request.Action == Kind.Decline ? "declined" : "cancelled", ct);
            await tx.CommitAsync(ct);
            return Unit.Value;
        }
    }
}

/// <summary>The provider records delivery; the school signs off (credits captured, the undelivered part released) or disputes.</summary>
public static class CompleteBooking
{
    public enum Kind { Deliver, SignOff, Dispute }

    public sealed record Command(Guid Id, Kind Action, IReadOnlyList<DateOnly>? Dates = null, int? Quantity = null, int? Minutes = null, string? Note = null)
        : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            When(x => x.Action == Kind.Deliver, () =>
            {
                RuleFor(x => x.Dates).NotEmpty().WithMessage("Give the date or dates the work was done");
                RuleForEach(x => x.Dates).Must(d => d <= clock.Today()).WithMessage("Delivery dates cannot be in the future");
                RuleFor(x => x.Quantity).NotNull().WithMessage("Enter how much was delivered").InclusiveBetween(1, 100).WithMessage("Enter how much was delivered");
                RuleFor(x => x.Minutes).NotNull().WithMessage("Enter how long the work took").InclusiveBetween(1, 100 * 24 * 60).WithMessage("Enter how long the work took, in minutes");
                RuleFor(x => x.Note).NotEmpty().WithMessage("Write a short note of the visit").MaximumLength(2000).WithMessage("Keep the note to 2,000 characters");
            });
            When(x => x.Action == Kind.Dispute, () =>
                RuleFor(x => x.Note).NotEmpty().WithMessage("Say what is wrong").MaximumLength(1000).WithMessage("Keep it to 1,000 characters"));
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, BookingSettlement settlement, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            var now = clock.GetUtcNow();
            switch (request.Action)
            {
                case Kind.Deliver:
                    if (!user.IsAdmin() && !user.IsProviderUserOf(booking.ProviderId)) throw new ForbiddenException("Only the provider records delivery.");
                    booking.Deliver(request.Dates!, request.Quantity!.Value, request.Minutes!.Value, request.Note!, user.UserId, now);
                    await using (var tx = await db.Database.BeginTransactionAsync(ct))
                    {
                        await db.SaveChangesAsync(ct);
                        await mail.QueueAsync(booking, "delivered", ct);
                        await tx.CommitAsync(ct);
                    }
                    return Unit.Value;
                case Kind.Dispute:
                    if (!user.IsBuyerFor(booking.SchoolId)) throw new ForbiddenException("Only the school can dispute its booking.");
                    booking.Dispute(request.Note!, user.UserId, now);
                    await using (var tx = await db.Database.BeginTransactionAsync(ct))
                    {
                        await db.SaveChangesAsync(ct);
                        await mail.QueueAsync(booking, "disputed", ct);
                        await tx.CommitAsync(ct);
                    }
                    return Unit.Value;
                default:
                    if (!user.IsBuyerFor(booking.SchoolId)) throw new ForbiddenException("Only the school can sign off its booking.");
                    booking.SignOff(user.UserId, now);
                    await using (var tx = await db.Database.BeginTransactionAsync(ct))
                    {
                        await db.SaveChangesAsync(ct);
                        await settlement.SettleAsync(booking, booking.CapturedCredits, "signed off", ct);
                        await tx.CommitAsync(ct);
                    }
                    return Unit.Value;
            }
        }
    }
}

/// <summary>The provider confirms with a practitioner and dates; a practitioner already booked on a date is a 409, even when two confirmations race.</summary>
public static class ConfirmBooking
{
    public sealed record Command(Guid Id, Guid? PractitionerId, IReadOnlyList<DateOnly>? Dates) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(x => x.PractitionerId).NotEmpty().WithMessage("Choose the practitioner");
            RuleFor(x => x.Dates).NotEmpty().WithMessage("Give the date or dates of the work").Must(d => d is null || d.Count <= 100).WithMessage("Give at most 100 dates");
            RuleForEach(x => x.Dates).Must(d => d > clock.Today()).WithMessage("Dates must be in the future");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, BookingMail mail, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            if (!user.IsAdmin() && !user.IsProviderUserOf(booking.ProviderId)) throw new ForbiddenException("Only the provider can confirm a booking.");
            if (!await db.Practitioners.AnyAsync(p => p.Id == request.PractitionerId && p.ProviderId == booking.ProviderId, ct))
                throw new ValidationException([new("PractitionerId", "Choose one of your practitioners")]);
            var dates = request.Dates!.Distinct().Order().ToList();
            booking.Confirm(request.PractitionerId!.Value, dates, user.UserId, clock.GetUtcNow());
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await Availability.EnsureAvailableAsync(db, request.PractitionerId!.Value, dates, ct);
            foreach (var d in dates) db.BookingSlots.Add(new BookingSlot(request.PractitionerId!.Value, d, booking.Id));
            await Availability.SaveSlotsAsync(db, ct);
            await mail.QueueAsync(booking, "confirmed", ct);
            await tx.CommitAsync(ct);
            return Unit.Value;
        }
    }
}

public sealed record BookingSummary(Guid Id, string Reference, string OfferTitle, string Provider, int Quantity, OfferUnit Unit, int TotalCredits,
    BookingStatus Status, IReadOnlyList<DateOnly> ConfirmedDates, DateTimeOffset RequestedAt);

/// <summary>A school's bookings, newest first (its buyers, its LA's commissioners, admins).</summary>
public static class ListSchoolBookings
{
    public sealed record Query(int Urn) : IQuery<IReadOnlyList<BookingSummary>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, IReadOnlyList<BookingSummary>>
    {
        public async ValueTask<IReadOnlyList<BookingSummary>> Handle(Query request, CancellationToken ct)
        {
            var school = await Access.SchoolAsync(db, user, request.Urn, ct);
            var rows = await db.Bookings.AsNoTracking().Where(b => b.SchoolId == school.Id).OrderByDescending(b => b.RequestedAt).Take(500)
                .Select(b => new
                {
                    b.Id, b.Reference, Title = db.OfferVersions.Where(v => v.Id == b.OfferVersionId).Select(v => v.Title).Single(),
                    Provider = db.Providers.Where(p => p.Id == b.ProviderId).Select(p => p.Name).Single(),
                    b.Quantity, b.Unit, b.TotalCredits, b.Status, b.ConfirmedDates, b.RequestedAt,
                }).ToListAsync(ct);
            return rows.Select(r => new BookingSummary(r.Id, r.Reference, r.Title, r.Provider, r.Quantity, r.Unit, r.TotalCredits, r.Status, r.ConfirmedDates, r.RequestedAt)).ToList();
        }
    }
}

public sealed record ProviderBookingSummary(Guid Id, string Reference, string School, string OfferTitle, int Quantity, OfferUnit Unit, int TotalCredits,
    BookingStatus Status, IReadOnlyList<DateOnly> PreferredDates, IReadOnlyList<DateOnly> ConfirmedDates, DateTimeOffset RequestedAt);

/// <summary>A provider's bookings, newest first (its own users and admins).</summary>
public static class ListProviderBookings
{
    public sealed record Query(Guid ProviderId) : IQuery<IReadOnlyList<ProviderBookingSummary>>;

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, IReadOnlyList<ProviderBookingSummary>>
    {
        public async ValueTask<IReadOnlyList<ProviderBookingSummary>> Handle(Query request, CancellationToken ct)
        {
            if (!user.IsAdmin() && !user.IsProviderUserOf(request.ProviderId)) throw new ForbiddenException("Only the provider can see its bookings.");
            var rows = await db.Bookings.AsNoTracking().Where(b => b.ProviderId == request.ProviderId).OrderByDescending(b => b.RequestedAt).Take(500)
                .Select(b => new
                {
                    b.Id, b.Reference, School = db.Schools.Where(s => s.Id == b.SchoolId).Select(s => s.Name).Single(),
                    Title = db.OfferVersions.Where(v => v.Id == b.OfferVersionId).Select(v => v.Title).Single(),
                    b.Quantity, b.Unit, b.TotalCredits, b.Status, b.PreferredDates, b.ConfirmedDates, b.RequestedAt,
                }).ToListAsync(ct);
            return rows.Select(r => new ProviderBookingSummary(r.Id, r.Reference, r.School, r.Title, r.Quantity, r.Unit, r.TotalCredits, r.Status,
                r.PreferredDates, r.ConfirmedDates, r.RequestedAt)).ToList();
        }
    }
}
