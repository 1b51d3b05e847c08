import FluentKit
import SQLKit

/// People, their memberships, sessions, single-use links, the outbox, API tokens and sign-in failures.
struct CreateIdentity: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("people")
            .id()
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("password_hash", .string)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("last_sign_in_at", .datetime)
            .field("erased_at", .datetime)
            .unique(on: "email")
            .create()
        try await database.schema("memberships")
            .id()
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references("organisations", "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("since", .datetime, .required)
            .unique(on: "person_id", "organisation_id", "role")
            .create()
        try await database.sql.raw("CREATE INDEX memberships_organisation ON memberships (organisation_id)").run()
        try await database.schema("sessions")
            .id()
            .field("token_hash", .string, .required)
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("address", .string)
            .field("user_agent", .string)
            .unique(on: "token_hash")
            .create()
        try await database.schema("one_time_links")
            .id()
            .field("token_hash", .string, .required)
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema("outbox")
            .id()
            .field("person_id", .uuid, .references("people", "id", onDelete: .setNull))
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .create()
        try await database.schema("api_tokens")
            .id()
            .field("person_id", .uuid, .required, .references("people", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("scope", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("last_used_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema("sign_in_failures")
            .field("key", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("last_failure_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in [
            "sign_in_failures", "api_tokens", "outbox", "one_time_links", "sessions", "memberships", "people",
        ] {
            try await database.schema(table).delete()
        }
    }
}

/// The append-only audit log. Triggers refuse UPDATE and DELETE on both databases, so not even a bug in
/// Chalkface can rewrite history.
struct CreateAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_events")
            .field("id", .int64, .identifier(auto: true))
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("action", .string, .required)
            .field("subject_type", .string, .required)
            .field("subject_id", .string)
            .field("subject_person_id", .uuid)
            .field("detail", .string, .required)
            .field("address", .string)
            .field("channel", .string, .required)
            .create()
        let sql = try database.sql
        try await sql.raw("CREATE INDEX audit_events_at ON audit_events (at)").run()
        try await sql.raw("CREATE INDEX audit_events_subject_person ON audit_events (subject_person_id)").run()
        try await sql.raw("CREATE INDEX audit_events_actor ON audit_events (actor_id)").run()
        if sql.dialect.name == "sqlite" {
            for verb in ["UPDATE", "DELETE"] {
                try await sql.raw(
                    """
                    CREATE TRIGGER audit_events_no_\(unsafeRaw: verb.lowercased()) BEFORE \(unsafeRaw: verb) ON audit_events
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
                    """
                ).run()
            }
        } else {
            try await sql.raw(
                """
                CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
                FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_events").delete()
        if try database.sql.dialect.name != "sqlite" {
            try await database.sql.raw("DROP FUNCTION IF EXISTS audit_events_append_only()").run()
        }
    }
}

/// What the partners agree coordinators may see of individuals; aggregates only until they decide otherwise.
struct AddPartnershipDataSharing: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("partnerships")
            .field("data_sharing", .string, .required, .sql(.default("aggregates-only")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("partnerships").deleteField("data_sharing").update()
    }
}
