using Marketplace.Application.Credits;
using Mediator;

namespace Marketplace.Application.Features.Credits;

/// <summary>
/// Expires one grant past its expiry date: its unused credits leave the wallet (one item of the daily
/// subscriptions run). One call of the ledger_expire function, idempotent by grant; answers the credits
/// this call expired (0 on a rerun).
/// </summary>
public static class ExpireGrant
{
    public sealed record Command(Guid GrantId) : ICommand<int>;

    public sealed class Handler(CreditLedger ledger) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command request, CancellationToken ct) => await ledger.ExpireGrantAsync(request.GrantId, ct);
    }
}
