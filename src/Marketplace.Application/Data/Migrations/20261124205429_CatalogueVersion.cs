using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Marketplace.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class CatalogueVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The catalogue's version: search results are cached under it (see SearchOffers), so it must
            // move whenever what buyers see can change. Statement-level triggers keep that in the database,
            // whoever writes. Versions come from a sequence, so they never repeat, even after a TRUNCATE.
            migrationBuilder.Sql("""
                CREATE SEQUENCE catalogue_version_seq;
                CREATE TABLE catalogue_versions (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);
                CREATE FUNCTION bump_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO catalogue_versions (id, version) VALUES (1, nextval('catalogue_version_seq'))
                    ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER offers_catalogue_version AFTER INSERT OR DELETE OR UPDATE OF status, published_version_id ON offers
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_version();
                CREATE TRIGGER offers_catalogue_version_truncate AFTER TRUNCATE ON offers
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_version();
                CREATE TRIGGER providers_catalogue_version AFTER INSERT OR DELETE OR UPDATE OF name, kind, local_authority_id ON providers
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_version();
                CREATE TRIGGER local_authorities_catalogue_version AFTER UPDATE OF name, code ON local_authorities
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_version();
                """);


        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER local_authorities_catalogue_version ON local_authorities;
                DROP TRIGGER providers_catalogue_version ON providers;
                DROP TRIGGER offers_catalogue_version_truncate ON offers;
                DROP TRIGGER offers_catalogue_version ON offers;
                DROP FUNCTION bump_catalogue_version();
                DROP TABLE catalogue_versions;
                DROP SEQUENCE catalogue_version_seq;
                """);


        }
    }
}
