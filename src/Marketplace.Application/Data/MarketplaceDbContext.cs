using Marketplace.Application.Identity;
using Marketplace.Domain.Bookings;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Domain.Concern;
using Marketplace.Domain.Subscriptions;
using Marketplace.Domain.Credits;
using Marketplace.Domain.Organisations;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Data;

public class MarketplaceDbContext(DbContextOptions<MarketplaceDbContext> options)
    : IdentityDbContext<AppUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<LocalAuthority> LocalAuthorities => Set<LocalAuthority>();
    public DbSet<School> Schools => Set<School>();
    public DbSet<Provider> Providers => Set<Provider>();
    public DbSet<Practitioner> Practitioners => Set<Practitioner>();
    public DbSet<Offer> Offers => Set<Offer>();
    public DbSet<OfferVersion> OfferVersions => Set<OfferVersion>();
    public DbSet<LedgerAccount> LedgerAccounts => Set<LedgerAccount>();
    public DbSet<LedgerTransaction> LedgerTransactions => Set<LedgerTransaction>();
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();
    public DbSet<CreditGrant> CreditGrants => Set<CreditGrant>();
    public DbSet<CreditPurchase> CreditPurchases => Set<CreditPurchase>();
    public DbSet<CreditPurchaseRequest> CreditPurchaseRequests => Set<CreditPurchaseRequest>();
    public DbSet<TierPackage> TierPackages => Set<TierPackage>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<SubscriptionChange> SubscriptionChanges => Set<SubscriptionChange>();
    public DbSet<RenewalProposal> RenewalProposals => Set<RenewalProposal>();
    public DbSet<OfstedInspection> OfstedInspections => Set<OfstedInspection>();
    public DbSet<RiskFlag> RiskFlags => Set<RiskFlag>();
    public DbSet<ConcernEnrolment> ConcernEnrolments => Set<ConcernEnrolment>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<Booking> Bookings => Set<Booking>();
    public DbSet<BookingEvent> BookingEvents => Set<BookingEvent>();
    public DbSet<BookingSlot> BookingSlots => Set<BookingSlot>();
    public DbSet<BookingChange> BookingChanges => Set<BookingChange>();
    public DbSet<PractitionerAbsence> PractitionerAbsences => Set<PractitionerAbsence>();
    public DbSet<Domain.Calendar.SchoolTerm> SchoolTerms => Set<Domain.Calendar.SchoolTerm>();
    public DbSet<Domain.Calendar.InsetDay> InsetDays => Set<Domain.Calendar.InsetDay>();
    public DbSet<Credits.LedgerCheck> LedgerChecks => Set<Credits.LedgerCheck>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<SignInThrottle> SignInThrottles => Set<SignInThrottle>();

    /// <summary>ASP.NET Core data-protection keys, shared by every app instance and kept across restarts.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(MarketplaceDbContext).Assembly);
    }
}
