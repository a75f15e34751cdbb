using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Application.Data.Migrations
{
    /// <summary>
    /// The ledger's edges (ADR 0015). Every ledger function answers with a status column ('done',
    /// 'replayed', 'nothing', 'insufficient', 'not_found') and typed data (never a number inside an error
    /// message); grant expiry becomes ledger_expire; a booking's wallet lock becomes ledger_lock_wallet.
    /// The functions run as their owner (SECURITY DEFINER, with a pinned search_path), and the
    /// application's role, marketplace_app, may read the ledger tables but change them only through
    /// these functions. The SQL below is frozen: a later change is a new migration.
    /// </summary>
    [DbContext(typeof(MarketplaceDbContext))]
    [Migration("20261201230000_LedgerEdges")]
    public partial class LedgerEdges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Functions whose result shape changes are dropped and created again; the rest are replaced.
            migrationBuilder.Sql("""
                DROP FUNCTION ledger_grant(uuid, uuid, text, text, uuid, uuid, text, integer, date, bigint, text, text, text, timestamptz);
                DROP FUNCTION ledger_spend(uuid, text, uuid, integer, uuid, text, text, timestamptz, date);
                DROP FUNCTION ledger_release(uuid, text, uuid, uuid, text, text, timestamptz);
                DROP FUNCTION ledger_capture(uuid, text, uuid, uuid, bigint, uuid, text, text, timestamptz);
                DROP FUNCTION ledger_earn(uuid, uuid, text, uuid, uuid, uuid, integer, date, text, text, timestamptz);

                ALTER FUNCTION ledger_account(text, uuid, uuid, uuid, uuid) SECURITY DEFINER SET search_path = public, pg_temp;

                -- Puts credits into a school's wallet as a new grant issued from the LA's deferred income.
                -- A replay (same key) returns the first transaction and grant with status 'replayed'.
                CREATE FUNCTION ledger_grant(p_tx uuid, p_grant uuid, p_key text, p_kind text, p_school uuid, p_la uuid, p_source text,
                    p_credits integer, p_expires date, p_cost bigint, p_description text, p_reference text, p_hash text, p_at timestamptz)
                RETURNS TABLE (out_status text, out_transaction_id uuid, out_grant_id uuid, out_hash text)
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                DECLARE v_wallet uuid; v_issuer uuid;
                BEGIN
                    INSERT INTO ledger_transactions (id, idempotency_key, kind, school_id, description, reference, occurred_at, request_hash)
                    VALUES (p_tx, p_key, p_kind, p_school, p_description, p_reference, p_at, p_hash)
                    ON CONFLICT (idempotency_key) DO NOTHING;
                    IF NOT FOUND THEN
                        RETURN QUERY SELECT 'replayed'::text, t.id, g.id, t.request_hash::text FROM ledger_transactions t
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
                    RETURN QUERY SELECT 'done'::text, p_tx, p_grant, p_hash;
                END $$;

                -- Moves credits from a school's wallet to another account, drawing on grants in spend order:
                -- allowance, then earned, then purchased; soonest expiry, then oldest grant, first. Funded
                -- credits are left alone until funds and their ring-fences exist. The wallet row is locked first,
                -- so spends on one wallet queue (which also makes the replay check and the availability check
                -- stable). Short of usable credit: one row, status 'insufficient', out_credits = the credits
                -- available, and nothing written. The conditional updates and CHECK constraints still refuse
                -- any overdraw whatever this function's arithmetic does.
                CREATE FUNCTION ledger_spend(p_tx uuid, p_key text, p_school uuid, p_credits integer, p_destination uuid,
                    p_description text, p_reference text, p_at timestamptz, p_today date)
                RETURNS TABLE (out_status text, out_transaction_id uuid, out_grant_id uuid, out_credits integer)
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                DECLARE v_wallet uuid; v_first uuid; v_left integer := p_credits; v_take integer; v_available bigint; g record;
                BEGIN
                    SELECT a.id INTO v_wallet FROM ledger_accounts a WHERE a.kind = 'SchoolWallet' AND a.school_id = p_school FOR UPDATE;
                    SELECT t.id INTO v_first FROM ledger_transactions t WHERE t.idempotency_key = p_key;
                    IF v_first IS NOT NULL THEN
                        RETURN QUERY SELECT 'replayed'::text, e.transaction_id, e.grant_id, (-e.amount)::integer
                            FROM ledger_entries e WHERE e.transaction_id = v_first AND e.account_id = v_wallet ORDER BY e.id;
                        IF NOT FOUND THEN RETURN QUERY SELECT 'replayed'::text, v_first, NULL::uuid, 0; END IF;
                        RETURN;
                    END IF;
                    SELECT coalesce(sum(c.remaining), 0) INTO v_available FROM credit_grants c
                    WHERE c.wallet_account_id = v_wallet AND c.remaining > 0 AND c.expires_on >= p_today AND c.source <> 'Funded';
                    IF v_wallet IS NULL OR v_available < p_credits THEN
                        RETURN QUERY SELECT 'insufficient'::text, NULL::uuid, NULL::uuid, v_available::integer;
                        RETURN;
                    END IF;
                    -- The same key on another school's wallet is not queued behind this lock: still a replay.
                    INSERT INTO ledger_transactions (id, idempotency_key, kind, school_id, description, reference, occurred_at)
                    VALUES (p_tx, p_key, 'Spend', p_school, p_description, p_reference, p_at)
                    ON CONFLICT (idempotency_key) DO NOTHING;
                    IF NOT FOUND THEN
                        RETURN QUERY SELECT 'replayed'::text, t.id, NULL::uuid, 0 FROM ledger_transactions t WHERE t.idempotency_key = p_key;
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
                        out_status := 'done'; out_transaction_id := p_tx; out_grant_id := g.id; out_credits := v_take;
                        RETURN NEXT;
                        v_left := v_left - v_take;
                        EXIT WHEN v_left = 0;
                    END LOOP;
                    IF v_left > 0 THEN RAISE EXCEPTION 'wallet % ran short during a spend', v_wallet; END IF;
                    UPDATE ledger_accounts SET balance = balance - p_credits WHERE id = v_wallet AND balance >= p_credits;
                    IF NOT FOUND THEN RAISE EXCEPTION 'wallet % balance is below its grants', v_wallet; END IF;
                    -- Only accounts that cache a balance (a hold, a fund) are touched: no hot row for LA or provider accounts.
                    UPDATE ledger_accounts SET balance = balance + p_credits WHERE id = p_destination AND balance IS NOT NULL;
                END $$;

                -- Returns everything a booking's hold account holds to the school's wallet, to the grants the
                -- credits came from. Status 'nothing' (and no transaction) when the hold is empty.
                CREATE FUNCTION ledger_release(p_tx uuid, p_key text, p_hold uuid, p_school uuid, p_description text, p_reference text, p_at timestamptz)
                RETURNS TABLE (out_status text, out_transaction_id uuid, out_credits bigint)
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                DECLARE v_wallet uuid; v_first uuid; v_total bigint := 0; r record;
                BEGIN
                    SELECT a.id INTO v_wallet FROM ledger_accounts a WHERE a.kind = 'SchoolWallet' AND a.school_id = p_school FOR UPDATE;
                    PERFORM 1 FROM ledger_accounts a WHERE a.id = p_hold FOR UPDATE;
                    SELECT t.id INTO v_first FROM ledger_transactions t WHERE t.idempotency_key = p_key;
                    IF v_first IS NOT NULL THEN
                        RETURN QUERY SELECT 'replayed'::text, v_first,
                            coalesce((SELECT sum(e.amount) FROM ledger_entries e WHERE e.transaction_id = v_first AND e.amount > 0), 0)::bigint;
                        RETURN;
                    END IF;
                    IF coalesce((SELECT a.balance FROM ledger_accounts a WHERE a.id = p_hold), 0) = 0 THEN
                        RETURN QUERY SELECT 'nothing'::text, NULL::uuid, 0::bigint;
                        RETURN;
                    END IF;
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
                    RETURN QUERY SELECT 'done'::text, p_tx, v_total;
                END $$;

                -- Moves p_credits of a booking's hold to the provider's side (an LA's revenue, a provider's
                -- earnings), taking first the held credits that would expire soonest; the rest stays held for
                -- release. Status 'nothing' (and no transaction) for zero credits.
                CREATE FUNCTION ledger_capture(p_tx uuid, p_key text, p_hold uuid, p_destination uuid, p_credits bigint, p_school uuid,
                    p_description text, p_reference text, p_at timestamptz)
                RETURNS TABLE (out_status text, out_transaction_id uuid, out_credits bigint)
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                DECLARE v_first uuid; v_left bigint := p_credits; v_take bigint; r record;
                BEGIN
                    PERFORM 1 FROM ledger_accounts a WHERE a.id = p_hold FOR UPDATE;
                    SELECT t.id INTO v_first FROM ledger_transactions t WHERE t.idempotency_key = p_key;
                    IF v_first IS NOT NULL THEN
                        RETURN QUERY SELECT 'replayed'::text, v_first,
                            coalesce((SELECT sum(e.amount) FROM ledger_entries e WHERE e.transaction_id = v_first AND e.amount > 0), 0)::bigint;
                        RETURN;
                    END IF;
                    IF p_credits <= 0 THEN
                        RETURN QUERY SELECT 'nothing'::text, NULL::uuid, 0::bigint;
                        RETURN;
                    END IF;
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
                    RETURN QUERY SELECT 'done'::text, p_tx, p_credits;
                END $$;

                -- A school that gave school-to-school support earns credits into its own wallet (the Aspire
                -- model): a new Earned grant, paid out of the provider's earnings account.
                CREATE FUNCTION ledger_earn(p_tx uuid, p_grant uuid, p_key text, p_from uuid, p_school uuid, p_la uuid, p_credits integer,
                    p_expires date, p_description text, p_reference text, p_at timestamptz)
                RETURNS TABLE (out_status text, out_transaction_id uuid, out_grant_id uuid)
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                DECLARE v_wallet uuid;
                BEGIN
                    INSERT INTO ledger_transactions (id, idempotency_key, kind, school_id, description, reference, occurred_at)
                    VALUES (p_tx, p_key, 'EarnedGrant', p_school, p_description, p_reference, p_at)
                    ON CONFLICT (idempotency_key) DO NOTHING;
                    IF NOT FOUND THEN
                        RETURN QUERY SELECT 'replayed'::text, t.id, g.id FROM ledger_transactions t
                            LEFT JOIN credit_grants g ON g.transaction_id = t.id WHERE t.idempotency_key = p_key;
                        RETURN;
                    END IF;
                    v_wallet := ledger_account('SchoolWallet', NULL, p_school, NULL, NULL);
                    INSERT INTO credit_grants (id, wallet_account_id, school_id, issued_by_la_id, source, credits, remaining,
                        expires_on, cost_basis_pence_per_credit, granted_at, transaction_id, fund_id)
                    VALUES (p_grant, v_wallet, p_school, p_la, 'Earned', p_credits, p_credits, p_expires, 0, p_at, p_tx, NULL);
                    INSERT INTO ledger_entries (transaction_id, account_id, grant_id, amount)
                    VALUES (p_tx, p_from, p_grant, -p_credits), (p_tx, v_wallet, p_grant, p_credits);
                    UPDATE ledger_accounts SET balance = balance + p_credits WHERE id = v_wallet;
                    RETURN QUERY SELECT 'done'::text, p_tx, p_grant;
                END $$;

                -- Moves a grant's unused credits out of the wallet into the issuing LA's expiry account
                -- (breakage), only once the grant has expired (expires_on before p_today). Status 'nothing'
                -- when it has not expired or holds nothing; 'not_found' for an unknown grant.
                CREATE FUNCTION ledger_expire(p_tx uuid, p_key text, p_grant uuid, p_today date, p_at timestamptz)
                RETURNS TABLE (out_status text, out_transaction_id uuid, out_credits integer)
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                DECLARE v_wallet uuid; v_school uuid; v_la uuid; v_expires date; v_first uuid; v_remaining integer; v_expiry uuid;
                BEGIN
                    SELECT g.wallet_account_id, g.school_id, g.issued_by_la_id, g.expires_on INTO v_wallet, v_school, v_la, v_expires
                    FROM credit_grants g WHERE g.id = p_grant;
                    IF NOT FOUND THEN
                        RETURN QUERY SELECT 'not_found'::text, NULL::uuid, 0;
                        RETURN;
                    END IF;
                    PERFORM 1 FROM ledger_accounts a WHERE a.id = v_wallet FOR UPDATE;
                    SELECT t.id INTO v_first FROM ledger_transactions t WHERE t.idempotency_key = p_key;
                    IF v_first IS NOT NULL THEN
                        RETURN QUERY SELECT 'replayed'::text, v_first,
                            coalesce((SELECT -sum(e.amount) FROM ledger_entries e WHERE e.transaction_id = v_first AND e.account_id = v_wallet), 0)::integer;
                        RETURN;
                    END IF;
                    SELECT g.remaining INTO v_remaining FROM credit_grants g WHERE g.id = p_grant;
                    IF v_remaining = 0 OR v_expires >= p_today THEN
                        RETURN QUERY SELECT 'nothing'::text, NULL::uuid, 0;
                        RETURN;
                    END IF;
                    INSERT INTO ledger_transactions (id, idempotency_key, kind, school_id, description, reference, occurred_at)
                    VALUES (p_tx, p_key, 'Expiry', v_school, format('%s unused credits expired', v_remaining), NULL, p_at);
                    v_expiry := ledger_account('Expiry', v_la, NULL, NULL, NULL);
                    UPDATE credit_grants SET remaining = 0 WHERE id = p_grant AND remaining = v_remaining;
                    IF NOT FOUND THEN RAISE EXCEPTION 'grant % changed while it was being expired', p_grant; END IF;
                    INSERT INTO ledger_entries (transaction_id, account_id, grant_id, amount)
                    VALUES (p_tx, v_wallet, p_grant, -v_remaining), (p_tx, v_expiry, p_grant, v_remaining);
                    UPDATE ledger_accounts SET balance = balance - v_remaining WHERE id = v_wallet AND balance >= v_remaining;
                    IF NOT FOUND THEN RAISE EXCEPTION 'wallet % balance is below its grants', v_wallet; END IF;
                    UPDATE ledger_accounts SET balance = balance + v_remaining WHERE id = v_expiry AND balance IS NOT NULL;
                    RETURN QUERY SELECT 'done'::text, p_tx, v_remaining;
                END $$;

                -- Locks a school's wallet row for the caller's transaction and returns its balance (NULL when the
                -- school has no wallet): SELECT ... FOR UPDATE needs UPDATE privilege, which the app's role lacks.
                CREATE FUNCTION ledger_lock_wallet(p_school uuid) RETURNS bigint
                LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                    SELECT a.balance FROM ledger_accounts a WHERE a.kind = 'SchoolWallet' AND a.school_id = p_school FOR UPDATE;
                $$;
                """);

            // Least privilege: nobody but the owner runs the ledger functions unless granted; the app's
            // role (marketplace_app, a login or a group that the app's login belongs to) may do
            // anything to the other tables, may read the ledger, and may change it only through the functions.
            migrationBuilder.Sql("""
                REVOKE ALL ON FUNCTION ledger_account(text, uuid, uuid, uuid, uuid), ledger_grant(uuid, uuid, text, text, uuid, uuid, text, integer, date, bigint, text, text, text, timestamptz),
                    ledger_spend(uuid, text, uuid, integer, uuid, text, text, timestamptz, date), ledger_release(uuid, text, uuid, uuid, text, text, timestamptz),
                    ledger_capture(uuid, text, uuid, uuid, bigint, uuid, text, text, timestamptz), ledger_earn(uuid, uuid, text, uuid, uuid, uuid, integer, date, text, text, timestamptz),
                    ledger_expire(uuid, text, uuid, date, timestamptz), ledger_lock_wallet(uuid) FROM PUBLIC;
                REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ledger_accounts, ledger_transactions, ledger_entries, credit_grants FROM PUBLIC;

                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'marketplace_app') THEN
                        BEGIN
                            CREATE ROLE marketplace_app NOLOGIN;
                        EXCEPTION WHEN insufficient_privilege THEN
                            RAISE WARNING 'role marketplace_app does not exist and cannot be created here: the app''s privileges were not set up (see README, Database roles)';
                            RETURN;
                        END;
                    END IF;
                    GRANT USAGE ON SCHEMA public TO marketplace_app;
                    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO marketplace_app;
                    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO marketplace_app;
                    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ledger_accounts, ledger_transactions, ledger_entries, credit_grants, __ef_migrations_history
                        FROM marketplace_app;
                    GRANT EXECUTE ON FUNCTION ledger_account(text, uuid, uuid, uuid, uuid), ledger_grant(uuid, uuid, text, text, uuid, uuid, text, integer, date, bigint, text, text, text, timestamptz),
                        ledger_spend(uuid, text, uuid, integer, uuid, text, text, timestamptz, date), ledger_release(uuid, text, uuid, uuid, text, text, timestamptz),
                        ledger_capture(uuid, text, uuid, uuid, bigint, uuid, text, text, timestamptz), ledger_earn(uuid, uuid, text, uuid, uuid, uuid, integer, date, text, text, timestamptz),
                        ledger_expire(uuid, text, uuid, date, timestamptz), ledger_lock_wallet(uuid) TO marketplace_app;
                    -- Tables later migrations create are the app's to write; a new ledger table must revoke, as above.
                    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO marketplace_app;
                    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO marketplace_app;
                    -- Hangfire creates and upgrades its own tables at start-up as the app's role, inside this schema.
                    CREATE SCHEMA IF NOT EXISTS hangfire;
                    BEGIN
                        GRANT USAGE, CREATE ON SCHEMA hangfire TO marketplace_app;
                    EXCEPTION WHEN insufficient_privilege THEN
                        RAISE WARNING 'schema hangfire belongs to another role: grant marketplace_app USAGE and CREATE on it';
                    END;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The previous functions' result shapes are gone from every caller: going back means restoring
            // a backup taken before this migration, not rewriting the ledger's functions in place.
            throw new NotSupportedException("LedgerEdges cannot be reverted in place; restore the backup taken before it.");
        }
    }
}
