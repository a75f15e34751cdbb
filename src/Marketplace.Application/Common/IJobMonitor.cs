namespace Marketplace.Application.Common;

/// <summary>What the background-job store knows about jobs (the Application layer does not reference Hangfire).</summary>
public interface IJobMonitor
{
    /// <summary>Jobs that failed after their retries and wait for an admin on the jobs dashboard.</summary>
    long FailedJobs();
}
