import Domain
import Fluent
import Persistence
import Vapor

/// Specialist teaching, as /specialists shows it: coordinators and provider staff get every school, school staff
/// their own; everyone gets the partnership's totals and DfE's national shares.
struct SpecialistTeachingDTO: Content {
    struct Subject: Content {
        let subject: String
        let hours: Double
        let specialistHours: Double
        /// Absent under 10 hours.
        let share: Double?
    }
    struct School: Content {
        let urn: Int
        let subjects: [Subject]
    }
    struct National: Content {
        let subject: String
        let share: Double
    }
    let nationalYear: String
    let national: [National]
    let partnership: [Subject]
    let schools: [School]
}

struct SpecialistAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("api", "v1").get(
            "specialists", access: .anyRole([.coordinator, .providerStaff, .schoolStaff]), use: list)
    }

    static func subjects(_ hours: [TeachingSubject: SpecialistHours]) -> [SpecialistTeachingDTO.Subject] {
        hours.sorted { $0.key < $1.key }.map {
            .init(
                subject: $0.key.rawValue, hours: $0.value.hours.hours, specialistHours: $0.value.specialistHours.hours,
                share: $0.value.share.map { ($0 * 10_000).rounded() / 10_000 })
        }
    }

    func list(req: Request) async throws -> SpecialistTeachingDTO {
        let viewer = try req.requirePrincipal()
        let shares = try await DeploymentStore(req.db).shares()
        var urns = Set(shares.bySchool.keys)
        if !viewer.has(.coordinator), !viewer.has(.providerStaff) {
            urns.formIntersection(try await SpecialistController.ownURNs(req) ?? [])
        }
        return SpecialistTeachingDTO(
            nationalYear: NationalSpecialistShare.year,
            national: NationalSpecialistShare.shares.sorted { $0.key < $1.key }.map {
                .init(subject: $0.key.rawValue, share: $0.value)
            },
            partnership: Self.subjects(shares.total),
            schools: urns.sorted().map { .init(urn: $0, subjects: Self.subjects(shares.bySchool[$0] ?? [:])) })
    }
}
