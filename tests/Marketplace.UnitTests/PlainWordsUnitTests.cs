using Marketplace.Application.Common;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Organisations;

namespace Marketplace.UnitTests;

/// <summary>Display names (one source for pages, emails and messages) and the rule that tier prices fall with the tier.</summary>
public class PlainWordsUnitTests
{
    [Theory]
    [InlineData(8, 7, 6, true)]
    [InlineData(8, 8, 8, true)]
    [InlineData(null, 7, 6, true)]
    [InlineData(null, null, 6, true)]
    [InlineData(9, null, 9, true)]
    [InlineData(7, 8, 6, false)] // silver dearer than bronze
    [InlineData(8, 7, 9, false)] // gold dearer than silver
    [InlineData(5, null, 6, false)] // gold dearer than bronze, silver not sold
    public void Tier_prices_may_not_rise_from_bronze_to_silver_to_gold(int? bronze, int? silver, int? gold, bool allowed) =>
        Assert.Equal(allowed, OfferRules.TierPricesFallWithTier(bronze, silver, gold));

    [Fact]
    public void An_offer_whose_gold_price_is_above_bronze_breaks_the_domain_rule()
    {
        var content = new OfferContent("Title", "Description", OfferCategory.Review, Subject.English, Phase.Primary, OfferUnit.Day,
            100_00, 5, 5, null, 6, "", 10, 50, false, false);

        var refused = Assert.Throws<ArgumentException>(() => OfferRules.Validate(content));
        Assert.StartsWith(OfferRules.TierPricesRiseMessage, refused.Message);
    }

    [Theory]
    [InlineData(OfferUnit.HalfDay, "Half day", "half day")]
    [InlineData(OfferUnit.CoursePlace, "Course place", "course place")]
    [InlineData(Subject.EarlyYears, "Early years", "early years")]
    [InlineData(Subject.PupilPremium, "Pupil Premium", "Pupil Premium")]
    [InlineData(OfferCategory.CpdCourse, "CPD course", "CPD course")]
    public void Display_names_read_as_words_in_sentence_case(object value, string name, string inASentence)
    {
        var (of, lower) = value switch
        {
            OfferUnit u => (DisplayNames.Of(u), DisplayNames.Lower(u)),
            Subject s => (DisplayNames.Of(s), DisplayNames.Lower(s)),
            OfferCategory c => (DisplayNames.Of(c), DisplayNames.Lower(c)),
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };
        Assert.Equal((name, inASentence), (of, lower));
    }

    [Fact]
    public void Lists_of_allowed_values_use_display_names_and_each_is_accepted_back()
    {
        Assert.Equal("day, half day, session, course place, term deployment", EnumText.Allowed<OfferUnit>());
        Assert.True(EnumText.TryParse<ProviderKind>("school-to-school support", out var kind));
        Assert.Equal(ProviderKind.SchoolToSchool, kind);
        Assert.True(EnumText.TryParse<Phase>("Pupil referral unit", out var phase));
        Assert.Equal(Phase.Pru, phase);
    }
}
