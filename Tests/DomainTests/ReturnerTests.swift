import Foundation
import Testing

@testable import Domain

@Suite struct ReturnerTests {
    static func day(_ s: String) -> Day { Day(s)! }

    @Test("Where a returner is: the latest step by date; back in post when the register shows a period since")
    func stage() {
        var r = Returner(
            name: "Ruth Okafor", email: "ruth@example.org", subject: .physics, district: nil,
            steps: [.init(stage: .interest, on: Self.day("2026-03-01"), author: "A")])
        #expect(r.stage == .interest && r.since == Self.day("2026-03-01"))
        r.steps.append(.init(stage: .refresher, on: Self.day("2026-05-01"), author: "A"))
        r.steps.append(.init(stage: .schoolExperience, on: Self.day("2026-05-01"), author: "A"))
        #expect(r.stage == .schoolExperience)
        r.steps.append(.init(stage: .stopped, on: Self.day("2026-06-01"), author: "A"))
        #expect(r.stage == .stopped)
        let today = Self.day("2026-12-07")
        let old = ServicePeriod(
            urn: 1, role: .teacher, startedOn: Self.day("2015-09-01"), finishedOn: Self.day("2025-08-31"))
        #expect(Returner.backInPost(since: r.since, periods: [old], today: today) == nil)
        let back = ServicePeriod(urn: 2, role: .teacher, startedOn: Self.day("2026-11-02"))
        #expect(Returner.backInPost(since: r.since, periods: [old, back], today: today) == back)
        let future = ServicePeriod(urn: 2, role: .teacher, startedOn: Self.day("2027-01-04"))
        #expect(Returner.backInPost(since: r.since, periods: [future], today: today) == nil)
        let ended = ServicePeriod(
            urn: 2, role: .teacher, startedOn: Self.day("2026-09-01"), finishedOn: Self.day("2026-10-31"))
        #expect(Returner.backInPost(since: r.since, periods: [ended], today: today) == nil)
    }

    @Test("The forms: each field's problem named; a step cannot be in the future or before the last")
    func forms() {
        let today = Self.day("2026-12-07")
        func fields(_ d: [String: String]) -> (String) -> String { { d[$0] ?? "" } }
        guard
            case .failure(let e) = Returner.parse(
                fields(["name": "", "email": "nope", "subject": "history", "postcode": "ZZ", "on": "2027-01-01"]),
                today: today, author: "A")
        else { Issue.record("accepted a bad returner"); return }
        #expect(Set(e.problems.map(\.field)) == ["name", "email", "subject", "postcode", "on"])
        guard
            case .success(let ok) = Returner.parse(
                fields([
                    "name": "Ruth Okafor", "email": "Ruth@Example.org", "subject": "physics", "postcode": "ct1 1qu",
                    "on": "2026-12-01",
                ]), today: today, author: "A")
        else { Issue.record("refused a good returner"); return }
        #expect(ok.subject == .physics && ok.postcode != nil && ok.on == Self.day("2026-12-01"))
        let last = Self.day("2026-11-01")
        for (form, field) in [
            (["stage": "back", "on": "2026-12-01"], "stage"),
            (["stage": "applying", "on": "2026-10-31"], "on"),
            (["stage": "applying", "on": "2026-12-08"], "on"),
            (["stage": "applying", "on": "soon"], "on"),
            (["stage": "applying", "on": "2026-12-01", "note": String(repeating: "x", count: 501)], "note"),
        ] {
            guard case .failure(let e) = Returner.parseStep(fields(form), after: last, today: today, author: "A")
            else { Issue.record("accepted \(form)"); continue }
            #expect(e.problems.map(\.field) == [field])
        }
        guard
            case .success(let s) = Returner.parseStep(
                fields(["stage": "applying", "on": "2026-11-01", "note": "Two posts"]), after: last, today: today,
                author: "A")
        else { Issue.record("refused a good step"); return }
        #expect(s.stage == .applying && s.note == "Two posts" && s.author == "A")
    }

    @Test("Figures: counts per group and stage, with people counts of 1 to 9 withheld")
    func figures() {
        let returners = (0..<23).map { i in
            Returner(
                name: "R\(i)", email: "", subject: i < 12 ? .mathematics : .physics, district: nil,
                steps: [.init(stage: i % 2 == 0 ? .interest : .applying, on: Day("2026-01-01")!, author: "A")])
        }
        let f = ReturnerFigures(returners, stage: \.stage, group: { $0.subject.label })
        #expect(f.rows.map(\.name) == ["All", "Mathematics", "Physics"])
        #expect(f.rows[0].counts == [.interest: 12, .applying: 11])
        #expect(f.rows[1].counts == [.interest: 6, .applying: 6])
        #expect(ReturnerFigures.shown(6) == nil && ReturnerFigures.shown(0) == 0 && ReturnerFigures.shown(10) == 10)
    }
}
