import Domain
import FluentKit
import Foundation

/// Demo returners: former maths and science teachers from the demo register, registered over the past year and
/// spread along the way back (most still early on, a few back in post). Recorded by "Demo data (generated)".
/// Created only when no returner is held.
public enum DemoReturners {
    public static func seed(on database: any Database, today: Day) async throws -> Int {
        guard try await ReturnerStore(database).all().isEmpty else { return 0 }
        let teachers = try await TeacherStore(database).all()
        let leavers = teachers.filter { Returner.leaver($0, today: today) != nil }.sorted {
            ($0.lastName, $0.firstName, $0.id.uuidString) < ($1.lastName, $1.firstName, $1.id.uuidString)
        }
        guard !leavers.isEmpty else { return 0 }
        let last = leavers.flatMap(\.periods).map(\.urn)
        let schools = try await SchoolStore(database).find(Set(last).map(URN.init))
        var rng = DemoRandom(seed: 27_182)
        let author = "Demo data (generated)"
        var made: [Returner] = []
        // Every so many leavers, so that names and schools are spread (the list is ordered by name).
        let stride = max(1, leavers.count / 90)
        for t in Swift.stride(from: 0, to: leavers.count, by: stride).prefix(90).map({ leavers[$0] }) {
            guard let (subject, lastPeriod) = Returner.leaver(t, today: today), let left = lastPeriod.finishedOn
            else { continue }
            var day = Day(ordinal: max(left.ordinal + 1, today.ordinal - 30 - rng.below(330)))
            var steps = [Returner.Step(stage: .interest, on: day, note: "Registered interest", author: author)]
            // How far each has got: most are early on.
            let furthest = [0, 0, 0, 1, 1, 1, 2, 2, 3, 4][rng.below(10)]
            for stage in Returner.Stage.pipeline.dropFirst().prefix(furthest) {
                day = Day(ordinal: min(today.ordinal, day.ordinal + 14 + rng.below(40)))
                let note =
                    switch stage {
                    case .refresher: "Enrolled on \(subject == .mathematics ? "TSST mathematics" : "TSST physics")"
                    case .schoolExperience: "Two days at a partner school"
                    case .applying: "Applying for posts in the area"
                    default: ""
                    }
                steps.append(.init(stage: stage, on: day, note: note, author: author))
            }
            if furthest < 3, rng.below(8) == 0 {
                steps.append(
                    .init(
                        stage: .stopped, on: Day(ordinal: min(today.ordinal, day.ordinal + 20)),
                        note: "Decided not to return for now", author: author))
            }
            made.append(
                Returner(
                    teacher: t.id, name: "\(t.firstName) \(t.lastName)", email: "", subject: subject,
                    district: schools[URN(lastPeriod.urn)]?.district?.code, steps: steps))
        }
        try await ReturnerStore(database).add(made)
        return made.count
    }
}
