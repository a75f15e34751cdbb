using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Credits;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Credits;

/// <summary>A purchase request: what was asked for, by whom, the total quoted then, and what the approver decided.</summary>
public sealed record CreditPurchaseRequestView(Guid Id, int Urn, int Credits, string? PurchaseOrderNumber, long QuotedTotalPence,
    PurchaseRequestStatus Status, string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt,
    string? DeclineReason, Guid? PurchaseId);

/// <summary>
/// A school's credit purchase requests, pending first then newest first: its buyers and its LA's commissioners see
/// them; 404 for anyone else.
/// </summary>
public static class ListCreditPurchaseRequests
{
    public const int MaxShown = 100;

    public sealed record Query(int Urn) : IQuery<Result>;

    public sealed record Result(int Urn, bool MayApprove, IReadOnlyList<CreditPurchaseRequestView> Requests);

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var school = await db.Schools.AsNoTracking().Where(s => s.Urn == request.Urn).Select(s => new { s.Id, s.LocalAuthorityId })
                .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("School", request.Urn);
            if (!user.IsAdmin() && !user.IsBuyerFor(school.Id) && !user.IsCommissionerOf(school.LocalAuthorityId))
                throw new NotFoundException("School", request.Urn);
            var requests = await Views(db, request.Urn, db.CreditPurchaseRequests.Where(r => r.SchoolId == school.Id)
                    .OrderBy(r => r.Status == PurchaseRequestStatus.Pending ? 0 : 1).ThenByDescending(r => r.RequestedAt).Take(MaxShown))
                .ToListAsync(ct);
            return new Result(request.Urn, MayApprove(user, school.Id), requests);
        }
    }

    /// <summary>The school's approvers: its own buyers who may commit its spend (and platform admins).</summary>
    public static bool MayApprove(ICurrentUser user, Guid schoolId) => user.IsAdmin() || (user.IsBuyerFor(schoolId) && user.CanCommitSpend);

    internal static Task<CreditPurchaseRequestView> ViewAsync(MarketplaceDbContext db, int urn, Guid id, CancellationToken ct) =>
        Views(db, urn, db.CreditPurchaseRequests.Where(r => r.Id == id)).SingleAsync(ct);

    private static IQueryable<CreditPurchaseRequestView> Views(MarketplaceDbContext db, int urn, IQueryable<CreditPurchaseRequest> requests) =>
        requests.AsNoTracking().Select(r => new CreditPurchaseRequestView(r.Id, urn, r.Credits, r.PurchaseOrderNumber, r.QuotedTotalPence, r.Status,
            db.Users.Where(u => u.Id == r.RequestedByUserId).Select(u => u.DisplayName).FirstOrDefault() ?? "",
            r.RequestedAt,
            db.Users.Where(u => u.Id == r.DecidedByUserId).Select(u => u.DisplayName).FirstOrDefault(),
            r.DecidedAt, r.DeclineReason, r.PurchaseId));
}
