using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Bookings;

/// <summary>
/// How a booking request would be paid, before the school commits to it (ADR 0011, 0013): included adviser sessions,
/// then credits held, then pounds at the offer's price less the tier's discount when the buyer agrees. <see cref="RequestBooking"/>
/// gathers the same facts through <see cref="FactsAsync"/> and plans with the same <see cref="Plan"/>
/// (<see cref="BookingPaymentRule.Plan"/>), so the check page and the request agree. Nothing is saved or held.
/// </summary>
public static class QuoteBooking
{
    /// <summary><paramref name="PreferredDates"/> meet the request's date rules here too (ADR 0018), so the form refuses them before the check page.</summary>
    public sealed record Query(int Urn, Guid? OfferId, int? Quantity, Guid? PractitionerId, string? PurchaseOrderNumber, bool PayShortfallInPounds = false,
        IReadOnlyList<DateOnly>? PreferredDates = null) : IQuery<Result>;

    /// <summary>The plan, with the school's wallet balance and the LA's credit price so the credits can be read in pounds too.</summary>
    public sealed record Result(Guid OfferId, string OfferTitle, OfferUnit Unit, Tier? Tier, int Quantity, int CreditsPerUnit,
        int SessionUnits, int CreditUnits, int PoundUnits, long PencePerPoundUnit, long CreditsAvailable, long CreditPricePence, bool PayAsYouUse, string? PractitionerName)
    {
        public int TotalCredits => checked(CreditUnits * CreditsPerUnit);
        public long TotalPence => checked(PoundUnits * PencePerPoundUnit);
        public long CreditsValuePence => checked(TotalCredits * CreditPricePence);

        /// <summary>The credits the request would hold are more than the wallet has: the request would be refused.</summary>
        public bool ShortOfCredits => TotalCredits > CreditsAvailable;
    }

    /// <summary>The published offer version and the school's current package, as a request is priced from them.</summary>
    public sealed record Facts(School School, Guid OfferId, Guid ProviderId, OfferVersion Version, ProviderKind ProviderKind, Guid? ProviderLaId,
        Guid? SubscriptionId, Tier? Tier, DateOnly? PeriodStart, int AdviserSessions, int DiscountBasisPoints, int CreditsPerUnit)
    {
        /// <summary>Pay-as-you-use price of one unit after the tier's discount (<see cref="TierDiscount"/>).</summary>
        public long PencePerPoundUnit => TierDiscount.Apply(Version.PricePence, DiscountBasisPoints);

        /// <summary>Included sessions pay only for the school's own LA's traded service, on offers that use them.</summary>
        public bool UsesSessions => Version.UsesAdviserSessions && AdviserSessions > 0 && SubscriptionId is not null
            && ProviderKind == ProviderKind.LaTradedService && ProviderLaId == School.LocalAuthorityId;

        public BookingPayment Plan(int quantity, int sessionsLeft, long? creditsAvailable) =>
            BookingPaymentRule.Plan(quantity, CreditsPerUnit, sessionsLeft, creditsAvailable, PencePerPoundUnit, SubscriptionId);

        /// <summary>Whether the plan needs the wallet's balance: the buyer agreed to pounds and sessions do not cover it all.</summary>
        public bool NeedsWallet(int quantity, int sessionsLeft, bool payShortfallInPounds) =>
            payShortfallInPounds && quantity > Math.Max(sessionsLeft, 0) && CreditsPerUnit > 0;
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator(TimeProvider clock)
        {
            RuleForEach(x => x.PreferredDates).Must(d => BookingDates.Refusal(d, clock.Today()) is null).WithMessage((_, d) => BookingDates.Refusal(d, clock.Today()));
            RuleFor(x => x.OfferId).NotEmpty().WithMessage("Choose the offer to book");
            RuleFor(x => x.Quantity).NotNull().WithMessage("Enter how many to book").InclusiveBetween(1, 100).WithMessage("Book between 1 and 100 at a time");
            RuleFor(x => x.PurchaseOrderNumber).MaximumLength(50).WithMessage("A purchase-order number is 50 characters or fewer");
        }
    }

    /// <summary>The school, for its own buyers (and admins) only.</summary>
    public static async Task<School> SchoolToBookForAsync(MarketplaceDbContext db, ICurrentUser user, int urn, CancellationToken ct)
    {
        var school = await Access.SchoolAsync(db, user, urn, ct);
        if (!user.IsAdmin() && !user.IsBuyerFor(school.Id)) throw new ForbiddenException("Only the school's own buyers can book for it.");
        return school;
    }

    public static void RequirePurchaseOrderIfTheSchoolDoes(School school, string? purchaseOrderNumber)
    {
        if (school.RequiresPurchaseOrder && string.IsNullOrWhiteSpace(purchaseOrderNumber))
            throw new ValidationException([new("PurchaseOrderNumber", "Enter your school's purchase-order number: your school quotes one on every booking")]);
    }

