using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NpgsqlTypes;

namespace Marketplace.Application.Data.Configurations;

internal sealed class OfferConfiguration : IEntityTypeConfiguration<Offer>
{
    public void Configure(EntityTypeBuilder<Offer> b)
    {
        b.HasKey(x => x.Id);
        // Ids are made in the domain; telling EF so makes a new version added to a tracked offer an INSERT.
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.RejectionReason).HasMaxLength(1000);
        b.Property(x => x.RowVersion).IsRowVersion();
        b.HasOne<Provider>().WithMany().HasForeignKey(x => x.ProviderId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.ProviderId);
        b.HasIndex(x => x.Status);
        b.HasMany(x => x.Versions).WithOne().HasForeignKey(v => v.OfferId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Versions).UsePropertyAccessMode(PropertyAccessMode.Field);
        // offers -> offer_versions (current, published) and offer_versions -> offers form a cycle that EF
        // cannot order on insert; those two foreign keys are created DEFERRABLE INITIALLY DEFERRED in the
        // migration instead, so PostgreSQL checks them at commit.
        b.Ignore(x => x.CurrentVersion);
        b.Ignore(x => x.IsListed);
        b.HasIndex(x => x.CurrentVersionId).IsUnique();
        b.HasIndex(x => x.PublishedVersionId).IsUnique();
    }
}

internal sealed class OfferVersionConfiguration : IEntityTypeConfiguration<OfferVersion>
{
    public const string SearchVector = "SearchVector";

    public void Configure(EntityTypeBuilder<OfferVersion> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasIndex(x => new { x.OfferId, x.Number }).IsUnique();
        b.Property(x => x.Title).HasMaxLength(OfferRules.TitleMaxLength);
        b.Property(x => x.Description).HasMaxLength(OfferRules.DescriptionMaxLength);
        b.Property(x => x.ServiceStandards).HasMaxLength(OfferRules.ServiceStandardsMaxLength);
        b.Property(x => x.Category).HasConversion<string>().HasMaxLength(40);
        b.Property(x => x.Subject).HasConversion<string>().HasMaxLength(40);
        b.Property(x => x.Unit).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.Phases).HasConversion<int>();
        b.HasIndex(x => new { x.Subject, x.Category });
        // Full-text search over title (weight A) and description (weight B), kept by PostgreSQL itself.
        b.Property<NpgsqlTsVector>(SearchVector)
            .HasComputedColumnSql(
                "setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')",
                stored: true);
        b.HasIndex(SearchVector).HasMethod("GIN");
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_offer_versions_price_pence", "price_pence >= 0");
            t.HasCheckConstraint("ck_offer_versions_price_credits", "price_credits > 0");
            t.HasCheckConstraint("ck_offer_versions_phases", $"phases > 0 AND phases <= {(int)OfferRules.AllPhases}");
        });
    }
}
