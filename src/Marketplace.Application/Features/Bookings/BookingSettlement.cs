using Marketplace.Application.Common;
using Marketplace.Application.Credits;
using Marketplace.Application.Data;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Credits;
using Marketplace.Domain.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Bookings;

/// <summary>
/// Settles a booking's hold: <paramref name="capture"/> credits go to the provider's side and the rest
/// back to the school. An LA traded service's share is that LA's revenue; a school-to-school provider
/// that is a school earns credits into its own wallet (via its earnings account); an external
/// consultant's share accrues in its earnings account (a payable in pounds, settled by the payments
/// work). Every step is keyed by the booking, so a rerun moves nothing twice.
/// </summary>
public sealed class BookingSettlement(MarketplaceDbContext db, CreditLedger ledger, TimeProvider clock)
{
    public const int EarnedCreditValidityMonths = 12;

    public async Task SettleAsync(Booking booking, int capture, string why, CancellationToken ct)
    {
        if (booking.TotalCredits == 0) return; // paid wholly by included sessions or pounds: nothing was held
        var hold = await ledger.HoldAccountAsync(booking.Id, ct);
        if (capture > 0)
        {
            var provider = await db.Providers.AsNoTracking().SingleAsync(p => p.Id == booking.ProviderId, ct);
            var destination = provider.Kind == ProviderKind.LaTradedService
                ? await ledger.AccountAsync(LedgerAccountKind.LaRevenue, localAuthorityId: provider.LocalAuthorityId, ct: ct)
                : await ledger.AccountAsync(LedgerAccountKind.ProviderEarnings, providerId: provider.Id, ct: ct);
            await ledger.CaptureAsync($"capture:{booking.Id:N}", hold, destination, capture, booking.SchoolId,
                $"{booking.Reference}: {why}", booking.Reference, ct);
            if (provider is { Kind: ProviderKind.SchoolToSchool, SchoolId: { } earningSchool })
            {
                var la = await db.Schools.AsNoTracking().Where(s => s.Id == earningSchool).Select(s => s.LocalAuthorityId).SingleAsync(ct);
                await ledger.EarnAsync($"earn:{booking.Id:N}", destination, earningSchool, la, capture,
                    clock.Today().AddMonths(EarnedCreditValidityMonths), $"Earned for school-to-school support ({booking.Reference})", booking.Reference, ct);
            }
        }
        await ledger.ReleaseAsync($"release:{booking.Id:N}", hold, booking.SchoolId, $"Released: {booking.Reference} ({why})", booking.Reference, ct);
    }
}
