import Domain
import Fluent
import Persistence
import Vapor

/// Gathers the area table's records from the partnership's own data: this planning year's placement offers and
/// trainees (placed by home postcode), open maths and science vacancies and their referrals, deployments, TSST
/// enrolments, and this summer's internship places and applications. Only counts leave this file.
public enum AreaTableData {
    struct Loaded {
        var facts: [AreaFact]
        var hours: [String: [TeachingSubject: SpecialistHours]]
    }

    /// The table for every subject and for all together (subject nil first), over the partnership's local
    /// authorities: what the CSV download and `chalkface export areas` write.
    public static func tables(db: any Database, now: Date) async throws -> [AreaTable] {
        let authorities = try await ColdSpotsController.partnershipAuthorities(db)
        let loaded = try await load(db: db, now: now)
        let geography = try BundledData.geography()
        return ([nil] + TeachingSubject.allCases.map { $0 }).map { subject in
            AreaTable(
                facts: loaded.facts, hours: loaded.hours, geography: geography, authorities: authorities,
                subject: subject)
        }
    }

    static func load(db: any Database, now: Date) async throws -> Loaded {
        let today = Day.inUK(now)
        let year = PlacementOfferController.planningYear(now)
        var facts: [AreaFact] = []

        // Schools: each fact's URN to its district, looked up once for all of them.
        let offers = try await OfferStore(db).offers(year: year).filter(\.appetite.offersPlaces)
        let vacancies = try await VacancyStore(db).vacancies().filter(\.isOpen)
        let referrals = try await VacancyStore(db).referrals(vacancies: vacancies.map(\.id))
        let internshipYear = Internships.year(on: today)
        let internshipOffers = try await InternshipStore(db).offers(year: internshipYear)
        let applications = try await InternshipStore(db).applications(year: internshipYear)
            .filter { $0.status != .withdrawn }
        let deployments = try await DeploymentStore(db).rows()
        let programmes = try await CPDStore(db).programmes().filter { $0.kind == .tsst }
        var tsst: [(CPDEnrolment, Set<TeachingSubject>)] = []
        for p in programmes {
            let cohorts = try await CPDStore(db).cohorts(of: p.id).map(\.id)
            for e in try await CPDStore(db).enrolments(cohorts: cohorts) where e.status.holdsPlace {
                tsst.append((e, p.subjects))
            }
        }
        var urns = Set(offers.map(\.urn.value))
        urns.formUnion(vacancies.map(\.urn))
        urns.formUnion(internshipOffers.map(\.urn))
        urns.formUnion(deployments.map(\.deployment.urn))
        urns.formUnion(tsst.compactMap(\.0.urn))
        let schools = try await SchoolStore(db).find(urns.map(URN.init))
        func district(_ urn: Int) -> String? { schools[URN(urn)]?.district?.code }

        for o in offers {
            guard let d = district(o.urn.value) else { continue }
            for (subject, places) in o.places where places > 0 {
                guard let s = TeachingSubject(placement: subject) else { continue }
                facts.append(
                    .init(
                        district: d, subject: s, measure: .placesOffered, key: "\(o.urn.value)-\(s.rawValue)",
                        amount: places))
            }
        }

        let trainees = try await TraineeStore(db).trainees(year: year)
        let located = try await PostcodeStore(db).locate(trainees.map(\.homePostcode))
        for t in trainees {
            guard let d = located[t.homePostcode.compact]?.districtCode,
                let s = TeachingSubject(placement: t.subject)
            else { continue }
            facts.append(.init(district: d, subject: s, measure: .traineesSeeking, key: t.id.uuidString))
        }

        for v in vacancies {
            guard let d = district(v.urn) else { continue }
            for s in v.subjects {
                facts.append(.init(district: d, subject: s, measure: .openVacancies, key: v.id.uuidString))
                for r in referrals[v.id] ?? [] {
                    facts.append(.init(district: d, subject: s, measure: .referrals, key: r.id.uuidString))
                }
            }
        }

        for (e, subjects) in tsst {
            guard let urn = e.urn, let d = district(urn) else { continue }
            for s in subjects {
                facts.append(
                    .init(district: d, subject: s, measure: .tsstEnrolments, key: e.person.rawValue.uuidString))
            }
        }

        let offerByID = Dictionary(internshipOffers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for o in internshipOffers {
            guard let d = district(o.urn) else { continue }
            facts.append(
                .init(
                    district: d, subject: o.subject, measure: .internshipPlaces, key: o.id.uuidString,
                    amount: o.places))
        }
        for a in applications {
            for choice in a.choices {
                guard let o = offerByID[choice], let d = district(o.urn) else { continue }
                facts.append(
                    .init(district: d, subject: o.subject, measure: .internshipApplicants, key: a.id.uuidString))
            }
        }

        let hours = DeploymentStore.shares(deployments).grouped(by: district)
        return Loaded(facts: facts, hours: hours)
    }
}
