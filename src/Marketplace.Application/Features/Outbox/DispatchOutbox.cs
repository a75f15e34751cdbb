using Marketplace.Application.Mail;
using Mediator;

namespace Marketplace.Application.Features.Outbox;

/// <summary>
/// Sends what the outbox holds, batch by batch, until a batch comes back short (the every-minute
/// outbox job sends this). Two runs never send one message twice (<see cref="OutboxDispatcher"/> claims
/// each batch with FOR UPDATE SKIP LOCKED); what fails is retried by the next run. Answers how many were sent.
/// </summary>
public static class DispatchOutbox
{
    public const int BatchSize = 50;

    public sealed record Command : ICommand<int>;

    public sealed class Handler(OutboxDispatcher dispatcher) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command request, CancellationToken ct)
        {
            var total = 0;
            int sent;
            do
            {
                sent = await dispatcher.DispatchAsync(BatchSize, ct);
                total += sent;
            } while (sent == BatchSize);
            return total;
        }
    }
}
