using Marketplace.Domain.Organisations;

namespace Marketplace.UnitTests;

public class UrnTests
{
    [Theory]
    [InlineData("121234", true)]
    [InlineData("999999", true)]
    [InlineData("100000", true)]
    [InlineData("012345", false)]
    [InlineData("12345", false)]
    [InlineData("1234567", false)]
    [InlineData("12a456", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Urn_text_is_six_digits_not_starting_with_zero(string? text, bool valid) =>
        Assert.Equal(valid, Urn.TryParse(text, out _));
}
