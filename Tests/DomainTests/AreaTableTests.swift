import Foundation
import Testing

@testable import Domain

@Suite struct AreaTableTests {
    static let region = Region(code: "E12000008", name: "South East")
    static let kent = LocalAuthority(code: "E10000016", dfeCode: "886", name: "Kent")
    static let medway = LocalAuthority(code: "E06000035", dfeCode: "887", name: "Medway")
    static let geography = GeographyLookup([
        .init(district: .init(code: "E07000106", name: "Canterbury"), localAuthority: kent, region: region),
        .init(district: .init(code: "E07000107", name: "Dartford"), localAuthority: kent, region: region),
        .init(district: .init(code: "E06000035", name: "Medway"), localAuthority: medway, region: region),
        .init(
            district: .init(code: "E08000001", name: "Bolton"),
            localAuthority: .init(code: "E08000001", dfeCode: "350", name: "Bolton"),
            region: .init(code: "E12000002", name: "North West")),
    ])

    static func table(_ facts: [AreaFact], subject: TeachingSubject? = nil) -> AreaTable {
        let hours: [String: [TeachingSubject: SpecialistHours]] = [
            "E07000106": [
                .mathematics: .init(hours: .init(hundredths: 2_000), specialistHours: .init(hundredths: 1_500)),
                .physics: .init(hours: .init(hundredths: 500), specialistHours: .init(hundredths: 100)),
            ],
            "E07000107": [
                .mathematics: .init(hours: .init(hundredths: 900), specialistHours: .init(hundredths: 900))
            ],
        ]
        return AreaTable(
            facts: facts, hours: hours, geography: geography, authorities: [kent, medway], subject: subject)
    }

    static func trainees(_ n: Int, in district: String, _ subject: TeachingSubject = .mathematics) -> [AreaFact] {
        (0..<n).map {
            .init(district: district, subject: subject, measure: .traineesSeeking, key: "\(district)-t\($0)")
        }
    }

    @Test("Rows: the partnership, then each authority with its districts; a unitary authority has no district rows")
    func shape() {
        let t = Self.table([])
        #expect(t.rows.map(\.name) == ["The partnership", "Kent", "Canterbury", "Dartford", "Medway"])
        #expect(t.rows.map(\.level) == [.partnership, .localAuthority, .district, .district, .localAuthority])
        // No record anywhere: every count is 0 and no ratio divides by zero.
        for r in t.rows {
            #expect(r.count(.placesOffered) == 0)
            #expect(r.placesPerTrainee.value == nil)
            #expect(r.referralsPerVacancy.value == nil)
            #expect(r.applicantsPerPlace.value == nil)
        }
    }

    @Test("A record under two subjects or districts counts once in a total; places add up; outside areas are left out")
    func deduplication() {
        let facts: [AreaFact] = [
            // One vacancy for maths and physics.
            .init(district: "E07000106", subject: .mathematics, measure: .openVacancies, key: "v1"),
            .init(district: "E07000106", subject: .physics, measure: .openVacancies, key: "v1"),
            // One applicant choosing schools in Canterbury and Dartford.
            .init(district: "E07000106", subject: .mathematics, measure: .internshipApplicants, key: "a1"),
            .init(district: "E07000107", subject: .mathematics, measure: .internshipApplicants, key: "a1"),
            // A school's places in two subjects add up.
            .init(district: "E07000106", subject: .mathematics, measure: .placesOffered, key: "100-m", amount: 3),
            .init(district: "E07000106", subject: .physics, measure: .placesOffered, key: "100-p", amount: 2),
            // Bolton is not in the partnership.
            .init(district: "E08000001", subject: .mathematics, measure: .placesOffered, key: "200-m", amount: 50),
        ]
        let all = Self.table(facts)
        #expect(all.rows[0].count(.openVacancies) == 1)
        #expect(all.rows[0].count(.internshipApplicants) == 1)
        #expect(all.rows[1].count(.internshipApplicants) == 1)
        #expect(all.rows[2].count(.internshipApplicants) == 1)
        #expect(all.rows[3].count(.internshipApplicants) == 1)
        #expect(all.rows[0].count(.placesOffered) == 5)
        let physics = Self.table(facts, subject: .physics)
        #expect(physics.rows[0].count(.placesOffered) == 2)
        #expect(physics.rows[0].count(.openVacancies) == 1)
        #expect(physics.rows[0].count(.internshipApplicants) == 0)
    }

