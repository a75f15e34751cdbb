using FluentValidation;
using Marketplace.Application.Behaviours;
using Marketplace.Application.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddMarketplaceApplication(this IServiceCollection services, string connectionString)
    {
        services.AddDbContext<MarketplaceDbContext>(options => ConfigureDb(options, WithAutoPrepare(connectionString)));
        services.AddMemoryCache(o => o.SizeLimit = 2_000);
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors = [typeof(InputRulesBehaviour<,>), typeof(ValidationBehaviour<,>), typeof(TransactionBehaviour<,>)];
        });
        // A rule without its own message names the field in words ("Renewal window days"), not as a property.
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : Domain.Common.DisplayNames.Sentence(member.Name);
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddScoped<DemoWorld.DemoWorldSeeder>();
        services.AddScoped<Credits.CreditLedger>();
        services.AddScoped<Common.Notifier>();
        services.AddScoped<Subscriptions.NewSubscription>();
        services.AddScoped<Concern.ConcernEnrolmentRule>();
        services.AddScoped<Features.Bookings.BookingSettlement>();
        services.AddScoped<Features.Bookings.BookingMail>();
        services.AddOptions<Mail.MailOptions>().BindConfiguration("Mail");
        services.AddScoped<Mail.OutboxDispatcher>();
        // With an SMTP host configured, mail goes out through MailKit; otherwise to the pickup directory.
        services.AddScoped<Mail.IMailSender>(sp =>
            string.IsNullOrWhiteSpace(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Mail.MailOptions>>().Value.SmtpHost)
                ? ActivatorUtilities.CreateInstance<Mail.PickupDirectorySender>(sp)
                : ActivatorUtilities.CreateInstance<Mail.SmtpMailSender>(sp));
        services.AddOptions<Features.Offers.SearchOffers.CacheOptions>().BindConfiguration("Catalogue:Cache");
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Npgsql prepares statements it sees repeatedly, so PostgreSQL plans the catalogue search once per
    /// connection instead of on every request. A connection string that sets its own value wins.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        return builder.ConnectionString;
    }

    public static void ConfigureDb(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();
}
