using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Domain.Common;
using Marketplace.Domain.Credits;
using Marketplace.Domain.Subscriptions;
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
            // One query: the school, its LA's credit price, and its current package's discount and validity.
            var school = await db.Schools.AsNoTracking().Where(s => s.Urn == request.Urn)
                .Select(s => new
                {
                    s.Id, s.LocalAuthorityId, CreditPrice = s.LocalAuthority!.CreditPricePence,
                    Package = db.Subscriptions
                        .Where(x => x.SchoolId == s.Id && x.Status == SubscriptionStatus.Active && x.StartsOn <= today && x.PeriodEnd >= today)
                        .Join(db.TierPackages, x => x.PackageId, p => p.Id, (x, p) => new { p.DiscountBasisPoints, p.PurchasedCreditValidityMonths })
                        .FirstOrDefault(),
                })
                .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("School", request.Urn);
            var maySee = user.IsAdmin() || user.IsBuyerFor(school.Id) || user.IsCommissionerOf(school.LocalAuthorityId);
            if (!maySee) throw new NotFoundException("School", request.Urn);
            if (!user.IsAdmin() && !user.IsBuyerFor(school.Id))
                throw new ForbiddenException("Only the school's own buyers can buy credits for it.");

            var po = string.IsNullOrWhiteSpace(request.PurchaseOrderNumber) ? null : request.PurchaseOrderNumber.Trim();
            var hash = Fingerprint(request.Credits!.Value, po);
            var key = $"purchase:{school.Id:N}:{request.IdempotencyKey}";
            // The school's tier package sets the discount on extra credits and how long they last.
            var unitPrice = TierDiscount.Apply(school.CreditPrice, school.Package?.DiscountBasisPoints ?? 0);
            var expires = today.AddMonths(school.Package?.PurchasedCreditValidityMonths ?? DefaultValidityMonths);
            var now = clock.GetUtcNow();
            now = now.AddTicks(-(now.Ticks % 10)); // PostgreSQL keeps microseconds: the first answer and a replay must match
            var purchase = new CreditPurchase(Guid.CreateVersion7(), school.Id, school.LocalAuthorityId, request.Credits.Value, unitPrice, po,
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
