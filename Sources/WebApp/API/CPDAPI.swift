import Domain
import Persistence
import Vapor

/// `/api/v1/cpd`: the public catalogue, every programme with its cohorts and places left.
struct CPDCatalogueDTO: Content {
    struct Session: Content {
        let date: String
        let start: String
        let end: String
    }
    struct Cohort: Content {
        let id: UUID
        let sessions: [Session]
        let places: Int
        let placesLeft: Int
    }
    struct Programme: Content {
        let id: UUID
        let provider: String
        let title: String
        let summary: String
        let kind: String
        let phases: [String]
        let subjects: [String]
        let stages: [String]
        let format: String
        let venueUrn: Int?
        let costPounds: Int
        let fundedBy: String?
        let outcomes: String
        let npqCourse: String?
        let generated: Bool
        let cohorts: [Cohort]
    }
    let programmes: [Programme]
}

/// `/api/v1/cpd/enrolments`: the enrolments the caller may see, with counts by status.
struct CPDEnrolmentListDTO: Content {
    struct Enrolment: Content {
        let id: UUID
        let programmeId: UUID
        let programmeTitle: String
        let cohortId: UUID
        let cohortStarts: String?
        let personId: UUID
        let name: String
        let urn: Int?
        let status: String
        let reason: String?
        /// Sessions attended, numbered from 1.
        let sessionsAttended: [Int]
        let requestedAt: Date
        let updatedAt: Date
    }
    /// own (a teacher's or mentor's), provider (programmes the caller's organisation manages), all (coordinators
    /// where individual records are shared), or counts (no individual enrolments).
    let scope: String
    let counts: [String: Int]
    let enrolments: [Enrolment]
}

struct CPDAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1")
        api.get("cpd", access: .everyone, use: catalogue)
        api.get("cpd", "enrolments", access: .signedIn, use: enrolments)
    }

    func enrolments(req: Request) async throws -> CPDEnrolmentListDTO {
        let viewer = try req.requirePrincipal()
        let store = CPDStore(req.db)
        let programmes = Dictionary(uniqueKeysWithValues: try await store.programmes().map { ($0.id, $0) })
        var cohorts: [UUID: CPDCohort] = [:]
        for (_, cs) in try await store.cohorts() { for c in cs { cohorts[c.id] = c } }
        let all = try await store.allEnrolments()
        let managed = viewer.organisations(as: .providerStaff)
        let scope: String
        var visible: [CPDEnrolment]
        if viewer.has(.coordinator), try await req.dataSharing() == .individualRecords {
            scope = "all"
            visible = all
        } else if !managed.isEmpty {
            scope = "provider"
            visible = all.filter { e in
                guard let c = cohorts[e.cohort], let m = programmes[c.programme]?.managedBy else { return false }
                return managed.contains(OrganisationID(m))
            }
        } else if viewer.has(.teacher) || viewer.has(.mentor) {
            scope = "own"
            visible = all.filter { $0.person == viewer.id }
        } else {
            scope = "counts"
            visible = []
        }
        // Teachers who also hold another role still see their own.
        if scope == "provider" || scope == "counts" {
            let own = all.filter { $0.person == viewer.id && !visible.contains($0) }
            visible += own
        }
        var counts: [String: Int] = [:]
        for status in CPDEnrolment.Status.allCases { counts[status.rawValue] = 0 }
        for e in scope == "counts" || viewer.has(.coordinator) ? all : visible {
            counts[e.status.rawValue, default: 0] += 1
        }
        if !visible.isEmpty {
            try await req.audit(
                .cpdEnrolmentsRead, subjectType: "cpd-enrolments", detail: "\(visible.count) enrolments (API, \(scope))"
            )
        }
        return CPDEnrolmentListDTO(
            scope: scope, counts: counts,
            enrolments: visible.sorted { ($0.requestedAt, $0.id.uuidString) < ($1.requestedAt, $1.id.uuidString) }
                .map { e in
                    let c = cohorts[e.cohort]
                    let p = c.flatMap { programmes[$0.programme] }
                    return .init(
                        id: e.id, programmeId: c?.programme ?? e.cohort, programmeTitle: p?.title ?? "",
                        cohortId: e.cohort, cohortStarts: c?.startsOn?.description, personId: e.person.rawValue,
                        name: e.name, urn: e.urn, status: e.status.rawValue, reason: e.reason,
                        sessionsAttended: e.attended.sorted().map { $0 + 1 }, requestedAt: e.requestedAt,
                        updatedAt: e.updatedAt)
                })
    }

    func catalogue(req: Request) async throws -> CPDCatalogueDTO {
        let store = CPDStore(req.db)
        let cohorts = try await store.cohorts()
        return CPDCatalogueDTO(
            programmes: try await store.programmes().map { p in
                .init(
                    id: p.id, provider: p.provider, title: p.title, summary: p.summary, kind: p.kind.rawValue,
                    phases: p.phases.map(\.rawValue).sorted(), subjects: p.subjects.map(\.rawValue).sorted(),
                    stages: p.stages.map(\.rawValue).sorted(), format: p.format.rawValue, venueUrn: p.venueURN,
                    costPounds: p.costPounds, fundedBy: p.fundedBy, outcomes: p.outcomes, npqCourse: p.npqCourse,
                    generated: p.generated,
                    cohorts: (cohorts[p.id] ?? []).map { c in
                        .init(
                            id: c.id,
                            sessions: c.sessions.map {
                                .init(
                                    date: $0.day.description, start: CPDSession.clock($0.start),
                                    end: CPDSession.clock($0.end))
                            }, places: c.places, placesLeft: c.placesLeft)
                    })
            })
    }
}
