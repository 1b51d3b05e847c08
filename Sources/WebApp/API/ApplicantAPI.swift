import Domain
import Persistence
import Vapor

/// `/api/v1/experience`: school-experience dates, as the search page finds them.
struct ExperienceDateListDTO: Content {
    struct ExperienceDate: Content {
        let id: UUID
        let urn: Int
        let school: String
        let town: String
        let date: String
        let length: String
        let phase: String
        /// Absent: any subject.
        let subject: String?
        let places: Int
        let placesLeft: Int
        let expectations: String
        let dbsPolicy: String
        let access: String
        /// Straight-line distance from the postcode searched from; absent without one.
        let distanceKm: Double?
        let generated: Bool
    }
    let dates: [ExperienceDate]
}

/// `/api/v1/events`: recruitment events from today on.
struct RecruitmentEventListDTO: Content {
    struct Event: Content {
        let id: UUID
        let title: String
        let kind: String
        let organiser: String
        let summary: String
        let date: String
        let start: String
        let end: String
        let venue: String
        let capacity: Int
        let placesLeft: Int
        let generated: Bool
    }
    let events: [Event]
}

/// The public side of the applicant services as JSON: school-experience dates and recruitment events, with the
/// same filters and the same answers as their pages. Candidates' own requests and registrations are in
/// `/api/v1/me/export`, which only they can read.
struct ApplicantAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1")
        api.get("experience", access: .everyone, use: experience)
        api.get("events", access: .everyone, use: events)
    }

    func experience(req: Request) async throws -> ExperienceDateListDTO {
        // The page's form sends an empty distance when none is typed; the API takes a number or nothing.
        if FormValues.query(req).all("within").contains(where: \.isEmpty) {
            throw ValidationError([
                .init(field: "within", message: "Enter a distance from 1 to 200 km, or leave within out")
            ])
        }
        let (_, problems, rows, unknown) = try await ExperienceController.find(req)
        if let unknown, problems.count == 1 {
            // A well-formed postcode the directory does not hold: nothing there to search near.
            throw Abort(.notFound, reason: "Chalkface does not know the postcode \(unknown.value).")
        }
        guard problems.isEmpty else { throw ValidationError(problems) }
        return .init(
            dates: rows.map { r in
                let d = r.date
                return .init(
                    id: d.id, urn: d.urn, school: r.school, town: r.town, date: d.day.description,
                    length: d.length.rawValue, phase: d.phase.rawValue, subject: d.subject?.rawValue,
                    places: d.places, placesLeft: d.placesLeft, expectations: d.expectations,
                    dbsPolicy: d.dbs.rawValue, access: d.access,
                    distanceKm: r.km.map { ($0 * 10).rounded() / 10 }, generated: d.generated)
            })
    }

    func events(req: Request) async throws -> RecruitmentEventListDTO {
        let (_, problems, upcoming) = EventController.upcoming(req, all: try await EventStore(req.db).events())
        guard problems.isEmpty else { throw ValidationError(problems) }
        return .init(
            events: upcoming.map { e in
                .init(
                    id: e.id, title: e.title, kind: e.kind.rawValue, organiser: e.organiser, summary: e.summary,
                    date: e.session.day.description, start: CPDSession.clock(e.session.start),
                    end: CPDSession.clock(e.session.end),
                    venue: e.venue, capacity: e.capacity, placesLeft: e.placesLeft, generated: e.generated)
            })
    }
}
