import FluentKit
import SQLKit

/// Every migration, in the order they run. Migrations are frozen: a change to the schema is a new one at the end.
public enum Migrations {
    public static let all: [any AsyncMigration] = [
        CreateSchools(),
        CreateOrganisations(),
        CreatePartnerships(),
        CreatePostcodes(),
        CreateIndicatorValues(),
        CreateDataVersions(),
        CreateIdentity(),
        CreateAuditLog(),
        AddPartnershipDataSharing(),
        CreatePlacementOffers(),
        CreateTrainees(),
        CreateAllocationRuns(),
        CreateAllocationConstraints(),
        AddAllocationRunNumber(),
        AddPublicDataVersions(),
        AddAllocationPublishedBy(),
        AddTraineeWithdrawal(),
        CreatePlacementResponses(),
        CreateTeacherRegister(),
        AddTeacherDataVersion(),
        CreateTeacherLinks(),
        CreateCPDCatalogue(),
        CreateEvidence(),
        CreatePost16Reviews(),
        CreateSchoolExperience(),
        CreateRecruitmentEvents(),
        CreateApplicationChoices(),
        CreateSurveys(),
        CreateAdviceCases(),
        CreateRecruitedTrainees(),
        CreatePeerGroups(),
        CreateECTDevelopment(),
        CreatePeerGroupMeetings(),
        CreateInductions(),
        CreateCareerPlanning(),
        CreateDeployments(),
        CreateRecordedQualifications(),
        CreateInternships(),
        CreateVacancies(),
        CreateReturners(),
    ]
}

/// Counters for the other data public pages show, so a cache of those pages knows when it is out of date.
struct AddPublicDataVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for name in ["organisations", "indicators"] {
            try await database.sql.insert(into: "data_versions").columns("name", "version").values(
                SQLBind(name), SQLBind(0)
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.sql.delete(from: "data_versions").where("name", .in, ["organisations", "indicators"]).run()
    }
}

struct CreateSchools: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("schools")
            .field("urn", .int, .identifier(auto: false))
            .field("name", .string, .required)
            .field("name_search", .string, .required)
            .field("status", .string, .required)
            .field("phase", .string, .required)
            .field("phase_source", .string, .required)
            .field("establishment_type", .string)
            .field("statutory_low_age", .int)
            .field("statutory_high_age", .int)
            .field("number_of_pupils", .int)
            .field("open_date", .string)
            .field("close_date", .string)
            .field("town", .string)
            .field("postcode", .string)
            .field("postcode_compact", .string)
            .field("easting", .double)
            .field("northing", .double)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("la_code", .string)
            .field("la_code_dfe", .string)
            .field("la_name", .string)
            .field("lad_code", .string)
            .field("lad_name", .string)
            .field("region_code", .string)
            .field("region_name", .string)
            .field("trust_code", .string)
            .field("trust_name", .string)
            .field("itt_lead_school", .bool, .required)
            .field("npq_pp50", .bool)
            .field("npq_rise", .bool)
            .field("npq_high_pupil_premium_2021_22", .bool)
            .create()
        let sql = try database.sql
        for (name, columns) in [
            ("schools_name_search", "name_search, urn"), ("schools_la_code", "la_code"),
            ("schools_la_code_dfe", "la_code_dfe"), ("schools_lad_code", "lad_code"),
            ("schools_postcode_compact", "postcode_compact"), ("schools_easting", "easting"),
        ] {
            try await sql.raw("CREATE INDEX \(unsafeRaw: name) ON schools (\(unsafeRaw: columns))").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("schools").delete()
    }
}

struct CreateOrganisations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("organisations")
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("urn", .int)
            .field("la_code", .string)
            .field("ukprn", .string)
            .field("website", .string)
            .create()
        // Schools that belong to a trust (or are grouped under another organisation).
        try await database.schema("organisation_schools")
            .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
            .field("urn", .int, .required)
            .compositeIdentifier(over: "organisation_id", "urn")
            .create()
        try await database.sql.raw("CREATE INDEX organisation_schools_urn ON organisation_schools (urn)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("organisation_schools").delete()
        try await database.schema("organisations").delete()
    }
}

struct CreatePartnerships: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("partnerships")
            .id()
            .field("name", .string, .required)
            .field("summary", .string, .required)
            // GSS codes of the local authorities covered, comma-separated.
            .field("la_codes", .string, .required)
            .create()
        try await database.schema("partnership_members")
            .field("partnership_id", .uuid, .required, .references("partnerships", "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
            .field("joined_on", .string)
            .compositeIdentifier(over: "partnership_id", "organisation_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("partnership_members").delete()
        try await database.schema("partnerships").delete()
    }
}

struct CreatePostcodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("postcodes")
            .field("postcode", .string, .identifier(auto: false))
            .field("easting", .int, .required)
            .field("northing", .int, .required)
            .field("lad_code", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("postcodes").delete()
    }
}

struct CreateIndicatorValues: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("indicator_values")
            .field("name", .string, .required)
            // Empty when the indicator has no subjects, so that the key has no NULL in it.
            .field("subject", .string, .required)
            .field("urn", .int, .required)
            .field("value", .double, .required)
            .compositeIdentifier(over: "name", "subject", "urn")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("indicator_values").delete()
    }
}

struct CreateDataVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("data_versions")
            .field("name", .string, .identifier(auto: false))
            .field("version", .int, .required)
            .create()
        try await database.sql.insert(into: "data_versions").columns("name", "version").values(
            SQLBind("schools"), SQLBind(0)
        )
        .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("data_versions").delete()
    }
}
