using System.Net;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Marketplace.Web.Ui;

/// <summary>
/// Wraps every GOV.UK table in a region that scrolls sideways by itself, so a wide table never makes the
/// page scroll at 320 CSS px (WCAG 2.2 1.4.10). The region can take keyboard focus (to scroll it with the
/// arrow keys) and is named after the table's caption.
/// </summary>
[HtmlTargetElement("table", Attributes = "class")]
public sealed partial class TableScrollTagHelper : TagHelper
{
    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        if (context.AllAttributes["class"]?.Value?.ToString()?.Split(' ').Contains("govuk-table") != true) return;
        var content = await output.GetChildContentAsync();
        var caption = Caption().Match(content.GetContent());
        var name = caption.Success ? WebUtility.HtmlDecode(Tags().Replace(caption.Groups[1].Value, "")).Trim() : "Table";
        output.PreElement.SetHtmlContent(
            $"<div class=\"app-table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{HtmlEncoder.Default.Encode(name)}\">");
        output.PostElement.SetHtmlContent("</div>");
    }

    [GeneratedRegex(@"<caption[^>]*>(.*?)</caption>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Caption();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
