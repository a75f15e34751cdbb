using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Bookings;

/// <summary>
/// What resolving a dispute at a charged quantity would charge the school and give back, before the commissioner commits:
/// <see cref="Domain.Bookings.Booking.ResolutionSettlement"/>, which <see cref="ResolveDispute"/> settles. Nothing is saved.
/// </summary>
public static class QuoteDisputeResolution
{
    public sealed record Query(Guid Id, int? ChargedQuantity, string? Note) : IQuery<Result>;

    public sealed record Result(Guid BookingId, string Reference, string School, string OfferTitle, int DeliveredQuantity, int Quantity, int ChargedQuantity,
        string Note, int SessionsUsed, int CreditsCharged, long PenceCharged, int CreditsReturned, long CreditPricePence)
    {
        public long CreditsChargedValuePence => checked(CreditsCharged * CreditPricePence);
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(x => x.ChargedQuantity).NotNull().WithMessage("Enter how much of the delivery to charge (0 for nothing)")
                .InclusiveBetween(0, 100).WithMessage("Charge between 0 and what was delivered");
            RuleFor(x => x.Note).NotEmpty().WithMessage("Record why the dispute was settled this way").MaximumLength(1000).WithMessage("Keep the note to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var booking = await BookingAccess.FindAsync(db, user, request.Id, ct);
            if (!user.IsAdmin() && !user.IsCommissionerOf(booking.SellerLaId))
                throw new ForbiddenException("Only the school's local authority's commissioners resolve disputes.");
            var charge = booking.ResolutionSettlement(request.ChargedQuantity!.Value);
            var names = await db.Schools.AsNoTracking().Where(s => s.Id == booking.SchoolId).Select(s => new
            {
                s.Name, s.LocalAuthority!.CreditPricePence,
                Offer = db.OfferVersions.Where(v => v.Id == booking.OfferVersionId).Select(v => v.Title).Single(),
            }).SingleAsync(ct);
            return new Result(booking.Id, booking.Reference, names.Name, names.Offer, booking.DeliveredQuantity ?? 0, booking.Quantity,
                request.ChargedQuantity.Value, request.Note!.Trim(), charge.SessionsUsed, charge.Credits, charge.Pence, booking.TotalCredits - charge.Credits,
                names.CreditPricePence);
        }
    }
}
