using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using FluentValidation;
using FluentValidation.Results;
using Marketplace.Domain.Common;
using Mediator;

namespace Marketplace.Application.Behaviours;

/// <summary>
/// The rules every field of every command and query keeps, whoever sends it (the API, a page, a job), checked
/// before the validators and the handler see the message: text is <see cref="StorableText"/> (no control
/// characters, no lone surrogates: PostgreSQL refuses a NUL with SQLSTATE 22021) and every calendar date is
/// within <see cref="ServiceDates"/> (so no date arithmetic runs off the calendar's ends). Failures are field
/// errors like any validator's (a 400 over the API, a message beside the field on a page).
/// </summary>
public sealed class InputRulesBehaviour<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var failures = InputRules.Check(message);
        if (failures.Count > 0) throw new ValidationException(failures);
        return next(message, cancellationToken);
    }
}

/// <summary>Walks a message's public properties (records, lists and nested inputs) for <see cref="InputRulesBehaviour{TMessage,TResponse}"/>.</summary>
public static class InputRules
{
    private const int MaxDepth = 6;
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    public const string DateOutOfRangeMessage = "The date " + ServiceDates.OutOfRangeMessage;

    public static List<ValidationFailure> Check(object message)
    {
        var failures = new List<ValidationFailure>();
        Walk(message, "", 0, failures);
        return failures;
    }

    private static void Walk(object? value, string path, int depth, List<ValidationFailure> failures)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                if (!StorableText.IsStorable(text)) failures.Add(new ValidationFailure(path, StorableText.RefusedMessage));
                return;
            case DateOnly date:
                if (!ServiceDates.Contains(date)) failures.Add(new ValidationFailure(path, DateOutOfRangeMessage));
                return;
        }
        if (depth >= MaxDepth) return;
        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || value is decimal or Guid or DateTime or DateTimeOffset or TimeOnly or TimeSpan or Type) return;
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items) Walk(item, $"{path}[{i++}]", depth + 1, failures);
            return;
        }
        // Only our own messages and inputs: a framework object carried in a message is not input.
        if (type.Namespace?.StartsWith("Marketplace.", StringComparison.Ordinal) != true) return;
        foreach (var property in Properties.GetOrAdd(type, Readable))
            Walk(property.GetValue(value), path.Length == 0 ? property.Name : $"{path}.{property.Name}", depth + 1, failures);
    }

    private static PropertyInfo[] Readable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetMethod!.IsPublic)
            .Where(p => !(p.Name == "EqualityContract" && p.PropertyType == typeof(Type)))
            .ToArray();
}
