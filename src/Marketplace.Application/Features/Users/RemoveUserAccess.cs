using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Features.Users;

/// <summary>
/// A platform admin removes a user's access (they left the school, or their account is misused): the
/// account can no longer sign in, and every session it has, browser or API, ends at once.
/// </summary>
public static class RemoveUserAccess
{
    public sealed record Command(Guid UserId, string? Reason) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Reason).NotEmpty().WithMessage("Say why this person's access is being removed")
                .MaximumLength(1000).WithMessage("Keep it to 1,000 characters");
        }
    }

    public sealed class Handler(MarketplaceDbContext db, ICurrentUser user, TimeProvider clock) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command request, CancellationToken ct)
        {
            var subject = await UserAccess.UserForAdminAsync(db, user, request.UserId, ct);
            if (subject.Id == user.UserId) throw new Domain.Common.DomainRuleException("user.self", "You cannot remove your own access.");
            var now = clock.GetUtcNow();
            subject.LockoutEnabled = true;
            subject.LockoutEnd = DateTimeOffset.MaxValue;
            // A new stamp invalidates anything signed with the old one; ending the sessions makes it immediate.
            subject.SecurityStamp = Guid.NewGuid().ToString("N");
            subject.ConcurrencyStamp = Guid.NewGuid().ToString();
            UserAccess.Audit(db, clock, user, subject, "user.access-removed", "Access removed", request.Reason);
            await db.SaveChangesAsync(ct);
            await db.UserSessions.Where(s => s.UserId == subject.Id).EndAsync(SessionEnd.AccessRemoved, now, ct);
            return Unit.Value;
        }
    }
}
