import Foundation
import Testing

@testable import Domain

@Suite struct DevelopmentTests {
    static let today = Day("2026-12-07")!
    static let year = AcademicYear.containing(today)
    static let school = GridPoint(easting: 530_000, northing: 105_000)

    static func profile(_ rater: DevelopmentProfile.Rater, _ ratings: [ECFArea: DevelopmentRating])
        -> DevelopmentProfile
    {
        var all = Dictionary(uniqueKeysWithValues: ECFArea.allCases.map { ($0, DevelopmentRating.secure) })
        for (k, v) in ratings { all[k] = v }
        return DevelopmentProfile(
            teacher: UUID(), year: year, term: .autumn, rater: rater, ratings: all, recordedBy: "x", recordedAt: Date())
    }

    static func programme(
        _ title: String, areas: Set<ECFArea>, kind: CPDKind = .subjectKnowledge, format: CPDFormat = .inPerson,
        venue: Int? = 1, phases: Set<CPDPhase> = [], subjects: Set<TeachingSubject> = [],
        stages: Set<CareerStage> = [.earlyCareer]
    ) -> CPDProgramme {
        CPDProgramme(
            provider: "P", title: title, summary: "s", kind: kind, phases: phases, subjects: subjects, stages: stages,
            format: format, venueURN: format == .online ? nil : venue, ecfAreas: areas)
    }

    static func cohort(_ p: CPDProgramme, in days: Int, places: Int = 10, taken: Int = 0) -> CPDCohort {
        CPDCohort(
            programme: p.id, sessions: [CPDSession(day: Day(ordinal: today.ordinal + days), start: 960, end: 1050)],
            places: places, taken: taken)
    }

