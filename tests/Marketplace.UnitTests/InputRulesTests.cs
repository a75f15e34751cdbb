using Marketplace.Application.Behaviours;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;

namespace Marketplace.UnitTests;

/// <summary>The one text rule, the one date range as every message's fields keep them, and delivery against the confirmed dates.</summary>
public class InputRulesTests
{
    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("\u0001")]
    [InlineData("bell\u0007")]
    [InlineData("del\u007f")]
    [InlineData("c1\u0085")]
    public void Control_characters_are_refused(string text) => Assert.False(StorableText.IsStorable(text));

    // Built here, not in [InlineData]: the test runner's serialisation would replace a lone surrogate with U+FFFD.
    [Fact]
    public void Lone_surrogates_are_refused()
    {
        Assert.False(StorableText.IsStorable("lone " + (char)0xD800 + " high"));
        Assert.False(StorableText.IsStorable("lone " + (char)0xDC00 + " low"));
        Assert.False(StorableText.IsStorable("reversed " + (char)0xDC00 + (char)0xD800));
        Assert.False(StorableText.IsStorable("ends high" + (char)0xD83D));
        Assert.True(StorableText.IsStorable("pair " + (char)0xD83D + (char)0xDE00));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Line one\r\nline two\tand a tab")]
    [InlineData("Café, naïve, £47.50 — “quoted”")]
    [InlineData("Emoji 👩‍🏫 (a surrogate pair)")]
    [InlineData("Welsh: Ysgol Gymraeg ŵ ŷ")]
    public void Ordinary_text_with_line_breaks_and_any_script_is_storable(string text) => Assert.True(StorableText.IsStorable(text));

    private sealed record Nested(string? Name, IReadOnlyList<DateOnly>? Dates);

    private sealed record Message(string? Note, DateOnly? From, Nested? Inner, IReadOnlyList<string>? Tags);

    [Fact]
    public void Every_text_and_date_of_a_message_is_checked_and_named_by_its_path()
    {
        var failures = InputRules.Check(new Message("ok\u0000", new DateOnly(1, 1, 1),
            new Nested("x" + (char)0xD800, [new DateOnly(2027, 1, 4), new DateOnly(9999, 12, 31)]), ["fine", "bad\u0001"]));
        Assert.Equal(["Note", "From", "Inner.Name", "Inner.Dates[1]", "Tags[1]"], failures.Select(f => f.PropertyName));

        Assert.Empty(InputRules.Check(new Message("ok\n", ServiceDates.Earliest, new Nested("x", [ServiceDates.Latest]), [])));
    }

    [Fact]
    public void Delivery_is_refused_for_a_date_the_booking_was_not_confirmed_for()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var booking = new Booking(Guid.NewGuid(), "BK-TEST02", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(),
            Tier.Silver, OfferUnit.Day, new BookingPayment(0, 1, 0, 5, 0, Guid.NewGuid()), [], null, null, null, null, null, now, "k", "h");
        var confirmed = new DateOnly(2027, 2, 4);
        booking.Confirm(Guid.NewGuid(), [confirmed], null, now);

        var early = Assert.Throws<DomainRuleException>(() => booking.Deliver([new DateOnly(2026, 12, 1)], 1, 360, "Visit", null, now));
        Assert.Equal("booking.delivery-dates", early.Code);
        Assert.Throws<DomainRuleException>(() => booking.Deliver([confirmed, confirmed.AddDays(1)], 1, 360, "Visit", null, now));
        Assert.Equal(BookingStatus.Confirmed, booking.Status);

        booking.Deliver([confirmed], 1, 360, "Visit", null, now);
        Assert.Equal(BookingStatus.Delivered, booking.Status);
    }
}
