using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Mediator;

namespace Marketplace.Application.Features.Users;

/// <summary>A platform admin gives a user their access back; they sign in again (their old sessions stay ended).</summary>
public static class RestoreUserAccess
{
    public sealed record Command(Guid UserId, string? Reason) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).NotEmpty().WithMessage("Say why this person's access is being restored")
                .MaximumLength(1000).WithMessage("Keep it to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var subject = await UserAccess.UserForAdminAsync(db, user, request.UserId, ct);
            subject.LockoutEnd = null;
            subject.AccessFailedCount = 0;
            subject.ConcurrencyStamp = Guid.NewGuid().ToString();
            UserAccess.Audit(db, clock, user, subject, "user.access-restored", "Access restored", request.Reason);
            await db.SaveChangesAsync(ct);
            return Unit.Value;
        }
    }
}
