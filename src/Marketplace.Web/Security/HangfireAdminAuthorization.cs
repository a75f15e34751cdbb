using Hangfire.Dashboard;
using Marketplace.Application.Identity;

namespace Marketplace.Web.Security;

internal sealed class HangfireAdminAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) =>
        context.GetHttpContext().User.IsInRole(Roles.PlatformAdmin);
}
