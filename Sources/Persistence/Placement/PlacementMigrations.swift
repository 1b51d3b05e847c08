import FluentKit
import SQLKit

/// Schools' placement offers for an academic year: places per subject, terms, and the mentors put forward.
struct CreatePlacementOffers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("placement_offers")
            .id()
            .field("urn", .int, .required)
            .field("year", .int, .required)
            .field("appetite", .string, .required)
            .field("reason", .string, .required)
            .field("terms", .string, .required)
            .field("send_places", .int, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .uuid)
            .unique(on: "urn", "year")
            .create()
        try await database.schema("offer_places")
            .field("offer_id", .uuid, .required, .references("placement_offers", "id", onDelete: .cascade))
            .field("subject", .int, .required)
            .field("places", .int, .required)
            .compositeIdentifier(over: "offer_id", "subject")
            .create()
        try await database.schema("offer_mentors")
            .id()
            .field("offer_id", .uuid, .required, .references("placement_offers", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("name", .string, .required)
            .field("subject", .int, .required)
            .field("trained_on", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("offer_mentors").delete()
        try await database.schema("offer_places").delete()
        try await database.schema("placement_offers").delete()
    }
}

/// Providers' trainees for an academic year, with home positions for the allocation.
struct CreateTrainees: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("trainees")
            .id()
            .field("provider_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("name", .string, .required)
            .field("subject", .int, .required)
            .field("phase", .string, .required)
            .field("route", .string, .required)
            .field("placement", .int, .required)
            .field("first_placement_urn", .int)
            .field("home_postcode", .string, .required)
            .field("easting", .double, .required)
            .field("northing", .double, .required)
            .field("max_travel_km", .int, .required)
            .field("no_car", .bool, .required)
            .field("send_interest", .bool, .required)
            .field("preferences", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.raw("CREATE INDEX trainees_provider_year ON trainees (provider_id, year)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("trainees").delete()
    }
}

/// Allocation runs, kept with their inputs so a published allocation can be reproduced exactly.
struct CreateAllocationRuns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("allocation_runs")
            .id()
            .field("year", .int, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .uuid)
            .field("published_at", .datetime)
            .field("inputs", .string, .required)
            .field("plan", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("allocation_runs").delete()
    }
}

/// The coordinator's pins (a trainee must go to a school) and forbidden pairs, per year.
struct CreateAllocationConstraints: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("allocation_constraints")
            .id()
            .field("year", .int, .required)
            .field("trainee_id", .uuid, .required, .references("trainees", "id", onDelete: .cascade))
            .field("urn", .int, .required)
            .field("kind", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .uuid)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("allocation_constraints").delete()
    }
}

/// Runs are numbered within their year, so the latest is never in doubt when two fall in the same second.
struct AddAllocationRunNumber: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("allocation_runs").field("number", .int, .required, .sql(.default(0))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("allocation_runs").deleteField("number").update()
    }
}

/// Who published a run, so the allocation page can name them at all times.
struct AddAllocationPublishedBy: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("allocation_runs").field("published_by", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("allocation_runs").deleteField("published_by").update()
    }
}

/// Providers withdraw trainees (who leave future runs and stay in stored ones) and correct their details.
struct AddTraineeWithdrawal: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("trainees").field("withdrawn_at", .datetime).update()
        try await database.schema("trainees").field("updated_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("trainees").deleteField("withdrawn_at").update()
        try await database.schema("trainees").deleteField("updated_at").update()
    }
}

/// Schools confirm each trainee allocated to them, or raise a problem, per published run.
struct CreatePlacementResponses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("placement_responses")
            .id()
            .field("year", .int, .required)
            .field("run_id", .uuid, .required)
            .field("trainee_id", .uuid, .required)
            .field("urn", .int, .required)
            .field("status", .string, .required)
            .field("note", .string, .required)
            .field("by", .uuid)
            .field("at", .datetime, .required)
            .unique(on: "run_id", "trainee_id", "urn")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("placement_responses").delete()
    }
}
