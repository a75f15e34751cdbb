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
        ActAsync(urn, async code => await mediator.Send(new FlagSchoolAtRisk.Command(code, urn, Reasons, Note), ct), "Flagged at risk", ct);

    public Task<IActionResult> OnPostClearAsync(int urn, CancellationToken ct) =>
        ActAsync(urn, async code => await mediator.Send(new ClearRiskFlag.Command(code, urn, Reason), ct), "At-risk flag cleared", ct);

    public Task<IActionResult> OnPostOverrideAsync(int urn, CancellationToken ct) =>
        ActAsync(urn, async code => await mediator.Send(new OverrideConcernEnrolment.Command(code, urn, Reason), ct), "Override recorded", ct);

    public Task<IActionResult> OnPostLiftAsync(int urn, CancellationToken ct) =>
        ActAsync(urn, async code => await mediator.Send(new LiftConcernOverride.Command(code, urn), ct), "Override lifted", ct);

    private async Task<IActionResult> ActAsync(int urn, Func<int, Task> send, string success, CancellationToken ct) =>
        await TryAsync(async () => await send(await ResolveLaAsync(ct)),
            success, $"/la/concern/{urn}", () => OnGetAsync(urn, ct),
            new Dictionary<string, string> { ["reasons"] = "Reasons", ["reason"] = "Reason", ["note"] = "Note" });

    public static IEnumerable<RiskCriterion> Criteria => Enum.GetValues<RiskCriterion>();
}
