using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class SubscriptionsAndConcern : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "concern_fund_name",
                table: "local_authorities",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true,
                defaultValue: "Schools Causing Concern Fund");

            migrationBuilder.AddColumn<string>(
                name: "concern_payer",
                table: "local_authorities",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "Fund");

            migrationBuilder.AddColumn<int>(
                name: "concern_school_share_basis_points",
                table: "local_authorities",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "period_basis_override",
                table: "local_authorities",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "renewal_window_days",
                table: "local_authorities",
                type: "integer",
                nullable: false,
                defaultValue: 60);

            migrationBuilder.AddColumn<bool>(
                name: "can_commit_spend",
                table: "AspNetUsers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    actor_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    local_authority_id = table.Column<Guid>(type: "uuid", nullable: true),
                    school_id = table.Column<Guid>(type: "uuid", nullable: true),
                    action = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    detail = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ofsted_inspections",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    inspection_date = table.Column<DateOnly>(type: "date", nullable: false),
                    grade = table.Column<int>(type: "integer", nullable: false),
                    source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    recorded_by_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ofsted_inspections", x => x.id);
                    table.CheckConstraint("ck_ofsted_inspections_grade", "grade BETWEEN 1 AND 4");
                    table.ForeignKey(
                        name: "fk_ofsted_inspections_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    dedupe_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    to_address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    to_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "risk_flags",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    reasons = table.Column<string[]>(type: "text[]", nullable: false),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    raised_by_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    raised_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cleared_by_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    cleared_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    clear_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_risk_flags", x => x.id);
                    table.ForeignKey(
                        name: "fk_risk_flags_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "tier_packages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    local_authority_id = table.Column<Guid>(type: "uuid", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    tier = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    annual_fee_pence = table.Column<long>(type: "bigint", nullable: false),
                    per_pupil_pence = table.Column<long>(type: "bigint", nullable: false),
                    credits_included = table.Column<int>(type: "integer", nullable: false),
                    discount_basis_points = table.Column<int>(type: "integer", nullable: false),
                    adviser_sessions = table.Column<int>(type: "integer", nullable: false),
                    named_link_adviser = table.Column<bool>(type: "boolean", nullable: false),
                    system_leader_access = table.Column<bool>(type: "boolean", nullable: false),
                    priority_booking = table.Column<bool>(type: "boolean", nullable: false),
                    notice_days = table.Column<int>(type: "integer", nullable: false),
                    max_term_years = table.Column<int>(type: "integer", nullable: false),
                    purchased_credit_validity_months = table.Column<int>(type: "integer", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tier_packages", x => x.id);
                    table.CheckConstraint("ck_tier_packages_discount", "discount_basis_points BETWEEN 0 AND 10000");
                    table.CheckConstraint("ck_tier_packages_money", "annual_fee_pence >= 0 AND per_pupil_pence >= 0 AND credits_included >= 0");
                    table.CheckConstraint("ck_tier_packages_term", "max_term_years BETWEEN 1 AND 3");
                    table.CheckConstraint("ck_tier_packages_validity", "purchased_credit_validity_months >= 12");
                    table.ForeignKey(
                        name: "fk_tier_packages_local_authorities_local_authority_id",
                        column: x => x.local_authority_id,
                        principalTable: "local_authorities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "subscriptions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    local_authority_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tier = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    package_id = table.Column<Guid>(type: "uuid", nullable: false),
                    basis = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    period_start = table.Column<DateOnly>(type: "date", nullable: false),
                    period_end = table.Column<DateOnly>(type: "date", nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    origin = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    previous_subscription_id = table.Column<Guid>(type: "uuid", nullable: true),
                    term_ends_on = table.Column<DateOnly>(type: "date", nullable: false),
                    fee_pence = table.Column<long>(type: "bigint", nullable: false),
                    credits_included = table.Column<int>(type: "integer", nullable: false),
                    notice_days = table.Column<int>(type: "integer", nullable: false),
                    payer = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    fund_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    school_share_basis_points = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    next_period_tier = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_subscriptions", x => x.id);
                    table.CheckConstraint("ck_subscriptions_fee", "fee_pence >= 0 AND credits_included >= 0");
                    table.CheckConstraint("ck_subscriptions_period", "period_start <= starts_on AND starts_on <= period_end AND period_end <= term_ends_on");
                    table.CheckConstraint("ck_subscriptions_share", "school_share_basis_points BETWEEN 0 AND 10000");
                    table.ForeignKey(
                        name: "fk_subscriptions_local_authorities_local_authority_id",
                        column: x => x.local_authority_id,
                        principalTable: "local_authorities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_subscriptions_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_subscriptions_tier_packages_package_id",
                        column: x => x.package_id,
                        principalTable: "tier_packages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "concern_enrolments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    local_authority_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subscription_id = table.Column<Guid>(type: "uuid", nullable: true),
                    previous_tier = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    trigger = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    payer = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    fund_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    school_share_basis_points = table.Column<int>(type: "integer", nullable: false),
                    fee_pence = table.Column<long>(type: "bigint", nullable: false),
                    credits_granted = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    exited_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    override_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    overridden_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_concern_enrolments", x => x.id);
                    table.ForeignKey(
                        name: "fk_concern_enrolments_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_concern_enrolments_subscriptions_subscription_id",
                        column: x => x.subscription_id,
                        principalTable: "subscriptions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "renewal_proposals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    subscription_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    local_authority_id = table.Column<Guid>(type: "uuid", nullable: false),
                    next_period_start = table.Column<DateOnly>(type: "date", nullable: false),
                    next_period_end = table.Column<DateOnly>(type: "date", nullable: false),
                    proposed_tier = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    proposed_fee_pence = table.Column<long>(type: "bigint", nullable: false),
                    proposed_credits = table.Column<int>(type: "integer", nullable: false),
                    credits_used_this_period = table.Column<int>(type: "integer", nullable: false),
                    allowance_this_period = table.Column<int>(type: "integer", nullable: false),
                    rationale = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    chosen_tier = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    decided_by_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decline_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_renewal_proposals", x => x.id);
                    table.ForeignKey(
                        name: "fk_renewal_proposals_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_renewal_proposals_subscriptions_subscription_id",
                        column: x => x.subscription_id,
                        principalTable: "subscriptions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "subscription_changes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    subscription_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    from_tier = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    to_tier = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    effective_on = table.Column<DateOnly>(type: "date", nullable: false),
                    fee_pence = table.Column<long>(type: "bigint", nullable: false),
                    credits = table.Column<int>(type: "integer", nullable: false),
                    school_share_pence = table.Column<long>(type: "bigint", nullable: false),
                    fund_share_pence = table.Column<long>(type: "bigint", nullable: false),
                    fund_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    by_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_subscription_changes", x => x.id);
                    table.CheckConstraint("ck_subscription_changes_split", "fee_pence >= 0 AND school_share_pence >= 0 AND fund_share_pence >= 0 AND school_share_pence + fund_share_pence = fee_pence");
                    table.ForeignKey(
                        name: "fk_subscription_changes_subscriptions_subscription_id",
                        column: x => x.subscription_id,
                        principalTable: "subscriptions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_local_authority_id_at",
                table: "audit_events",
                columns: new[] { "local_authority_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_school_id_at",
                table: "audit_events",
                columns: new[] { "school_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_concern_enrolments_local_authority_id_status",
                table: "concern_enrolments",
                columns: new[] { "local_authority_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_concern_enrolments_school_id",
                table: "concern_enrolments",
                column: "school_id",
                unique: true,
                filter: "status IN ('Active', 'Exiting', 'Overridden')");

            migrationBuilder.CreateIndex(
                name: "ix_concern_enrolments_subscription_id",
                table: "concern_enrolments",
                column: "subscription_id");

            migrationBuilder.CreateIndex(
                name: "ix_ofsted_inspections_school_id_inspection_date",
                table: "ofsted_inspections",
                columns: new[] { "school_id", "inspection_date" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_created_at",
                table: "outbox_messages",
                column: "created_at",
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_dedupe_key",
                table: "outbox_messages",
                column: "dedupe_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_renewal_proposals_local_authority_id_status",
                table: "renewal_proposals",
                columns: new[] { "local_authority_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_renewal_proposals_school_id",
                table: "renewal_proposals",
                column: "school_id");

            migrationBuilder.CreateIndex(
                name: "ix_renewal_proposals_subscription_id",
                table: "renewal_proposals",
                column: "subscription_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_risk_flags_school_id",
                table: "risk_flags",
                column: "school_id",
                unique: true,
                filter: "cleared_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_subscription_changes_subscription_id_at",
                table: "subscription_changes",
                columns: new[] { "subscription_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_subscriptions_local_authority_id_status",
                table: "subscriptions",
                columns: new[] { "local_authority_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_subscriptions_package_id",
                table: "subscriptions",
                column: "package_id");

            migrationBuilder.CreateIndex(
                name: "ix_subscriptions_school_id_period_start",
                table: "subscriptions",
                columns: new[] { "school_id", "period_start" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tier_packages_local_authority_id_year_tier",
                table: "tier_packages",
                columns: new[] { "local_authority_id", "year", "tier" },
                unique: true);

            migrationBuilder.Sql("""
                CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = 'insufficient_privilege';
                END $$;
                CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
                    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
                CREATE TRIGGER subscription_changes_append_only BEFORE UPDATE OR DELETE ON subscription_changes
                    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
                """);
        }


        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER subscription_changes_append_only ON subscription_changes;
                DROP TRIGGER audit_events_append_only ON audit_events;
                DROP FUNCTION audit_events_append_only();
                """);

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "concern_enrolments");

            migrationBuilder.DropTable(
                name: "ofsted_inspections");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "renewal_proposals");

            migrationBuilder.DropTable(
                name: "risk_flags");

            migrationBuilder.DropTable(
                name: "subscription_changes");

            migrationBuilder.DropTable(
                name: "subscriptions");

            migrationBuilder.DropTable(
                name: "tier_packages");

            migrationBuilder.DropColumn(
                name: "concern_fund_name",
                table: "local_authorities");

            migrationBuilder.DropColumn(
                name: "concern_payer",
                table: "local_authorities");

            migrationBuilder.DropColumn(
                name: "concern_school_share_basis_points",
                table: "local_authorities");

            migrationBuilder.DropColumn(
                name: "period_basis_override",
                table: "local_authorities");

            migrationBuilder.DropColumn(
                name: "renewal_window_days",
                table: "local_authorities");

            migrationBuilder.DropColumn(
                name: "can_commit_spend",
                table: "AspNetUsers");
        }
    }
}
