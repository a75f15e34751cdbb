using Bogus;
using Marketplace.Application.Data;
using Marketplace.Application.Identity;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.DemoWorld;

/// <summary>
/// Builds the demo world from a fixed seed: City of York (816) with 68 schools as in its 2015/16
/// commissioning plan (seven judged requires improvement), two neighbouring LAs, providers of all three
/// kinds and a catalogue of published, draft, pending and withdrawn offers. The same seed gives the
/// same world every time; the school names are invented.
/// </summary>
public sealed class DemoWorldSeeder(MarketplaceDbContext db, UserManager<AppUser> users,
    RoleManager<IdentityRole<Guid>> roles, TimeProvider clock, ILogger<DemoWorldSeeder> logger,
    Subscriptions.NewSubscription newSubscription, Concern.ConcernEnrolmentRule concern, Credits.CreditLedger ledger,
    Features.Bookings.BookingSettlement settlement)
{
    public const int Seed = 816;

    /// <summary>Each LA's terms for last academic year, this one and the next two (bookings reach two years ahead).</summary>
    private void AddTerms(WorldBuilder world, DateOnly today)
    {
        var thisYear = Domain.Calendar.AcademicYears.Of(today);
        foreach (var la in world.LocalAuthorities)
            for (var year = thisYear - 1; year <= thisYear + 2; year++)
            {
                foreach (var (name, starts, ends) in DemoTerms.Terms(year))
                    db.SchoolTerms.Add(new Domain.Calendar.SchoolTerm(Guid.CreateVersion7(), la.Id, year, name, starts, ends));
                foreach (var day in DemoTerms.InsetDays(year, la.Code))
                    db.InsetDays.Add(new Domain.Calendar.InsetDay(Guid.CreateVersion7(), la.Id, year, day));
            }
    }

    public async Task<bool> SeedAsync(CancellationToken ct = default)
    {
        if (await db.LocalAuthorities.AnyAsync(ct)) return false;
        await EnsureRolesAsync(roles);

        var f = new Faker("en_GB") { Random = new Randomizer(Seed) };
        var now = clock.GetUtcNow();
        var world = new WorldBuilder(f, now);
        world.Build();

        world.ApplyWorkflow(now);
        db.LocalAuthorities.AddRange(world.LocalAuthorities);
        db.Schools.AddRange(world.Schools);
        db.Providers.AddRange(world.Providers);
        db.Offers.AddRange(world.Offers);
        AddTerms(world, Common.UkClock.Today(clock));
        await db.SaveChangesAsync(ct);

        await CreateUserAsync(DemoAccounts.Admin, "Platform Administrator", Roles.PlatformAdmin, u => { });
        await CreateUserAsync(DemoAccounts.YorkCommissioner, "York Commissioning Officer", Roles.LaCommissioner,
            u => u.LocalAuthorityId = world.York.Id);
        await CreateUserAsync(DemoAccounts.YorkBuyer, "School Business Manager", Roles.SchoolBuyer,
            u => { u.SchoolId = world.BuyerSchool.Id; u.CanCommitSpend = true; });
        await CreateUserAsync(DemoAccounts.YorkRequester, "Maths Subject Leader", Roles.SchoolBuyer,
            u => u.SchoolId = world.BuyerSchool.Id);
        await CreateUserAsync(DemoAccounts.YorkProviderTeam, "York Provider Team Manager", Roles.Provider,
            u => u.ProviderId = world.YorkProviderTeam.Id);
        await CreateUserAsync(DemoAccounts.Ebor, "Ebor Alliance Director", Roles.Provider,
            u => u.ProviderId = world.Ebor.Id);
        await CreateUserAsync(DemoAccounts.Consultant, "Independent Consultant", Roles.Provider,
            u => u.ProviderId = world.DemoConsultant.Id);

        await new SubscriptionSeeder(db, newSubscription, concern, ledger, clock, f).SeedAsync(world, ct);
        await new BookingSeeder(db, ledger, settlement, clock, f).SeedAsync(world, ct);

        logger.LogInformation("Seeded demo world: {Las} LAs, {Schools} schools, {Providers} providers, {Offers} offers",
            world.LocalAuthorities.Count, world.Schools.Count, world.Providers.Count, world.Offers.Count);
        return true;
    }

    public static async Task EnsureRolesAsync(RoleManager<IdentityRole<Guid>> roles)
    {
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole<Guid>(role));
    }

    private async Task CreateUserAsync(string email, string name, string role, Action<AppUser> bind)
    {
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, IsDemo = true };
        bind(user);
        var created = await users.CreateAsync(user, DemoAccounts.Password);
        if (!created.Succeeded) throw new InvalidOperationException("Demo user: " + string.Join("; ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
    }
}
