using Marketplace.Application.Identity;
using Marketplace.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

/// <summary>
/// Bearer tokens for API clients, under /api/v1/auth: sign in, exchange a refresh token (once), sign out.
/// Accounts are created by LAs and admins, never by self-registration. Each token pair belongs to a
/// server-side session (<see cref="SessionStore"/>); see docs/adr/0016-sessions-and-sign-in.md.
/// </summary>
internal static class AuthEndpoints
{
    public const string SignInLimit = "sign-in";

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").WithTags("Authentication");

        group.MapPost("/login", async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> (LoginBody? body, SignInGate gate, SessionStore sessions, HttpContext http) =>
            {
                Require(("email", body?.Email, 256, "Enter your email address"), ("password", body?.Password, 1024, "Enter your password"));
                var outcome = await gate.CheckAsync(body!.Email!, body.Password!, http.Connection.RemoteIpAddress, http.RequestAborted);
                switch (outcome)
                {
                    case SignInGate.Succeeded s:
                        var tokens = await sessions.StartApiAsync(s.User, SignInGate.ClientKey(http.Connection.RemoteIpAddress), http.RequestAborted);
                        return TypedResults.Ok(TokenResponse.From(tokens));
                    case SignInGate.LockedOut l:
                        http.Response.Headers.RetryAfter = RetryAfterSeconds(l.RetryAfter);
                        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed sign-ins",
                            detail: "There have been too many failed sign-ins for this email address from your connection. Try again in 15 minutes.");
                    case SignInGate.NotAllowed:
                        return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This account cannot sign in",
                            detail: "This account cannot sign in here. Ask your local authority's traded services team.");
                    default:
                        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed",
                            detail: "The email address or password is not correct.");
                }
            })
            .AllowAnonymous().RequireRateLimiting(SignInLimit).WithName("Login")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Sign in with an email address and password for an access token and a refresh token");

        group.MapPost("/refresh", async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> (RefreshBody? body, SessionStore sessions, HttpContext http) =>
            {
                Require(("refreshToken", body?.RefreshToken, 200, "Enter the refresh token"));
                var tokens = await sessions.RefreshAsync(body!.RefreshToken!.Trim(), http.RequestAborted);
                return tokens is null
                    ? TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The refresh token cannot be used",
                        detail: "The refresh token is not valid, has already been used or its session has ended. Sign in again.")
                    : TypedResults.Ok(TokenResponse.From(tokens));
            })
            .AllowAnonymous().RequireRateLimiting(SignInLimit).WithName("Refresh")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Exchange a refresh token, once, for a new access token and refresh token");

        group.MapPost("/logout", async (SessionStore sessions, HttpContext http) =>
            {
                if (SessionStore.SessionOf(http.User) is { } id) await sessions.EndAsync(id, SessionEnd.SignedOut, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .RequireAuthorization().WithName("Logout")
            .WithSummary("Sign out: end this session, so its access token and refresh token stop working");
    }

    private static void Require(params (string Field, string? Value, int Max, string Missing)[] fields)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var (field, value, max, missing) in fields)
        {
            if (string.IsNullOrWhiteSpace(value)) failures.Add(new(field, missing));
            else if (value.Length > max) failures.Add(new(field, $"Keep it to {max:N0} characters"));
        }
        if (failures.Count > 0) throw new FluentValidation.ValidationException(failures);
    }

    private static string RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public sealed record LoginBody(string? Email, string? Password);

    public sealed record RefreshBody(string? RefreshToken);

    /// <summary>The same shape ASP.NET Core Identity's endpoints answered with, so existing clients keep working.</summary>
    public sealed record TokenResponse(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken)
    {
        public static TokenResponse From(SessionStore.Tokens t) => new("Bearer", t.AccessToken, t.ExpiresIn, t.RefreshToken);
    }
}
