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

/// Maths and science vacancies as /vacancies shows them: coordinators and recruitment partners (provider staff)
/// every open vacancy in the partnership; school staff every vacancy of their own schools, closed ones with how
/// they closed. Referral counts, never the candidates.
struct VacancyListDTO: Content {
    struct Item: Content {
        let id: UUID
        let urn: Int
        let jobTitle: String
        let subjects: [String]
        let keyStages: [String]
        let workingPattern: String
        let contract: String
        let salary: String
        let startsOn: String?
        let postedOn: String
        let closesOn: String
        let closedOn: String?
        let outcome: String?
        let referrals: Int
    }
    let vacancies: [Item]
}

/// The internship places offered for a summer (`year`, default the coming one): not personal data, for anyone
/// signed in (undergraduates choose from them).
struct InternshipOfferListDTO: Content {
    struct Item: Content {
        let id: UUID
        let urn: Int
        let subject: String
        let startsOn: String
        let endsOn: String
        let weeks: Int
        let places: Int
        let details: String
    }
    let year: Int
    let offers: [Item]
}

struct RecruitmentAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1")
        api.get("vacancies", access: .anyRole([.coordinator, .providerStaff, .schoolStaff]), use: vacancies)
        api.get("internships", access: .signedIn, use: internships)
    }

    func vacancies(req: Request) async throws -> VacancyListDTO {
        let viewer = try req.requirePrincipal()
        let store = VacancyStore(req.db)
        let list: [Vacancy]
        if viewer.has(.coordinator) || viewer.has(.providerStaff) {
            list = try await store.vacancies().filter(\.isOpen)
        } else {
            list = try await store.vacancies(urns: try await SpecialistController.ownURNs(req) ?? [])
        }
        let referrals = try await store.referrals(vacancies: list.map(\.id))
        return VacancyListDTO(
            vacancies: list.map { v in
                .init(
                    id: v.id, urn: v.urn, jobTitle: v.jobTitle, subjects: v.subjects.map(\.rawValue),
                    keyStages: v.keyStages.map(\.rawValue), workingPattern: v.workingPattern.rawValue,
                    contract: v.contract.rawValue, salary: v.salary, startsOn: v.startsOn?.description,
                    postedOn: v.postedOn.description, closesOn: v.closesOn.description,
                    closedOn: v.closedOn?.description, outcome: v.outcome?.rawValue,
                    referrals: referrals[v.id]?.count ?? 0)
            })
    }

    func internships(req: Request) async throws -> InternshipOfferListDTO {
        let coming = Internships.year(on: Day.inUK(req.now))
        var year = coming
        if let text = req.query[String.self, at: "year"] {
            guard let y = BoundedInput.wholeNumber(text, in: 2000...2100) else {
                throw Abort(.badRequest, reason: "year must be a calendar year, like \(coming)")
            }
            year = y
        }
        let offers = try await InternshipStore(req.db).offers(year: year)
        return InternshipOfferListDTO(
            year: year,
            offers: offers.map { o in
                .init(
                    id: o.id, urn: o.urn, subject: o.subject.rawValue, startsOn: o.startsOn.description,
                    endsOn: o.endsOn.description, weeks: o.weeks, places: o.places, details: o.details)
            })
    }
}
