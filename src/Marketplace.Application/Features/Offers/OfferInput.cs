using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Domain.Catalogue;
using Marketplace.Application.Data;
using Marketplace.Domain.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Offers;

/// <summary>
/// What a provider types in to create or edit an offer. Enum fields are strings so that a wrong value
/// gets a field error naming the allowed values rather than a generic "could not read the body".
/// Prices: PricePence is the pay-as-you-go price in pence; tier prices are credits, null meaning that
/// tier may not buy the offer.
/// </summary>
public sealed record OfferInput
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Category { get; init; }
    public string? Subject { get; init; }
    public IReadOnlyList<string>? Phases { get; init; }
    public string? Unit { get; init; }
    public long? PricePence { get; init; }
    public int? PriceCredits { get; init; }
    public int? BronzeCredits { get; init; }
    public int? SilverCredits { get; init; }
    public int? GoldCredits { get; init; }
    public string? ServiceStandards { get; init; }

    /// <summary>Free cancellation up to this many working days before the first date (default 10).</summary>
    public int? FreeCancellationWorkingDays { get; init; }

    /// <summary>The charge for a later cancellation, as a percentage (default 50).</summary>
    public int? LateCancellationPercent { get; init; }

    /// <summary>Schools may pay in pounds for what their credits do not cover (default no).</summary>
    public bool? PayAsYouUse { get; init; }

    /// <summary>Subscribers may take it from their tier's included adviser sessions (LA traded services only; default no).</summary>
    public bool? UsesAdviserSessions { get; init; }

    /// <summary>May be booked outside the school's terms, for example a holiday course (default no).</summary>
    public bool? DeliveredInSchoolHolidays { get; init; }

    public OfferContent ToContent()
    {
        var phases = Domain.Organisations.Phase.None;
        foreach (var p in Phases ?? [])
            if (EnumText.TryParse<Phase>(p, out var phase)) phases |= phase;
        EnumText.TryParse<OfferCategory>(Category, out var category);
        EnumText.TryParse<Subject>(Subject, out var subject);
        EnumText.TryParse<OfferUnit>(Unit, out var unit);
        return new OfferContent(Title!.Trim(), Description!.Trim(), category, subject, phases, unit,
            PricePence ?? 0, PriceCredits ?? 0, BronzeCredits, SilverCredits, GoldCredits,
            ServiceStandards?.Trim() ?? "", FreeCancellationWorkingDays ?? 10, LateCancellationPercent ?? 50, PayAsYouUse ?? false,
            UsesAdviserSessions ?? false, DeliveredInSchoolHolidays ?? false);
    }

    public static OfferInput From(OfferContent c) => new()
    {
        Title = c.Title,
        Description = c.Description,
        Category = EnumText.Api(c.Category),
        Subject = EnumText.Api(c.Subject),
        Phases = OfferViewMapping.PhaseNames(c.Phases),
        Unit = EnumText.Api(c.Unit),
        PricePence = c.PricePence,
        PriceCredits = c.PriceCredits,
        BronzeCredits = c.BronzeCredits,
        SilverCredits = c.SilverCredits,
        GoldCredits = c.GoldCredits,
        ServiceStandards = c.ServiceStandards,
        FreeCancellationWorkingDays = c.FreeCancellationWorkingDays,
        LateCancellationPercent = c.LateCancellationPercent,
        PayAsYouUse = c.PayAsYouUse,
        UsesAdviserSessions = c.UsesAdviserSessions,
        DeliveredInSchoolHolidays = c.DeliveredInSchoolHolidays,
    };
}

