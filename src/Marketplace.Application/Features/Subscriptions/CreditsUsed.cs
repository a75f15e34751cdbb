using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Domain.Credits;
using Marketplace.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>
/// The credits a school used in a period: what reached a provider or the LA's traded service, by a
/// direct spend or by a booking's capture at sign-off (or a late-cancellation charge), dated when it
/// moved. Credits a booking held and then gave back (declined, cancelled, the undelivered rest) were
/// never used, so a hold counts only for the part that was captured.
/// </summary>
public static class CreditsUsed
{
    public static async Task<int> InPeriodAsync(MarketplaceDbContext db, Guid schoolId, Period period, CancellationToken ct)
    {
        var from = UkClock.StartOf(period.Start);
        var to = UkClock.StartOf(period.End.AddDays(1));
        // The receiving side of each spend and capture of the school's: a spend into a booking's hold is
        // not a use (the hold's later capture is); a release has neither kind and is never counted.
        var total = await db.LedgerEntries
            .Where(e => e.Amount > 0
                && db.LedgerTransactions.Any(t => t.Id == e.TransactionId && t.SchoolId == schoolId
                    && (t.Kind == LedgerTransactionKind.Spend || t.Kind == LedgerTransactionKind.Capture) && t.OccurredAt >= from && t.OccurredAt < to)
                && !db.LedgerAccounts.Any(a => a.Id == e.AccountId && (a.Kind == LedgerAccountKind.BookingHold || a.Kind == LedgerAccountKind.SchoolWallet)))
            .SumAsync(e => (long?)e.Amount, ct) ?? 0;
        return (int)total;
    }
}
