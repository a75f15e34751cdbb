using Marketplace.Application.Data;
using Marketplace.Application.Mail;
using Mediator;

namespace Marketplace.Application.Features.Outbox;

/// <summary>
/// Sends one batch of the outbox (one item of <see cref="DispatchOutbox"/>): the batch is claimed, sent
/// and marked in this command's transaction, so the claim's row locks keep a second dispatcher off it
/// until the marks commit. Answers how many were sent.
/// </summary>
public static class DispatchOutboxBatch
{
    public sealed record Command(int BatchSize) : ICommand<int>;

    public sealed class Handler(MarketplaceDbContext db, OutboxDispatcher dispatcher) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command request, CancellationToken ct)
        {
            var sent = await dispatcher.SendBatchAsync(request.BatchSize, ct);
            await db.SaveChangesAsync(ct);
            return sent;
        }
    }
}
