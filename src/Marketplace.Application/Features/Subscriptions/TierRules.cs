using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Domain.Catalogue;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>The tier a school or LA names, as text: validated and parsed the same way everywhere.</summary>
internal static class TierRules
{
    public static IRuleBuilderOptions<T, string?> MustBeTier<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("Choose bronze, silver or gold")
            .Must(t => EnumText.TryParse<Tier>(t, out _)).WithMessage("Choose bronze, silver or gold");

    public static Tier ParseTier(string? text) => EnumText.TryParse<Tier>(text, out var t) ? t : throw new ArgumentException("Not a tier", nameof(text));
}