    @Test("People counts of 1 to 9 are withheld, and no ratio rests on fewer than 10 or reveals a withheld count")
    func suppression() {
        var facts = Self.trainees(12, in: "E07000106") + Self.trainees(9, in: "E07000107")
        facts.append(.init(district: "E07000106", subject: .mathematics, measure: .placesOffered, key: "p", amount: 18))
        facts.append(.init(district: "E07000107", subject: .mathematics, measure: .placesOffered, key: "q", amount: 4))
        let t = Self.table(facts)
        let canterbury = t.rows[2]
        let dartford = t.rows[3]
        #expect(canterbury.shown(.traineesSeeking) == 12)
        #expect(canterbury.placesPerTrainee.value == 1.5)
        #expect(dartford.shown(.traineesSeeking) == nil)
        #expect(dartford.count(.traineesSeeking) == 9)
        #expect(dartford.placesPerTrainee.value == nil)
        // Places are not people: 4 is shown.
        #expect(dartford.shown(.placesOffered) == 4)
        #expect(t.rows[1].placesPerTrainee.value == 22.0 / 21.0)
        #expect(t.rows[0].placesPerTrainee.numerator == 22)
        #expect(t.rows[0].placesPerTrainee.denominator == 21)
        // Medway: nothing, shown as 0 (no one to protect), no ratio.
        #expect(t.rows[4].shown(.traineesSeeking) == 0)
        #expect(t.rows[4].placesPerTrainee.value == nil)
        // 5 referrals over 12 vacancies: the referrals are withheld, and so is the ratio that would reveal them.
        var v = (0..<12).map {
            AreaFact(district: "E06000035", subject: .physics, measure: .openVacancies, key: "v\($0)")
        }
        v += (0..<5).map { AreaFact(district: "E06000035", subject: .physics, measure: .referrals, key: "r\($0)") }
        let medway = Self.table(v).rows[4]
        #expect(medway.shown(.referrals) == nil)
        #expect(medway.referralsPerVacancy.value == nil)
        #expect(AreaRatio(numerator: 0, denominator: 12, numeratorCountsPeople: true).value == 0)
        #expect(AreaRatio(numerator: 10, denominator: 12, numeratorCountsPeople: true).value == 10.0 / 12.0)
        #expect(AreaRatio(numerator: 5, denominator: 9, numeratorCountsPeople: false).value == nil)
    }

    @Test("Specialist hours add up over districts and subjects; a share needs 10 hours")
    func hours() {
        let all = Self.table([])
        #expect(all.rows[0].hours.hours == .init(hundredths: 3_400))
        #expect(all.rows[0].hours.specialistHours == .init(hundredths: 2_500))
        let physics = Self.table([], subject: .physics)
        #expect(physics.rows[2].hours.hours == .init(hundredths: 500))
        #expect(physics.rows[2].hours.share == nil)
        let maths = Self.table([], subject: .mathematics)
        #expect(maths.rows[2].hours.share == 0.75)
        #expect(maths.rows[3].hours.share == nil)
        #expect(maths.rows[1].hours.share == 2_400.0 / 2_900.0)
    }

    @Test("The CSV leaves withheld figures empty and never writes nan or inf")
    func csv() {
        let facts = Self.trainees(3, in: "E07000107")
        let text = AreaTable.csv([Self.table(facts), Self.table(facts, subject: .physics)])
        let lines = text.split(separator: "\r\n").map(String.init)
        #expect(lines[0] == AreaTable.csvHeader)
        #expect(lines.count == 1 + 2 * 5)
        #expect(lines[4].hasPrefix("district,E07000107,Dartford,,0,,,0,0,,9,9,,0,0,0,"))
        #expect(lines[6].hasPrefix("partnership,,The partnership,physics,0,0,,0,0,,5,1,,0,0,0,"))
        #expect(!text.contains("nan") && !text.contains("inf"))
    }

    @Test("DfE's national trainee need, from the bundled file's latest year up to the one asked for")
    func need() throws {
        let csv = """
            time_period,time_identifier,geographic_level,country_code,country_name,subject,education_phase,pgitt_trainee_need_count,difference_to_previous_year_count,difference_to_previous_year_percent
            202526,Academic year,National,E92000001,England,Mathematics,Secondary,2560,,
            202627,Academic year,National,E92000001,England,Mathematics,Secondary,2300,,
            202627,Academic year,National,E92000001,England,Total,Primary,5520,,
            202627,Academic year,National,E92000001,England,Total,Total,20800,,
            202627,Academic year,National,E92000001,England,Total,Secondary,15280,,
            """
        let need = try TraineeNeed.read(Array(csv.utf8), file: "need.csv")
        let y2627 = AcademicYear(start: 2026)!
        #expect(need.need(.mathematics, upTo: AcademicYear(start: 2027)!)! == (y2627, 2300))
        #expect(need.need(.mathematics, upTo: AcademicYear(start: 2025)!)! == (AcademicYear(start: 2025)!, 2560))
        #expect(need.need(.primary, upTo: y2627)!.trainees == 5520)
        #expect(need.need(nil, upTo: y2627)!.trainees == 20800)
        #expect(need.need(.combinedScience, upTo: y2627) == nil)
        #expect(need.need(.mathematics, upTo: AcademicYear(start: 2020)!) == nil)
    }
}