    /// <summary>
    /// The offer's published version and the school's package today, with every refusal a request meets before it is
    /// planned: a withdrawn offer (409), one never published (404), a tier the offer does not sell to (409), pounds on
    /// an offer paid in credits only (409) or by a buyer who may not commit spend (403), a practitioner of another provider (400).
    /// </summary>
    public static async Task<Facts> FactsAsync(MarketplaceDbContext db, ICurrentUser user, School school, Guid? offerId, Guid? practitionerId,
        bool payShortfallInPounds, DateOnly today, CancellationToken ct)
    {
        // Only the published version is loaded (not every version of the offer).
        var offer = await db.Offers.AsNoTracking().Where(o => o.Id == offerId).Select(o => new
        {
            o.Id, o.ProviderId, o.Status, o.PublishedVersionId,
            EverApproved = o.Versions.Any(v => v.ApprovedAt != null),
            Version = o.Versions.FirstOrDefault(v => v.Id == o.PublishedVersionId),
            Provider = db.Providers.Where(p => p.Id == o.ProviderId).Select(p => new { p.Kind, p.LocalAuthorityId }).Single(),
        }).SingleOrDefaultAsync(ct);
        // A withdrawn offer that was once in the catalogue gets a clear 409; anything never published is not there (404).
        if (offer is { Status: OfferStatus.Withdrawn, EverApproved: true })
            throw new DomainRuleException("booking.withdrawn", "This offer has been withdrawn and can no longer be booked.");
        if (offer?.Version is null) throw new NotFoundException("Offer", offerId!);
        var version = offer.Version;
        var subscription = await db.Subscriptions.AsNoTracking()
            .Where(s => s.SchoolId == school.Id && s.Status == SubscriptionStatus.Active && s.StartsOn <= today && s.PeriodEnd >= today)
            .Select(s => new
            {
                s.Id, s.Tier, s.PeriodStart,
                Package = db.TierPackages.Where(p => p.Id == s.PackageId).Select(p => new { p.AdviserSessions, p.DiscountBasisPoints }).Single(),
            }).SingleOrDefaultAsync(ct);
        var tier = subscription?.Tier;
        var price = version.CreditsFor(tier)
            ?? throw new DomainRuleException("booking.tier", $"This offer is not available to {(tier is { } t ? DisplayNames.Lower(t) + " subscribers" : "schools without a subscription")}.");
        if (payShortfallInPounds)
        {
            if (!version.PayAsYouUse)
                throw new DomainRuleException("booking.pounds", "This offer is paid for in credits only.");
            if (!user.IsAdmin() && !user.CanCommitSpend)
                throw new ForbiddenException("Only a buyer authorised to commit the school's spend can agree to pay in pounds.");
        }
        if (practitionerId is { } practitioner && !await db.Practitioners.AnyAsync(p => p.Id == practitioner && p.ProviderId == offer.ProviderId, ct))
            throw new ValidationException([new("PractitionerId", "Choose one of the provider's practitioners")]);
        return new Facts(school, offer.Id, offer.ProviderId, version, offer.Provider.Kind, offer.Provider.LocalAuthorityId, subscription?.Id, tier,
            subscription?.PeriodStart, subscription?.Package.AdviserSessions ?? 0, subscription?.Package.DiscountBasisPoints ?? 0, price);
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var school = await SchoolToBookForAsync(db, user, request.Urn, ct);
            RequirePurchaseOrderIfTheSchoolDoes(school, request.PurchaseOrderNumber);
            var facts = await FactsAsync(db, user, school, request.OfferId, request.PractitionerId, request.PayShortfallInPounds, clock.Today(), ct);
            await Terms.TermTime.EnsureInTermAsync(db, school.Id, facts.Version.Id, request.PreferredDates, "PreferredDates", ct);
            var quantity = request.Quantity!.Value;
            // Read, not locked: the request itself counts sessions and locks the wallet when it runs.
            var sessionsLeft = facts.UsesSessions ? facts.AdviserSessions - await AdviserSessions.UsedAsync(db, school.Id, facts.PeriodStart!.Value, ct) : 0;
            var balance = await db.LedgerAccounts.Where(a => a.SchoolId == school.Id && a.Kind == Domain.Credits.LedgerAccountKind.SchoolWallet)
                .Select(a => (long?)a.Balance).SingleOrDefaultAsync(ct) ?? 0;
            var payment = facts.Plan(quantity, sessionsLeft, facts.NeedsWallet(quantity, sessionsLeft, request.PayShortfallInPounds) ? balance : null);
            var creditPrice = await db.LocalAuthorities.Where(l => l.Id == school.LocalAuthorityId).Select(l => l.CreditPricePence).SingleAsync(ct);
            var practitioner = request.PractitionerId is { } p ? await db.Practitioners.Where(x => x.Id == p).Select(x => x.Name).SingleOrDefaultAsync(ct) : null;
            return new Result(facts.OfferId, facts.Version.Title, facts.Version.Unit, facts.Tier, quantity, facts.CreditsPerUnit, payment.SessionUnits,
                payment.CreditUnits, payment.PoundUnits, payment.PencePerUnit, balance, creditPrice, facts.Version.PayAsYouUse, practitioner);
        }
    }
}
