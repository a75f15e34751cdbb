using Marketplace.Application.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Application.Data.Configurations;

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> b)
    {
        b.ToTable("user_sessions");
        b.HasKey(x => x.Id);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.EndReason).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.SecurityStamp).HasMaxLength(256);
        b.Property(x => x.Client).HasMaxLength(64);
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.UserId, x.EndedAt });
    }
}

internal sealed class SignInThrottleConfiguration : IEntityTypeConfiguration<SignInThrottle>
{
    public void Configure(EntityTypeBuilder<SignInThrottle> b)
    {
        b.ToTable("sign_in_throttles");
        b.HasKey(x => new { x.Email, x.Client });
        b.Property(x => x.Email).HasMaxLength(256);
        b.Property(x => x.Client).HasMaxLength(64);
        b.HasIndex(x => x.WindowStartedAt);
    }
}
