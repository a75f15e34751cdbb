using Marketplace.Domain.Common;

namespace Marketplace.Domain.Catalogue;

/// <summary>
/// A service in the catalogue. Its status follows the latest version through
/// draft → awaiting approval → published, or back to draft when the LA rejects it, or withdrawn.
/// The catalogue shows <see cref="PublishedVersionId"/>: while a revision of a published offer is being
/// drafted or reviewed, buyers keep seeing (and buying) the approved version.
/// </summary>
public class Offer
{
    private readonly List<OfferVersion> _versions = [];

    private Offer() { }

    public static Offer CreateDraft(Guid id, Guid providerId, OfferContent content, DateTimeOffset now)
    {
        OfferRules.Validate(content);
        var offer = new Offer { Id = id, ProviderId = providerId, Status = OfferStatus.Draft, CreatedAt = now, UpdatedAt = now };
        var version = new OfferVersion(Guid.NewGuid(), id, 1, content, now);
        offer._versions.Add(version);
        offer.CurrentVersionId = version.Id;
        return offer;
    }

    public Guid Id { get; private set; }
    public Guid ProviderId { get; private set; }
    public OfferStatus Status { get; private set; }
    public Guid CurrentVersionId { get; private set; }
    public Guid? PublishedVersionId { get; private set; }
    public string? RejectionReason { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>PostgreSQL's xmin, used as an optimistic concurrency token.</summary>
    public uint RowVersion { get; private set; }

    public IReadOnlyList<OfferVersion> Versions => _versions;

    public bool IsListed => PublishedVersionId is not null && Status != OfferStatus.Withdrawn;

    /// <summary>The latest version (needs <see cref="Versions"/> loaded).</summary>
    public OfferVersion CurrentVersion =>
        _versions.FirstOrDefault(v => v.Id == CurrentVersionId)
        ?? throw new InvalidOperationException("Load the offer's versions before using its current version.");

    private OfferVersion Current => CurrentVersion;

    /// <summary>
    /// Edits a draft in place; editing a published (or withdrawn) offer starts a new draft version so
    /// the approved one stays untouched.
    /// </summary>
    public void Edit(OfferContent content, DateTimeOffset now)
    {
        OfferRules.Validate(content);
        if (Status == OfferStatus.AwaitingApproval)
            throw new DomainRuleException("offer.awaiting-approval",
                "This offer is awaiting approval by the local authority and can't be changed until they decide.");

        var current = Current;
        var editableInPlace = Status == OfferStatus.Draft && current.Id != PublishedVersionId && current.SubmittedAt is null;
        if (editableInPlace)
        {
            current.Apply(content);
        }
        else
        {
            var next = new OfferVersion(Guid.NewGuid(), Id, current.Number + 1, content, now);
            _versions.Add(next);
            CurrentVersionId = next.Id;
        }

        Status = OfferStatus.Draft;
        UpdatedAt = now;
    }

    public void Submit(DateTimeOffset now)
    {
        if (Status != OfferStatus.Draft)
            throw new DomainRuleException("offer.not-draft", $"Only a draft can be submitted for approval; this offer is {Describe(Status)}.");
        if (Current.Id == PublishedVersionId)
            throw new DomainRuleException("offer.no-changes", "There are no changes to submit: this version is already published.");
        Current.SubmittedAt = now;
        Status = OfferStatus.AwaitingApproval;
        RejectionReason = null;
        UpdatedAt = now;
    }

    public void Approve(Guid approverUserId, DateTimeOffset now)
    {
        if (Status != OfferStatus.AwaitingApproval)
            throw new DomainRuleException("offer.not-awaiting-approval", $"Only an offer awaiting approval can be approved; this offer is {Describe(Status)}.");
        var current = Current;
        current.ApprovedAt = now;
        current.ApprovedByUserId = approverUserId;
        PublishedVersionId = current.Id;
        Status = OfferStatus.Published;
        RejectionReason = null;
        UpdatedAt = now;
    }

    public void Reject(string reason, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("A rejection needs a reason.", nameof(reason));
        if (Status != OfferStatus.AwaitingApproval)
            throw new DomainRuleException("offer.not-awaiting-approval", $"Only an offer awaiting approval can be rejected; this offer is {Describe(Status)}.");
        // The submitted version stays as the draft to be revised; it was never published.
        Current.SubmittedAt = null;
        Status = OfferStatus.Draft;
        RejectionReason = reason.Trim();
        UpdatedAt = now;
    }

    public void Withdraw(DateTimeOffset now)
    {
        if (Status == OfferStatus.Withdrawn)
            throw new DomainRuleException("offer.already-withdrawn", "This offer is already withdrawn.");
        Status = OfferStatus.Withdrawn;
        PublishedVersionId = null;
        UpdatedAt = now;
    }

    private static string Describe(OfferStatus status) => status switch
    {
        OfferStatus.Draft => "a draft",
        OfferStatus.AwaitingApproval => "awaiting approval",
        OfferStatus.Published => "published",
        OfferStatus.Withdrawn => "withdrawn",
        _ => status.ToString(),
    };
}
