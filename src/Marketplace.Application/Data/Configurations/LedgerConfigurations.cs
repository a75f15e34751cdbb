using Marketplace.Domain.Credits;
using Marketplace.Domain.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Application.Data.Configurations;

internal sealed class LedgerAccountConfiguration : IEntityTypeConfiguration<LedgerAccount>
{
    public void Configure(EntityTypeBuilder<LedgerAccount> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
        b.HasIndex(x => new { x.Kind, x.LocalAuthorityId, x.SchoolId, x.ProviderId, x.OwnerId }).IsUnique().AreNullsDistinct(false);
        b.HasIndex(x => x.SchoolId);
        b.HasOne<LocalAuthority>().WithMany().HasForeignKey(x => x.LocalAuthorityId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Provider>().WithMany().HasForeignKey(x => x.ProviderId).OnDelete(DeleteBehavior.Restrict);
        // The last line of defence: whatever the code does, a wallet or fund cannot go below zero.
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_ledger_accounts_balance", "allow_negative OR balance >= 0");
            // Wallets, funds and holds cache their balance; the LA's and providers' accounts are summed when read.
            t.HasCheckConstraint("ck_ledger_accounts_cached", "(balance IS NOT NULL) = (kind IN ('SchoolWallet', 'Fund', 'BookingHold'))");
        });
    }
}

internal sealed class LedgerTransactionConfiguration : IEntityTypeConfiguration<LedgerTransaction>
{
    public void Configure(EntityTypeBuilder<LedgerTransaction> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.IdempotencyKey).HasMaxLength(200);
        b.HasIndex(x => x.IdempotencyKey).IsUnique();
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(x => x.Description).HasMaxLength(500);
        b.Property(x => x.Reference).HasMaxLength(100);
        // A fingerprint of the client's request, to tell a replay (same body) from a reused key (422).
        b.Property<string?>("RequestHash").HasMaxLength(64);
        b.HasIndex(x => new { x.SchoolId, x.OccurredAt });
        b.HasOne<LedgerTransaction>().WithMany().HasForeignKey(x => x.ReversesTransactionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.ReversesTransactionId).IsUnique();
    }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).UseIdentityAlwaysColumn();
        b.HasIndex(x => x.TransactionId);
        b.HasIndex(x => new { x.AccountId, x.Id });
        b.HasIndex(x => x.GrantId);
        b.HasOne<LedgerTransaction>().WithMany().HasForeignKey(x => x.TransactionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<LedgerAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<CreditGrant>().WithMany().HasForeignKey(x => x.GrantId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("ck_ledger_entries_amount", "amount <> 0"));
    }
}

internal sealed class CreditGrantConfiguration : IEntityTypeConfiguration<CreditGrant>
{
    public void Configure(EntityTypeBuilder<CreditGrant> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Source).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => new { x.WalletAccountId, x.ExpiresOn });
        b.HasIndex(x => new { x.SchoolId, x.Source });
        b.HasOne<LedgerAccount>().WithMany().HasForeignKey(x => x.WalletAccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<LocalAuthority>().WithMany().HasForeignKey(x => x.IssuedByLaId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<LedgerTransaction>().WithMany().HasForeignKey(x => x.TransactionId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_credit_grants_remaining", "remaining >= 0 AND remaining <= credits");
            t.HasCheckConstraint("ck_credit_grants_credits", "credits > 0");
            t.HasCheckConstraint("ck_credit_grants_cost_basis", "cost_basis_pence_per_credit >= 0");
        });
    }
}

internal sealed class CreditPurchaseConfiguration : IEntityTypeConfiguration<CreditPurchase>
{
    public void Configure(EntityTypeBuilder<CreditPurchase> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.PurchaseOrderNumber).HasMaxLength(50);
        b.HasIndex(x => new { x.SchoolId, x.CreatedAt });
        b.HasOne<LedgerTransaction>().WithOne().HasForeignKey<CreditPurchase>(x => x.Id).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<LocalAuthority>().WithMany().HasForeignKey(x => x.SellerLaId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("ck_credit_purchases_total", "credits > 0 AND unit_price_pence >= 0 AND total_pence = credits * unit_price_pence"));
    }
}

internal sealed class CreditPurchaseRequestConfiguration : IEntityTypeConfiguration<CreditPurchaseRequest>
{
    public void Configure(EntityTypeBuilder<CreditPurchaseRequest> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.PurchaseOrderNumber).HasMaxLength(50);
        b.Property(x => x.IdempotencyKey).HasMaxLength(100);
        b.Property(x => x.RequestHash).HasMaxLength(64);
        b.Property(x => x.DeclineReason).HasMaxLength(500);
        // A retried request (same Idempotency-Key) records one request.
        b.HasIndex(x => new { x.SchoolId, x.IdempotencyKey }).IsUnique();
        b.HasIndex(x => new { x.SchoolId, x.Status });
        b.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<CreditPurchase>().WithOne().HasForeignKey<CreditPurchaseRequest>(x => x.PurchaseId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("ck_credit_purchase_requests_decided",
            "(status = 'Pending' AND decided_at IS NULL AND purchase_id IS NULL) OR (status = 'Approved' AND decided_at IS NOT NULL) OR (status = 'Declined' AND decided_at IS NOT NULL AND purchase_id IS NULL)"));
    }
}
