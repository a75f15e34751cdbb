using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class BookingChangesAvailabilityPayment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_bookings_credits",
                table: "bookings");

            migrationBuilder.AddColumn<bool>(
                name: "requires_purchase_order",
                table: "schools",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "working_week",
                table: "practitioners",
                type: "integer",
                nullable: false,
                defaultValue: 31);

            migrationBuilder.AddColumn<int>(
                name: "free_cancellation_working_days",
                table: "offer_versions",
                type: "integer",
                nullable: false,
                defaultValue: 10);

            migrationBuilder.AddColumn<int>(
                name: "late_cancellation_percent",
                table: "offer_versions",
                type: "integer",
                nullable: false,
                defaultValue: 50);

            migrationBuilder.AddColumn<bool>(
                name: "pay_as_you_use",
                table: "offer_versions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "uses_adviser_sessions",
                table: "offer_versions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "charged_quantity",
                table: "bookings",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "credit_units",
                table: "bookings",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "late_rule_waived",
                table: "bookings",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "pence_due",
                table: "bookings",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "pence_per_unit",
                table: "bookings",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "pound_units",
                table: "bookings",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "resolution_note",
                table: "bookings",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "session_subscription_id",
                table: "bookings",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "session_units",
                table: "bookings",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "sessions_counted",
                table: "bookings",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "booking_changes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    booking_id = table.Column<Guid>(type: "uuid", nullable: false),
                    proposed_by = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    dates = table.Column<List<DateOnly>>(type: "date[]", nullable: false),
                    practitioner_id = table.Column<Guid>(type: "uuid", nullable: true),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    late = table.Column<bool>(type: "boolean", nullable: false),
                    proposed_by_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    proposed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    answer_note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    answered_by_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    answered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_booking_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_booking_changes_bookings_booking_id",
                        column: x => x.booking_id,
                        principalTable: "bookings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "practitioner_absences",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    practitioner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    from = table.Column<DateOnly>(type: "date", nullable: false),
                    to = table.Column<DateOnly>(type: "date", nullable: false),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_practitioner_absences", x => x.id);
                    table.CheckConstraint("ck_practitioner_absences_dates", "\"to\" >= \"from\"");
                    table.ForeignKey(
                        name: "fk_practitioner_absences_practitioners_practitioner_id",
                        column: x => x.practitioner_id,
                        principalTable: "practitioners",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_bookings_seller_la_id_status",
                table: "bookings",
                columns: new[] { "seller_la_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_bookings_session_subscription_id",
                table: "bookings",
                column: "session_subscription_id",
                filter: "session_subscription_id IS NOT NULL");

            // Every booking so far was paid wholly in credits.
            migrationBuilder.Sql("UPDATE bookings SET credit_units = quantity;");

            migrationBuilder.AddCheckConstraint(
                name: "ck_bookings_credits",
                table: "bookings",
                sql: "quantity BETWEEN 1 AND 100 AND credits_per_unit >= 0 AND session_units >= 0 AND credit_units >= 0 AND pound_units >= 0 AND session_units + credit_units + pound_units = quantity AND total_credits = credit_units * credits_per_unit");

            migrationBuilder.AddCheckConstraint(
                name: "ck_bookings_settled",
                table: "bookings",
                sql: "captured_credits BETWEEN 0 AND total_credits AND pence_due >= 0 AND sessions_counted BETWEEN 0 AND session_units");

            migrationBuilder.CreateIndex(
                name: "ix_booking_changes_booking_id_proposed_at",
                table: "booking_changes",
                columns: new[] { "booking_id", "proposed_at" });

            migrationBuilder.CreateIndex(
                name: "ux_booking_changes_one_pending",
                table: "booking_changes",
                column: "booking_id",
                unique: true,
                filter: "status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ix_practitioner_absences_practitioner_id_from",
                table: "practitioner_absences",
                columns: new[] { "practitioner_id", "from" });

            migrationBuilder.AddForeignKey(
                name: "fk_bookings_subscriptions_session_subscription_id",
                table: "bookings",
                column: "session_subscription_id",
                principalTable: "subscriptions",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_bookings_subscriptions_session_subscription_id",
                table: "bookings");

            migrationBuilder.DropTable(
                name: "booking_changes");

            migrationBuilder.DropTable(
                name: "practitioner_absences");

            migrationBuilder.DropIndex(
                name: "ix_bookings_seller_la_id_status",
                table: "bookings");

            migrationBuilder.DropIndex(
                name: "ix_bookings_session_subscription_id",
                table: "bookings");

            migrationBuilder.DropCheckConstraint(
                name: "ck_bookings_credits",
                table: "bookings");

            migrationBuilder.DropCheckConstraint(
                name: "ck_bookings_settled",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "requires_purchase_order",
                table: "schools");

            migrationBuilder.DropColumn(
                name: "working_week",
                table: "practitioners");

            migrationBuilder.DropColumn(
                name: "free_cancellation_working_days",
                table: "offer_versions");

            migrationBuilder.DropColumn(
                name: "late_cancellation_percent",
                table: "offer_versions");

            migrationBuilder.DropColumn(
                name: "pay_as_you_use",
                table: "offer_versions");

            migrationBuilder.DropColumn(
                name: "uses_adviser_sessions",
                table: "offer_versions");

            migrationBuilder.DropColumn(
                name: "charged_quantity",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "credit_units",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "late_rule_waived",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "pence_due",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "pence_per_unit",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "pound_units",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "resolution_note",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "session_subscription_id",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "session_units",
                table: "bookings");

            migrationBuilder.DropColumn(
                name: "sessions_counted",
                table: "bookings");

            migrationBuilder.AddCheckConstraint(
                name: "ck_bookings_credits",
                table: "bookings",
                sql: "quantity BETWEEN 1 AND 100 AND credits_per_unit > 0 AND total_credits = quantity * credits_per_unit");
        }
    }
}
