namespace Marketplace.Application.DemoWorld;

/// <summary>The demo sign-ins listed in the README. They work only in Development.</summary>
public static class DemoAccounts
{
    public const string Password = "Demo-Password-1";
    public const string Admin = "admin@marketplace.demo";
    public const string YorkCommissioner = "commissioner@york.demo";
    public const string YorkBuyer = "buyer@york-school.demo";

    /// <summary>A buyer at the same school who may not commit spend (cannot confirm renewals).</summary>
    public const string YorkRequester = "requester@york-school.demo";
    public const string YorkProviderTeam = "provider@york-consultants.demo";
    public const string Ebor = "provider@ebor.demo";
    public const string Consultant = "consultant@external.demo";

    public const int YorkCode = 816;
    public const int NorthYorkshireCode = 815;
    public const int EastRidingCode = 811;
}