    @Test("An area's need: 2 for an area to develop, 1 for developing, half a point more when both agree")
    func weights() {
        let needs = DevelopmentNeeds(
            own: Self.profile(.ect, [.assessment: .developing, .managingBehaviour: .developing]),
            mentor: Self.profile(.mentor, [.assessment: .areaToDevelop, .adaptiveTeaching: .developing]))
        #expect(needs.needs.map(\.area) == [.assessment, .adaptiveTeaching, .managingBehaviour])
        #expect(needs.needs.map(\.weight) == [2.5, 1, 1])
        #expect(
            needs.needs[0].because
                == "your mentor rated assessment as an area to develop and you rated it as developing")
        #expect(needs.needs[1].because == "your mentor rated adaptive teaching as developing")
        #expect(needs.needs[2].because == "you rated managing behaviour as developing")
        let agreed = DevelopmentNeeds(
            own: Self.profile(.ect, [.assessment: .developing]),
            mentor: Self.profile(.mentor, [.assessment: .developing]))
        #expect(agreed.needs.first?.because == "you and your mentor rated assessment as developing")
        #expect(DevelopmentNeeds(own: nil, mentor: nil).needs.isEmpty)
        #expect(DevelopmentNeeds(own: Self.profile(.ect, [:]), mentor: nil).needs.isEmpty)
    }

    @Test("Suggestions: ranked by need met, then distance; each with its reason in words")
    func ranking() {
        let needs = DevelopmentNeeds(
            own: nil, mentor: Self.profile(.mentor, [.assessment: .areaToDevelop, .adaptiveTeaching: .developing]))
        let both = Self.programme("Both", areas: [.assessment, .adaptiveTeaching], venue: 2)
        let near = Self.programme("Assessment near", areas: [.assessment], venue: 1)
        let online = Self.programme("Assessment online", areas: [.assessment], format: .online)
        let far = Self.programme("Assessment far", areas: [.assessment], venue: 3)
        let adaptive = Self.programme("Adaptive", areas: [.adaptiveTeaching], venue: 1)
        let programmes = [adaptive, far, online, near, both]
        let cohorts = Dictionary(uniqueKeysWithValues: programmes.map { ($0.id, [Self.cohort($0, in: 30)]) })
        let venues: [Int: GridPoint] = [
            1: Self.school, 2: GridPoint(easting: 536_000, northing: 113_000),
            3: GridPoint(easting: 570_000, northing: 105_000),
        ]
        let learner = CPDSuggester.Learner(phase: .primary, subject: .primary, school: Self.school)
        let out = CPDSuggester.suggest(
            needs: needs, for: learner, programmes: programmes, cohorts: cohorts, venues: venues, today: Self.today)
        // "Far" is 40 km away: beyond the 30 km reach.
        #expect(out.map(\.programme.title) == ["Both", "Assessment near", "Assessment online", "Adaptive"])
        #expect(out.map(\.score) == [3, 2, 2, 1])
        #expect(
            out[0].reason
                == "Because your mentor rated assessment as an area to develop; and your mentor rated adaptive teaching as developing, and this runs 10 km from your school."
        )
        #expect(
            out[1].reason == "Because your mentor rated assessment as an area to develop, and this runs at your school."
        )
        #expect(out[2].reason.hasSuffix(", and it is online."))
        #expect(out[0].distanceKm == 10)
        #expect(out[2].distanceKm == nil)
        let wider = CPDSuggester.suggest(
            needs: needs, for: learner, programmes: programmes, cohorts: cohorts, venues: venues, today: Self.today,
            reachKm: 50, limit: 2)
        #expect(wider.map(\.programme.title) == ["Both", "Assessment near"])
    }

    @Test("Suggestions suit the teacher: career stage, phase, subject, a cohort still to start with a place, not held")
    func filters() {
        let needs = DevelopmentNeeds(own: nil, mentor: Self.profile(.mentor, [.subjectAndCurriculum: .areaToDevelop]))
        let ok = Self.programme("Fits", areas: [.subjectAndCurriculum])
        let leaders = Self.programme("Leaders", areas: [.subjectAndCurriculum], stages: [.middleLeader])
        let primary = Self.programme("Primary only", areas: [.subjectAndCurriculum], phases: [.primary])
        let physics = Self.programme("Physics", areas: [], kind: .tsst, subjects: [.physics])
        let maths = Self.programme("Maths", areas: [.subjectAndCurriculum], subjects: [.mathematics])
        let full = Self.programme("Full", areas: [.subjectAndCurriculum])
        let started = Self.programme("Started", areas: [.subjectAndCurriculum])
        let held = Self.programme("Held", areas: [.subjectAndCurriculum])
        let leadership = Self.programme("Leadership", areas: [], kind: .leadership)
        let noVenue = Self.programme("Nowhere", areas: [.subjectAndCurriculum], venue: 99)
        var cohorts: [UUID: [CPDCohort]] = [:]
        for p in [ok, leaders, primary, physics, maths, held, leadership, noVenue] {
            cohorts[p.id] = [Self.cohort(p, in: 20)]
        }
        cohorts[full.id] = [Self.cohort(full, in: 20, places: 5, taken: 5)]
        cohorts[started.id] = [Self.cohort(started, in: 0), Self.cohort(started, in: -7)]
        let all = [ok, leaders, primary, physics, maths, full, started, held, leadership, noVenue]
        let learner = CPDSuggester.Learner(phase: .secondary, subject: .physics, school: Self.school)
        let out = CPDSuggester.suggest(
            needs: needs, for: learner, programmes: all, cohorts: cohorts, venues: [1: Self.school], today: Self.today,
            holding: [held.id])
        // TSST physics develops subject and curriculum by its kind; leadership develops no area unless chosen.
        #expect(Set(out.map(\.programme.title)) == ["Fits", "Physics"])
        // A primary teacher is not held to a programme's subject: they teach every subject.
        let primaryLearner = CPDSuggester.Learner(phase: .primary, subject: .primary, school: Self.school)
        let forPrimary = CPDSuggester.suggest(
            needs: needs, for: primaryLearner, programmes: all, cohorts: cohorts, venues: [1: Self.school],
            today: Self.today, holding: [held.id])
        #expect(Set(forPrimary.map(\.programme.title)) == ["Fits", "Primary only", "Physics", "Maths"])
        // With nothing to develop, nothing is suggested.
        #expect(
            CPDSuggester.suggest(
                needs: DevelopmentNeeds(own: nil, mentor: nil), for: learner, programmes: all, cohorts: cohorts,
                venues: [1: Self.school], today: Self.today
            ).isEmpty)
        // The earliest cohort still to start with a place is the one to ask for.
        let later = Self.cohort(ok, in: 60)
        let soonFull = Self.cohort(ok, in: 10, places: 3, taken: 3)
        cohorts[ok.id] = [later, soonFull, Self.cohort(ok, in: 40)]
        let pick = CPDSuggester.suggest(
            needs: needs, for: learner, programmes: [ok], cohorts: cohorts, venues: [1: Self.school], today: Self.today)
        #expect(pick.first?.cohort.startsOn == Day(ordinal: Self.today.ordinal + 40))
    }

    @Test("A profile form needs a rating from 1 to 4 in every area, each named by its field")
    func form() throws {
        var form: [String: String] = [:]
        for a in ECFArea.allCases { form[DevelopmentProfile.field(a)] = "3" }
        form["area-assessment"] = "1"
        let (ratings, note) = try DevelopmentProfile.ratings(form).get()
        #expect(ratings[.assessment] == .areaToDevelop && ratings[.howPupilsLearn] == .secure && note.isEmpty)
        for bad in ["0", "5", "-1", "", "2.5", "9223372036854775808", "1e1", " ", "x"] {
            var f = form
            f["area-adaptive-teaching"] = bad
            guard case .failure(let e) = DevelopmentProfile.ratings(f) else {
                Issue.record("\(bad) was accepted")
                continue
            }
            #expect(e.problems.map(\.field) == ["area-adaptive-teaching"])
        }
        form["note"] = String(repeating: "é", count: 1_001)
        guard case .failure(let e) = DevelopmentProfile.ratings(form) else {
            Issue.record("long note accepted"); return
        }
        #expect(e.problems.map(\.field) == ["note"])
        #expect(DevelopmentProfile.ratings([:]).isFailure)
    }

    @Test("The areas a programme develops: its own, or its kind's when none are chosen")
    func implied() {
        #expect(Self.programme("a", areas: [], kind: .tsst).developsAreas == [.subjectAndCurriculum])
        #expect(Self.programme("a", areas: [], kind: .research).developsAreas == [.howPupilsLearn])
        #expect(Self.programme("a", areas: [], kind: .npq).developsAreas.isEmpty)
        #expect(Self.programme("a", areas: [.assessment], kind: .tsst).developsAreas == [.assessment])
    }

    @Test("The region's areas against supply: teachers with each area, programmes and places still to come")
    func demand() {
        let a = DevelopmentNeeds(own: nil, mentor: Self.profile(.mentor, [.assessment: .areaToDevelop]))
        let b = DevelopmentNeeds(
            own: Self.profile(.ect, [.assessment: .developing, .managingBehaviour: .developing]), mentor: nil)
        let c = DevelopmentNeeds(own: Self.profile(.ect, [:]), mentor: nil)
        let p = Self.programme("Assessment", areas: [.assessment])
        let q = Self.programme("Assessment too", areas: [.assessment, .howPupilsLearn])
        let cohorts: [UUID: [CPDCohort]] = [
            p.id: [Self.cohort(p, in: 10, places: 12, taken: 2), Self.cohort(p, in: -3, places: 50)],
            q.id: [Self.cohort(q, in: 10, places: 4, taken: 4)],
        ]
        let rows = DevelopmentDemand.rows(
            needs: [a, b, c], programmes: [p, q], cohorts: cohorts, today: Self.today, takenUp: [.assessment: 3])
        let assessment = rows.first { $0.area == .assessment }!
        #expect(assessment.ects == 2 && assessment.profiled == 3)
        #expect(assessment.programmes == 1 && assessment.places == 10 && assessment.takenUp == 3)
        let behaviour = rows.first { $0.area == .managingBehaviour }!
        #expect(behaviour.ects == 1 && behaviour.programmes == 0 && behaviour.places == 0)
        #expect(rows.map(\.area) == ECFArea.allCases)
    }
}

