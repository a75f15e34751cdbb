using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Common;
using Marketplace.Domain.Credits;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Credits;

/// <summary>The school's approver declines a pending purchase request with a reason. Nothing is bought or charged.</summary>
public static class DeclineCreditPurchase
{
    public sealed record Command(int Urn, Guid RequestId, string? Reason) : ICommand<CreditPurchaseRequestView>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).NotEmpty().WithMessage("Enter why you are declining the purchase")
                .MaximumLength(500).WithMessage("The reason is 500 characters or fewer");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, CreditPurchaseRequestView>
    {
        public async ValueTask<CreditPurchaseRequestView> Handle(Command request, CancellationToken ct)
        {
            var school = await Access.SchoolAsync(db, user, request.Urn, ct);
            if (!ListCreditPurchaseRequests.MayApprove(user, school.Id))
                throw new ForbiddenException("Only the school's approver (a buyer who may commit its spend) can decline a purchase.");
            if (!await db.CreditPurchaseRequests.AnyAsync(r => r.Id == request.RequestId && r.SchoolId == school.Id, ct))
                throw new NotFoundException("Purchase request", request.RequestId);

            var now = PurchaseCredits.PostgresPrecision(clock.GetUtcNow());
            var reason = request.Reason!.Trim();
            // Conditional: a request approved (or declined) meanwhile stays as it is.
            var declined = await db.CreditPurchaseRequests
                .Where(r => r.Id == request.RequestId && r.Status == PurchaseRequestStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, PurchaseRequestStatus.Declined)
                    .SetProperty(r => r.DecidedByUserId, user.UserId).SetProperty(r => r.DecidedAt, now)
                    .SetProperty(r => r.DeclineReason, reason), ct);
            if (declined == 0)
                throw new DomainRuleException("credits.request-decided", "This purchase request has already been approved or declined.");
            return await ListCreditPurchaseRequests.ViewAsync(db, request.Urn, request.RequestId, ct);
        }
    }
}
