using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Marketplace.Application.Data;

/// <summary>For `dotnet ef migrations add`: builds the model without starting the web host or a database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<MarketplaceDbContext>
{
    public MarketplaceDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<MarketplaceDbContext>();
        DependencyInjection.ConfigureDb(options, "Host=localhost;Database=marketplace_design;Username=postgres");
        return new MarketplaceDbContext(options.Options);
    }
}
