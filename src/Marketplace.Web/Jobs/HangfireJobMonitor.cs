using Hangfire;
using Marketplace.Application.Common;

namespace Marketplace.Web.Jobs;

/// <summary>Failed-job counts from Hangfire's monitoring API over the app's job storage.</summary>
public sealed class HangfireJobMonitor(JobStorage storage) : IJobMonitor
{
    public long FailedJobs() => storage.GetMonitoringApi().FailedCount();
}