@Suite struct InductionTests {
    static func induction(_ start: String, fte: Double = 1, extra: Int = 0) -> Induction {
        Induction(
            teacher: UUID(), urn: 1, appropriateBody: .localAuthority, appropriateBodyName: "Kent", route: .providerLed,
            tutor: "T", startedOn: Day(start)!, fte: fte, extensionTerms: extra)
    }

    @Test("Six terms full time, longer in proportion part time (rounded up to a whole term), plus extensions")
    func terms() {
        #expect(Self.induction("2025-09-01").termsRequired == 6)
        #expect(Self.induction("2025-09-01", fte: 0.5).termsRequired == 12)
        #expect(Self.induction("2025-09-01", fte: 0.8).termsRequired == 8)
        #expect(Self.induction("2025-09-01", fte: 0.6).termsRequired == 10)
        #expect(Self.induction("2025-09-01", extra: 2).termsRequired == 8)
        // From September: autumn 2025 is the first term, summer 2027 the sixth.
        #expect(Self.induction("2025-09-01").expectedEnd == Day("2027-08-31"))
        // From January: spring 2026 first, autumn 2027 sixth.
        #expect(Self.induction("2026-01-05").expectedEnd == Day("2027-12-31"))
        #expect(Self.induction("2026-04-20", fte: 0.5).expectedEnd == Day("2030-03-31"))
        #expect(Self.induction("2025-09-01", extra: 1).expectedEnd == Day("2027-12-31"))
    }

