using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class CreditPurchaseApproval : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "credit_purchase_approval_limit_pence",
                table: "local_authorities",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "credit_purchase_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    credits = table.Column<int>(type: "integer", nullable: false),
                    purchase_order_number = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    quoted_total_pence = table.Column<long>(type: "bigint", nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    request_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    requested_by_user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decided_by_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decline_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    purchase_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_credit_purchase_requests", x => x.id);
                    table.CheckConstraint("ck_credit_purchase_requests_decided", "(status = 'Pending' AND decided_at IS NULL AND purchase_id IS NULL) OR (status = 'Approved' AND decided_at IS NOT NULL) OR (status = 'Declined' AND decided_at IS NOT NULL AND purchase_id IS NULL)");
                    table.ForeignKey(
                        name: "fk_credit_purchase_requests_credit_purchases_purchase_id",
                        column: x => x.purchase_id,
                        principalTable: "credit_purchases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_credit_purchase_requests_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_credit_purchase_requests_purchase_id",
                table: "credit_purchase_requests",
                column: "purchase_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_credit_purchase_requests_school_id_idempotency_key",
                table: "credit_purchase_requests",
                columns: new[] { "school_id", "idempotency_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_credit_purchase_requests_school_id_status",
                table: "credit_purchase_requests",
                columns: new[] { "school_id", "status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "credit_purchase_requests");

            migrationBuilder.DropColumn(
                name: "credit_purchase_approval_limit_pence",
                table: "local_authorities");
        }
    }
}
