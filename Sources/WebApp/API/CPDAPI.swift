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

struct CPDAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("api", "v1").get("cpd", access: .everyone, use: catalogue)
    }

    func catalogue(req: Request) async throws -> CPDCatalogueDTO {
        let store = CPDStore(req.db)
        let cohorts = try await store.cohorts()
        func clock(_ m: Int) -> String { String(format: "%02d:%02d", m / 60, m % 60) }
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
                                .init(date: $0.day.description, start: clock($0.start), end: clock($0.end))
                            }, places: c.places, placesLeft: c.placesLeft)
                    })
            })
    }
}
