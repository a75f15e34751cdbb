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

/// <summary>
/// A school books an offer at its tier's price; the credits are held (moved from the wallet into the
/// booking's hold account) in the command's transaction, or the request is refused with 409 and nothing is
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
                throw new DomainRuleException("booking.tier", $"This offer is not available to {(tier is { } t ? DisplayNames.Lower(t) + " subscribers" : "schools without a subscription")}.");
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
            // References are short enough to read out on the phone, so two can collide: then the write is tried again with a new one.
            // The command's transaction survives a refused save: inside it, EF Core wraps each SaveChanges in a savepoint and rolls
            // back to it on failure, so PostgreSQL does not abort the transaction, and the locks taken below are kept (and retaken harmlessly).
            for (var attempt = 1; ; attempt++)
            {
                var id = Guid.CreateVersion7();

                // Included adviser sessions (the school's own LA's traded service only), counted per school and period under a lock.
                var sessionsLeft = 0;
                if (version.UsesAdviserSessions && subscription is { Package.AdviserSessions: > 0 }
                    && offer.Provider.Kind == Domain.Organisations.ProviderKind.LaTradedService && offer.Provider.LocalAuthorityId == school.LocalAuthorityId)
                {
                    await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtext({"sessions:" + school.Id.ToString("N")}))", ct);
                    sessionsLeft = subscription.Package.AdviserSessions - await AdviserSessions.UsedAsync(db, school.Id, subscription.PeriodStart, ct);
                }
                // The wallet is read (and locked) only when the buyer agreed to pay in pounds what the credits do not cover.
                long? creditsAvailable = null;
                if (request.PayShortfallInPounds && quantity > Math.Max(sessionsLeft, 0) && price > 0)
                    creditsAvailable = await ledger.LockWalletAsync(school.Id, ct);
                var pencePerPoundUnit = TierDiscount.Apply(version.PricePence, subscription?.Package.DiscountBasisPoints ?? 0);
                var payment = BookingPaymentRule.Plan(quantity, price.Value, sessionsLeft, creditsAvailable, pencePerPoundUnit, subscription?.Id);

                var booking = new Booking(id, BookingReferences.Next(), school.Id, offer.Id, version.Id, offer.ProviderId, school.LocalAuthorityId, tier,
                    version.Unit, payment, request.PreferredDates ?? [], request.PreferredTerm, request.PractitionerId,
                    request.PurchaseOrderNumber, request.Notes, user.UserId, clock.GetUtcNow(), key, hash);

                // The booking, its first event and the provider's email go in one write; the wallet is locked
                // last (by the hold), so concurrent bookings for one school queue on it for as short a time as possible.
                db.Bookings.Add(booking);
                await mail.QueueAsync(booking, "requested", ct, fresh: true);
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: var c } && c!.Contains("request_key"))
                {
                    // A concurrent request with the same key won: answer as a replay (this command has written nothing).
                    db.ChangeTracker.Clear();
                    var first = await db.Bookings.AsNoTracking().Where(b => b.RequestKey == key).Select(b => new { b.Id, b.RequestHash }).SingleAsync(ct);
                    return first.RequestHash == hash ? first.Id : throw new IdempotencyKeyReusedException();
                }
                catch (DbUpdateException e) when (attempt < 5
                    && e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: var c } && c!.Contains("reference"))
                {
                    db.ChangeTracker.Clear();
                    continue;
                }
                if (booking.TotalCredits > 0)
                    await ledger.HoldAsync(id, new CreditLedger.SpendRequest($"hold:{id:N}", school.Id, booking.TotalCredits, offer.Id, Guid.Empty,
                        $"Held for {booking.Reference}: {version.Title}", booking.Reference), ct);
                return id;
            }
        }

        private static string Fingerprint(Command r) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
            r.OfferId, r.Quantity, string.Join(',', r.PreferredDates ?? []), r.PreferredTerm, r.PractitionerId, r.PurchaseOrderNumber, r.Notes)
            + (r.PayShortfallInPounds ? "\npounds" : ""))));
    }
}
