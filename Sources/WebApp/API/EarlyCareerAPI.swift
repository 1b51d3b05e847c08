import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// An early-career teacher's suggested CPD, as /ects/development shows it.
struct SuggestionListDTO: Content {
    struct Need: Content {
        let area: String
        let own: Int?
        let mentor: Int?
        let weight: Double
    }
    struct Suggestion: Content {
        let programmeId: UUID
        let cohortId: UUID
        let title: String
        let provider: String
        let startsOn: String?
        let distanceKm: Double?
        let areas: [String]
        let score: Double
        let reason: String
    }
    /// Whether the caller is an early-career teacher in the register today.
    let earlyCareer: Bool
    let needs: [Need]
    let suggestions: [Suggestion]
}

/// The region's development areas against the catalogue, as /ects/development/areas shows it.
struct DevelopmentAreasDTO: Content {
    struct Area: Content {
        let area: String
        /// Null when fewer than 10 (and not 0).
        let ects: Int?
        let share: Double?
        let programmes: Int
        let places: Int
        let takenUp: Int
    }
    let academicYear: String
    let term: String
    let ects: Int
    /// Null when fewer than 10 (and not 0).
    let profiled: Int?
    let areas: [Area]
    let takenUp: Int
    let accepted: Int
}

/// This term's peer groups, as /ects/peer-groups shows them: members by school, their ids only where the
/// partnership shares individual records with coordinators.
struct PeerGroupListDTO: Content {
    struct Member: Content {
        let teacherId: UUID?
        let urn: Int
        let distanceM: Double
    }
    struct Group: Content {
        let number: Int
        let phase: String
        let meetingUrn: Int
        let locked: Bool
        let members: [Member]
    }
    let academicYear: String
    let term: String
    let groups: [Group]
}

struct EarlyCareerAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1", "ects")
        api.get("suggestions", access: .anyRole([.teacher, .mentor]), use: suggestions)
        api.get("development-areas", access: .anyRole([.coordinator]), use: areas)
        api.get("peer-groups", access: .anyRole([.coordinator]), use: peerGroups)
    }

    func suggestions(req: Request) async throws -> SuggestionListDTO {
        let viewer = try req.requirePrincipal()
        let me = try await DevelopmentController.me(req)
        guard let record = me.record, me.period != nil else {
            return SuggestionListDTO(earlyCareer: false, needs: [], suggestions: [])
        }
        let (own, mentor) = try await DevelopmentController.profiles(req, teacher: record.id)
        let found = try await DevelopmentController.suggestions(
            req, record: record, school: me.school, own: own, mentor: mentor, person: viewer.id)
        try await req.audit(
            .developmentRead, subjectType: "teacher", subjectID: record.id.uuidString, person: viewer.id,
            detail: "own suggestions (API)")
        return SuggestionListDTO(
            earlyCareer: true,
            needs: DevelopmentNeeds(own: own, mentor: mentor).needs.map {
                .init(area: $0.area.rawValue, own: $0.own?.rawValue, mentor: $0.mentor?.rawValue, weight: $0.weight)
            },
            suggestions: found.map {
                .init(
                    programmeId: $0.programme.id, cohortId: $0.cohort.id, title: $0.programme.title,
                    provider: $0.programme.provider, startsOn: $0.cohort.startsOn?.description,
                    distanceKm: $0.distanceKm.map { ($0 * 10).rounded() / 10 }, areas: $0.areas.map(\.rawValue),
                    score: $0.score, reason: $0.reason)
            })
    }

    func areas(req: Request) async throws -> DevelopmentAreasDTO {
        let m = try await DevelopmentController.demand(req)
        let smallest = DevelopmentPages.smallest
        func count(_ n: Int) -> Int? { n == 0 || n >= smallest ? n : nil }
        let profiled = m.rows.first?.profiled ?? 0
        return DevelopmentAreasDTO(
            academicYear: m.year.description, term: m.term.rawValue, ects: m.ects, profiled: count(profiled),
            areas: m.rows.map { r in
                .init(
                    area: r.area.rawValue, ects: count(r.ects),
                    share: r.ects >= smallest && r.profiled >= smallest
                        ? (Double(r.ects) / Double(r.profiled) * 1000).rounded() / 1000 : nil,
                    programmes: r.programmes, places: r.places, takenUp: r.takenUp)
            }, takenUp: m.takenUp, accepted: m.accepted)
    }

    func peerGroups(req: Request) async throws -> PeerGroupListDTO {
        let today = Day.inUK(req.now)
        let year = AcademicYear.containing(today)
        let term = Term.containing(today)
        let stored = try await PeerGroupStore(req.db).groups(year: year, term: term)
        let ects = Dictionary(
            uniqueKeysWithValues: try await PeerGroupController.ects(req).map { ($0.record.id, $0) })
        let schools = try await SchoolStore(req.db).find(
            Set(stored.flatMap { g in [URN(g.meetingURN)] + g.members.map { URN($0.urn) } }))
        let names = try await PeerGroupController.showsNames(req)
        let groups = PeerGroupController.pageGroups(
            stored, ects: ects, names: [:], schools: schools, showNames: names)
        try await req.audit(
            .peerGroupsRead, subjectType: "peer-groups", subjectID: "\(year.start)-\(term.rawValue)",
            detail: "\(stored.count) groups (API)")
        return PeerGroupListDTO(
            academicYear: year.description, term: term.rawValue,
            groups: groups.map { g in
                .init(
                    number: g.number, phase: g.phase.lowercased(), meetingUrn: g.meetingURN, locked: g.locked,
                    members: g.members.map {
                        .init(teacherId: names ? $0.teacher : nil, urn: $0.urn, distanceM: $0.travel.rounded())
                    })
            })
    }
}
