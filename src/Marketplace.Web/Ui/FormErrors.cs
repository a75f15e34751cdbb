using System.Text.Encodings.Web;
using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Web.Api;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;

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
