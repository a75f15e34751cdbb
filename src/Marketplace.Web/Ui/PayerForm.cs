using System.Globalization;
using Marketplace.Application.Features.Subscriptions;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Marketplace.Web.Ui;

/// <summary>Who pays, as a commissioner fills it in: the payer, a fund's name, and for a split the school's share as a percentage.</summary>
public sealed class PayerForm
{
    public string? Payer { get; set; }
    public string? FundName { get; set; }
    public string? SchoolSharePercent { get; set; }

    /// <summary>Command field names → form field names, under <paramref name="formPrefix"/>.</summary>
    public static Dictionary<string, string> Rename(string commandPrefix, string formPrefix) => new()
    {
        [commandPrefix + "payer"] = formPrefix + nameof(Payer),
        [commandPrefix + "fundName"] = formPrefix + nameof(FundName),
        [commandPrefix + "schoolShareBasisPoints"] = formPrefix + nameof(SchoolSharePercent),
    };

    /// <summary>The command's input; a share that is not a percentage with at most two decimals is a field error.</summary>
    public PayerInput ToInput(ModelStateDictionary modelState, string key)
    {
        int? basisPoints = null;
        if (Payer == "split")
        {
            if (decimal.TryParse(SchoolSharePercent?.Trim().TrimEnd('%'), NumberStyles.Number, CultureInfo.InvariantCulture, out var percent)
                && percent > 0 && percent < 100 && decimal.Round(percent, 2) == percent)
                basisPoints = (int)(percent * 100);
            else
                modelState.AddModelError(key, "Enter the school's share as a percentage between 0.01 and 99.99, for example 25");
        }
        return new PayerInput(Payer, Payer == "school" ? null : FundName, basisPoints);
    }
}
