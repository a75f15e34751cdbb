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

            // Frozen: this is the SQL as this migration first installed it. Change it only in a new migration.
            migrationBuilder.Sql("""
                -- Moves p_credits of a booking's hold to the provider's side (an LA's revenue, a provider's
                -- earnings), taking first the held credits that would expire soonest; the rest stays held for
                -- release. Idempotent by key; returns the credits moved.
                CREATE FUNCTION ledger_capture(p_tx uuid, p_key text, p_hold uuid, p_destination uuid, p_credits bigint, p_school uuid,
                    p_description text, p_reference text, p_at timestamptz)
                RETURNS bigint
                LANGUAGE plpgsql AS $$
                DECLARE v_left bigint := p_credits; v_take bigint; r record;
                BEGIN
                    PERFORM 1 FROM ledger_accounts a WHERE a.id = p_hold FOR UPDATE;
                    IF p_credits <= 0 OR EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.idempotency_key = p_key) THEN RETURN 0; END IF;
                    INSERT INTO ledger_transactions (id, idempotency_key, kind, school_id, description, reference, occurred_at)
                    VALUES (p_tx, p_key, 'Capture', p_school, p_description, p_reference, p_at);
                    FOR r IN
                        SELECT e.grant_id, sum(e.amount) AS n FROM ledger_entries e JOIN credit_grants g ON g.id = e.grant_id
                        WHERE e.account_id = p_hold GROUP BY e.grant_id, g.expires_on, g.granted_at HAVING sum(e.amount) > 0
                        ORDER BY g.expires_on, g.granted_at, e.grant_id
                    LOOP
                        v_take := least(v_left, r.n);
                        INSERT INTO ledger_entries (transaction_id, account_id, grant_id, amount)
                        VALUES (p_tx, p_hold, r.grant_id, -v_take), (p_tx, p_destination, r.grant_id, v_take);
                        v_left := v_left - v_take;
                        EXIT WHEN v_left = 0;
                    END LOOP;
                    IF v_left > 0 THEN RAISE EXCEPTION 'hold % holds less than % credits', p_hold, p_credits; END IF;
                    UPDATE ledger_accounts SET balance = balance - p_credits WHERE id = p_hold AND balance >= p_credits;
                    IF NOT FOUND THEN RAISE EXCEPTION 'hold % holds less than % credits', p_hold, p_credits; END IF;
                    UPDATE ledger_accounts SET balance = balance + p_credits WHERE id = p_destination AND balance IS NOT NULL;
                    RETURN p_credits;
                END $$;

                -- A school that gave school-to-school support earns credits into its own wallet (the Aspire
                -- model): a new Earned grant, paid out of the provider's earnings account. Idempotent by key.
                CREATE FUNCTION ledger_earn(p_tx uuid, p_grant uuid, p_key text, p_from uuid, p_school uuid, p_la uuid, p_credits integer,
                    p_expires date, p_description text, p_reference text, p_at timestamptz)
                RETURNS boolean
                LANGUAGE plpgsql AS $$
                DECLARE v_wallet uuid;
                BEGIN
                    INSERT INTO ledger_transactions (id, idempotency_key, kind, school_id, description, reference, occurred_at)
                    VALUES (p_tx, p_key, 'EarnedGrant', p_school, p_description, p_reference, p_at)
                    ON CONFLICT (idempotency_key) DO NOTHING;
                    IF NOT FOUND THEN RETURN false; END IF;
                    v_wallet := ledger_account('SchoolWallet', NULL, p_school, NULL, NULL);
                    INSERT INTO credit_grants (id, wallet_account_id, school_id, issued_by_la_id, source, credits, remaining,
                        expires_on, cost_basis_pence_per_credit, granted_at, transaction_id, fund_id)
                    VALUES (p_grant, v_wallet, p_school, p_la, 'Earned', p_credits, p_credits, p_expires, 0, p_at, p_tx, NULL);
                    INSERT INTO ledger_entries (transaction_id, account_id, grant_id, amount)
                    VALUES (p_tx, p_from, p_grant, -p_credits), (p_tx, v_wallet, p_grant, p_credits);
                    UPDATE ledger_accounts SET balance = balance + p_credits WHERE id = v_wallet;
                    RETURN true;
                END $$;
                """);
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
