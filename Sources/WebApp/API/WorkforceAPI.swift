import Domain
import Persistence
import Vapor

struct TeacherDTO: Content {
    struct Period: Content {
        let urn: Int
        let role: String
        let workingPattern: String
        let fte: Double
        let startedOn: String
        let finishedOn: String?
        let endReason: String?
    }
    let id: UUID
    let trn: String?
    let firstName: String
    let lastName: String
    let birthYear: Int?
    let qtsOn: String?
    let ittProvider: String?
    let route: String?
    let specialisms: [String]
    let periods: [Period]

    init(_ t: TeacherRecord) {
        id = t.id
        trn = t.trn?.value
        firstName = t.firstName
        lastName = t.lastName
        birthYear = t.birthYear
        qtsOn = t.qtsOn?.description
        ittProvider = t.ittProvider
        route = t.route
        specialisms = t.specialisms.map(\.rawValue)
        periods = t.periods.map {
            Period(
                urn: $0.urn, role: $0.role.rawValue, workingPattern: $0.workingPattern.rawValue, fte: $0.fte,
                startedOn: $0.startedOn.description, finishedOn: $0.finishedOn?.description,
                endReason: $0.endReason?.rawValue)
        }
    }
}

struct TeacherListDTO: Content {
    let items: [TeacherDTO]
    let total: Int
    let page: Int
    let perPage: Int
    let aggregatesOnly: Bool
}

struct RetentionDTO: Content {
    struct Point: Content {
        let t: Int
        let atRisk: Int
        let events: Int
        let censored: Int
        let survival: Double?
        let ciLower95: Double?
        let ciUpper95: Double?

        // Named outright: the snake-case conversion would write ci_lower95.
        enum CodingKeys: String, CodingKey {
            case t, atRisk, events, censored, survival
            case ciLower95 = "ciLower_95"
            case ciUpper95 = "ciUpper_95"
        }
    }
    struct Group: Content {
        let label: String
        let people: Int
        let left: Int
        let points: [Point]
    }
    struct LogRank: Content {
        let statistic: Double
        let degreesOfFreedom: Int
        let pValue: Double
    }
    let scope: String
    let inSchool: Bool
    let by: String
    let asOf: String
    let groups: [Group]
    let logrank: LogRank?
}

/// `/api/v1/teachers` and `/api/v1/retention`: the register, scoped as the pages are, and the retention figures.
struct WorkforceAPIController: RouteCollection {
    static let perPage = 100

    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1")
        api.get("teachers", access: .staff, use: teachers)
        api.get("retention", access: .staff, use: retention)
    }

    /// Teachers the caller may see individually: school staff their schools' staff, provider staff those they
    /// trained, coordinators everyone when the partnership shares individual records (otherwise the count only).
    func teachers(req: Request) async throws -> TeacherListDTO {
        let viewer = try req.requirePrincipal()
        let pageText = req.query[String.self, at: "page"] ?? "1"
        guard let page = BoundedInput.wholeNumber(pageText, in: 1...100_000) else {
            throw Abort(.badRequest, reason: "page must be a whole number from 1 to 100000.")
        }
        let store = TeacherStore(req.db)
        let sharing = try await req.dataSharing()
        let organisations = try await OrganisationStore(req.db).list()
        var visible: [TeacherRecord] = []
        var aggregatesOnly = false
        if viewer.has(.coordinator) {
            if sharing == .individualRecords {
                visible = try await store.all()
            } else {
                aggregatesOnly = true
            }
        }
        if !aggregatesOnly || visible.isEmpty {
            var seen = Set(visible.map(\.id))
            for o in organisations where viewer.organisations(as: .schoolStaff).contains(o.id) {
                if let urn = o.urn {
                    for t in try await store.staff(urn: urn.value) where seen.insert(t.id).inserted {
                        visible.append(t)
                    }
                }
            }
            for o in organisations where viewer.organisations(as: .providerStaff).contains(o.id) {
                for t in try await store.trained(by: o.name) where seen.insert(t.id).inserted { visible.append(t) }
            }
            if !visible.isEmpty { aggregatesOnly = false }
        }
        visible.sort { ($0.lastName, $0.firstName, $0.id.uuidString) < ($1.lastName, $1.firstName, $1.id.uuidString) }
        let total = aggregatesOnly ? try await store.count() : visible.count
        let start = min(visible.count, (page - 1) * Self.perPage)
        let items = Array(visible[start..<min(visible.count, start + Self.perPage)])
        if !items.isEmpty {
            try await req.audit(.staffListed, subjectType: "teachers", detail: "\(items.count) teachers (API)")
        }
        return TeacherListDTO(
            items: items.map(TeacherDTO.init), total: total, page: page, perPage: Self.perPage,
            aggregatesOnly: aggregatesOnly)
    }

    /// The retention figures the page shows, at whole years 1 to 10.
    func retention(req: Request) async throws -> RetentionDTO {
        let dimension = try RetentionController.dimension(req)
        let scope = try await RetentionController.scope(req)
        let analysis = Retention.analyse(scope.spells, by: dimension)
        let groups = analysis.curves.map { c in
            RetentionDTO.Group(
                label: c.label, people: c.people, left: c.left,
                points: (1...10).map { t in
                    let at = c.fit.table.atRisk(at: Double(t))
                    let counts = c.fit.table.counts(at: Double(t))
                    let shown = at >= Retention.suppressionThreshold
                    let v = c.fit.at(Double(t))
                    return RetentionDTO.Point(
                        t: t, atRisk: at, events: counts.events, censored: counts.censored,
                        survival: shown ? v.survival : nil, ciLower95: shown ? v.lower : nil,
                        ciUpper95: shown ? v.upper : nil)
                })
        }
        return RetentionDTO(
            scope: scope.label, inSchool: scope.inSchool, by: dimension.rawValue,
            asOf: Day.inUK(req.application.clock.now()).description,
            groups: analysis.overall.people >= Retention.suppressionThreshold ? groups : [],
            logrank: analysis.logRank.map {
                RetentionDTO.LogRank(statistic: $0.statistic, degreesOfFreedom: $0.degreesOfFreedom, pValue: $0.pValue)
            })
    }
}
