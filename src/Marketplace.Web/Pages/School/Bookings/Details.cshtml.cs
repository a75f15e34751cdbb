using Marketplace.Application.Features.Bookings;
using Marketplace.Application.Identity;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Pages.School.Bookings;

/// <summary>One of the school's bookings: propose or answer a change of date, sign off or dispute, cancel.</summary>
[Authorize(Roles = Roles.SchoolBuyer)]
public sealed class DetailsModel(IMediator mediator) : BookingPage(mediator)
{
    protected override string PathOf(Guid id) => $"/school/bookings/{id}";

    public Task<IActionResult> OnPostProposeAsync(Guid id, CancellationToken ct) => Act(id, async () =>
            await Mediator.Send(new ProposeBookingChange.Command(id, NewDates(), null, Reason), ct),
        "Change proposed. The provider has been asked to accept it.", ct);

    public Task<IActionResult> OnPostSignOffAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await Mediator.Send(new SignOffBooking.Command(id), ct), "Signed off: the provider has been paid for what was delivered.", ct);

    public Task<IActionResult> OnPostDisputeAsync(Guid id, CancellationToken ct) => Act(id, async () =>
        await Mediator.Send(new DisputeBooking.Command(id, Reason), ct),
        "Dispute recorded. Your local authority's commissioners will resolve it; the credits stay held until then.", ct);
}
