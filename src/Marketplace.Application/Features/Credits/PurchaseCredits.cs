using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Domain.Credits;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Credits;

/// <summary>
/// A school tops up its wallet. Until payments land, the purchase is recorded on account to be invoiced.
/// Idempotent by the client's Idempotency-Key (scoped to the school): the same key and body return the
/// first purchase and credit once; the same key with a different body is refused (422). A buyer who may not commit
/// the school's spend, buying above the LA's approval limit, buys nothing: a <see cref="CreditPurchaseRequest"/> is
/// recorded (idempotent by the same key) for the school's approver (<see cref="ApproveCreditPurchase"/>).
/// </summary>
public static class PurchaseCredits
{
    /// <summary>Purchased credits last this long unless the LA's package says otherwise.</summary>
    public const int DefaultValidityMonths = 12;

    public const int MaxCreditsPerPurchase = 10_000;

    public sealed record Command(int Urn, int? Credits, string? PurchaseOrderNumber, string? IdempotencyKey) : ICommand<Outcome>;

    /// <summary>Either the purchase, or the request waiting for the school's approver.</summary>
    public sealed record Outcome(Result? Purchase, CreditPurchaseRequestView? PendingRequest);

    public sealed record Result(Guid PurchaseId, int Urn, int Credits, long UnitPricePence, long TotalPence,
        string? PurchaseOrderNumber, DateOnly ExpiresOn, PurchaseStatus Status, DateTimeOffset CreatedAt);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Credits).NotNull().WithMessage("Enter how many credits to buy")
                .InclusiveBetween(1, MaxCreditsPerPurchase).WithMessage($"Buy between 1 and {MaxCreditsPerPurchase:N0} credits at a time");
            RuleFor(x => x.PurchaseOrderNumber).MaximumLength(50).WithMessage("A purchase-order number is 50 characters or fewer");
            RuleFor(x => x.IdempotencyKey).NotEmpty().OverridePropertyName("Idempotency-Key").WithMessage("Send an Idempotency-Key header (a new random value per purchase)")
                .MaximumLength(100).WithMessage("The Idempotency-Key is 100 characters or fewer");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, CreditLedger ledger, ICurrentUser user, TimeProvider clock)
        : ICommandHandler<Command, Outcome>
    {
        public async ValueTask<Outcome> Handle(Command request, CancellationToken ct)
        {
            var today = clock.Today();
            // Priced exactly as the check page quoted it (QuoteCreditPurchase): one rule for both.
            var terms = await QuoteCreditPurchase.TermsAsync(db, user, request.Urn, today, ct);
            terms.RequirePurchaseOrderIfTheSchoolDoes(request.PurchaseOrderNumber);

            var po = string.IsNullOrWhiteSpace(request.PurchaseOrderNumber) ? null : request.PurchaseOrderNumber.Trim();
            var hash = Fingerprint(request.Credits!.Value, po);
            if (terms.NeedsApproval(user, request.Credits.Value))
                return new Outcome(null, await RequestApprovalAsync(terms, request, po, hash, ct));
            return new Outcome(await BuyAsync(db, ledger, user, clock, terms, request.Urn, request.Credits.Value, po,
                $"purchase:{terms.SchoolId:N}:{request.IdempotencyKey}", hash, ct), null);
        }

        /// <summary>Records the request once per Idempotency-Key: the unique index on (school, key) holds under a race.</summary>
        private async Task<CreditPurchaseRequestView> RequestApprovalAsync(QuoteCreditPurchase.Terms terms, Command request, string? po,
            string hash, CancellationToken ct)
        {
            var existing = await db.CreditPurchaseRequests.AsNoTracking()
                .Where(r => r.SchoolId == terms.SchoolId && r.IdempotencyKey == request.IdempotencyKey).Select(r => new { r.Id, r.RequestHash })
                .SingleOrDefaultAsync(ct);
            if (existing is not null)
            {
                if (existing.RequestHash != hash) throw new IdempotencyKeyReusedException();
                return await ListCreditPurchaseRequests.ViewAsync(db, request.Urn, existing.Id, ct);
            }
            var now = PostgresPrecision(clock.GetUtcNow());
            var pending = new CreditPurchaseRequest(Guid.CreateVersion7(), terms.SchoolId, request.Credits!.Value, po,
                terms.TotalPence(request.Credits.Value), request.IdempotencyKey!, hash, user.UserId!.Value, now);
            db.CreditPurchaseRequests.Add(pending);
            await db.SaveChangesAsync(ct);
            return await ListCreditPurchaseRequests.ViewAsync(db, request.Urn, pending.Id, ct);
        }
    }

    /// <summary>
    /// The purchase itself, shared by a direct purchase and an approved request: priced by <paramref name="terms"/>
    /// (today's quote rule) and idempotent by <paramref name="key"/> in the ledger.
    /// </summary>
    internal static async Task<Result> BuyAsync(MarketplaceDbContext db, CreditLedger ledger, ICurrentUser user, TimeProvider clock,
        QuoteCreditPurchase.Terms terms, int urn, int credits, string? po, string key, string hash, CancellationToken ct)
    {
        var today = clock.Today();
        var purchase = new CreditPurchase(Guid.CreateVersion7(), terms.SchoolId, terms.LocalAuthorityId, credits, terms.UnitPricePence, po,
            terms.ExpiresOn(today), user.UserId, PostgresPrecision(clock.GetUtcNow()));

        var outcome = await ledger.PurchaseAsync(purchase, key, hash, $"Bought {credits} credits", ct);
        if (!outcome.Replayed)
            return new Result(purchase.Id, urn, purchase.Credits, purchase.UnitPricePence, purchase.TotalPence,
                purchase.PurchaseOrderNumber, purchase.ExpiresOn, purchase.Status, purchase.CreatedAt);

        if (outcome.RequestHash != hash) throw new IdempotencyKeyReusedException();
        return await db.CreditPurchases.AsNoTracking().Where(p => p.Id == outcome.TransactionId)
            .Select(p => new Result(p.Id, urn, p.Credits, p.UnitPricePence, p.TotalPence, p.PurchaseOrderNumber,
                p.ExpiresOn, p.Status, p.CreatedAt))
            .SingleAsync(ct);
    }

    /// <summary>PostgreSQL keeps microseconds: the first answer and a replay must match.</summary>
    internal static DateTimeOffset PostgresPrecision(DateTimeOffset at) => at.AddTicks(-(at.Ticks % 10));

    internal static string Fingerprint(int credits, string? po) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{credits}\n{po}")));
}
