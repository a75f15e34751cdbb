using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class LedgerFunctions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "balance",
                table: "ledger_accounts",
                type: "bigint",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.Sql("UPDATE ledger_accounts SET balance = NULL WHERE kind NOT IN ('SchoolWallet', 'Fund', 'BookingHold');");
            // Frozen: this is the SQL as this migration first installed it. Change it only in a new migration.
            migrationBuilder.Sql("""
                CREATE FUNCTION ledger_account(p_kind text, p_la uuid, p_school uuid, p_provider uuid, p_owner uuid) RETURNS uuid
                LANGUAGE plpgsql AS $$
                DECLARE v_id uuid;
                BEGIN
                    SELECT a.id INTO v_id FROM ledger_accounts a
                    WHERE a.kind = p_kind AND a.local_authority_id IS NOT DISTINCT FROM p_la AND a.school_id IS NOT DISTINCT FROM p_school
                      AND a.provider_id IS NOT DISTINCT FROM p_provider AND a.owner_id IS NOT DISTINCT FROM p_owner;
                    IF v_id IS NOT NULL THEN RETURN v_id; END IF;
                    INSERT INTO ledger_accounts (id, kind, local_authority_id, school_id, provider_id, owner_id, balance, allow_negative)
                    VALUES (gen_random_uuid(), p_kind, p_la, p_school, p_provider, p_owner,
                            CASE WHEN p_kind IN ('SchoolWallet', 'Fund', 'BookingHold') THEN 0 END, p_kind = 'LaDeferredIncome')
                    ON CONFLICT DO NOTHING;
                    SELECT a.id INTO v_id FROM ledger_accounts a
                    WHERE a.kind = p_kind AND a.local_authority_id IS NOT DISTINCT FROM p_la AND a.school_id IS NOT DISTINCT FROM p_school
                      AND a.provider_id IS NOT DISTINCT FROM p_provider AND a.owner_id IS NOT DISTINCT FROM p_owner;
                    RETURN v_id;
                END $$;

                -- Puts credits into a school's wallet as a new grant issued from the LA's deferred income.
                -- Idempotent by key: a replay returns the first transaction and grant with replayed = true.
                CREATE FUNCTION ledger_grant(p_tx uuid, p_grant uuid, p_key text, p_kind text, p_school uuid, p_la uuid, p_source text,
                    p_credits integer, p_expires date, p_cost bigint, p_description text, p_reference text, p_hash text, p_at timestamptz)
                RETURNS TABLE (out_transaction_id uuid, out_grant_id uuid, out_replayed boolean, out_hash text)
                LANGUAGE plpgsql AS $$
                DECLARE v_wallet uuid; v_issuer uuid;
                BEGIN
                    INSERT INTO ledger_transactions (id, idempotency_key, kind, school_id, description, reference, occurred_at, request_hash)
                    VALUES (p_tx, p_key, p_kind, p_school, p_description, p_reference, p_at, p_hash)
                    ON CONFLICT (idempotency_key) DO NOTHING;
                    IF NOT FOUND THEN
                        RETURN QUERY SELECT t.id, g.id, true, t.request_hash::text FROM ledger_transactions t
                            LEFT JOIN credit_grants g ON g.transaction_id = t.id WHERE t.idempotency_key = p_key;
                        RETURN;
                    END IF;
                    v_wallet := ledger_account('SchoolWallet', NULL, p_school, NULL, NULL);
                    v_issuer := ledger_account('LaDeferredIncome', p_la, NULL, NULL, NULL);
                    INSERT INTO credit_grants (id, wallet_account_id, school_id, issued_by_la_id, source, credits, remaining,
                        expires_on, cost_basis_pence_per_credit, granted_at, transaction_id, fund_id)
                    VALUES (p_grant, v_wallet, p_school, p_la, p_source, p_credits, p_credits, p_expires, p_cost, p_at, p_tx, NULL);
                    INSERT INTO ledger_entries (transaction_id, account_id, grant_id, amount)
                    VALUES (p_tx, v_issuer, p_grant, -p_credits), (p_tx, v_wallet, p_grant, p_credits);
                    UPDATE ledger_accounts SET balance = balance + p_credits WHERE id = v_wallet;
                    RETURN QUERY SELECT p_tx, p_grant, false, p_hash;
                END $$;

                -- Moves credits from a school's wallet to another account, drawing on grants in spend order:
                -- allowance, then earned, then purchased; soonest expiry, then oldest grant, first. Funded
                -- credits are left alone until funds and their ring-fences exist. The wallet row is locked first,
                -- so spends on one wallet queue; the conditional updates and CHECK constraints refuse any overdraw.
                CREATE FUNCTION ledger_spend(p_tx uuid, p_key text, p_school uuid, p_credits integer, p_destination uuid,
                    p_description text, p_reference text, p_at timestamptz, p_today date)
                RETURNS TABLE (out_transaction_id uuid, out_grant_id uuid, out_credits integer, out_replayed boolean)
                LANGUAGE plpgsql AS $$
                DECLARE v_wallet uuid; v_left integer := p_credits; v_take integer; v_available bigint; g record;
                BEGIN
                    SELECT a.id INTO v_wallet FROM ledger_accounts a WHERE a.kind = 'SchoolWallet' AND a.school_id = p_school FOR UPDATE;
                    IF v_wallet IS NULL THEN
                        RAISE EXCEPTION '0' USING ERRCODE = 'MK001';
                    END IF;
                    INSERT INTO ledger_transactions (id, idempotency_key, kind, school_id, description, reference, occurred_at)
                    VALUES (p_tx, p_key, 'Spend', p_school, p_description, p_reference, p_at)
                    ON CONFLICT (idempotency_key) DO NOTHING;
                    IF NOT FOUND THEN
                        RETURN QUERY SELECT e.transaction_id, e.grant_id, (-e.amount)::integer, true
                            FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
                            WHERE t.idempotency_key = p_key AND e.account_id = v_wallet ORDER BY e.id;
                        RETURN;
                    END IF;
                    FOR g IN
                        SELECT c.id, c.remaining FROM credit_grants c
                        WHERE c.wallet_account_id = v_wallet AND c.remaining > 0 AND c.expires_on >= p_today AND c.source <> 'Funded'
                        ORDER BY CASE c.source WHEN 'Allowance' THEN 1 WHEN 'Earned' THEN 2 ELSE 3 END, c.expires_on, c.granted_at, c.id
                    LOOP
                        v_take := least(v_left, g.remaining);
                        UPDATE credit_grants SET remaining = remaining - v_take WHERE id = g.id AND remaining >= v_take;
                        IF NOT FOUND THEN RAISE EXCEPTION 'grant % changed during a spend', g.id; END IF;
                        INSERT INTO ledger_entries (transaction_id, account_id, grant_id, amount)
                        VALUES (p_tx, v_wallet, g.id, -v_take), (p_tx, p_destination, g.id, v_take);
                        out_transaction_id := p_tx; out_grant_id := g.id; out_credits := v_take; out_replayed := false;
                        RETURN NEXT;
                        v_left := v_left - v_take;
                        EXIT WHEN v_left = 0;
                    END LOOP;
                    IF v_left > 0 THEN
                        v_available := p_credits - v_left;
                        RAISE EXCEPTION '%', v_available USING ERRCODE = 'MK001';
                    END IF;
                    UPDATE ledger_accounts SET balance = balance - p_credits WHERE id = v_wallet AND balance >= p_credits;
                    IF NOT FOUND THEN RAISE EXCEPTION '0' USING ERRCODE = 'MK001'; END IF;
                    -- Only accounts that cache a balance (a hold, a fund) are touched: no hot row for LA or provider accounts.
                    UPDATE ledger_accounts SET balance = balance + p_credits WHERE id = p_destination AND balance IS NOT NULL;
                END $$;
                """);

            migrationBuilder.AddCheckConstraint(
                name: "ck_ledger_accounts_cached",
                table: "ledger_accounts",
                sql: "(balance IS NOT NULL) = (kind IN ('SchoolWallet', 'Fund', 'BookingHold'))");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION ledger_spend; DROP FUNCTION ledger_grant; DROP FUNCTION ledger_account;");
            migrationBuilder.Sql("UPDATE ledger_accounts a SET balance = coalesce((SELECT sum(amount) FROM ledger_entries e WHERE e.account_id = a.id), 0) WHERE balance IS NULL;");
            migrationBuilder.DropCheckConstraint(
                name: "ck_ledger_accounts_cached",
                table: "ledger_accounts");

            migrationBuilder.AlterColumn<long>(
                name: "balance",
                table: "ledger_accounts",
                type: "bigint",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldNullable: true);
        }
    }
}
