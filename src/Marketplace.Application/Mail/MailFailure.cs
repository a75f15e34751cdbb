using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Marketplace.Application.Mail;

/// <summary>A failure whose message is already in plain words for an admin.</summary>
public sealed class MailFailureException(string reason) : Exception(reason);

/// <summary>
/// Why a message could not be written or sent, in words a platform admin can act on (kept with the
/// message and shown at /admin/mail). The exception itself, with its stack, goes to the log only.
/// </summary>
public static class MailFailure
{
    public static string Reason(Exception e, MailOptions options, bool pickupFolder)
    {
        var server = $"{options.SmtpHost}:{options.SmtpPort}";
        var folder = options.PickupDirectory;
        return e switch
        {
            MailFailureException plain => plain.Message,
            UnauthorizedAccessException when pickupFolder => $"The message could not be written to the pickup folder {folder}: the app is not allowed to write there.",
            IOException when pickupFolder => $"The message could not be written to the pickup folder {folder} (the folder is missing, full or not a folder).",
            SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } c =>
                $"The mail server {server} refused the address {c.Mailbox?.Address}: {c.Message}",
            SmtpCommandException { ErrorCode: SmtpErrorCode.SenderNotAccepted } c =>
                $"The mail server {server} refused the sender address {c.Mailbox?.Address}: {c.Message}",
            SmtpCommandException c => $"The mail server {server} refused the message: {c.Message}",
            AuthenticationException => $"The mail server {server} did not accept the user name and password it was given.",
            SslHandshakeException => $"No secure connection could be made to the mail server {server} (check its certificate and the TLS setting).",
            SmtpProtocolException or ServiceNotConnectedException => $"The mail server {server} broke off the conversation.",
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } =>
                $"The mail server's name {options.SmtpHost} could not be found.",
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => $"The mail server {server} refused the connection (nothing is listening there).",
            SocketException or IOException => $"The mail server {server} could not be reached.",
            TimeoutException or OperationCanceledException => $"The mail server {server} did not answer in time.",
            FormatException or MimeKit.ParseException => "The message could not be put together: its attachment is malformed.",
            _ => pickupFolder
                ? $"The message could not be written to the pickup folder {folder} (an unexpected error: the app's log has the details)."
                : $"The message could not be sent through the mail server {server} (an unexpected error: the app's log has the details).",
        };
    }
}
