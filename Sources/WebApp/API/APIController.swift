import Domain
import Fluent
import Persistence
import Vapor

/// The JSON API under `/api/v1`. `OpenAPIDocument` describes exactly these routes; a test keeps them in step.
struct APIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("schools", access: .everyone, use: listSchools)
        routes.get("schools", ":urn", access: .everyone, use: school)
        routes.get("organisations", access: .everyone, use: organisations)
        routes.get("openapi.json", access: .everyone, use: openAPI)
        routes.get("me", access: .signedIn, use: me)
        routes.get("me", "export", access: .signedIn, use: myData)
        routes.get("people", access: .staff, use: people)
        routes.get("people", ":id", access: .signedIn, use: person)
    }

    func listSchools(req: Request) async throws -> PageDTO<SchoolDTO> {
        let query = try SchoolQuery.from(req)
        return PageDTO(try await SchoolStore(req.db).list(query), map: SchoolDTO.init)
    }

    func school(req: Request) async throws -> Response {
        let urn = try req.urnParameter()
        let cache = req.application.schoolResponseCache
        var headers = HTTPHeaders()
        headers.contentType = .json
        if let body = cache.body(for: urn.value) {
            return Response(status: .ok, headers: headers, body: .init(buffer: body))
        }
        let version = cache.version
        guard let school = try await SchoolStore(req.db).find(urn) else {
            throw Abort(.notFound, reason: "There is no school with URN \(urn.value).")
        }
        let response = Response(status: .ok, headers: headers)
        try response.content.encode(SchoolDTO(school), as: .json)
        if let body = response.body.buffer { cache.store(body, for: urn.value, readAt: version) }
        return response
    }

    func organisations(req: Request) async throws -> OrganisationListDTO {
        var kind: OrganisationKind?
        if let text = req.query[String.self, at: "kind"], !text.isEmpty {
            guard let k = OrganisationKind(rawValue: text) else {
                throw ValidationError([
                    .init(
                        field: "kind",
                        message:
                            "must be one of \(OrganisationKind.allCases.map(\.rawValue).joined(separator: ", ")); got '\(text)'"
                    )
                ])
            }
            kind = k
        }
        let store = OrganisationStore(req.db)
        let list = try await store.list(kind: kind)
        let counts = try await store.schoolCounts()
        var membership: [OrganisationID: [PartnershipID]] = [:]
        for p in try await store.partnerships() {
            for m in try await store.members(of: p.id) { membership[m.organisation.id, default: []].append(p.id) }
        }
        let items = list.map {
            OrganisationDTO($0, schoolCount: counts[$0.id] ?? 0, partnerships: membership[$0.id] ?? [])
        }
        return OrganisationListDTO(items: items, total: items.count)
    }

    /// The caller and their memberships.
    func me(req: Request) async throws -> PersonDTO {
        let principal = try req.requirePrincipal()
        try await req.audit(
            .personRead, subjectType: "person", subjectID: principal.id.description, person: principal.id)
        return PersonDTO(principal.person, principal.memberships)
    }

    func myData(req: Request) async throws -> Response {
        try await AccountController.exportResponse(try req.requirePrincipal().id, req)
    }

    /// People the caller may see individually. Coordinators of a partnership that shares aggregates only get an
    /// empty list and the counts.
    func people(req: Request) async throws -> PeopleDTO {
        let viewer = try req.requirePrincipal()
        let sharing = try await req.dataSharing()
        let store = PeopleStore(req.db)
        let scope = AccessPolicy.peopleScope(for: viewer, sharing: sharing)
        let counts = try await store.countsByOrganisationAndRole().map {
            PeopleDTO.Count(
                organisationId: $0.organisation.id, organisationName: $0.organisation.name, role: $0.role.rawValue,
                people: $0.people)
        }
        if AccessPolicy.seesAggregatesOnly(viewer, sharing: sharing) && scope == .onlySelf {
            return PeopleDTO(items: [], total: 0, aggregatesOnly: true, counts: counts)
        }
        let visible = try await store.list(scope, viewer: viewer.id)
        try await req.audit(.peopleListed, subjectType: "people", detail: "\(visible.count) people")
        return PeopleDTO(
            items: visible.map { PersonDTO($0.person, $0.memberships) }, total: visible.count, aggregatesOnly: false,
            counts: counts)
    }

    func person(req: Request) async throws -> PersonDTO {
        let (_, record) = try await PeopleController.readableRecord(req)
        return PersonDTO(record.person, record.memberships)
    }

    func openAPI(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: OpenAPIDocument.json))
    }
}
