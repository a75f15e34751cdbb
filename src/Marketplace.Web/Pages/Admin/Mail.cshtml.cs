using Marketplace.Application.Features.Outbox;
using Marketplace.Application.Identity;
using Marketplace.Application.Mail;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Marketplace.Web.Pages.Admin;

/// <summary>Mail that could not be sent (with why), then the pickup folder's messages (the embedded default sends no real mail), newest first.</summary>
[Authorize(Roles = Roles.PlatformAdmin)]
public sealed class MailModel(IOptions<MailOptions> options, IMediator mediator) : PageModel
{
    public sealed record Item(string File, DateTimeOffset Date, string To, string Subject, string Body, IReadOnlyList<string> Attachments);

    public IReadOnlyList<ListUndeliveredMail.Result> Undelivered { get; private set; } = [];
    public IReadOnlyList<Item> Messages { get; private set; } = [];
    public string Directory { get; private set; } = "";
    public bool Smtp { get; private set; }
    public int MaxAttempts => OutboxDispatcher.MaxAttempts;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Undelivered = await mediator.Send(new ListUndeliveredMail.Query(), ct);
        Directory = options.Value.PickupDirectory;
        Smtp = !string.IsNullOrWhiteSpace(options.Value.SmtpHost);
        if (string.IsNullOrWhiteSpace(Directory) || !System.IO.Directory.Exists(Directory)) return;
        var items = new List<Item>();
        foreach (var file in new DirectoryInfo(Directory).GetFiles("*.eml").OrderByDescending(f => f.Name).Take(100))
        {
            var m = await MimeMessage.LoadAsync(file.FullName, ct);
            items.Add(new Item(file.Name, m.Date, m.To.ToString(), m.Subject ?? "", m.TextBody ?? "", m.Attachments.Select(a => a.ContentDisposition?.FileName ?? "attachment").ToList()));
        }
        Messages = items;
    }
}
