import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// Other people's records, as far as ``AccessPolicy`` lets the viewer see them. Every read is audited.
struct PeopleController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("people", access: .staff, use: list)
        routes.get("people", ":id", access: .signedIn, use: record)
    }

    func list(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let sharing = try await req.dataSharing()
        let people = PeopleStore(req.db)
        let scope = AccessPolicy.peopleScope(for: viewer, sharing: sharing)
        let counts = try await people.countsByOrganisationAndRole().map {
            PeoplePages.Count(organisation: $0.organisation.name, role: $0.role, people: $0.people)
        }
        var visible: [PersonWithMemberships]?
        if !(AccessPolicy.seesAggregatesOnly(viewer, sharing: sharing) && scope == .onlySelf) {
            visible = try await people.list(scope, viewer: viewer.id)
            try await req.audit(.peopleListed, subjectType: "people", detail: "\(visible!.count) people")
        }
        let model = PeoplePages.Model(
            people: visible?.map { ($0.person, $0.memberships) }, counts: counts, sharing: sharing)
        return HTMLResponse.make(PeoplePages.list(model, chrome: req.chrome))
    }

    func record(req: Request) async throws -> Response {
        let (viewer, record) = try await Self.readableRecord(req)
        return HTMLResponse.make(
            PeoplePages.record(
                person: record.person, memberships: record.memberships, isSelf: record.person.id == viewer.id,
                chrome: req.chrome))
    }

    /// The record named by the `id` parameter if the viewer may read it (404 if there is none, 403 if it is not
    /// theirs to see), with the read written to the audit log.
    static func readableRecord(_ req: Request) async throws -> (Principal, PersonWithMemberships) {
        let viewer = try req.requirePrincipal()
        guard let id = req.parameters.get("id").flatMap(PersonID.init),
            let record = try await PeopleStore(req.db).record(id)
        else { throw Abort(.notFound, reason: "There is no person with that id.") }
        let sharing = try await req.dataSharing()
        guard AccessPolicy.mayRead(person: id, memberships: record.memberships, viewer: viewer, sharing: sharing) else {
            throw Abort(.forbidden, reason: "You may not see this person's record.")
        }
        try await req.audit(.personRead, subjectType: "person", subjectID: id.description, person: id)
        return (viewer, record)
    }
}
