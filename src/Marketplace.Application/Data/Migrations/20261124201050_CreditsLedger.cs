using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Marketplace.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class CreditsLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ledger_accounts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    local_authority_id = table.Column<Guid>(type: "uuid", nullable: true),
                    school_id = table.Column<Guid>(type: "uuid", nullable: true),
                    provider_id = table.Column<Guid>(type: "uuid", nullable: true),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: true),
                    balance = table.Column<long>(type: "bigint", nullable: false),
                    allow_negative = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_accounts", x => x.id);
                    table.CheckConstraint("ck_ledger_accounts_balance", "allow_negative OR balance >= 0");
                    table.ForeignKey(
                        name: "fk_ledger_accounts_local_authorities_local_authority_id",
                        column: x => x.local_authority_id,
                        principalTable: "local_authorities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_ledger_accounts_providers_provider_id",
                        column: x => x.provider_id,
                        principalTable: "providers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_ledger_accounts_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ledger_transactions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: true),
                    description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    reference = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    reverses_transaction_id = table.Column<Guid>(type: "uuid", nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    request_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_transactions", x => x.id);
                    table.ForeignKey(
                        name: "fk_ledger_transactions_ledger_transactions_reverses_transactio",
                        column: x => x.reverses_transaction_id,
                        principalTable: "ledger_transactions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "credit_grants",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    wallet_account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    issued_by_la_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    credits = table.Column<int>(type: "integer", nullable: false),
                    remaining = table.Column<int>(type: "integer", nullable: false),
                    expires_on = table.Column<DateOnly>(type: "date", nullable: false),
                    cost_basis_pence_per_credit = table.Column<long>(type: "bigint", nullable: false),
                    granted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    transaction_id = table.Column<Guid>(type: "uuid", nullable: false),
                    fund_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_credit_grants", x => x.id);
                    table.CheckConstraint("ck_credit_grants_cost_basis", "cost_basis_pence_per_credit >= 0");
                    table.CheckConstraint("ck_credit_grants_credits", "credits > 0");
                    table.CheckConstraint("ck_credit_grants_remaining", "remaining >= 0 AND remaining <= credits");
                    table.ForeignKey(
                        name: "fk_credit_grants_ledger_accounts_wallet_account_id",
                        column: x => x.wallet_account_id,
                        principalTable: "ledger_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_credit_grants_ledger_transactions_transaction_id",
                        column: x => x.transaction_id,
                        principalTable: "ledger_transactions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_credit_grants_local_authorities_issued_by_la_id",
                        column: x => x.issued_by_la_id,
                        principalTable: "local_authorities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_credit_grants_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "credit_purchases",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    seller_la_id = table.Column<Guid>(type: "uuid", nullable: false),
                    credits = table.Column<int>(type: "integer", nullable: false),
                    unit_price_pence = table.Column<long>(type: "bigint", nullable: false),
                    total_pence = table.Column<long>(type: "bigint", nullable: false),
                    purchase_order_number = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    expires_on = table.Column<DateOnly>(type: "date", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    created_by_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_credit_purchases", x => x.id);
                    table.CheckConstraint("ck_credit_purchases_total", "credits > 0 AND unit_price_pence >= 0 AND total_pence = credits * unit_price_pence");
                    table.ForeignKey(
                        name: "fk_credit_purchases_ledger_transactions_id",
                        column: x => x.id,
                        principalTable: "ledger_transactions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_credit_purchases_local_authorities_seller_la_id",
                        column: x => x.seller_la_id,
                        principalTable: "local_authorities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_credit_purchases_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ledger_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    transaction_id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    grant_id = table.Column<Guid>(type: "uuid", nullable: true),
                    amount = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_entries", x => x.id);
                    table.CheckConstraint("ck_ledger_entries_amount", "amount <> 0");
                    table.ForeignKey(
                        name: "fk_ledger_entries_credit_grants_grant_id",
                        column: x => x.grant_id,
                        principalTable: "credit_grants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_ledger_entries_ledger_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "ledger_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_ledger_entries_ledger_transactions_transaction_id",
                        column: x => x.transaction_id,
                        principalTable: "ledger_transactions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_credit_grants_issued_by_la_id",
                table: "credit_grants",
                column: "issued_by_la_id");

            migrationBuilder.CreateIndex(
                name: "ix_credit_grants_school_id_source",
                table: "credit_grants",
                columns: new[] { "school_id", "source" });

            migrationBuilder.CreateIndex(
                name: "ix_credit_grants_transaction_id",
                table: "credit_grants",
                column: "transaction_id");

            migrationBuilder.CreateIndex(
                name: "ix_credit_grants_wallet_account_id_expires_on",
                table: "credit_grants",
                columns: new[] { "wallet_account_id", "expires_on" });

            migrationBuilder.CreateIndex(
                name: "ix_credit_purchases_school_id_created_at",
                table: "credit_purchases",
                columns: new[] { "school_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_credit_purchases_seller_la_id",
                table: "credit_purchases",
                column: "seller_la_id");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_accounts_kind_local_authority_id_school_id_provider_",
                table: "ledger_accounts",
                columns: new[] { "kind", "local_authority_id", "school_id", "provider_id", "owner_id" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_accounts_local_authority_id",
                table: "ledger_accounts",
                column: "local_authority_id");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_accounts_provider_id",
                table: "ledger_accounts",
                column: "provider_id");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_accounts_school_id",
                table: "ledger_accounts",
                column: "school_id");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_account_id_id",
                table: "ledger_entries",
                columns: new[] { "account_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_grant_id",
                table: "ledger_entries",
                column: "grant_id");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_transaction_id",
                table: "ledger_entries",
                column: "transaction_id");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_transactions_idempotency_key",
                table: "ledger_transactions",
                column: "idempotency_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_transactions_reverses_transaction_id",
                table: "ledger_transactions",
                column: "reverses_transaction_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_transactions_school_id_occurred_at",
                table: "ledger_transactions",
                columns: new[] { "school_id", "occurred_at" });

            // Double-entry and append-only, enforced by PostgreSQL rather than by convention:
            // a transaction whose entries do not sum to zero cannot commit, and entries can be neither
            // updated nor deleted (a correction is a reversing transaction).
            migrationBuilder.Sql("""
                CREATE FUNCTION ledger_entries_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE transaction_id = NEW.transaction_id) <> 0 THEN
                        RAISE EXCEPTION 'ledger transaction % does not balance', NEW.transaction_id USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entries_balanced();

                CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'ledger entries are append-only: post a reversal instead' USING ERRCODE = 'insufficient_privilege';
                END $$;
                CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
                    FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();
                CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
                    FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER ledger_transactions_append_only ON ledger_transactions;
                DROP TRIGGER ledger_entries_append_only ON ledger_entries;
                DROP FUNCTION ledger_entries_append_only();
                DROP TRIGGER ledger_entries_balanced ON ledger_entries;
                DROP FUNCTION ledger_entries_balanced();
                """);

            migrationBuilder.DropTable(
                name: "credit_purchases");

            migrationBuilder.DropTable(
                name: "ledger_entries");

            migrationBuilder.DropTable(
                name: "credit_grants");

            migrationBuilder.DropTable(
                name: "ledger_accounts");

            migrationBuilder.DropTable(
                name: "ledger_transactions");
        }
    }
}
