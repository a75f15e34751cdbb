using Marketplace.Application.Data;
using Marketplace.Application.Features.Concern;
using Marketplace.Application.Identity;
using Marketplace.Domain.Concern;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.La.Concern;

[Authorize(Roles = Roles.LaCommissioner)]
public sealed class SchoolModel(IMediator mediator, MarketplaceDbContext db) : LaPage(db)
{
    public ConcernRow? Row { get; private set; }
    public string SchoolName { get; private set; } = "";
    public IReadOnlyList<AuditView> Audit { get; private set; } = [];
    [BindProperty] public List<string> Reasons { get; set; } = [];
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public async Task OnGetAsync(int urn, CancellationToken ct)
    {
        var code = await ResolveLaAsync(ct);
        Audit = await mediator.Send(new GetAuditTrail.Query(code, urn, 1, 50), ct); // 404 for a school outside the LA
        Row = (await mediator.Send(new ListSchoolsCausingConcern.Query(code), ct)).SingleOrDefault(r => r.Urn == urn);
        SchoolName = Row?.Name ?? (await mediator.Send(new Marketplace.Application.Features.Schools.GetSchool.Query(urn), ct)).Name;
    }

    public Task<IActionResult> OnPostFlagAsync(int urn, CancellationToken ct) =>
        ActAsync(urn, ConcernActions.Kind.Flag, Reasons, Note, "Flagged at risk", ct);

    public Task<IActionResult> OnPostClearAsync(int urn, CancellationToken ct) =>
        ActAsync(urn, ConcernActions.Kind.ClearFlag, null, Reason, "At-risk flag cleared", ct);

    public Task<IActionResult> OnPostOverrideAsync(int urn, CancellationToken ct) =>
        ActAsync(urn, ConcernActions.Kind.Override, null, Reason, "Override recorded", ct);

    public Task<IActionResult> OnPostLiftAsync(int urn, CancellationToken ct) =>
        ActAsync(urn, ConcernActions.Kind.LiftOverride, null, null, "Override lifted", ct);

    private async Task<IActionResult> ActAsync(int urn, ConcernActions.Kind kind, IReadOnlyList<string>? reasons, string? note, string success, CancellationToken ct) =>
        await TryAsync(async () => await mediator.Send(new ConcernActions.Command(await ResolveLaAsync(ct), urn, kind, reasons, note), ct),
            success, $"/la/concern/{urn}", () => OnGetAsync(urn, ct),
            new Dictionary<string, string> { ["reasons"] = "Reasons", ["reason"] = "Reason", ["note"] = "Note" });

    public static IEnumerable<RiskCriterion> Criteria => Enum.GetValues<RiskCriterion>();
}
