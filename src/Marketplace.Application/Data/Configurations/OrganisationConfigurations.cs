using Marketplace.Application.Identity;
using Marketplace.Domain.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Application.Data.Configurations;

internal sealed class LocalAuthorityConfiguration : IEntityTypeConfiguration<LocalAuthority>
{
    public void Configure(EntityTypeBuilder<LocalAuthority> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.Code).IsUnique();
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.TradingName).HasMaxLength(200);
        b.Property(x => x.PeriodBasisOverride).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.ConcernPayer).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.ConcernFundName).HasMaxLength(200);
        b.ToTable(t => t.HasCheckConstraint("ck_local_authorities_code", "code BETWEEN 100 AND 999"));
    }
}

internal sealed class SchoolConfiguration : IEntityTypeConfiguration<School>
{
    public void Configure(EntityTypeBuilder<School> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.Urn).IsUnique();
        b.HasIndex(x => x.LocalAuthorityId);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Cluster).HasMaxLength(100);
        b.Property(x => x.Type).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.OfstedGrade).HasConversion<int?>();
        b.HasOne(x => x.LocalAuthority).WithMany().HasForeignKey(x => x.LocalAuthorityId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_schools_urn", "urn BETWEEN 100000 AND 999999");
            t.HasCheckConstraint("ck_schools_ofsted_grade", "ofsted_grade IS NULL OR ofsted_grade BETWEEN 1 AND 4");
            t.HasCheckConstraint("ck_schools_pupils", "pupils_on_roll >= 0");
        });
    }
}

internal sealed class ProviderConfiguration : IEntityTypeConfiguration<Provider>
{
    public void Configure(EntityTypeBuilder<Provider> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Description).HasMaxLength(2000);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
        b.HasIndex(x => x.LocalAuthorityId);
        b.HasOne(x => x.LocalAuthority).WithMany().HasForeignKey(x => x.LocalAuthorityId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Practitioners).WithOne().HasForeignKey(x => x.ProviderId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PractitionerConfiguration : IEntityTypeConfiguration<Practitioner>
{
    public void Configure(EntityTypeBuilder<Practitioner> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Specialism).HasMaxLength(200);
        b.PrimitiveCollection(x => x.Accreditations);
        b.Property(x => x.WorkingWeek).HasConversion<int>().HasDefaultValue(WorkingWeek.MondayToFriday).HasSentinel(WorkingWeek.None);
    }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(x => x.DisplayName).HasMaxLength(200);
        b.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Provider>().WithMany().HasForeignKey(x => x.ProviderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<LocalAuthority>().WithMany().HasForeignKey(x => x.LocalAuthorityId).OnDelete(DeleteBehavior.Restrict);
    }
}
