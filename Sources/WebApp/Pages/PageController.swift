import Domain
import Pages
import Persistence
import Vapor

/// The HTML pages. Public and read-only.
struct PageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(access: .everyone, use: home)
        routes.get("schools", access: .everyone, use: schools)
        routes.get("schools", ":urn", access: .everyone, use: school)
        routes.get("partnership", access: .everyone, use: partnership)
    }

    func home(req: Request) async throws -> Response {
        let schools = SchoolStore(req.db)
        let organisations = OrganisationStore(req.db)
        let partnership = try await organisations.mainPartnership()
        let covered = Set(partnership?.localAuthorityCodes ?? [])
        let authorities = try await schools.localAuthorities().filter {
            covered.isEmpty || covered.contains($0.authority.code)
        }
        let regional = try await schools.open(inLocalAuthorities: authorities.map(\.authority.code))
        var members: [PartnershipMember] = []
        if let partnership { members = try await organisations.members(of: partnership.id) }
        let byKind = OrganisationKind.allCases.compactMap { k -> (kind: OrganisationKind, count: Int)? in
            let n = members.filter { $0.organisation.kind == k }.count
            return n == 0 ? nil : (k, n)
        }
        let centroids = (try? BundledData.authorityCentroids()) ?? [:]
        let model = HomePage.Model(
            partnership: partnership, openSchools: regional.count,
            leadSchools: regional.filter(\.isITTLeadSchool).count,
            authorities: authorities, membersByKind: byKind,
            maps: Self.regionMaps(regional, authorities: authorities.map(\.authority), centroids: centroids))
        return HTMLResponse.make(HomePage.html(model, chrome: req.chrome))
    }

    static func regionMaps(_ schools: [School], authorities: [LocalAuthority], centroids: [String: GridPoint])
        -> [HomePage.RegionMap]
    {
        let byRegion = Dictionary(grouping: schools) { $0.region?.name ?? "Other" }
        return byRegion.keys.sorted().map { region in
            let inRegion = byRegion[region] ?? []
            let codes = Set(inRegion.compactMap(\.localAuthority?.code))
            return HomePage.RegionMap(
                region: region,
                points: inRegion.compactMap { s in
                    s.location.map {
                        SVGMap.Point(at: $0, marker: s.isITTLeadSchool ? .leadSchool : .school, title: s.name)
                    }
                },
                labels: authorities.filter { codes.contains($0.code) }.compactMap { a in
                    centroids[a.code].map { SVGMap.Label(at: $0, text: a.name) }
                })
        }
    }

    func schools(req: Request) async throws -> Response {
        let store = SchoolStore(req.db)
        let authorities = try await store.localAuthorities().map(\.authority)
        var query: SchoolQuery
        var errors: [ValidationError.Problem] = []
        do {
            query = try SchoolQuery.from(req)
        } catch {
            // Show the page with the problems named, rather than a bare error.
            errors = error.problems
            query = SchoolQuery()
        }
        let results = try await store.list(query)
        let districts = try await store.districts(localAuthority: query.localAuthority)
        let page = SchoolsPage.html(
            .init(query: query, results: results, authorities: authorities, districts: districts, errors: errors),
            chrome: req.chrome)
        return HTMLResponse.make(page, status: errors.isEmpty ? .ok : .badRequest)
    }

    func school(req: Request) async throws -> Response {
        let urn = try req.urnParameter()
        guard let school = try await SchoolStore(req.db).find(urn) else {
            throw Abort(.notFound, reason: "There is no school with URN \(urn.value).")
        }
        let radius = 5_000.0
        var nearby: [School] = []
        if let here = school.location { nearby = try await SchoolStore(req.db).near(here, radius: radius) }
        let organisations = try await OrganisationStore(req.db).organisations(ofSchool: urn)
        return HTMLResponse.make(
            SchoolPage.html(
                .init(school: school, organisations: organisations, nearby: nearby, mapRadius: radius),
                chrome: req.chrome))
    }

    func partnership(req: Request) async throws -> Response {
        let organisations = OrganisationStore(req.db)
        let partnership = try await organisations.mainPartnership()
        var members: [PartnershipMember] = []
        if let partnership { members = try await organisations.members(of: partnership.id) }
        let names = try await SchoolStore(req.db).localAuthorities().map(\.authority)
            .filter { partnership?.localAuthorityCodes.contains($0.code) ?? false }.map(\.name)
        let canEdit = req.principal?.has(.coordinator) ?? false
        var others: [Organisation] = []
        if canEdit {
            let memberIDs = Set(members.map(\.organisation.id))
            others = try await organisations.list().filter { !memberIDs.contains($0.id) }
        }
        return HTMLResponse.make(
            PartnershipPage.html(
                .init(
                    partnership: partnership, members: members, authorityNames: names, canEdit: canEdit,
                    others: others), chrome: req.chrome))
    }
}
