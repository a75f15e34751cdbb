using System.Globalization;
using FluentValidation;
using Marketplace.Application.Common;
using Marketplace.Application.Features.Offers;
using Marketplace.Application.Identity;
using Marketplace.Domain.Catalogue;
using Marketplace.Domain.Common;
using Marketplace.Web.Ui;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Pages.Provider.Offers;

/// <summary>Create a draft (no id) or edit an offer; submit it for approval or withdraw it.</summary>
[Authorize(Roles = Roles.Provider)]
public sealed class EditModel(IMediator mediator) : PageModel
{
    [BindProperty] public OfferForm Input { get; set; } = new();
    [BindProperty] public uint? RowVersion { get; set; }
    public OfferDetail? Offer { get; private set; }
    public bool IsNew => Offer is null;

    public sealed class OfferForm
    {
        public string? Title { get; set; }
        public string? Description { get; set; }
        public string? Category { get; set; }
        public string? Subject { get; set; }
        public List<string> Phases { get; set; } = [];
        public string? Unit { get; set; }
        public string? PricePounds { get; set; }
        public string? PriceCredits { get; set; }
        public string? BronzeCredits { get; set; }
        public string? SilverCredits { get; set; }
        public string? GoldCredits { get; set; }
        public string? ServiceStandards { get; set; }
        public string? FreeCancellationWorkingDays { get; set; } = "10";
        public string? LateCancellationPercent { get; set; } = "50";
        public bool PayAsYouUse { get; set; }
        public bool UsesAdviserSessions { get; set; }
        public bool DeliveredInSchoolHolidays { get; set; }
    }

