using Marketplace.Domain.Organisations;

namespace Marketplace.Domain.Catalogue;

/// <summary>
/// One immutable snapshot of an offer's content and prices. Purchases will point at a version, so a
/// later edit (which makes a new version) never changes what an earlier buyer agreed to. A version may
/// be changed in place only while it is a draft that has never been published.
/// </summary>
public class OfferVersion
{
    private OfferVersion() { }

    internal OfferVersion(Guid id, Guid offerId, int number, OfferContent content, DateTimeOffset createdAt)
    {
        Id = id;
        OfferId = offerId;
        Number = number;
        CreatedAt = createdAt;
        Apply(content);
    }

    public Guid Id { get; private set; }
    public Guid OfferId { get; private set; }
    public int Number { get; private set; }
    public string Title { get; private set; } = "";
    public string Description { get; private set; } = "";
    public OfferCategory Category { get; private set; }
    public Subject Subject { get; private set; }
    public Phase Phases { get; private set; }
    public OfferUnit Unit { get; private set; }
    public long PricePence { get; private set; }
    public int PriceCredits { get; private set; }
    public int? BronzeCredits { get; private set; }
    public int? SilverCredits { get; private set; }
    public int? GoldCredits { get; private set; }
    public string ServiceStandards { get; private set; } = "";
    public int FreeCancellationWorkingDays { get; private set; } = 10;
    public int LateCancellationPercent { get; private set; } = 50;
    public bool PayAsYouUse { get; private set; }
    public bool UsesAdviserSessions { get; private set; }

    /// <summary>May be booked outside the school's terms (a holiday course).</summary>
    public bool DeliveredInSchoolHolidays { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SubmittedAt { get; internal set; }
    public DateTimeOffset? ApprovedAt { get; internal set; }
    public Guid? ApprovedByUserId { get; internal set; }

    internal void Apply(OfferContent c)
    {
        Title = c.Title;
        Description = c.Description;
        Category = c.Category;
        Subject = c.Subject;
        Phases = c.Phases;
        Unit = c.Unit;
        PricePence = c.PricePence;
        PriceCredits = c.PriceCredits;
        BronzeCredits = c.BronzeCredits;
        SilverCredits = c.SilverCredits;
        GoldCredits = c.GoldCredits;
        ServiceStandards = c.ServiceStandards;
        FreeCancellationWorkingDays = c.FreeCancellationWorkingDays;
        LateCancellationPercent = c.LateCancellationPercent;
        PayAsYouUse = c.PayAsYouUse;
        UsesAdviserSessions = c.UsesAdviserSessions;
        DeliveredInSchoolHolidays = c.DeliveredInSchoolHolidays;
    }

    /// <summary>The price in credits for a school on <paramref name="tier"/> (null: that tier may not buy it); without a subscription, the list price.</summary>
    public int? CreditsFor(Tier? tier) => tier switch
    {
        Tier.Bronze => BronzeCredits,
        Tier.Silver => SilverCredits,
        Tier.Gold => GoldCredits,
        _ => PriceCredits,
    };

    public OfferContent ToContent() => new(Title, Description, Category, Subject, Phases, Unit, PricePence,
        PriceCredits, BronzeCredits, SilverCredits, GoldCredits, ServiceStandards,
        FreeCancellationWorkingDays, LateCancellationPercent, PayAsYouUse, UsesAdviserSessions, DeliveredInSchoolHolidays);
}
