using System.Text.Encodings.Web;
using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Web.Api;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Marketplace.Web.Ui;

public static class FormIds
{
    /// <summary>The id ASP.NET gives a field bound to <paramref name="key"/> ("Input.Title" → "Input_Title").</summary>
    public static string For(string key) => key.Replace('.', '_').Replace('[', '_').Replace(']', '_');
}

public static class FormErrors
{
    /// <summary>
    /// Copies a command's validation failures onto the form, so pages show the same messages the API
    /// returns: "offer.title" from the command becomes "Input.Title" on the page.
    /// </summary>
    public static void AddValidationErrors(this ModelStateDictionary modelState, ValidationException exception, string prefix = "Input",
        IReadOnlyDictionary<string, string>? rename = null)
    {
        foreach (var (field, messages) in ProblemDetailsExceptionHandler.FieldErrors(exception))
        {
            var name = rename is not null && rename.TryGetValue(field, out var renamed) ? renamed : char.ToUpperInvariant(field[0]) + field[1..];
            foreach (var message in messages) modelState.AddModelError(string.IsNullOrEmpty(prefix) ? name : $"{prefix}.{name}", message);
        }
    }

    /// <summary>
    /// Every error with its field, in the order the fields come on the page: the bound properties' order
    /// (pages declare them as they lay them out), errors of the page as a whole first. An error whose key
    /// is not a bound property (a rule across fields, "TierPrices") keeps its place after the error before it.
    /// </summary>
    public static IReadOnlyList<(string Key, string Message)> InPageOrder(ViewDataDictionary viewData)
    {
        var fields = viewData.Model is { } model ? BoundFields(model.GetType()) : [];
        int Rank(string key)
        {
            if (key.Length == 0) return -1;
            var i = fields.FindIndex(f => key == f || key.StartsWith(f + ".", StringComparison.Ordinal) || key.StartsWith(f + "[", StringComparison.Ordinal));
            return i;
        }
        var ranked = new List<(double Rank, int Seen, string Key, string Message)>();
        var previous = -1.0;
        foreach (var (key, entry) in viewData.ModelState)
            foreach (var error in entry.Errors.Where(e => !string.IsNullOrEmpty(e.ErrorMessage)))
            {
                var rank = Rank(key) is var r && (r >= 0 || key.Length == 0) ? r : previous + 0.5;
                ranked.Add((rank, ranked.Count, key, error.ErrorMessage));
                previous = rank;
            }
        return ranked.OrderBy(e => e.Rank).ThenBy(e => e.Seen).Select(e => (e.Key, e.Message)).ToList();
    }

    private static List<string> BoundFields(Type pageModel)
    {
        var bindAll = pageModel.GetCustomAttributes(typeof(BindPropertiesAttribute), true).Length > 0;
        var fields = new List<string>();
        foreach (var property in pageModel.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            if (!bindAll && property.GetCustomAttributes(typeof(BindPropertyAttribute), true).Length == 0) continue;
            var type = property.PropertyType;
            if (type.IsClass && type != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
                fields.AddRange(type.GetProperties().OrderBy(p => p.MetadataToken).Select(p => $"{property.Name}.{p.Name}"));
            else fields.Add(property.Name);
        }
        return fields;
    }

    public static string GroupClass(this IHtmlHelper html, string key) =>
        html.ViewData.ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0
            ? "govuk-form-group govuk-form-group--error"
            : "govuk-form-group";

    public static bool HasError(this IHtmlHelper html, string key) =>
        html.ViewData.ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0;

    public static IHtmlContent FieldError(this IHtmlHelper html, string key)
    {
        if (!html.ViewData.ModelState.TryGetValue(key, out var entry) || entry.Errors.Count == 0) return HtmlString.Empty;
        var message = HtmlEncoder.Default.Encode(entry.Errors[0].ErrorMessage);
        return new HtmlString($"<p id=\"{FormIds.For(key)}-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> {message}</p>");
    }

    /// <summary>aria-describedby for a field: its hint and, when present, its error.</summary>
    public static string DescribedBy(this IHtmlHelper html, string key, bool hasHint = false)
    {
        var ids = new List<string>();
        if (hasHint) ids.Add(FormIds.For(key) + "-hint");
        if (html.HasError(key)) ids.Add(FormIds.For(key) + "-error");
        return string.Join(' ', ids);
    }
}

/// <summary>Turns "not found" and "forbidden" from a command into the 404 and 403 pages.</summary>
public sealed class PageOutcomeFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        switch (executed.Exception)
        {
            case NotFoundException:
                executed.Result = new NotFoundResult();
                executed.ExceptionHandled = true;
                break;
            case ForbiddenException:
                executed.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
                executed.ExceptionHandled = true;
                break;
        }
    }
}
