namespace Marketplace.Application.Behaviours;

/// <summary>
/// A command that runs without an ambient transaction (<see cref="TransactionBehaviour{TMessage,TResponse}"/>
/// skips it): it finds the work to do and sends one command per item, each in a DI scope and transaction
/// of its own, so one item's failure does not undo the others.
/// </summary>
public interface IBatchCommand;
