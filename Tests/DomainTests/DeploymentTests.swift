import Foundation
import Testing

@testable import Domain

@Suite struct DeploymentTests {
    static func read(_ text: String) throws(ImportFileError) -> [Deployment] {
        try DeploymentFile.read(Array(text.utf8), file: "deployment.csv").map(\.deployment)
    }

    static let trn = (1...9).map { TRN(String(3_000_000 + $0))! }

    @Test("Shares are hours-weighted and exact; combined science counts any science; under 10 hours is withheld")
    func shares() throws {
        let rows = try Self.read(
            """
            urn,trn,subject,hours
            100001,3000001,mathematics,12.5
            100001,3000002,mathematics,2.25
            100001,3000003,combined-science,6
            100001,3000004,combined-science,4
            100001,3000005,physics,9.99
            100002,3000006,mathematics,10
            100002,3000001,mathematics,0.01
            """)
        let specialisms: [TRN: [TeachingSubject]] = [
            Self.trn[0]: [.mathematics], Self.trn[1]: [.physicalEducation], Self.trn[2]: [.chemistry],
            Self.trn[3]: [.history], Self.trn[4]: [.physics], Self.trn[5]: [],
        ]
        let shares = SpecialistShares(rows, specialisms: specialisms)
        let maths = try #require(shares.bySchool[100_001]?[.mathematics])
        #expect(maths.hours.hundredths == 1_475 && maths.specialistHours.hundredths == 1_250)
        #expect(maths.share == 1_250.0 / 1_475.0)
        let science = try #require(shares.bySchool[100_001]?[.combinedScience])
        #expect(science.hours == TeachingHours("10") && science.specialistHours == TeachingHours("6"))
        #expect(science.share == 0.6)
        // 9.99 hours of physics, all by a specialist: too few hours to show a share.
        #expect(shares.bySchool[100_001]?[.physics]?.share == nil)
        // A teacher at two schools counts at each with their own hours.
        let other = try #require(shares.bySchool[100_002]?[.mathematics])
        #expect(other.hours.hundredths == 1_001 && other.specialistHours.hundredths == 1)
        #expect(other.share == 1.0 / 1_001.0)
        let total = try #require(shares.total[.mathematics])
        #expect(total.hours.hundredths == 2_476 && total.specialistHours.hundredths == 1_251)
        let grouped = shares.grouped { $0 == 100_001 ? "A" : nil }
        #expect(grouped["A"]?[.mathematics] == maths && grouped.count == 1)
        #expect(
            shares.csv()
                == """
                urn,subject,hours,specialist_hours,share
                100001,mathematics,14.75,12.5,0.8475
                100001,physics,9.99,9.99,
                100001,combined-science,10,6,0.6000
                100002,mathematics,10.01,0.01,0.0010

                """)
        // The cold-spot indicator: maths and science together, or one subject, as a specialist share.
        let indicator = shares.specialistShareBySchool(subject: nil)
        #expect(indicator[100_001] == Double(1_250 + 999 + 600) / Double(1_475 + 999 + 1_000))
        #expect(shares.specialistShareBySchool(subject: .physics)[100_001] == nil)
    }

    @Test("Combined science: biology, chemistry, physics or combined science; other subjects need their own")
    func specialistRule() {
        for s: TeachingSubject in [.biology, .chemistry, .physics, .combinedScience] {
            #expect(SpecialistShares.isSpecialist(in: .combinedScience, holding: [s]))
        }
        #expect(!SpecialistShares.isSpecialist(in: .combinedScience, holding: [.mathematics]))
        #expect(!SpecialistShares.isSpecialist(in: .physics, holding: [.chemistry, .combinedScience]))
        #expect(SpecialistShares.isSpecialist(in: .physics, holding: [.chemistry, .physics]))
        #expect(!SpecialistShares.isSpecialist(in: .mathematics, holding: []))
    }

    @Test("On a generated file: the shares equal a plain sum of the rows")
    func generated() throws {
        var state: UInt64 = 20_261_207
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let subjects = TeachingSubject.allCases
        var lines = ["urn,trn,subject,hours"]
        var specialisms: [TRN: [TeachingSubject]] = [:]
        var expected: [Int: [TeachingSubject: (Int, Int)]] = [:]
        for t in 0..<400 {
            let trn = TRN(String(4_000_000 + t))!
            let held = (0..<next(3)).map { _ in subjects[next(subjects.count)] }
            specialisms[trn] = held
            let urn = 200_000 + next(12)
            var used = Set<TeachingSubject>()
            for _ in 0..<(1 + next(3)) {
                let subject = subjects[next(subjects.count)]
                guard used.insert(subject).inserted else { continue }
                let hundredths = 1 + next(1_300)
                lines.append("\(urn),\(trn),\(subject.rawValue),\(TeachingHours(hundredths: hundredths))")
                let specialist =
                    subject == .combinedScience
                    ? held.contains { [.biology, .chemistry, .physics, .combinedScience].contains($0) }
                    : held.contains(subject)
                let before = expected[urn]?[subject] ?? (0, 0)
                expected[urn, default: [:]][subject] = (before.0 + hundredths, before.1 + (specialist ? hundredths : 0))
            }
        }
        let shares = SpecialistShares(try Self.read(lines.joined(separator: "\n")), specialisms: specialisms)
        #expect(shares.bySchool.count == expected.count)
        for (urn, bySubject) in expected {
            for (subject, (hours, specialist)) in bySubject {
                let h = shares.bySchool[urn]?[subject]
                #expect(h?.hours.hundredths == hours && h?.specialistHours.hundredths == specialist)
                #expect(h?.share == (hours >= 1_000 ? Double(specialist) / Double(hours) : nil))
            }
        }
    }

    @Test("Every bad row is named by line and field, and nothing is read")
    func badRows() {
        func problems(_ rows: [String]) -> [String] {
            do {
                _ = try Self.read((["urn,trn,subject,hours"] + rows).joined(separator: "\n"))
                return []
            } catch { return error.problems.map { "\($0.line ?? 0):\($0.field ?? "")" } }
        }
        #expect(problems(["12,3000001,mathematics,1"]) == ["2:urn"])
        #expect(problems(["100001,300001,mathematics,1"]) == ["2:trn"])
        #expect(problems(["100001,3000001,maths,1"]) == ["2:subject"])
        for hours in ["0", "-1", "40.01", "1e308", "nan", "inf", "0x1p3", "2.555", "", "ten"] {
            #expect(problems(["100001,3000001,mathematics,\(hours)"]) == ["2:hours"], "\(hours)")
        }
        #expect(problems(["100001,3000001,mathematics,40"]) == [])
        #expect(
            problems(["100001,3000001,mathematics,2", "100001,3000002,physics,3", "100001,3000001,mathematics,4"])
                == ["4:subject"])
        #expect(problems(["100001,3000001,mathematics,25", "100001,3000001,physics,15.5"]) == ["3:hours"])
        // The same teacher at another school is another week's timetable entry, not a duplicate.
        #expect(problems(["100001,3000001,mathematics,25", "100002,3000001,mathematics,15.5"]) == [])
        #expect(problems([]) == ["2:"])
        do {
            _ = try DeploymentFile.read(Array("urn,trn,hours\n".utf8), file: "x.csv")
            Issue.record("a missing column was read")
        } catch {
            #expect(error.problems.map(\.field) == ["subject"] && error.description.contains("x.csv:1: subject"))
        }
    }

    @Test("What training moved: only hours that would not be specialist without the recorded qualification")
    func moved() throws {
        let rows = try Self.read(
            """
            urn,trn,subject,hours
            100001,3000001,mathematics,6
            100001,3000001,physics,2
            100001,3000002,combined-science,5
            100001,3000003,combined-science,4
            """)
        let specialisms: [TRN: [TeachingSubject]] = [
            Self.trn[0]: [.geography, .mathematics], Self.trn[1]: [.biology, .physics], Self.trn[2]: [.physics],
        ]
        // 3000001 gained maths from TSST; 3000002 gained physics but already counted for combined science by
        // biology; 3000003 counts for combined science only because of the physics TSST.
        let trained: [TRN: Set<TeachingSubject>] = [
            Self.trn[0]: [.mathematics], Self.trn[1]: [.physics], Self.trn[2]: [.physics],
        ]
        let moved = SpecialistShares.moved(rows, specialisms: specialisms, trained: trained)
        #expect(moved[100_001]?[.mathematics] == TeachingHours("6"))
        #expect(moved[100_001]?[.combinedScience] == TeachingHours("4"))
        #expect(moved[100_001]?[.physics] == nil)
        #expect(SpecialistShares.moved(rows, specialisms: specialisms, trained: [:]).isEmpty)
    }

    @Test("Hours read and print exactly")
    func hours() {
        #expect(TeachingHours("12")?.hundredths == 1_200 && TeachingHours("0.05")?.hundredths == 5)
        #expect(TeachingHours("2.50")?.description == "2.5" && TeachingHours("3.05")?.description == "3.05")
        #expect(TeachingHours(hundredths: 1_010).description == "10.1")
        #expect(
            NationalSpecialistShare.shares[.mathematics] == 0.872 && NationalSpecialistShare.shares[.physics] == 0.725)
    }
}
