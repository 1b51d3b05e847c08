import Domain
import FluentKit
import Foundation
import SQLKit

/// A generated curriculum deployment for the demo workforce's secondary schools, so the specialist-teaching page
/// and its cold-spot indicator have figures at first start. Each teacher in post teaches about 20 hours a week
/// (an early-career teacher 18), mostly in their own subject, scientists splitting theirs with combined science;
/// some teach outside it the way schools fill gaps: biologists and chemists some physics or each other's subject,
/// PE, geography, computing, design and technology teachers and physicists some maths, drama, history, RE and
/// languages teachers some English. The shares come out near DfE's national figures, unevenly between schools. Created only when no deployment is held.
public enum DemoDeployment {
    public static func seed(on database: any Database, today: Day, now: Date) async throws -> Int {
        let sql = try database.sql
        let held =
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("deployments")
            .first()?.decode(column: "n", as: Int.self) ?? 0
        guard held == 0 else { return 0 }
        let teachers = try await TeacherStore(database).all()
        let urns = Set(teachers.flatMap { $0.periods.filter(\.isOpen).map(\.urn) })
        let schools = try await SchoolStore(database).find(urns.map(URN.init))
        let secondary = Set(schools.values.filter { !DemoWorkforce.isPrimary($0) }.map(\.urn.value))
        let entries = generate(teachers: teachers, secondary: secondary, today: today)
        guard !entries.isEmpty else { return 0 }
        try await database.transaction { tx in
            _ = try await DeploymentStore(tx).importEntries(
                entries, file: "the generated demo deployment", author: "Demo data (generated)", at: now)
        }
        return entries.count
    }

    /// Deterministic for a register and a set of secondary schools.
    public static func generate(teachers: [TeacherRecord], secondary: Set<Int>, today: Day) -> [DeploymentFile.Entry] {
        var rng = DemoRandom(seed: 2223)
        var out: [DeploymentFile.Entry] = []
        let sorted = teachers.filter { $0.trn != nil }.sorted { $0.trn!.value < $1.trn!.value }
        for t in sorted {
            guard let trn = t.trn, let period = t.periods.first(where: { $0.isOpen && secondary.contains($0.urn) }),
                let own = t.specialisms.first, own != .primary
            else { continue }
            let total = period.role == .ect ? 1_800 : 2_000
            var hours: [TeachingSubject: Int] = [:]
            var outside = 0
            // Gaps filled from outside the subject, at about the rates that give DfE's national shares.
            switch own {
            case .biology:
                let r = rng.below(100)
                if r < 45 {
                    outside = 400
                    hours[.physics] = outside
                } else if r < 70 {
                    outside = 400
                    hours[.chemistry] = outside
                }
            case .chemistry:
                let r = rng.below(100)
                if r < 40 {
                    outside = 400
                    hours[.physics] = outside
                } else if r < 55 {
                    outside = 300
                    hours[.biology] = outside
                }
            case .physicalEducation, .geography, .computing, .designAndTechnology, .physics:
                if rng.below(100) < 35 {
                    outside = 300 + 100 * rng.below(4)
                    hours[.mathematics] = outside
                }
            case .drama, .history, .religiousEducation, .modernLanguages:
                if rng.below(100) < 25 {
                    outside = 300 + 100 * rng.below(2)
                    hours[.english] = outside
                }
            default: break
            }
            if [.biology, .chemistry, .physics].contains(own) {
                let half = (total - outside) / 2
                hours[own] = half
                hours[.combinedScience] = total - outside - half
            } else {
                hours[own] = total - outside
            }
            for (subject, h) in hours.sorted(by: { $0.key < $1.key }) where h > 0 {
                out.append(
                    DeploymentFile.Entry(
                        deployment: Deployment(
                            urn: period.urn, trn: trn, subject: subject, hours: TeachingHours(hundredths: h)),
                        line: out.count + 2))
            }
        }
        return out
    }
}
