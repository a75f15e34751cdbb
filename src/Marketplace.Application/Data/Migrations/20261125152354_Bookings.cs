using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class Bookings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bookings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    reference = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    offer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    offer_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    provider_id = table.Column<Guid>(type: "uuid", nullable: false),
                    seller_la_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tier = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    unit = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    credits_per_unit = table.Column<int>(type: "integer", nullable: false),
                    total_credits = table.Column<int>(type: "integer", nullable: false),
                    preferred_dates = table.Column<List<DateOnly>>(type: "date[]", nullable: false),
                    preferred_term = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    practitioner_id = table.Column<Guid>(type: "uuid", nullable: true),
                    confirmed_dates = table.Column<List<DateOnly>>(type: "date[]", nullable: false),
                    purchase_order_number = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    decline_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    requested_by_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    request_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    request_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bookings", x => x.id);
                    table.CheckConstraint("ck_bookings_credits", "quantity BETWEEN 1 AND 100 AND credits_per_unit > 0 AND total_credits = quantity * credits_per_unit");
                    table.ForeignKey(
                        name: "fk_bookings_offer_versions_offer_version_id",
                        column: x => x.offer_version_id,
                        principalTable: "offer_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_bookings_offers_offer_id",
                        column: x => x.offer_id,
                        principalTable: "offers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_bookings_practitioners_practitioner_id",
                        column: x => x.practitioner_id,
                        principalTable: "practitioners",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_bookings_providers_provider_id",
                        column: x => x.provider_id,
                        principalTable: "providers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_bookings_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "booking_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    booking_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    by_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_booking_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_booking_events_bookings_booking_id",
                        column: x => x.booking_id,
                        principalTable: "bookings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "booking_slots",
                columns: table => new
                {
                    practitioner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    booking_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_booking_slots", x => new { x.practitioner_id, x.date });
                    table.ForeignKey(
                        name: "fk_booking_slots_bookings_booking_id",
                        column: x => x.booking_id,
                        principalTable: "bookings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_booking_slots_practitioners_practitioner_id",
                        column: x => x.practitioner_id,
                        principalTable: "practitioners",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_booking_events_booking_id_at",
                table: "booking_events",
                columns: new[] { "booking_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_booking_slots_booking_id",
                table: "booking_slots",
                column: "booking_id");

            migrationBuilder.CreateIndex(
                name: "ix_bookings_offer_id",
                table: "bookings",
                column: "offer_id");

            migrationBuilder.CreateIndex(
                name: "ix_bookings_offer_version_id",
                table: "bookings",
                column: "offer_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_bookings_practitioner_id",
                table: "bookings",
                column: "practitioner_id");

            migrationBuilder.CreateIndex(
                name: "ix_bookings_provider_id_status",
                table: "bookings",
                columns: new[] { "provider_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_bookings_reference",
                table: "bookings",
                column: "reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_bookings_request_key",
                table: "bookings",
                column: "request_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_bookings_school_id_requested_at",
                table: "bookings",
                columns: new[] { "school_id", "requested_at" });

            // Frozen: this is the SQL as this migration first installed it. Change it only in a new migration.
            migrationBuilder.Sql("""
                -- Returns everything a booking's hold account holds to the school's wallet, to the grants the
                -- credits came from (their remaining goes back up). Idempotent by key; returns the credits moved.
                CREATE FUNCTION ledger_release(p_tx uuid, p_key text, p_hold uuid, p_school uuid, p_description text, p_reference text, p_at timestamptz)
                RETURNS bigint
                LANGUAGE plpgsql AS $$
                DECLARE v_wallet uuid; v_total bigint := 0; r record;
                BEGIN
                    SELECT a.id INTO v_wallet FROM ledger_accounts a WHERE a.kind = 'SchoolWallet' AND a.school_id = p_school FOR UPDATE;
                    PERFORM 1 FROM ledger_accounts a WHERE a.id = p_hold FOR UPDATE;
                    IF EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.idempotency_key = p_key) THEN RETURN 0; END IF;
                    IF coalesce((SELECT a.balance FROM ledger_accounts a WHERE a.id = p_hold), 0) = 0 THEN RETURN 0; END IF;
                    INSERT INTO ledger_transactions (id, idempotency_key, kind, school_id, description, reference, occurred_at)
                    VALUES (p_tx, p_key, 'Release', p_school, p_description, p_reference, p_at);
                    FOR r IN
                        SELECT e.grant_id, sum(e.amount) AS n FROM ledger_entries e WHERE e.account_id = p_hold
                        GROUP BY e.grant_id HAVING sum(e.amount) > 0 ORDER BY e.grant_id
                    LOOP
                        UPDATE credit_grants SET remaining = remaining + r.n WHERE id = r.grant_id AND remaining + r.n <= credits;
                        IF NOT FOUND THEN RAISE EXCEPTION 'grant % cannot take back % credits', r.grant_id, r.n; END IF;
                        INSERT INTO ledger_entries (transaction_id, account_id, grant_id, amount)
                        VALUES (p_tx, p_hold, r.grant_id, -r.n), (p_tx, v_wallet, r.grant_id, r.n);
                        v_total := v_total + r.n;
                    END LOOP;
                    UPDATE ledger_accounts SET balance = balance - v_total WHERE id = p_hold AND balance >= v_total;
                    IF NOT FOUND THEN RAISE EXCEPTION 'hold % does not hold % credits', p_hold, v_total; END IF;
                    UPDATE ledger_accounts SET balance = balance + v_total WHERE id = v_wallet;
                    RETURN v_total;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER booking_events_append_only BEFORE UPDATE OR DELETE ON booking_events
                    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER booking_events_append_only ON booking_events; DROP FUNCTION ledger_release;");
            migrationBuilder.DropTable(
                name: "booking_events");

            migrationBuilder.DropTable(
                name: "booking_slots");

            migrationBuilder.DropTable(
                name: "bookings");
        }
    }
}
