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
            RuleForEach(x => x.PreferredDates).Must(d => BookingDates.Refusal(d, clock.Today()) is null).WithMessage((_, d) => BookingDates.Refusal(d, clock.Today()));
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
            var school = await QuoteBooking.SchoolToBookForAsync(db, user, request.Urn, ct);
            var key = $"booking:{school.Id:N}:{request.IdempotencyKey}";
            var hash = Fingerprint(request);
            var existing = await db.Bookings.AsNoTracking().Where(b => b.RequestKey == key).Select(b => new { b.Id, b.RequestHash }).SingleOrDefaultAsync(ct);
            if (existing is not null) return existing.RequestHash == hash ? existing.Id : throw new IdempotencyKeyReusedException();
            QuoteBooking.RequirePurchaseOrderIfTheSchoolDoes(school, request.PurchaseOrderNumber);
            // The facts and the plan the check page quotes from (QuoteBooking); here sessions are counted and the wallet read under locks.
            var facts = await QuoteBooking.FactsAsync(db, user, school, request.OfferId, request.PractitionerId, request.PayShortfallInPounds, clock.Today(), ct);
            var version = facts.Version;
            await Terms.TermTime.EnsureInTermAsync(db, school.Id, version.Id, request.PreferredDates, "PreferredDates", ct);
            var quantity = request.Quantity!.Value;
            // References are short enough to read out on the phone, so two can collide: then the write is tried again with a new one.
            // The command's transaction survives a refused save: inside it, EF Core wraps each SaveChanges in a savepoint and rolls
            // back to it on failure, so PostgreSQL does not abort the transaction, and the locks taken below are kept (and retaken harmlessly).
            for (var attempt = 1; ; attempt++)
            {
                var id = Guid.CreateVersion7();

                // Included adviser sessions (the school's own LA's traded service only), counted per school and period under a lock.
                var sessionsLeft = 0;
                if (facts.UsesSessions)
                {
                    await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtext({"sessions:" + school.Id.ToString("N")}))", ct);
                    sessionsLeft = facts.AdviserSessions - await AdviserSessions.UsedAsync(db, school.Id, facts.PeriodStart!.Value, ct);
                }
                // The wallet is read (and locked) only when the buyer agreed to pay in pounds what the credits do not cover.
                long? creditsAvailable = facts.NeedsWallet(quantity, sessionsLeft, request.PayShortfallInPounds) ? await ledger.LockWalletAsync(school.Id, ct) : null;
                var payment = facts.Plan(quantity, sessionsLeft, creditsAvailable);

                var booking = new Booking(id, BookingReferences.Next(), school.Id, facts.OfferId, version.Id, facts.ProviderId, school.LocalAuthorityId, facts.Tier,
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
                    await ledger.HoldAsync(id, new CreditLedger.SpendRequest($"hold:{id:N}", school.Id, booking.TotalCredits, facts.OfferId, Guid.Empty,
                        $"Held for {booking.Reference}: {version.Title}", booking.Reference), ct);
                return id;
            }
        }

        private static string Fingerprint(Command r) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
            r.OfferId, r.Quantity, string.Join(',', r.PreferredDates ?? []), r.PreferredTerm, r.PractitionerId, r.PurchaseOrderNumber, r.Notes)
            + (r.PayShortfallInPounds ? "\npounds" : ""))));
    }
}
