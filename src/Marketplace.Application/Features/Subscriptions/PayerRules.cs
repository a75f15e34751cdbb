using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Domain.Subscriptions;

namespace Marketplace.Application.Features.Subscriptions;

/// <summary>Who pays, as the LA sends it: the school, a named fund, or a split with the school's share in basis points.</summary>
public sealed record PayerInput(string? Payer, string? FundName, int? SchoolShareBasisPoints);

internal static class PayerRules
{
    public static void Apply<T>(AbstractValidator<T> v, Func<T, PayerInput> input, string prefix)
    {
        v.RuleFor(x => input(x).Payer).NotEmpty().WithMessage("Choose who pays: school, fund or split")
            .Must(p => EnumText.TryParse<Payer>(p, out _)).WithMessage("Choose who pays: school, fund or split")
            .OverridePropertyName(prefix + "payer");
        v.RuleFor(x => input(x).FundName).NotEmpty().When(x => EnumText.TryParse<Payer>(input(x).Payer, out var p) && p != Payer.School)
            .WithMessage("Name the fund that pays").MaximumLength(200).WithMessage("A fund name is 200 characters or fewer")
            .OverridePropertyName(prefix + "fundName");
        v.RuleFor(x => input(x).SchoolShareBasisPoints).NotNull().InclusiveBetween(1, 9_999)
            .When(x => EnumText.TryParse<Payer>(input(x).Payer, out var p) && p == Payer.Split)
            .WithMessage("For a split, give the school's share in basis points, 1 to 9,999 (2,500 = 25%)")
            .OverridePropertyName(prefix + "schoolShareBasisPoints");
    }

    public static Payer Parse(string? text) => EnumText.TryParse<Payer>(text, out var p) ? p : throw new ArgumentException("Not a payer", nameof(text));
}
