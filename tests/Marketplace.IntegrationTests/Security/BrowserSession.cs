using System.Net;
using System.Text.RegularExpressions;
using Marketplace.Application.DemoWorld;

namespace Marketplace.IntegrationTests.Security;

/// <summary>
/// A browser's session driven over plain HTTP: its own cookie jar, the sign-in form with its anti-forgery
/// token, and a way to take the authentication cookie away and replay it elsewhere.
/// </summary>
internal sealed partial class BrowserSession : IDisposable
{
    public const string AuthCookie = "marketplace.auth";

    private BrowserSession(Uri server)
    {
        Jar = new CookieContainer();
        Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = Jar, UseCookies = true }) { BaseAddress = server };
    }

    public CookieContainer Jar { get; }
    public HttpClient Client { get; }

    public static async Task<BrowserSession> SignInAsync(Uri server, string email, string password = DemoAccounts.Password)
    {
        var session = new BrowserSession(server);
        var form = await session.FormTokenAsync("/account/sign-in");
        var response = await session.Client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = form,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {email} answered {(int)response.StatusCode}");
        return session;
    }

    /// <summary>The authentication cookie as a browser would send it: <c>name=value</c>.</summary>
    public string CookieHeader() =>
        Jar.GetCookies(Client.BaseAddress!).Cast<Cookie>().Single(c => c.Name == AuthCookie) is var c ? $"{c.Name}={c.Value}" : "";

    public async Task SignOutAsync()
    {
        var form = await FormTokenAsync("/account");
        var response = await Client.PostAsync("/account/sign-out", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = form }));
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Sign-out answered {(int)response.StatusCode}");
    }

    public async Task<string> FormTokenAsync(string page)
    {
        var html = await Client.GetStringAsync(page);
        return TokenField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException($"No anti-forgery token on {page}");
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
