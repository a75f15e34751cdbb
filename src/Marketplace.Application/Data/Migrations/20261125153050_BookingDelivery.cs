using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class BookingDelivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "captured_credits",
                table: "bookings",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "delivered_at",
                table: "bookings",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<List<DateOnly>>(
                name: "delivered_dates",
                table: "bookings",
                type: "date[]",
                nullable: false);

            migrationBuilder.AddColumn<int>(
                name: "delivered_minutes",
                table: "bookings",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "delivered_quantity",
                table: "bookings",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "dispute_reason",
                table: "bookings",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "visit_note",
                table: "bookings",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.Sql(LedgerSql.Capture);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION ledger_earn; DROP FUNCTION ledger_capture;");
            migrationBuilder.DropColumn(
                name: "captured_credits",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "delivered_at",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "delivered_dates",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "delivered_minutes",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "delivered_quantity",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "dispute_reason",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "visit_note",
                table: "bookings");
        }
    }
}
