using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Subscriptions;
using Marketplace.Domain.Common;
using Marketplace.Domain.Subscriptions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>The LA sets who pays for one school's subscription from now on (the school, a named fund, or a split).</summary>
public static class SetSubscriptionPayer
{
    public sealed record Command(int Code, int Urn, PayerInput Input) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => PayerRules.Apply(this, x => x.Input, "");
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock)
        : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var la = await Access.LaForCommissionerAsync(db, user, request.Code, ct);
            var school = await Access.SchoolOfLaAsync(db, la, request.Urn, ct);
            await db.LockSchoolAsync(school.Id, ct);
            var current = await db.RequireCurrentSubscriptionAsync(school, clock.Today(), ct);
            var payer = PayerRules.Parse(request.Input.Payer);
            current.SetPayer(payer, request.Input.FundName, request.Input.SchoolShareBasisPoints ?? 0);
            db.AuditEvents.Add(new AuditEvent(Guid.CreateVersion7(), clock.GetUtcNow(), user.UserId, user.DisplayName, la.Id, school.Id, "subscription.payer",
                $"Payer from now on: {payer}" + (payer == Payer.School ? "" : $" ({current.FundName}{(payer == Payer.Split ? $", school pays {current.SchoolShareBasisPoints / 100m}%" : "")})"), null));
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}
