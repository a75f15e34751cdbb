using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Common;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

public sealed record PackageInput(long? AnnualFeePence, long? PerPupilPence, int? CreditsIncluded, int? DiscountBasisPoints, int? AdviserSessions,
    bool? NamedLinkAdviser, bool? SystemLeaderAccess, bool? PriorityBooking, int? NoticeDays, int? MaxTermYears, int? PurchasedCreditValidityMonths);

/// <summary>Creates or changes one tier's package for a future year. Running subscriptions keep the figures they started with.</summary>
public static class ChangePackage
{
    public sealed record Command(int Code, int Year, string? Tier, PackageInput Input) : ICommand<PackageView>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Tier).MustBeTier();
            RuleFor(x => x.Year).InclusiveBetween(2020, 2100).WithMessage("Give the package year as its first calendar year, e.g. 2027 for 2027/28");
            RuleFor(x => x.Input.AnnualFeePence).NotNull().WithMessage("Enter the annual fee").InclusiveBetween(0, 1_000_000_00).WithMessage("The annual fee is £0 to £1,000,000");
            RuleFor(x => x.Input.PerPupilPence).NotNull().WithMessage("Enter the per-pupil rate").InclusiveBetween(0, 1_000_00).WithMessage("The per-pupil rate is £0 to £1,000");
            RuleFor(x => x.Input.CreditsIncluded).NotNull().WithMessage("Enter the credits included").InclusiveBetween(0, 100_000).WithMessage("Credits included are 0 to 100,000");
            RuleFor(x => x.Input.DiscountBasisPoints).InclusiveBetween(0, 10_000).WithMessage("The discount is 0% to 100% (0 to 10,000 basis points)");
            RuleFor(x => x.Input.AdviserSessions).InclusiveBetween(0, 100).WithMessage("Adviser sessions are 0 to 100");
            RuleFor(x => x.Input.NoticeDays).InclusiveBetween(0, 366).WithMessage("Notice is 0 to 366 days");
            RuleFor(x => x.Input.MaxTermYears).InclusiveBetween(1, 3).WithMessage("Terms are one to three years");
            RuleFor(x => x.Input.PurchasedCreditValidityMonths).InclusiveBetween(12, 60).WithMessage("Purchased credits last 12 to 60 months");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, PackageView>
    {
        public async ValueTask<PackageView> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var tier = TierRules.ParseTier(request.Tier);
            var today = clock.Today();
            var i = request.Input;
            var terms = new TierTerms(i.AnnualFeePence!.Value, i.PerPupilPence!.Value, i.CreditsIncluded!.Value, i.DiscountBasisPoints ?? 0,
                i.AdviserSessions ?? 0, i.NamedLinkAdviser ?? false, i.SystemLeaderAccess ?? false, i.PriorityBooking ?? false, i.NoticeDays ?? 90,
                i.MaxTermYears ?? 1, i.PurchasedCreditValidityMonths ?? 12);
            var package = await db.TierPackages.SingleOrDefaultAsync(p => p.LocalAuthorityId == la.Id && p.Year == request.Year && p.Tier == tier, ct);
            if (package is null)
            {
                if (request.Year < today.Year || !new TierPackage(Guid.Empty, la.Id, request.Year, tier, terms).IsFuture(today))
                    throw new DomainRuleException("package.not-future", $"The {request.Year}/{(request.Year + 1) % 100:00} year has started; packages can only be added for future years.");
                package = new TierPackage(Guid.CreateVersion7(), la.Id, request.Year, tier, terms);
                db.TierPackages.Add(package);
            }
            else package.Change(terms, today);
            db.AuditEvents.Add(new AuditEvent(Guid.CreateVersion7(), clock.GetUtcNow(), user.UserId, user.DisplayName, la.Id, null, "package.saved",
                $"{tier} package for {request.Year}/{(request.Year + 1) % 100:00}: £{terms.AnnualFeePence / 100m:N2} + £{terms.PerPupilPence / 100m:N2} per pupil, {terms.CreditsIncluded} credits", null));
            await db.SaveChangesAsync(ct);
            return GetSchoolSubscription.View(package, today);
        }
    }
}