    @Test("Status: in progress, due within 90 days, overdue past the end with no outcome, or its outcome")
    func status() {
        let i = Self.induction("2025-09-01")
        #expect(i.status(on: Day("2026-12-07")!) == .inProgress)
        #expect(i.status(on: Day("2027-06-01")!) == .inProgress)
        #expect(i.status(on: Day("2027-06-02")!) == .dueToFinish)
        #expect(i.status(on: Day("2027-09-01")!) == .overdue)
        var passed = i
        passed.outcome = .passed
        #expect(passed.status(on: Day("2027-09-01")!) == .passed)
    }

    @Test("The induction form names each bad field; an outcome ends it, an extension adds terms")
    func forms() throws {
        let today = Day("2026-12-07")!
        let teacher = UUID()
        var form = [
            "appropriate_body_kind": "local-authority", "appropriate_body": "Kent County Council",
            "route": "provider-led", "tutor": "Ann Lee", "started_on": "2025-09-01",
        ]
        let ok = try Induction.parse(form, teacher: teacher, urn: 5, fte: 0.5, today: today).get()
        #expect(ok.termsRequired == 12 && ok.appropriateBodyName == "Kent County Council")
        form["appropriate_body_kind"] = "ofsted"
        form["tutor"] = String(repeating: "t", count: 201)
        form["started_on"] = "2027-01-01"
        form["route"] = ""
        guard case .failure(let e) = Induction.parse(form, teacher: teacher, urn: 5, fte: 1, today: today) else {
            Issue.record("accepted")
            return
        }
        #expect(Set(e.problems.map(\.field)) == ["appropriate_body_kind", "tutor", "started_on", "route"])
        let extended = try ok.recording(["outcome": "extended", "extension_terms": "2"], on: today).get()
        #expect(extended.termsRequired == 14 && extended.outcome == .extended)
        #expect(ok.recording(["outcome": "extended", "extension_terms": "9"], on: today).isFailure)
        #expect(ok.recording(["outcome": "maybe"], on: today).isFailure)
        let passed = try extended.recording(["outcome": "passed"], on: today).get()
        #expect(passed.outcome == .passed && passed.outcomeOn == today)
        #expect(passed.recording(["outcome": "failed"], on: today).isFailure)
    }

    @Test("Other ECTs who left a school early: ended within two years, not by a move in the partnership, last 3 years")
    func earlyLeavers() {
        let today = Day("2026-12-07")!
        func p(_ start: String, _ end: String?, _ reason: EndReason?, urn: Int = 1, role: StaffRole = .ect)
            -> (teacher: UUID, period: ServicePeriod)
        {
            (
                UUID(),
                ServicePeriod(
                    urn: urn, role: role, startedOn: Day(start)!, finishedOn: end.flatMap { Day($0) }, endReason: reason
                )
            )
        }
        let periods = [
            p("2024-09-01", "2025-08-31", .leftTeaching),  // left after a year: counts
            p("2023-09-01", "2024-03-31", .movedOutOfRegion),  // counts
            p("2024-09-01", "2025-07-31", .movedWithinPartnership),  // a move: not counted
            p("2022-09-01", "2024-08-31", nil),  // completed: not counted
            p("2019-09-01", "2020-07-31", .leftTeaching),  // too long ago
            p("2025-09-01", nil, nil),  // still there
            p("2024-09-01", "2025-08-31", .leftTeaching, urn: 2),  // another school
            p("2024-09-01", "2025-08-31", .leftTeaching, role: .teacher),  // not an ECT
        ]
        #expect(EarlyLeavers.count(at: 1, periods: periods, excluding: nil, on: today) == 2)
        #expect(EarlyLeavers.count(at: 1, periods: periods, excluding: periods[0].teacher, on: today) == 1)
    }
}

