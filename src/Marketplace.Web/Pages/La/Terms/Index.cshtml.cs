using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Features.Terms;
using Marketplace.Application.Identity;
using Marketplace.Domain.Calendar;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.La.Terms;

/// <summary>
/// The LA's school terms and INSET days for one academic year: change, add (the empty rows) or remove (empty a
/// row) terms and INSET days and save the year, the same command as PUT /api/v1/las/{code}/terms/{year}; or upload a CSV.
/// </summary>
[Authorize(Roles = Roles.LaCommissioner)]
public sealed class IndexModel(IMediator mediator, MarketplaceDbContext db, TimeProvider clock) : LaPage(db)
{
    public sealed class TermRow
    {
        public string? Name { get; set; }
        public DateInput StartsOn { get; set; } = new();
        public DateInput EndsOn { get; set; } = new();
        public bool IsEmpty => string.IsNullOrWhiteSpace(Name) && StartsOn.IsEmpty && EndsOn.IsEmpty;
    }

    public GetSchoolTerms.Result Terms { get; private set; } = null!;
    public ImportSchoolTerms.Result? Import { get; private set; }
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty] public List<TermRow> Rows { get; set; } = [];
    [BindProperty] public List<DateInput> InsetDays { get; set; } = [];
    [BindProperty] public IFormFile? Upload { get; set; }

    /// <summary>Empty rows shown under the recorded ones, to add terms and INSET days.</summary>
    public const int SpareRows = 2;

    private int ChosenYear => Year is >= TermRules.FirstYear and <= TermRules.LastYear ? Year.Value : AcademicYears.Of(clock.Today());

    public async Task OnGetAsync(CancellationToken ct)
    {
        Year = ChosenYear;
        Terms = await mediator.Send(new GetSchoolTerms.Query(await ResolveLaAsync(ct), Year.Value), ct);
        if (Rows.Count == 0)
        {
            Rows = Terms.Terms.Select(t => new TermRow { Name = t.Name, StartsOn = DateInput.Of(t.StartsOn), EndsOn = DateInput.Of(t.EndsOn) }).ToList();
            InsetDays = Terms.InsetDays.Select(d => DateInput.Of(d)).ToList();
        }
        while (Rows.Count < Math.Min(TermRules.MaxTerms, Terms.Terms.Count + SpareRows)) Rows.Add(new TermRow());
        while (InsetDays.Count < Math.Min(TermRules.MaxInsetDays, Terms.InsetDays.Count + SpareRows)) InsetDays.Add(new DateInput());
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        var year = ChosenYear;
        var rename = Enumerable.Range(0, TermRules.MaxTerms + SpareRows)
            .SelectMany(i => new[] { ($"terms[{i}].name", $"Rows[{i}].Name"), ($"terms[{i}].startsOn", $"Rows[{i}].StartsOn"), ($"terms[{i}].endsOn", $"Rows[{i}].EndsOn") })
            .Concat(Enumerable.Range(0, TermRules.MaxInsetDays + SpareRows).Select(i => ($"insetDays[{i}]", $"InsetDays[{i}]")))
            .ToDictionary(x => x.Item1, x => x.Item2);
        return await TryAsync(async () =>
            {
                // Empty rows are dropped; the rest keep their place, so each error stays with its row.
                var rows = Rows.Take(TermRules.MaxTerms + SpareRows).Select((r, i) => (r, i)).Where(x => !x.r.IsEmpty).ToList();
                var keys = rows.SelectMany(x => new[] { $"Rows[{x.i}].StartsOn", $"Rows[{x.i}].EndsOn" }).ToList();
                var dates = DateInputs(rows.SelectMany(x => new[] { x.r.StartsOn, x.r.EndsOn }).ToList(), keys);
                var terms = rows.Select((x, k) => new TermRules.TermInput(x.r.Name, dates[2 * k], dates[2 * k + 1])).ToList();
                var insetInputs = InsetDays.Take(TermRules.MaxInsetDays + SpareRows).ToList();
                var insetRead = DateInputs(insetInputs, insetInputs.Select((_, i) => $"InsetDays[{i}]").ToList());
                var insetIndexes = insetRead.Select((d, i) => (d, i)).Where(x => x.d is not null).Select(x => x.i).ToList();
                var inset = insetRead.OfType<DateOnly>().ToList();
                try
                {
                    await mediator.Send(new SetSchoolTerms.Command(await ResolveLaAsync(ct), year, terms, inset), ct);
                }
                catch (FluentValidation.ValidationException e)
                {
                    // The command numbers the rows it was sent; the page's rows include the empty ones it dropped.
                    throw new FluentValidation.ValidationException(e.Errors.Select(f => new FluentValidation.Results.ValidationFailure(
                        Renumber(Renumber(f.PropertyName, "Terms", rows.Select(x => x.i).ToList()), "InsetDays", insetIndexes), f.ErrorMessage)));
                }
            },
            $"Terms saved for {AcademicYears.Name(year)}.", $"/la/terms?year={year}", () => OnGetAsync(ct), rename);
    }

    /// <summary>Each input read on its own (an empty one is null), every wrong one named.</summary>
    private static List<DateOnly?> DateInputs(IReadOnlyList<DateInput> inputs, IReadOnlyList<string> keys)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        var dates = new List<DateOnly?>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var r = Domain.Common.DateParts.Parse(inputs[i].Day, inputs[i].Month, inputs[i].Year, keys[i].EndsWith("StartsOn", StringComparison.Ordinal) ? "First day" : keys[i].EndsWith("EndsOn", StringComparison.Ordinal) ? "Last day" : "INSET day");
            if (r.Error is not null) failures.Add(new(keys[i], r.Error));
            dates.Add(r.Date);
        }
        if (failures.Count > 0) throw new FluentValidation.ValidationException(failures);
        return dates;
    }

    private static string Renumber(string property, string list, IReadOnlyList<int> indexes)
    {
        if (!property.StartsWith(list + "[", StringComparison.Ordinal)) return property;
        var close = property.IndexOf(']', StringComparison.Ordinal);
        return int.TryParse(property[(list.Length + 1)..close], out var k) && k < indexes.Count ? $"{list}[{indexes[k]}]{property[(close + 1)..]}" : property;
    }

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
        ImportSchoolTerms.Result? result = null;
        var outcome = await TryAsync(async () => result = await mediator.Send(new ImportSchoolTerms.Command(await ResolveLaAsync(ct), csv), ct),
            "", "/la/terms", () => OnGetAsync(ct), new Dictionary<string, string> { ["csv"] = "Upload" });
        if (result is null) return outcome;
        // The row-by-row answer stays on the page.
        TempData.Remove("Success");
        Import = result;
        await OnGetAsync(ct);
        return Page();
    }
}
