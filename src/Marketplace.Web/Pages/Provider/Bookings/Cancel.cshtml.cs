using Marketplace.Application.Identity;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;

namespace Marketplace.Web.Pages.Provider.Bookings;

/// <summary>The provider's check step before cancelling a booking (see <see cref="CancelCheckPage"/>).</summary>
[Authorize(Roles = Roles.Provider)]
public sealed class CancelModel(IMediator mediator) : CancelCheckPage(mediator)
{
    public override string PathOf(Guid id) => $"/provider/bookings/{id}";

    public override bool ForSchool => false;
}
