using System.Data;
using Marketplace.Application.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Behaviours;

/// <summary>
/// The one transaction rule for commands (eShop's TransactionBehavior): a command runs in one
/// read-committed transaction opened here, inside the DbContext's execution strategy, and commits
/// when its handler returns; any exception rolls all of it back (the handler's saves, its outbox
/// messages, its ledger calls), so handlers never open a transaction and may save as often as they
/// need. Row locks a handler takes (<c>FOR UPDATE</c>, <c>LockSchoolAsync</c>, <c>LockWalletAsync</c>,
/// advisory locks) last until this commit.
/// <para>
/// Queries pass straight through. A command sent while a transaction is already open on the scope's
/// context (a command sending another) joins it and commits with it. A <see cref="IBatchCommand"/>
/// gets no ambient transaction: it sends one small command per item, each in a DI scope of its own,
/// so each item commits or fails alone.
/// </para>
/// <para>
/// Retries: the default Npgsql strategy runs the operation once, and we keep it so. Under a retrying
/// strategy (<c>EnableRetryOnFailure</c>) the whole operation (begin, handler, commit) would be run
/// again after a transient failure, so the operation clears the change tracker before every retry
/// (entities added or marked saved by the failed attempt are not in the database). That is not
/// enough on its own: a handler must then be safe to run twice (it rereads what it changes, and every
/// external write is idempotent by key, as the ledger and the outbox are), and a failure during
/// commit may leave it unknown whether the first attempt committed. Review the handlers before
/// enabling retries.
/// </para>
/// </summary>
public sealed class TransactionBehaviour<TMessage, TResponse>(MarketplaceDbContext db) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not IBaseCommand || message is IBatchCommand || db.Database.CurrentTransaction is not null)
            return await next(message, cancellationToken);

        var attempt = 0;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            if (attempt++ > 0) db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            try
            {
                var response = await next(message, ct);
                await tx.CommitAsync(ct);
                return response;
            }
            catch
            {
                // What the failed command tracked is not in the database: a later command in this scope must not see it.
                db.ChangeTracker.Clear();
                throw;
            }
        }, cancellationToken);
    }
}