public sealed class OfferInputValidator : AbstractValidator<OfferInput>
{
    public OfferInputValidator()
    {
        RuleFor(x => x.Title).NotEmpty().WithMessage("Enter a title")
            .MaximumLength(OfferRules.TitleMaxLength).WithMessage($"Title must be {OfferRules.TitleMaxLength} characters or fewer");
        RuleFor(x => x.Description).NotEmpty().WithMessage("Enter a description")
            .MaximumLength(OfferRules.DescriptionMaxLength).WithMessage($"Description must be {OfferRules.DescriptionMaxLength} characters or fewer");
        RuleFor(x => x.Category).Must(v => EnumText.TryParse<OfferCategory>(v, out _))
            .WithMessage($"Choose a category from: {EnumText.Allowed<OfferCategory>()}");
        RuleFor(x => x.Subject).Must(v => EnumText.TryParse<Subject>(v, out _))
            .WithMessage($"Choose a subject from: {EnumText.Allowed<Subject>()}");
        RuleFor(x => x.Unit).Must(v => EnumText.TryParse<OfferUnit>(v, out _))
            .WithMessage($"Choose a unit from: {EnumText.Allowed<OfferUnit>()}");
        RuleFor(x => x.Phases).NotEmpty().WithMessage("Choose at least one phase");
        RuleForEach(x => x.Phases).Must(v => EnumText.TryParse<Phase>(v, out _))
            .WithMessage($"Choose phases from: {EnumText.Allowed<Phase>()}");
        RuleFor(x => x.PricePence).NotNull().WithMessage("Enter a price in pounds")
            .InclusiveBetween(0, OfferRules.MaxPricePence).WithMessage("Price in pounds must be between £0 and £100,000");
        RuleFor(x => x.PriceCredits).NotNull().WithMessage("Enter a price in credits")
            .InclusiveBetween(1, OfferRules.MaxCredits).WithMessage($"Price in credits must be between 1 and {OfferRules.MaxCredits:N0}");
        RuleFor(x => x.BronzeCredits).InclusiveBetween(0, OfferRules.MaxCredits).WithMessage("Bronze price must be between 0 and 100,000 credits");
        RuleFor(x => x.SilverCredits).InclusiveBetween(0, OfferRules.MaxCredits).WithMessage("Silver price must be between 0 and 100,000 credits");
        RuleFor(x => x.GoldCredits).InclusiveBetween(0, OfferRules.MaxCredits).WithMessage("Gold price must be between 0 and 100,000 credits");
        RuleFor(x => x).Must(x => x.BronzeCredits is not null || x.SilverCredits is not null || x.GoldCredits is not null)
            .WithName("TierPrices").OverridePropertyName("TierPrices")
            .WithMessage("Give a credit price for at least one tier");
        RuleFor(x => x).Must(x => OfferRules.TierPricesFallWithTier(x.BronzeCredits, x.SilverCredits, x.GoldCredits))
            .WithName("TierPrices").OverridePropertyName("TierPrices")
            .WithMessage(OfferRules.TierPricesRiseMessage);
        RuleFor(x => x.ServiceStandards).MaximumLength(OfferRules.ServiceStandardsMaxLength)
            .WithMessage($"Service standards must be {OfferRules.ServiceStandardsMaxLength} characters or fewer");
        RuleFor(x => x.FreeCancellationWorkingDays).InclusiveBetween(0, OfferRules.MaxFreeCancellationWorkingDays)
            .WithMessage($"Free cancellation is 0 to {OfferRules.MaxFreeCancellationWorkingDays} working days before");
        RuleFor(x => x.LateCancellationPercent).InclusiveBetween(0, 100).WithMessage("The late-cancellation charge is 0 to 100%");
        RuleFor(x => x.PayAsYouUse).Must((x, payg) => payg != true || x.PricePence > 0)
            .WithMessage("Give a price in pounds to let schools pay in pounds");
    }
}

public static class OfferInputRules
{
    /// <summary>Included adviser sessions are the LA's entitlement, so only an LA's own traded service can offer them.</summary>
    public static async Task EnsureProviderMayAsync(MarketplaceDbContext db, Guid providerId, OfferInput input, CancellationToken ct)
    {
        if (input.UsesAdviserSessions == true
            && !await db.Providers.AnyAsync(p => p.Id == providerId && p.Kind == ProviderKind.LaTradedService, ct))
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(OfferInput.UsesAdviserSessions),
                "Only a local authority's own traded service can offer sessions from a tier's included adviser sessions")]);
    }
}