@Suite struct CareerPlanningTests {
    @Test("Peers' paths: of those who started at least n years ago, who was teaching, leading, mentoring, elsewhere")
    func paths() {
        let today = Day("2026-12-07")!
        func teacher(_ subject: TeachingSubject, _ periods: [ServicePeriod]) -> TeacherRecord {
            TeacherRecord(trn: nil, firstName: "A", lastName: "B", specialisms: [subject], periods: periods)
        }
        func p(_ urn: Int, _ role: StaffRole, _ start: String, _ end: String? = nil) -> ServicePeriod {
            ServicePeriod(urn: urn, role: role, startedOn: Day(start)!, finishedOn: end.flatMap { Day($0) })
        }
        var register: [TeacherRecord] = []
        // 12 maths teachers from 2020: 6 stay and lead from 2023, 3 move school in 2022, 3 leave in 2021.
        for _ in 0..<6 {
            register.append(
                teacher(
                    .mathematics,
                    [
                        p(1, .ect, "2020-09-01", "2022-08-31"), p(1, .teacher, "2022-09-01"),
                        p(1, .middleLeader, "2023-09-01"),
                    ]))
        }
        for _ in 0..<3 {
            register.append(
                teacher(.mathematics, [p(1, .ect, "2020-09-01", "2022-08-31"), p(2, .teacher, "2022-09-01")]))
        }
        for _ in 0..<3 { register.append(teacher(.mathematics, [p(1, .ect, "2020-09-01", "2021-07-31")])) }
        // Two recent starters: too recent for three or five years.
        for _ in 0..<2 { register.append(teacher(.mathematics, [p(1, .ect, "2025-09-01")])) }
        register.append(teacher(.history, [p(3, .ect, "2019-09-01")]))
        let basis = CareerPaths.basis(for: .mathematics, register: register, today: today)
        #expect(basis == .subject(.mathematics))
        let rows = CareerPaths.rows(register: register, basis: basis, today: today)
        #expect(rows.map(\.years) == [1, 3, 5])
        #expect(rows[0].people == 14 && rows[0].teaching == 11)
        #expect(rows[1].people == 12 && rows[1].teaching == 9 && rows[1].leading == 6 && rows[1].movedSchool == 3)
        #expect(rows[2].people == 12 && rows[2].leading == 6 && rows[2].teaching == 9)
        // History has one person: the basis widens to secondary (13 with three years or more), all shown.
        #expect(CareerPaths.basis(for: .history, register: register, today: today) == .phase(primary: false))
        #expect(CareerPaths.basis(for: .primary, register: register, today: today) == .everyone)
        let few = CareerPaths.rows(register: Array(register.prefix(5)), basis: .everyone, today: today)
        #expect(few.allSatisfy { !$0.shown })
    }

    @Test("A conversation needs an aspiration, a timescale and a next step; the NPQs follow the aspiration")
    func conversation() throws {
        let today = Day("2026-12-07")!
        let ok = try CareerConversation.parse(
            [
                "aspiration": "subject-leadership", "timescale": "one-to-three-years",
                "next_step": "Shadow the head of maths",
            ],
            teacher: UUID(), today: today, by: "A"
        ).get()
        #expect(ok.aspiration == .subjectLeadership && ok.with.isEmpty)
        guard
            case .failure(let e) = CareerConversation.parse(
                ["aspiration": "astronaut", "next_step": String(repeating: "x", count: 501)], teacher: UUID(),
                today: today, by: "A")
        else {
            Issue.record("accepted")
            return
        }
        #expect(Set(e.problems.map(\.field)) == ["aspiration", "timescale", "next_step"])
        #expect(CareerAspiration.subjectLeadership.npqs(primary: true).contains("npq-leading-primary-mathematics"))
        #expect(!CareerAspiration.subjectLeadership.npqs(primary: false).contains("npq-leading-primary-mathematics"))
        #expect(CareerAspiration.send.npqs(primary: false) == ["npq-senco"])
        #expect(CareerAspiration.undecided.npqs(primary: true).isEmpty)
    }
}
