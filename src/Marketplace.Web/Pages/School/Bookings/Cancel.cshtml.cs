using Marketplace.Application.Identity;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;

namespace Marketplace.Web.Pages.School.Bookings;

/// <summary>The school's check step before cancelling a booking (see <see cref="CancelCheckPage"/>).</summary>
[Authorize(Roles = Roles.SchoolBuyer)]
public sealed class CancelModel(IMediator mediator) : CancelCheckPage(mediator)
{
    public override string PathOf(Guid id) => $"/school/bookings/{id}";

    public override bool ForSchool => true;
}
