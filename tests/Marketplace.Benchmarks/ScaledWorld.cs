using Npgsql;

namespace Marketplace.Benchmarks;

/// <summary>
/// The demo world scaled up for load: 25,000 schools in 12 LAs, 400 providers and 20,000 published
/// offers with varied subjects, phases, categories, tier prices and wording, written with set-based
/// SQL (generate_series) so seeding takes seconds. setseed makes it the same every run.
/// </summary>
internal static class ScaledWorld
{
    public const int Schools = 25_000;
    public const int Offers = 20_000;

    public static async Task SeedAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        const string sql = """
            BEGIN;
            SELECT setseed(0.816);
            INSERT INTO local_authorities (id, code, name, trading_name, credit_price_pence)
            SELECT gen_random_uuid(), 800 + g, 'Authority ' || g, 'Authority ' || g || ' Traded Services', 4500 + g * 50
            FROM generate_series(1, 12) g;

            INSERT INTO schools (id, urn, name, local_authority_id, phase, type, cluster, pupils_on_roll, ofsted_grade, ofsted_inspection_date)
            SELECT gen_random_uuid(), 100000 + g * 7,
                   (ARRAY['Oak','Ash','Beech','Elm','Holly','Rowan','Willow','Hazel'])[1 + g % 8] || ' ' ||
                   (ARRAY['Lane','Park','Hill','Green','Vale','Field'])[1 + g % 6] || ' ' ||
                   (CASE WHEN g % 6 = 0 THEN 'Academy' ELSE 'Primary School' END) || ' ' || g,
                   (SELECT id FROM local_authorities ORDER BY code OFFSET g % 12 LIMIT 1),
                   (ARRAY[2, 2, 2, 4, 16])[1 + g % 5], CASE WHEN g % 3 = 0 THEN 'Academy' ELSE 'Maintained' END,
                   'Cluster ' || (g % 20), 80 + (g * 37) % 1200, 1 + (g % 4), DATE '2024-01-01' + (g % 700)
            FROM generate_series(1, 25000) g;

            INSERT INTO providers (id, name, kind, local_authority_id, description, school_id)
            SELECT gen_random_uuid(),
                   (ARRAY['Northern','Riverside','Summit','Bridge','Compass','Beacon','Harbour','Meadow'])[1 + g % 8] || ' ' ||
                   (ARRAY['Education Partners','Learning Trust','Consultancy','Teaching School Alliance','School Improvement Service'])[1 + g % 5] || ' ' || g,
                   (ARRAY['LaTradedService','SchoolToSchool','ExternalConsultant'])[1 + g % 3],
                   (SELECT id FROM local_authorities ORDER BY code OFFSET g % 12 LIMIT 1),
                   'Provider ' || g || ' supports schools across the region.', NULL
            FROM generate_series(1, 400) g;

            CREATE TEMP TABLE bench_offers AS
            SELECT gen_random_uuid() AS offer_id, gen_random_uuid() AS version_id,
                   (SELECT id FROM providers ORDER BY name OFFSET g % 400 LIMIT 1) AS provider_id, g
            FROM generate_series(1, 20000) g;

            -- offers -> offer_versions keys are checked at commit, so offers go first.
            INSERT INTO offers (id, provider_id, status, current_version_id, published_version_id, rejection_reason, created_at, updated_at)
            SELECT offer_id, provider_id, 'Published', version_id, version_id, NULL, now(), now() FROM bench_offers;

            INSERT INTO offer_versions (id, offer_id, number, title, description, category, subject, phases, unit, price_pence,
                price_credits, bronze_credits, silver_credits, gold_credits, service_standards, created_at, submitted_at, approved_at, approved_by_user_id)
            SELECT version_id, offer_id, 1,
                   initcap((ARRAY['mathematics','English','science','reading','writing','phonics','assessment','leadership','governance','SEND'])[1 + g % 10]) || ' ' ||
                   (ARRAY['consultant day','half-day review','network','course','coaching','deep dive','audit','briefing'])[1 + (g / 10) % 8] || ' ' || g,
                   'A ' || (ARRAY['consultant','specialist leader','national leader','adviser'])[1 + g % 4] || ' works with your ' ||
                   (ARRAY['subject leader','senior team','governors','teachers','teaching assistants'])[1 + g % 5] || ' on ' ||
                   (ARRAY['curriculum sequencing','lesson visits and feedback','assessment and moderation','inspection readiness','pupil premium strategy','reading fluency'])[1 + g % 6] ||
                   ', with a written report and next steps for the school improvement plan.',
                   (ARRAY['SubjectConsultancy','Leadership','Governance','CpdCourse','Review','OfstedPreparation','SystemLeaderDeployment'])[1 + g % 7],
                   (ARRAY['English','Mathematics','Science','EarlyYears','Send','Computing','Humanities','Arts','ModernLanguages','PhysicalEducation','Leadership','Governance','PupilPremium','Assessment','Safeguarding'])[1 + g % 15],
                   (ARRAY[2, 4, 6, 2, 18, 3])[1 + g % 6],
                   (ARRAY['Day','HalfDay','Session','CoursePlace','TermDeployment'])[1 + g % 5],
                   10000 + (g % 50) * 2500, 2 + g % 40,
                   CASE WHEN g % 4 = 0 THEN NULL ELSE 2 + g % 40 END, 1 + g % 40, 1 + g % 38,
                   'Report within 10 working days.', now(), now(), now() - (g % 300) * interval '1 day', NULL
            FROM bench_offers;


            COMMIT;
            ANALYZE;
            """;
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 600 };
        await cmd.ExecuteNonQueryAsync();
    }
}
