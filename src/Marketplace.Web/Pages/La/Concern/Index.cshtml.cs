using Marketplace.Application.Data;
using Marketplace.Application.Features.Concern;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.La.Concern;

[Authorize(Roles = Roles.LaCommissioner)]
public sealed class IndexModel(IMediator mediator, MarketplaceDbContext db) : LaPage(db)
{
    public IReadOnlyList<ConcernRow> Rows { get; private set; } = [];
    public ImportOfstedOutcomes.Result? Import { get; private set; }
    [BindProperty] public int? Urn { get; set; }
    [BindProperty] public Ui.DateInput InspectionDate { get; set; } = new();
    [BindProperty] public int? Grade { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Rows = await mediator.Send(new ListSchoolsCausingConcern.Query(await ResolveLaAsync(ct)), ct);

    public async Task<IActionResult> OnPostRecordAsync(CancellationToken ct) =>
        await TryAsync(async () => await mediator.Send(new RecordOfstedOutcome.Command(await ResolveLaAsync(ct), Urn,
            InspectionDate.Read(nameof(InspectionDate), "Inspection date")?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Grade), ct),
            $"Ofsted outcome recorded for URN {Urn}", "/la/concern", () => OnGetAsync(ct),
            new Dictionary<string, string> { ["urn"] = "Urn", ["inspectionDate"] = "InspectionDate", ["grade"] = "Grade" });

    public async Task<IActionResult> OnPostImportAsync(CancellationToken ct)
    {
        string? csv = null;
        if (Upload is { Length: > 0 and <= Api.ConcernEndpoints.MaxCsvBytes })
        {
            using var reader = new StreamReader(Upload.OpenReadStream());
            csv = await reader.ReadToEndAsync(ct);
        }
        else if (Upload is { Length: > Api.ConcernEndpoints.MaxCsvBytes })
        {
            ModelState.AddModelError(nameof(Upload), "The selected file must be smaller than 1 MB");
            await OnGetAsync(ct);
            return Page();
        }
        ImportOfstedOutcomes.Result? result = null;
        var outcome = await TryAsync(async () => result = await mediator.Send(new ImportOfstedOutcomes.Command(await ResolveLaAsync(ct), csv), ct),
            "", "/la/concern", () => OnGetAsync(ct), new Dictionary<string, string> { ["csv"] = "Upload" });
        if (result is null) return outcome;
        // Show the row-by-row answer on the page rather than redirecting it away.
        TempData.Remove("Success");
        Import = result;
        await OnGetAsync(ct);
        return Page();
    }
}
