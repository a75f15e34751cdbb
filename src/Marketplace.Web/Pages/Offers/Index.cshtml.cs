using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Features.LocalAuthorities;
using Marketplace.Application.Features.Offers;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Organisations;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Offers;

public sealed class IndexModel(IMediator mediator) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Subject { get; set; }
    [BindProperty(SupportsGet = true)] public string? Phase { get; set; }
    [BindProperty(SupportsGet = true)] public string? Category { get; set; }
    [BindProperty(SupportsGet = true)] public string? Tier { get; set; }
    [BindProperty(SupportsGet = true)] public string? ProviderKind { get; set; }
    [BindProperty(SupportsGet = true)] public string? La { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    // "page" is also Razor Pages' own route value, so the page number is read from the query string by hand.
    public int PageNumber { get; private set; } = 1;

    public Page<OfferSummary>? Results { get; private set; }
    public IReadOnlyList<LocalAuthorityView> LocalAuthorities { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        LocalAuthorities = await mediator.Send(new ListLocalAuthorities.Query(), ct);
        if (Request.Query.TryGetValue("page", out var page) && !string.IsNullOrEmpty(page))
        {
            if (int.TryParse(page, out var number)) PageNumber = number;
            else ModelState.AddModelError("page", "Enter a page number");
        }
        try
        {
            Results = await mediator.Send(new SearchOffers.Query
            {
                Q = Blank(Q), Subject = Blank(Subject), Phase = Blank(Phase), Category = Blank(Category), Tier = Blank(Tier),
                ProviderKind = Blank(ProviderKind), La = Blank(La), Sort = Blank(Sort), Page = PageNumber,
            }, ct);
        }
        catch (ValidationException e)
        {
            ModelState.AddValidationErrors(e, prefix: "");
        }
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>This search at another page ("page" is a Razor Pages route value, so the URL is built by hand).</summary>
    public string PageUrl(int page)
    {
        var query = new Dictionary<string, string?>
        {
            ["q"] = Blank(Q), ["subject"] = Blank(Subject), ["phase"] = Blank(Phase), ["category"] = Blank(Category), ["tier"] = Blank(Tier),
            ["providerKind"] = Blank(ProviderKind), ["la"] = Blank(La), ["sort"] = Blank(Sort), ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/offers", query.Where(kv => kv.Value is not null)!);
    }

    public static IEnumerable<(string Value, string Text)> Options<TEnum>() where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Where(v => v.ToString() != "None").Select(v => (EnumText.Api(v), Labels.Of(v)));
}
