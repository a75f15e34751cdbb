using Marketplace.Application.Behaviours;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Application.Features.Outbox;

/// <summary>
/// Sends what the outbox holds, batch by batch, until a batch comes back short (the every-minute
/// outbox job sends this). A batch command: each batch is a <see cref="DispatchOutboxBatch"/> in a scope
/// and transaction of its own. Two runs never send one message twice (each batch is claimed with FOR
/// UPDATE SKIP LOCKED); what fails is retried by the next run. Answers how many were sent.
/// </summary>
public static class DispatchOutbox
{
    public const int BatchSize = 50;

    public sealed record Command : ICommand<int>, IBatchCommand;

    public sealed class Handler(IServiceScopeFactory scopes) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command request, CancellationToken ct)
        {
            var total = 0;
            int sent;
            do
            {
                sent = await scopes.SendInOwnScopeAsync(new DispatchOutboxBatch.Command(BatchSize), ct);
                total += sent;
            } while (sent == BatchSize);
            return total;
        }
    }
}
