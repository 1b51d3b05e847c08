import Domain
import Persistence
import Vapor

/// The JSON API under `/api/v1`. `OpenAPIDocument` describes exactly these routes; a test keeps them in step.
struct APIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("schools", use: listSchools)
        routes.get("schools", ":urn", use: school)
        routes.get("organisations", use: organisations)
        routes.get("openapi.json", use: openAPI)
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

    func openAPI(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: OpenAPIDocument.json))
    }
}
