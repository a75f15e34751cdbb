using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Application.Data.Configurations;

internal sealed class BookingConfiguration : IEntityTypeConfiguration<Booking>
{
    public void Configure(EntityTypeBuilder<Booking> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Reference).HasMaxLength(20);
        b.HasIndex(x => x.Reference).IsUnique();
        b.Property(x => x.RequestKey).HasMaxLength(200);
        b.Property(x => x.RequestHash).HasMaxLength(64);
        b.HasIndex(x => x.RequestKey).IsUnique();
        b.Property(x => x.Tier).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.Unit).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.PreferredTerm).HasMaxLength(100);
        b.Property(x => x.PurchaseOrderNumber).HasMaxLength(50);
        b.Property(x => x.Notes).HasMaxLength(2000);
        b.Property(x => x.DeclineReason).HasMaxLength(1000);
        b.PrimitiveCollection(x => x.PreferredDates);
        b.PrimitiveCollection(x => x.ConfirmedDates);
        b.PrimitiveCollection(x => x.DeliveredDates);
        b.Property(x => x.VisitNote).HasMaxLength(2000);
        b.Property(x => x.DisputeReason).HasMaxLength(1000);
        b.Ignore(x => x.DeliveredCredits);
        b.Property(x => x.RowVersion).IsRowVersion();
        b.HasIndex(x => new { x.SchoolId, x.RequestedAt });
        b.HasIndex(x => new { x.ProviderId, x.Status });
        b.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Offer>().WithMany().HasForeignKey(x => x.OfferId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OfferVersion>().WithMany().HasForeignKey(x => x.OfferVersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Provider>().WithMany().HasForeignKey(x => x.ProviderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Practitioner>().WithMany().HasForeignKey(x => x.PractitionerId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Events).WithOne().HasForeignKey(x => x.BookingId).OnDelete(DeleteBehavior.Restrict);
        b.Navigation(x => x.Events).HasField("_events").UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasMany(x => x.Changes).WithOne().HasForeignKey(x => x.BookingId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Changes).HasField("_changes").UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(x => x.PendingChange);
        b.Ignore(x => x.FirstDate);
        b.Ignore(x => x.PaymentSummary);
        b.Property(x => x.ResolutionNote).HasMaxLength(1000);
        b.HasOne<Domain.Subscriptions.Subscription>().WithMany().HasForeignKey(x => x.SessionSubscriptionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.SessionSubscriptionId).HasFilter("session_subscription_id IS NOT NULL");
        b.HasIndex(x => new { x.SellerLaId, x.Status });
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_bookings_credits", "quantity BETWEEN 1 AND 100 AND credits_per_unit >= 0 AND session_units >= 0 AND credit_units >= 0 "
                + "AND pound_units >= 0 AND session_units + credit_units + pound_units = quantity AND total_credits = credit_units * credits_per_unit");
            t.HasCheckConstraint("ck_bookings_settled", "captured_credits BETWEEN 0 AND total_credits AND pence_due >= 0 AND sessions_counted BETWEEN 0 AND session_units");
        });
    }
}

internal sealed class BookingEventConfiguration : IEntityTypeConfiguration<BookingEvent>
{
    public void Configure(EntityTypeBuilder<BookingEvent> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.Note).HasMaxLength(1000);
        b.HasIndex(x => new { x.BookingId, x.At });
    }
}

internal sealed class BookingChangeConfiguration : IEntityTypeConfiguration<BookingChange>
{
    public void Configure(EntityTypeBuilder<BookingChange> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.ProposedBy).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.PrimitiveCollection(x => x.Dates);
        b.Property(x => x.Reason).HasMaxLength(1000);
        b.Property(x => x.AnswerNote).HasMaxLength(1000);
        b.HasIndex(x => x.BookingId).IsUnique().HasFilter("status = 'Pending'").HasDatabaseName("ux_booking_changes_one_pending");
        b.HasIndex(x => new { x.BookingId, x.ProposedAt });
    }
}

internal sealed class PractitionerAbsenceConfiguration : IEntityTypeConfiguration<PractitionerAbsence>
{
    public void Configure(EntityTypeBuilder<PractitionerAbsence> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Reason).HasMaxLength(200);
        b.HasIndex(x => new { x.PractitionerId, x.From });
        b.HasOne<Practitioner>().WithMany().HasForeignKey(x => x.PractitionerId).OnDelete(DeleteBehavior.Cascade);
        b.ToTable(t => t.HasCheckConstraint("ck_practitioner_absences_dates", "\"to\" >= \"from\""));
    }
}

internal sealed class BookingSlotConfiguration : IEntityTypeConfiguration<BookingSlot>
{
    public void Configure(EntityTypeBuilder<BookingSlot> b)
    {
        b.HasKey(x => new { x.PractitionerId, x.Date });
        b.HasIndex(x => x.BookingId);
        b.HasOne<Practitioner>().WithMany().HasForeignKey(x => x.PractitionerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Booking>().WithMany().HasForeignKey(x => x.BookingId).OnDelete(DeleteBehavior.Cascade);
    }
}
