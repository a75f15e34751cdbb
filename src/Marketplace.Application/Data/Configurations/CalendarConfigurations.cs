using Marketplace.Domain.Calendar;
using Marketplace.Domain.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Application.Data.Configurations;

internal sealed class SchoolTermConfiguration : IEntityTypeConfiguration<SchoolTerm>
{
    public void Configure(EntityTypeBuilder<SchoolTerm> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.LocalAuthorityId, x.AcademicYear, x.StartsOn });
        b.Property(x => x.Name).HasMaxLength(100);
        b.HasOne<LocalAuthority>().WithMany().HasForeignKey(x => x.LocalAuthorityId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_school_terms_order", "ends_on >= starts_on");
            t.HasCheckConstraint("ck_school_terms_year", "starts_on >= make_date(academic_year, 9, 1) AND ends_on <= make_date(academic_year + 1, 8, 31)");
        });
    }
}

internal sealed class InsetDayConfiguration : IEntityTypeConfiguration<InsetDay>
{
    public void Configure(EntityTypeBuilder<InsetDay> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.LocalAuthorityId, x.Date }).IsUnique();
        b.HasOne<LocalAuthority>().WithMany().HasForeignKey(x => x.LocalAuthorityId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("ck_inset_days_year", "date BETWEEN make_date(academic_year, 9, 1) AND make_date(academic_year + 1, 8, 31)"));
    }
}
