using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Web.Security;

/// <summary>
/// Headers on every response. The Content-Security-Policy lets pages run only our own scripts and styles
/// (served from this site) plus GOV.UK Frontend's one inline snippet, allowed by its hash; nothing may
/// frame us, post forms elsewhere or load plugins. The two third-party screens we host (the API
/// reference and the jobs dashboard, both for staff and developers) also need inline styles or scripts of
/// their own and get a policy that allows just that, still from this site only.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    /// <summary>GOV.UK Frontend's snippet that marks the page as having JavaScript; the layout writes exactly this.</summary>
    public const string JsEnabledSnippet = "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');";

    public static readonly string JsEnabledHash = "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(JsEnabledSnippet))) + "'";

    private const string Common = "default-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static readonly string Pages = $"{Common}; script-src 'self' {JsEnabledHash}; style-src 'self'";

    /// <summary>Scalar's API reference: its bundle (served here) injects inline styles and a configuration script.</summary>
    public const string ApiReference = Common + "; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:";

    /// <summary>Hangfire's dashboard: its own scripts, with inline style attributes on its charts and bars.</summary>
    public const string JobsDashboard = Common + "; script-src 'self'; style-src 'self' 'unsafe-inline'";

    /// <summary>JSON and other non-HTML answers load nothing at all.</summary>
    public const string Api = "default-src 'none'; frame-ancestors 'none'";

    public const string PermissionsPolicy =
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), " +
        "microphone=(), midi=(), payment=(), publickey-credentials-get=(), screen-wake-lock=(), usb=(), xr-spatial-tracking=()";

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var h = context.Response.Headers;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "strict-origin-when-cross-origin";
        h["Permissions-Policy"] = PermissionsPolicy;
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h.ContentSecurityPolicy =
            path.StartsWithSegments("/api/reference") ? ApiReference
            : path.StartsWithSegments("/admin/jobs") ? JobsDashboard
            : path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/health") ? Api
            : Pages;
        return next(context);
    }
}
