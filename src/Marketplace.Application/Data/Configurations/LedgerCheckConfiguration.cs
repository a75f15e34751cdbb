using Marketplace.Application.Credits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Application.Data.Configurations;

internal sealed class LedgerCheckConfiguration : IEntityTypeConfiguration<LedgerCheck>
{
    public void Configure(EntityTypeBuilder<LedgerCheck> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Trigger).HasMaxLength(20);
        b.Ignore(x => x.Breached);
        b.HasIndex(x => x.CheckedAt);
    }
}
