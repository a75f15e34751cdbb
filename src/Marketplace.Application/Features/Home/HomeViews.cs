namespace Marketplace.Application.Features.Home;

/// <summary>One booking listed under a home-page work item: enough to name it and link to it.</summary>
public sealed record WorkBooking(Guid Id, string Reference, string Title, string Counterparty, DateOnly? Date);

/// <summary>A count on a home page with the first few of what it counts (the page links to where the work is done).</summary>
public sealed record WorkList<T>(int Count, IReadOnlyList<T> First)
{
    /// <summary>How many entries a home page lists under a count.</summary>
    public const int Shown = 3;
}
