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
            migrationBuilder.Sql(LedgerSql.Functions);

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
