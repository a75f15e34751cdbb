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
/// first purchase and credit once; the same key with a different body is refused (422).
/// </summary>
public static class PurchaseCredits
{
    /// <summary>Purchased credits last this long unless the LA's package says otherwise.</summary>
    public const int DefaultValidityMonths = 12;

    public const int MaxCreditsPerPurchase = 10_000;

    public sealed record Command(int Urn, int? Credits, string? PurchaseOrderNumber, string? IdempotencyKey) : ICommand<Result>;

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
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var today = clock.Today();
            // Priced exactly as the check page quoted it (QuoteCreditPurchase): one rule for both.
            var terms = await QuoteCreditPurchase.TermsAsync(db, user, request.Urn, today, ct);
            terms.RequirePurchaseOrderIfTheSchoolDoes(request.PurchaseOrderNumber);

            var po = string.IsNullOrWhiteSpace(request.PurchaseOrderNumber) ? null : request.PurchaseOrderNumber.Trim();
            var hash = Fingerprint(request.Credits!.Value, po);
            var key = $"purchase:{terms.SchoolId:N}:{request.IdempotencyKey}";
            var unitPrice = terms.UnitPricePence;
            var expires = terms.ExpiresOn(today);
            var now = clock.GetUtcNow();
            now = now.AddTicks(-(now.Ticks % 10)); // PostgreSQL keeps microseconds: the first answer and a replay must match
            var purchase = new CreditPurchase(Guid.CreateVersion7(), terms.SchoolId, terms.LocalAuthorityId, request.Credits.Value, unitPrice, po,
                expires, user.UserId, now);

            var outcome = await ledger.PurchaseAsync(purchase, key, hash, $"Bought {request.Credits} credits", ct);
            if (!outcome.Replayed)
                return new Result(purchase.Id, request.Urn, purchase.Credits, purchase.UnitPricePence, purchase.TotalPence,
                    purchase.PurchaseOrderNumber, purchase.ExpiresOn, purchase.Status, purchase.CreatedAt);

            if (outcome.RequestHash != hash) throw new IdempotencyKeyReusedException();
            return await db.CreditPurchases.AsNoTracking().Where(p => p.Id == outcome.TransactionId)
                .Select(p => new Result(p.Id, request.Urn, p.Credits, p.UnitPricePence, p.TotalPence, p.PurchaseOrderNumber,
                    p.ExpiresOn, p.Status, p.CreatedAt))
                .SingleAsync(ct);
        }

        private static string Fingerprint(int credits, string? po) =>
            Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{credits}\n{po}")));
    }
}
