using FluentValidation;
using Marketplace.Application.Credits;
using Mediator;

namespace Marketplace.Application.Features.Credits;

/// <summary>
/// Spends credits from a school's wallet into another ledger account (a booking hold, a provider's
/// earnings). Used by bookings; not exposed on its own over HTTP.
/// </summary>
public static class SpendCredits
{
    public sealed record Command(Guid SchoolId, int Credits, Guid OfferId, Guid DestinationAccountId, string IdempotencyKey,
        string Description, string? Reference = null) : ICommand<CreditLedger.SpendResult>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Credits).InclusiveBetween(1, 1_000_000);
            RuleFor(x => x.IdempotencyKey).NotEmpty().MaximumLength(200);
            RuleFor(x => x.Description).NotEmpty().MaximumLength(500);
        }
    }

    public sealed class Handler(CreditLedger ledger) : ICommandHandler<Command, CreditLedger.SpendResult>
    {
        public async ValueTask<CreditLedger.SpendResult> Handle(Command request, CancellationToken ct) =>
            await ledger.SpendAsync(new CreditLedger.SpendRequest(request.IdempotencyKey, request.SchoolId, request.Credits,
                request.OfferId, request.DestinationAccountId, request.Description, request.Reference), ct);
    }
}