    public async Task OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (id is { } offerId)
        {
            Offer = await mediator.Send(new GetOffer.Query(offerId), ct);
            RowVersion = Offer.RowVersion;
            Input = new OfferForm
            {
                Title = Offer.Title, Description = Offer.Description, Category = EnumText.Api(Offer.Category), Subject = EnumText.Api(Offer.Subject),
                Phases = Offer.Phases.ToList(), Unit = EnumText.Api(Offer.Unit),
                PricePounds = Money.PenceToPounds(Offer.PricePence).ToString("0.00", CultureInfo.InvariantCulture),
                PriceCredits = Offer.PriceCredits.ToString(CultureInfo.InvariantCulture),
                BronzeCredits = Offer.TierPrices.Bronze?.ToString(CultureInfo.InvariantCulture),
                SilverCredits = Offer.TierPrices.Silver?.ToString(CultureInfo.InvariantCulture),
                GoldCredits = Offer.TierPrices.Gold?.ToString(CultureInfo.InvariantCulture),
                ServiceStandards = Offer.ServiceStandards,
                FreeCancellationWorkingDays = Offer.Terms.FreeCancellationWorkingDays.ToString(CultureInfo.InvariantCulture),
                LateCancellationPercent = Offer.Terms.LateCancellationPercent.ToString(CultureInfo.InvariantCulture),
                PayAsYouUse = Offer.Terms.PayAsYouUse,
                UsesAdviserSessions = Offer.Terms.UsesAdviserSessions,
                DeliveredInSchoolHolidays = Offer.Terms.DeliveredInSchoolHolidays,
            };
        }
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid? id, CancellationToken ct)
    {
        var input = ToInput();
        if (!ModelState.IsValid)
        {
            // Show every problem at once: the command's own validator for the fields that did parse.
            var result = await new OfferInputValidator().ValidateAsync(input, ct);
            foreach (var failure in result.Errors)
            {
                var key = "Input." + (failure.PropertyName == "PricePence" ? "PricePounds" : failure.PropertyName == "TierPrices" ? "BronzeCredits" : failure.PropertyName);
                if (!ModelState.ContainsKey(key) || ModelState[key]!.Errors.Count == 0) ModelState.AddModelError(key, failure.ErrorMessage);
            }
            return await Redisplay(id, ct);
        }
        try
        {
            var saved = id is { } offerId
                ? await mediator.Send(new EditOffer.Command(offerId, input, RowVersion), ct)
                : await mediator.Send(new CreateOffer.Command(input), ct);
            TempData["Success"] = id is null ? "Draft offer created" : "Offer saved as a draft";
            return Redirect($"/provider/offers/{saved}/edit");
        }
        catch (ValidationException e)
        {
            ModelState.AddValidationErrors(e, rename: new Dictionary<string, string> { ["pricePence"] = "PricePounds", ["tierPrices"] = "BronzeCredits" });
        }
        catch (Exception e) when (e is DomainRuleException or DbUpdateConcurrencyException)
        {
            ModelState.AddModelError("", Message(e));
        }
        return await Redisplay(id, ct);
    }

    public Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken ct) =>
        Transition(id, new SubmitOffer.Command(id, RowVersion), "Offer submitted to the local authority for approval", ct);

    public Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken ct) =>
        Transition(id, new WithdrawOffer.Command(id, RowVersion), "Offer withdrawn from the catalogue", ct);

    private async Task<IActionResult> Transition(Guid id, ICommand<Guid> command, string success, CancellationToken ct)
    {
        try
        {
            await mediator.Send(command, ct);
            TempData["Success"] = success;
            return Redirect($"/provider/offers/{id}/edit");
        }
        catch (Exception e) when (e is DomainRuleException or DbUpdateConcurrencyException)
        {
            ModelState.AddModelError("", Message(e));
            await OnGetAsync(id, ct);
            return Page();
        }
    }

    private static string Message(Exception e) => e is DbUpdateConcurrencyException
        ? "Someone else changed this offer since you opened it. Reload the page and make your change again."
        : e.Message;

    private async Task<IActionResult> Redisplay(Guid? id, CancellationToken ct)
    {
        if (id is { } offerId) Offer = await mediator.Send(new GetOffer.Query(offerId), ct);
        return Page();
    }

    /// <summary>Reads the form; numbers that are not numbers become field errors here, the rest is the command's job.</summary>
    private OfferInput ToInput()
    {
        long? pence = null;
        if (!string.IsNullOrWhiteSpace(Input.PricePounds))
        {
            var text = Input.PricePounds.Trim().TrimStart('£').Replace(",", "");
            if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var pounds) && decimal.Round(pounds, 2) == pounds)
                pence = Money.PoundsToPence(pounds);
            else
                ModelState.AddModelError("Input.PricePounds", "Enter the price in pounds, like 450 or 475.50");
        }

        return new OfferInput
        {
            Title = Input.Title, Description = Input.Description, Category = Input.Category, Subject = Input.Subject,
            Phases = Input.Phases, Unit = Input.Unit, PricePence = pence,
            PriceCredits = Whole(Input.PriceCredits, "Input.PriceCredits", "Enter the price in credits as a whole number"),
            BronzeCredits = Whole(Input.BronzeCredits, "Input.BronzeCredits", "Enter the bronze price as a whole number of credits, or leave it blank"),
            SilverCredits = Whole(Input.SilverCredits, "Input.SilverCredits", "Enter the silver price as a whole number of credits, or leave it blank"),
            GoldCredits = Whole(Input.GoldCredits, "Input.GoldCredits", "Enter the gold price as a whole number of credits, or leave it blank"),
            ServiceStandards = Input.ServiceStandards,
            FreeCancellationWorkingDays = Whole(Input.FreeCancellationWorkingDays, "Input.FreeCancellationWorkingDays", "Enter the free-cancellation notice as a whole number of working days") ?? 10,
            LateCancellationPercent = Whole(Input.LateCancellationPercent, "Input.LateCancellationPercent", "Enter the late-cancellation charge as a whole percentage") ?? 50,
            PayAsYouUse = Input.PayAsYouUse,
            UsesAdviserSessions = Input.UsesAdviserSessions,
            DeliveredInSchoolHolidays = Input.DeliveredInSchoolHolidays,
        };
    }

    private int? Whole(string? text, string key, string message)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        ModelState.AddModelError(key, message);
        return null;
    }
}
