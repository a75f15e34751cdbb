using Marketplace.Domain.Common;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace Marketplace.Web.Ui;

/// <summary>
/// Replaces MVC's model-binding messages ("The value '1.5' is not valid for Quantity.") with the
/// service's own, per field: what to enter, in the words of the form, never a property name.
/// </summary>
public sealed class PlainBindingMessages : IBindingMetadataProvider
{
    public void CreateBindingMetadata(BindingMetadataProviderContext context)
    {
        var type = Nullable.GetUnderlyingType(context.Key.ModelType) ?? context.Key.ModelType;
        if (type.IsArray) type = type.GetElementType()!;
        else if (type.IsGenericType && type.GetGenericArguments() is [var element]) type = element;
        var field = context.Key.Name is { } name ? FieldName(name) : "a value";
        var enter = Expectation(type, field);
        var messages = new DefaultModelBindingMessageProvider();
        messages.SetAttemptedValueIsInvalidAccessor((_, _) => enter);
        messages.SetNonPropertyAttemptedValueIsInvalidAccessor(_ => enter);
        messages.SetUnknownValueIsInvalidAccessor(_ => enter);
        messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => enter);
        messages.SetValueIsInvalidAccessor(_ => enter);
        messages.SetValueMustBeANumberAccessor(_ => enter);
        messages.SetNonPropertyValueMustBeANumberAccessor(() => enter);
        messages.SetMissingBindRequiredValueAccessor(_ => $"Enter {field}");
        messages.SetMissingKeyOrValueAccessor(() => $"Enter {field}");
        messages.SetMissingRequestBodyRequiredValueAccessor(() => "Fill in the form and try again");
        messages.SetValueMustNotBeNullAccessor(_ => $"Enter {field}");
        context.BindingMetadata.ModelBindingMessageProvider = messages;
    }

    /// <summary>"PurchaseOrderNumber" → "the purchase order number".</summary>
    public static string FieldName(string property) => "the " + DisplayNames.Sentence(property).ToLowerInvariant();

    public static string Expectation(Type type, string field) => Type.GetTypeCode(type) switch
    {
        TypeCode.Byte or TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 or TypeCode.SByte
            or TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.UInt64 => $"Enter {field} as a whole number, like 2",
        TypeCode.Decimal or TypeCode.Double or TypeCode.Single => $"Enter {field} as a number, like 2.50",
        TypeCode.Boolean => $"Choose yes or no for {field}",
        _ when type == typeof(DateOnly) || type == typeof(DateTime) || type == typeof(DateTimeOffset) =>
            $"Enter {field} as a real date",
        _ when type == typeof(Guid) => $"Choose {field} from the list",
        _ when type.IsEnum => $"Choose {field} from the list",
        _ => $"Enter {field}",
    };
}
