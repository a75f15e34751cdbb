using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Application.Behaviours;

/// <summary>
/// How a <see cref="IBatchCommand"/> runs one item: the item's command is sent in a new DI scope, so it
/// gets a DbContext, and therefore a transaction (<see cref="TransactionBehaviour{TMessage,TResponse}"/>),
/// of its own and commits or rolls back alone.
/// </summary>
public static class OwnScope
{
    public static async ValueTask<TResponse> SendInOwnScopeAsync<TResponse>(this IServiceScopeFactory scopes, ICommand<TResponse> command,
        CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, ct);
    }
}
