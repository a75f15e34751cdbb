namespace Marketplace.Domain.Organisations;

/// <summary>A tenant: one English local authority and its trading arm.</summary>
public class LocalAuthority
{
    private LocalAuthority() { }

    public LocalAuthority(Guid id, int code, string name, string tradingName, long creditPricePence)
    {
        if (code is < 100 or > 999) throw new ArgumentOutOfRangeException(nameof(code), "LA codes have three digits.");
        Id = id;
        Code = code;
        Name = name;
        TradingName = tradingName;
        CreditPricePence = creditPricePence;
    }

    public Guid Id { get; private set; }

    /// <summary>The DfE three-digit LA code (York is 816).</summary>
    public int Code { get; private set; }

    public string Name { get; private set; } = "";
    public string TradingName { get; private set; } = "";

    /// <summary>What one credit costs a school of this LA when bought outright.</summary>
    public long CreditPricePence { get; private set; }
}
