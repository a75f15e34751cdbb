using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;

namespace Marketplace.Domain.Subscriptions;

public enum RenewalStatus
{
    /// <summary>Sent to the school; waiting for an answer.</summary>
    Open,

    /// <summary>Confirmed as proposed, or at a tier the school chose.</summary>
    Confirmed,

    /// <summary>The school will not renew; the subscription ends at period end.</summary>
    Declined,

    /// <summary>No answer by period end: renewed at the proposed tier under the package's notice terms.</summary>
    RenewedByDefault,
}

/// <summary>
/// Each year, in the renewal window before a period ends, a school receives a proposal built from its
/// current tier and last year's usage. Only a buyer authorised to commit spend can confirm, change or
/// decline it. Without an answer the subscription rolls over at its current tier (never a dearer one unconfirmed), because notice was
/// not given (the usual SLA term); the school could have given notice at any time before.
/// </summary>
public class RenewalProposal
{
    private RenewalProposal() { }

    public RenewalProposal(Guid id, Guid subscriptionId, Guid schoolId, Guid localAuthorityId, Period nextPeriod, Tier proposedTier,
        long proposedFeePence, int proposedCredits, int creditsUsedThisPeriod, int allowanceThisPeriod, string rationale, DateTimeOffset now)
    {
        Id = id;
        SubscriptionId = subscriptionId;
        SchoolId = schoolId;
        LocalAuthorityId = localAuthorityId;
        NextPeriodStart = nextPeriod.Start;
        NextPeriodEnd = nextPeriod.End;
        ProposedTier = proposedTier;
        ProposedFeePence = proposedFeePence;
        ProposedCredits = proposedCredits;
        CreditsUsedThisPeriod = creditsUsedThisPeriod;
        AllowanceThisPeriod = allowanceThisPeriod;
        Rationale = rationale;
        Status = RenewalStatus.Open;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid SubscriptionId { get; private set; }
    public Guid SchoolId { get; private set; }
    public Guid LocalAuthorityId { get; private set; }
    public DateOnly NextPeriodStart { get; private set; }
    public DateOnly NextPeriodEnd { get; private set; }
    public Tier ProposedTier { get; private set; }
    public long ProposedFeePence { get; private set; }
    public int ProposedCredits { get; private set; }
    public int CreditsUsedThisPeriod { get; private set; }
    public int AllowanceThisPeriod { get; private set; }
    public string Rationale { get; private set; } = "";
    public RenewalStatus Status { get; private set; }
    public Tier? ChosenTier { get; private set; }
    public Guid? DecidedByUserId { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DeclineReason { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public uint RowVersion { get; private set; }

    public Period NextPeriod => new(NextPeriodStart, NextPeriodEnd);

    /// <summary>
    /// The tier to propose for next period and why. A school enrolled for concern stays at gold; a tier
    /// the school asked for is kept; otherwise usage decides: 120% or more of the allowance used moves one
    /// tier up, under half moves one tier down, anything between keeps the tier. "Used" counts only
    /// credits that reached a provider (captured or spent), never credits a booking held and gave back.
    /// </summary>
    public static RenewalRecommendation Recommend(bool enrolledForConcern, Tier renewalTier, bool schoolChoseTier, int creditsUsed, int allowance)
    {
        if (enrolledForConcern)
            return new(Tier.Gold, "The school is enrolled at gold while it causes concern; gold continues next year.");
        if (schoolChoseTier)
            return new(renewalTier, $"The school asked for {DisplayNames.Lower(renewalTier)} from next year.");
        // Compared in whole numbers: used / allowance >= 1.2 is used * 10 >= allowance * 12.
        if (allowance > 0 && (long)creditsUsed * 10 >= (long)allowance * 12 && renewalTier < Tier.Gold)
        {
            var up = renewalTier + 1;
            return new(up, $"The school used {creditsUsed} credits against an allowance of {allowance}; {up} includes more credits and a larger discount.");
        }
        if (allowance > 0 && (long)creditsUsed * 2 < allowance && renewalTier > Tier.Bronze)
        {
            var down = renewalTier - 1;
            return new(down, $"The school used {creditsUsed} of its {allowance} allowance credits; {down} would cover that for less.");
        }
        return new(renewalTier, $"The school used {creditsUsed} credits against an allowance of {allowance}; the same tier fits.");
    }

    public void Confirm(Tier tier, Guid byUserId, DateTimeOffset now)
    {
        EnsureOpen();
        Status = RenewalStatus.Confirmed;
        ChosenTier = tier;
        DecidedByUserId = byUserId;
        DecidedAt = now;
    }

    public void Decline(string reason, Guid byUserId, DateTimeOffset now)
    {
        EnsureOpen();
        if (string.IsNullOrWhiteSpace(reason)) throw new DomainRuleException("renewal.reason", "Say why the school is not renewing.");
        Status = RenewalStatus.Declined;
        DeclineReason = reason.Trim();
        DecidedByUserId = byUserId;
        DecidedAt = now;
    }

    public void RenewByDefault(Tier tier, DateTimeOffset now)
    {
        EnsureOpen();
        Status = RenewalStatus.RenewedByDefault;
        ChosenTier = tier;
        DecidedAt = now;
    }

    private void EnsureOpen()
    {
        if (Status != RenewalStatus.Open)
            throw new DomainRuleException("renewal.decided", $"This renewal was already answered ({DisplayNames.Lower(Status)}).");
    }
}

/// <summary>The tier a renewal proposal puts forward, with the sentence the school reads.</summary>
public sealed record RenewalRecommendation(Tier Tier, string Rationale);
