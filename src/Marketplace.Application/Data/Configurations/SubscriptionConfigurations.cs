using Marketplace.Domain.Common;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Organisations;
using Marketplace.Domain.Subscriptions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Application.Data.Configurations;

internal sealed class TierPackageConfiguration : IEntityTypeConfiguration<TierPackage>
{
    public void Configure(EntityTypeBuilder<TierPackage> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Tier).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.RowVersion).IsRowVersion();
        b.HasIndex(x => new { x.LocalAuthorityId, x.Year, x.Tier }).IsUnique();
        b.HasOne<LocalAuthority>().WithMany().HasForeignKey(x => x.LocalAuthorityId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(x => x.Terms);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_tier_packages_money", "annual_fee_pence >= 0 AND per_pupil_pence >= 0 AND credits_included >= 0");
            t.HasCheckConstraint("ck_tier_packages_discount", "discount_basis_points BETWEEN 0 AND 10000");
            t.HasCheckConstraint("ck_tier_packages_term", "max_term_years BETWEEN 1 AND 3");
            t.HasCheckConstraint("ck_tier_packages_validity", "purchased_credit_validity_months >= 12");
        });
    }
}

internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Tier).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.NextPeriodTier).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.Basis).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Payer).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Origin).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.FundName).HasMaxLength(200);
        b.Property(x => x.RowVersion).IsRowVersion();
        b.Ignore(x => x.Period);
        b.Ignore(x => x.RenewalTier);
        b.Ignore(x => x.EndsAtPeriodEnd);
        // One subscription per school per period start: a retried enrolment or renewal cannot make two.
        b.HasIndex(x => new { x.SchoolId, x.PeriodStart }).IsUnique();
        b.HasIndex(x => new { x.LocalAuthorityId, x.Status });
        b.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<LocalAuthority>().WithMany().HasForeignKey(x => x.LocalAuthorityId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<TierPackage>().WithMany().HasForeignKey(x => x.PackageId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Changes).WithOne().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
        b.Navigation(x => x.Changes).HasField("_changes").UsePropertyAccessMode(PropertyAccessMode.Field);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_subscriptions_period", "period_start <= starts_on AND starts_on <= period_end AND period_end <= term_ends_on");
            t.HasCheckConstraint("ck_subscriptions_share", "school_share_basis_points BETWEEN 0 AND 10000");
            t.HasCheckConstraint("ck_subscriptions_fee", "fee_pence >= 0 AND credits_included >= 0");
        });
    }
}

internal sealed class SubscriptionChangeConfiguration : IEntityTypeConfiguration<SubscriptionChange>
{
    public void Configure(EntityTypeBuilder<SubscriptionChange> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.FromTier).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.ToTier).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.Reason).HasMaxLength(1000);
        b.Property(x => x.FundName).HasMaxLength(200);
        b.HasIndex(x => new { x.SubscriptionId, x.At });
        b.ToTable(t => t.HasCheckConstraint("ck_subscription_changes_split",
            "fee_pence >= 0 AND school_share_pence >= 0 AND fund_share_pence >= 0 AND school_share_pence + fund_share_pence = fee_pence"));
    }
}

internal sealed class RenewalProposalConfiguration : IEntityTypeConfiguration<RenewalProposal>
{
    public void Configure(EntityTypeBuilder<RenewalProposal> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.ProposedTier).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.ChosenTier).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Rationale).HasMaxLength(1000);
        b.Property(x => x.DeclineReason).HasMaxLength(1000);
        b.Property(x => x.RowVersion).IsRowVersion();
        b.Ignore(x => x.NextPeriod);
        // One proposal per subscription: the daily job can run any number of times.
        b.HasIndex(x => x.SubscriptionId).IsUnique();
        b.HasIndex(x => new { x.LocalAuthorityId, x.Status });
        b.HasOne<Subscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class OfstedInspectionConfiguration : IEntityTypeConfiguration<OfstedInspection>
{
    public void Configure(EntityTypeBuilder<OfstedInspection> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Grade).HasConversion<int>();
        b.Property(x => x.Source).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => new { x.SchoolId, x.InspectionDate }).IsUnique();
        b.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("ck_ofsted_inspections_grade", "grade BETWEEN 1 AND 4"));
    }
}

internal sealed class RiskFlagConfiguration : IEntityTypeConfiguration<RiskFlag>
{
    public void Configure(EntityTypeBuilder<RiskFlag> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.PrimitiveCollection(x => x.Reasons).ElementType().HasConversion<string>();
        b.Property(x => x.Note).HasMaxLength(2000);
        b.Property(x => x.ClearReason).HasMaxLength(1000);
        b.Ignore(x => x.IsActive);
        // At most one open flag per school.
        b.HasIndex(x => x.SchoolId).IsUnique().HasFilter("cleared_at IS NULL");
        b.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ConcernEnrolmentConfiguration : IEntityTypeConfiguration<ConcernEnrolment>
{
    public void Configure(EntityTypeBuilder<ConcernEnrolment> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.PreviousTier).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.Payer).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Trigger).HasMaxLength(500);
        b.Property(x => x.FundName).HasMaxLength(200);
        b.Property(x => x.OverrideReason).HasMaxLength(1000);
        b.Property(x => x.RowVersion).IsRowVersion();
        b.Ignore(x => x.Blocks);
        // At most one enrolment or override in force per school, whatever races.
        b.HasIndex(x => x.SchoolId).IsUnique().HasFilter("status IN ('Active', 'Exiting', 'Overridden')");
        b.HasIndex(x => new { x.LocalAuthorityId, x.Status });
        b.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Subscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.ActorName).HasMaxLength(200);
        b.Property(x => x.Action).HasMaxLength(60);
        b.Property(x => x.Detail).HasMaxLength(2000);
        b.Property(x => x.Reason).HasMaxLength(1000);
        b.HasIndex(x => new { x.LocalAuthorityId, x.At });
        b.HasIndex(x => new { x.SchoolId, x.At });
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.DedupeKey).HasMaxLength(300);
        b.Property(x => x.ToAddress).HasMaxLength(320);
        b.Property(x => x.ToName).HasMaxLength(200);
        b.Property(x => x.Subject).HasMaxLength(300);
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.Property(x => x.AttachmentName).HasMaxLength(200);
        b.Property(x => x.AttachmentContentType).HasMaxLength(100);
        b.HasIndex(x => x.DedupeKey).IsUnique();
        b.HasIndex(x => x.CreatedAt).HasFilter("sent_at IS NULL");
    }
}
