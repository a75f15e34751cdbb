using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Bookings;

/// <summary>A buyer allowed to commit the school's spend says whether every booking needs a purchase-order number.</summary>
public static class SetBookingSettings
{
    public sealed record Command(int Urn, bool? RequiresPurchaseOrder) : ICommand<SchoolBookingSettings>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(x => x.RequiresPurchaseOrder).NotNull().WithMessage("Say whether every booking needs a purchase-order number");
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : ICommandHandler<Command, SchoolBookingSettings>
    {
        public async ValueTask<SchoolBookingSettings> Handle(Command request, CancellationToken ct)
        {
            var school = await Access.SchoolToCommitAsync(db, user, request.Urn, ct);
            school.SetRequiresPurchaseOrder(request.RequiresPurchaseOrder!.Value);
            await db.SaveChangesAsync(ct);
            return new(school.Urn, school.RequiresPurchaseOrder);
        }
    }
}
