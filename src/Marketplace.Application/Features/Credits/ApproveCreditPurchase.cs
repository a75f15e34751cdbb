using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Domain.Common;
using Marketplace.Domain.Credits;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Credits;

/// <summary>
/// The school's approver approves a pending purchase request: the purchase is then made exactly as
/// <see cref="PurchaseCredits"/> makes it, priced today by the same quote rule. Approving twice buys once: the
/// request is claimed by a conditional update (pending to approved), whose row lock makes a parallel approval wait
/// and then find it decided (409); the ledger's key for the purchase is the request's id as well.
/// </summary>
public static class ApproveCreditPurchase
{
    public sealed record Command(int Urn, Guid RequestId) : ICommand<Result>;

    public sealed record Result(CreditPurchaseRequestView Request, PurchaseCredits.Result Purchase);

    public sealed class Handler(MarketplaceDbContext db, CreditLedger ledger, ICurrentUser user, TimeProvider clock)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var terms = await QuoteCreditPurchase.TermsAsync(db, user, request.Urn, clock.Today(), ct);
            if (!ListCreditPurchaseRequests.MayApprove(user, terms.SchoolId))
                throw new ForbiddenException("Only the school's approver (a buyer who may commit its spend) can approve a purchase.");
            var asked = await db.CreditPurchaseRequests.AsNoTracking().Where(r => r.Id == request.RequestId && r.SchoolId == terms.SchoolId)
                .Select(r => new { r.Credits, r.PurchaseOrderNumber, r.RequestHash })
                .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Purchase request", request.RequestId);

            var now = PurchaseCredits.PostgresPrecision(clock.GetUtcNow());
            var claimed = await db.CreditPurchaseRequests
                .Where(r => r.Id == request.RequestId && r.Status == PurchaseRequestStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, PurchaseRequestStatus.Approved)
                    .SetProperty(r => r.DecidedByUserId, user.UserId).SetProperty(r => r.DecidedAt, now), ct);
            if (claimed == 0)
                throw new DomainRuleException("credits.request-decided", "This purchase request has already been approved or declined.");

            var purchase = await PurchaseCredits.BuyAsync(db, ledger, user, clock, terms, request.Urn, asked.Credits, asked.PurchaseOrderNumber,
                $"purchase-request:{request.RequestId:N}", asked.RequestHash, ct);
            await db.CreditPurchaseRequests.Where(r => r.Id == request.RequestId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.PurchaseId, purchase.PurchaseId), ct);
            return new Result(await ListCreditPurchaseRequests.ViewAsync(db, request.Urn, request.RequestId, ct), purchase);
        }
    }
}
