using System.Globalization;
using Marketplace.Application.Common;
using Marketplace.Application.Features.Practitioners;
using Marketplace.Application.Identity;
using Marketplace.Domain.Common;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.Provider.Practitioners;

/// <summary>A practitioner's month: bookings, absences, non-working days, bank holidays, school holidays and INSET days; set the working week and record absences.</summary>
[Authorize(Roles = Roles.Provider)]
public sealed class CalendarModel(IMediator mediator, TimeProvider clock) : FormPage
{
    public PractitionerCalendar Calendar { get; private set; } = null!;
    public DateOnly Month { get; private set; }
    [BindProperty] public List<string> WorkingDays { get; set; } = [];
    [BindProperty] public DateInput From { get; set; } = new();
    [BindProperty] public DateInput To { get; set; } = new();
    [BindProperty] public string? Reason { get; set; }

    private Guid ProviderId => Guid.Parse(User.FindFirst(MarketplaceClaims.ProviderId)!.Value);

    public async Task OnGetAsync(Guid id, string? month, CancellationToken ct)
    {
        var today = clock.Today();
        // A month outside the service's dates (a hand-edited link) shows this month, as an unreadable one does.
        Month = DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m) && ServiceDates.Contains(m)
            ? m : new DateOnly(today.Year, today.Month, 1);
        Calendar = await mediator.Send(new GetPractitionerCalendar.Query(ProviderId, id, Month, Month.AddMonths(1).AddDays(-1)), ct);
    }

    public Task<IActionResult> OnPostWeekAsync(Guid id, CancellationToken ct) =>
        TryAsync(async () => await mediator.Send(new SetWorkingWeek.Command(ProviderId, id, WorkingDays), ct),
            "Working days saved.", $"/provider/practitioners/{id}", () => OnGetAsync(id, null, ct), new Dictionary<string, string> { ["workingDays"] = "WorkingDays" });

    public Task<IActionResult> OnPostAbsenceAsync(Guid id, CancellationToken ct) =>
        TryAsync(async () =>
            {
                var dates = DateInput.ReadAll([From, To], [nameof(From), nameof(To)], "Date");
                var from = From.IsEmpty ? (DateOnly?)null : dates![0];
                var to = To.IsEmpty ? from : dates![^1];
                await mediator.Send(new RecordAbsence.Command(ProviderId, id, from, to, Reason), ct);
            },
            "Absence recorded.", $"/provider/practitioners/{id}", () => OnGetAsync(id, null, ct));

    public Task<IActionResult> OnPostRemoveAbsenceAsync(Guid id, Guid absenceId, CancellationToken ct) =>
        TryAsync(async () => await mediator.Send(new RemoveAbsence.Command(ProviderId, id, absenceId), ct),
            "Absence removed.", $"/provider/practitioners/{id}", () => OnGetAsync(id, null, ct));
}
