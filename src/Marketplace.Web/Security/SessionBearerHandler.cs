using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Security;

/// <summary>
/// The API's only way in: <c>Authorization: Bearer {token}</c> (the scheme name in any case, as RFC 9110
/// allows), checked against its session on every request. Cookies are never read on /api.
/// </summary>
internal sealed class SessionBearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, SessionStore sessions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        var space = header.IndexOf(' ');
        if (space < 0 || !header.AsSpan(0, space).Equals(SchemeName, StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header[(space + 1)..].Trim();
        var principal = await sessions.AuthenticateAsync(token, SchemeName, Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail("The access token is not valid, has expired or its session has ended.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Request.Headers.Authorization.Count > 0 ? "Bearer error=\"invalid_token\"" : "Bearer";
        return Task.CompletedTask;
    }
}
