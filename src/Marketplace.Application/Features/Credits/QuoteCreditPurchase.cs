using FluentValidation;
using FluentValidation.Results;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Common;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Credits;

/// <summary>
/// What a credit purchase would cost before the school commits to it: the LA's credit price, the tier's
/// discount, the price per credit, the total, and when the credits would expire. <see cref="PurchaseCredits"/>
/// prices through <see cref="TermsAsync"/> and <see cref="Terms.UnitPricePence"/> too, so the check page
/// and the purchase cannot disagree.
/// </summary>
public static class QuoteCreditPurchase
{
    public sealed record Query(int Urn, int? Credits, string? PurchaseOrderNumber) : IQuery<Result>;

    public sealed record Result(int Urn, int Credits, long CreditPricePence, int DiscountBasisPoints, long UnitPricePence,
        long TotalPence, string? PurchaseOrderNumber, bool RequiresPurchaseOrder, DateOnly ExpiresOn, long? ApprovalLimitPence = null,
        bool NeedsApproval = false);

    /// <summary>What the school's LA and current package say about buying credits today.</summary>
    public sealed record Terms(Guid SchoolId, Guid LocalAuthorityId, long CreditPricePence, int DiscountBasisPoints,
        int ValidityMonths, bool RequiresPurchaseOrder, long? ApprovalLimitPence = null)
    {
        /// <summary>
        /// The LA's rule: a buyer who may not commit the school's spend buys up to the limit directly; above it
        /// the school's approver must confirm.
        /// </summary>
        public bool NeedsApproval(ICurrentUser user, int credits) =>
            !user.IsAdmin() && !user.CanCommitSpend && ApprovalLimitPence is { } limit && TotalPence(credits) > limit;

        /// <summary>The school's tier package sets the discount on extra credits.</summary>
        public long UnitPricePence => TierDiscount.Apply(CreditPricePence, DiscountBasisPoints);

        public long TotalPence(int credits) => checked(credits * UnitPricePence);

        public DateOnly ExpiresOn(DateOnly today) => today.AddMonths(ValidityMonths);

        /// <summary>The school's rule: when it quotes a purchase-order number on everything, a purchase needs one too.</summary>
        public void RequirePurchaseOrderIfTheSchoolDoes(string? purchaseOrderNumber)
        {
            if (RequiresPurchaseOrder && string.IsNullOrWhiteSpace(purchaseOrderNumber))
                throw new ValidationException([new ValidationFailure("PurchaseOrderNumber",
                    "Enter your school's purchase-order number: your school quotes one on every purchase")]);
        }
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(x => x.Credits).NotNull().WithMessage("Enter how many credits to buy")
                .InclusiveBetween(1, PurchaseCredits.MaxCreditsPerPurchase).WithMessage($"Buy between 1 and {PurchaseCredits.MaxCreditsPerPurchase:N0} credits at a time");
            RuleFor(x => x.PurchaseOrderNumber).MaximumLength(50).WithMessage("A purchase-order number is 50 characters or fewer");
        }
    }

    /// <summary>
    /// The terms for a school the caller may buy for: 404 for a school the caller may not see (as the balance
    /// does), 403 for a commissioner who may see it but not buy.
    /// </summary>
    public static async Task<Terms> TermsAsync(MarketplaceDbContext db, ICurrentUser user, int urn, DateOnly today, CancellationToken ct)
    {
        // One query: the school, its LA's credit price, and its current package's discount and validity.
        var school = await db.Schools.AsNoTracking().Where(s => s.Urn == urn)
            .Select(s => new
            {
                s.Id, s.LocalAuthorityId, CreditPrice = s.LocalAuthority!.CreditPricePence, s.RequiresPurchaseOrder,
                ApprovalLimit = s.LocalAuthority.CreditPurchaseApprovalLimitPence,
                Package = db.Subscriptions
                    .Where(x => x.SchoolId == s.Id && x.Status == SubscriptionStatus.Active && x.StartsOn <= today && x.PeriodEnd >= today)
                    .Join(db.TierPackages, x => x.PackageId, p => p.Id, (x, p) => new { p.DiscountBasisPoints, p.PurchasedCreditValidityMonths })
                    .FirstOrDefault(),
            })
            .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("School", urn);
        var maySee = user.IsAdmin() || user.IsBuyerFor(school.Id) || user.IsCommissionerOf(school.LocalAuthorityId);
        if (!maySee) throw new NotFoundException("School", urn);
        if (!user.IsAdmin() && !user.IsBuyerFor(school.Id))
            throw new ForbiddenException("Only the school's own buyers can buy credits for it.");
        return new Terms(school.Id, school.LocalAuthorityId, school.CreditPrice, school.Package?.DiscountBasisPoints ?? 0,
            school.Package?.PurchasedCreditValidityMonths ?? PurchaseCredits.DefaultValidityMonths, school.RequiresPurchaseOrder, school.ApprovalLimit);
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var today = clock.Today();
            var terms = await TermsAsync(db, user, request.Urn, today, ct);
            terms.RequirePurchaseOrderIfTheSchoolDoes(request.PurchaseOrderNumber);
            var po = string.IsNullOrWhiteSpace(request.PurchaseOrderNumber) ? null : request.PurchaseOrderNumber.Trim();
            var credits = request.Credits!.Value;
            return new Result(request.Urn, credits, terms.CreditPricePence, terms.DiscountBasisPoints, terms.UnitPricePence,
                terms.TotalPence(credits), po, terms.RequiresPurchaseOrder, terms.ExpiresOn(today), terms.ApprovalLimitPence,
                terms.NeedsApproval(user, credits));
        }
    }
}
