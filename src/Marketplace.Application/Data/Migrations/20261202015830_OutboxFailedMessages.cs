using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Application.Data.Migrations
{
    /// <summary>An outbox message given up on after its tries is marked failed (kept, shown to platform admins).</summary>
    public partial class OutboxFailedMessages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "failed_at",
                table: "outbox_messages",
                type: "timestamp with time zone",
                nullable: true);

            // Messages an earlier version stopped trying (ten failed attempts) are failed as of now. Frozen SQL (ADR 0015).
            migrationBuilder.Sql("UPDATE outbox_messages SET failed_at = now() WHERE sent_at IS NULL AND attempts >= 10;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "failed_at",
                table: "outbox_messages");
        }
    }
}
