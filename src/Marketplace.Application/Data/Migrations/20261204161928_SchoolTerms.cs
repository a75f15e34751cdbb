using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class SchoolTerms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "delivered_in_school_holidays",
                table: "offer_versions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "inset_days",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    local_authority_id = table.Column<Guid>(type: "uuid", nullable: false),
                    academic_year = table.Column<int>(type: "integer", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inset_days", x => x.id);
                    table.CheckConstraint("ck_inset_days_year", "date BETWEEN make_date(academic_year, 9, 1) AND make_date(academic_year + 1, 8, 31)");
                    table.ForeignKey(
                        name: "fk_inset_days_local_authorities_local_authority_id",
                        column: x => x.local_authority_id,
                        principalTable: "local_authorities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "school_terms",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    local_authority_id = table.Column<Guid>(type: "uuid", nullable: false),
                    academic_year = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_school_terms", x => x.id);
                    table.CheckConstraint("ck_school_terms_order", "ends_on >= starts_on");
                    table.CheckConstraint("ck_school_terms_year", "starts_on >= make_date(academic_year, 9, 1) AND ends_on <= make_date(academic_year + 1, 8, 31)");
                    table.ForeignKey(
                        name: "fk_school_terms_local_authorities_local_authority_id",
                        column: x => x.local_authority_id,
                        principalTable: "local_authorities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_inset_days_local_authority_id_date",
                table: "inset_days",
                columns: new[] { "local_authority_id", "date" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_school_terms_local_authority_id_academic_year_starts_on",
                table: "school_terms",
                columns: new[] { "local_authority_id", "academic_year", "starts_on" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "inset_days");

            migrationBuilder.DropTable(
                name: "school_terms");

            migrationBuilder.DropColumn(
                name: "delivered_in_school_holidays",
                table: "offer_versions");
        }
    }
}
