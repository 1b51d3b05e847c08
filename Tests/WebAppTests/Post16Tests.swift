import Foundation
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("Post-16 review rules: the form and the picture's gaps")
struct Post16RuleTests {
    let year = AcademicYear(start: 2026)!

    func parse(_ fields: [String: [String]]) -> Result<Post16Review, ValidationError> {
        Post16Review.parse(
            urn: 100_001, year: year, one: { fields[$0]?.first ?? "" }, all: { fields[$0] ?? [] })
    }

    @Test("Counts are bounded whole numbers; non-specialists no more than teachers; no provision asks nothing else")
    func form() throws {
        let good = try parse([
            "sixth_form": ["yes"], "english_teachers": ["4"], "english_nonspecialists": ["1"],
            "english_needs": ["resits", "send"], "mathematics_teachers": ["0"], "mathematics_nonspecialists": ["0"],
            "science_teachers": [" 12 "], "science_nonspecialists": ["3"], "science_needs": ["practical"],
            "offer": ["Exam board days"],
        ]).get()
        #expect(good.subjects[.english] == .init(teachers: 4, nonSpecialists: 1, needs: [.resits, .send]))
        #expect(good.subjects[.science]?.teachers == 12 && good.currentOffer == "Exam board days")
        let none = try parse(["sixth_form": ["no"], "english_teachers": ["-3"]]).get()
        #expect(!none.teaches16to19 && none.subjects.isEmpty)
        func fields(_ f: [String: [String]]) -> [String] {
            if case .failure(let e) = parse(f) { return e.problems.map(\.field) }
            return []
        }
        #expect(fields([:]) == ["sixth_form"])
        #expect(
            fields([
                "sixth_form": ["yes"], "english_teachers": ["2"], "english_nonspecialists": ["3"],
                "mathematics_teachers": ["9223372036854775807"], "mathematics_nonspecialists": ["0"],
                "science_teachers": ["1e3"], "science_nonspecialists": ["0"], "science_needs": ["astrology"],
                "offer": [String(repeating: "x", count: 2_001)],
            ]) == [
                "english_nonspecialists", "mathematics_teachers", "science_teachers", "science_needs", "offer",
            ])
    }

    @Test(
        "The picture adds up institutions teaching 16 to 19; a subject with needs and no post-16 programme to come is a gap"
    )
    func picture() {
        let today = Day("2026-12-06")!
        let a = Post16Review(
            urn: 1, year: year, teaches16to19: true,
            subjects: [
                .english: .init(teachers: 3, nonSpecialists: 1, needs: [.resits]),
                .mathematics: .init(teachers: 4, nonSpecialists: 0, needs: [.coreMaths]),
                .science: .init(teachers: 0, nonSpecialists: 0, needs: []),
            ], currentOffer: "")
        let b = Post16Review(urn: 2, year: year, teaches16to19: false, subjects: [:], currentOffer: "")
        let maths = CPDProgramme(
            provider: "Maths Hub", title: "A level mechanics", summary: "", kind: .post16, phases: [.post16],
            subjects: [.mathematics], format: .online)
        let oldEnglish = CPDProgramme(
            provider: "U", title: "Past", summary: "", kind: .post16, phases: [.post16], subjects: [.english],
            format: .online)
        let secondaryOnly = CPDProgramme(
            provider: "U", title: "KS3 English", summary: "", kind: .subjectKnowledge, phases: [.secondary],
            subjects: [.english], format: .online)
        let cohorts: [UUID: [CPDCohort]] = [
            maths.id: [CPDCohort(programme: maths.id, sessions: [CPDSession("2027-01-14 16:00-17:00")!], places: 5)],
            oldEnglish.id: [
                CPDCohort(programme: oldEnglish.id, sessions: [CPDSession("2026-10-01 16:00-17:00")!], places: 5)
            ],
            secondaryOnly.id: [
                CPDCohort(programme: secondaryOnly.id, sessions: [CPDSession("2027-01-14 16:00-17:00")!], places: 5)
            ],
        ]
        let p = Post16Picture.build(
            reviews: [a, b], programmes: [maths, oldEnglish, secondaryOnly], cohorts: cohorts, today: today)
        #expect(p.reviews == 2 && p.teaching16to19 == 1)
        let english = p.subjects[0]
        let mathsLine = p.subjects[1]
        let science = p.subjects[2]
        #expect(english.teachers == 3 && english.nonSpecialists == 1 && english.needs[.resits] == 1)
        #expect(english.programmes.isEmpty && english.isGap)
        #expect(mathsLine.programmes == [maths.id] && !mathsLine.isGap)
        #expect(science.institutions == 0 && science.programmes.isEmpty && !science.isGap)
    }
}

@Suite("The post-16 review", .serialized)
struct Post16Tests {
    @Test("A coordinator submits an institution's review; bad answers write nothing; the picture counts it")
    func submit() async throws {
        try await withTestApp(seed: true) { app in
            let partnership = try #require(try await OrganisationStore(app.db).mainPartnership())
            let schools = try await SchoolStore(app.db).open(inLocalAuthorities: partnership.localAuthorityCodes)
            let year = AcademicYear.containing(Day.inUK(app.clock.now()))
            let reviewed = Set(try await Post16Store(app.db).reviews(year: year).map(\.review.urn))
            #expect(!reviewed.isEmpty)
            let school = try #require(
                schools.first { Post16Review.isCandidate($0) && !reviewed.contains($0.urn.value) })
            let primary = try #require(schools.first { $0.phase == .primary })
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let path = "/post16/\(school.urn.value)"
            let before = try await coordinator.get("/post16")
            #expect(before.body.contains("\(reviewed.count) of "))
            #expect(try await coordinator.get("/post16/\(primary.urn.value)").status == .notFound)
            #expect(try await coordinator.get("/post16/99999999999999999999").status == .notFound)
            let bad = try await coordinator.submit(
                path, from: path,
                ["sixth_form": "yes", "english_teachers": "2", "english_nonspecialists": "5", "offer": "x"])
            #expect(bad.status == .badRequest && bad.body.contains("cannot be more than its teachers (2)"))
            #expect(try await Post16Store(app.db).review(urn: school.urn.value, year: year) == nil)
            let ok = try await coordinator.submit(
                path, from: path,
                [
                    "sixth_form": "yes", "english_teachers": "5", "english_nonspecialists": "2",
                    "english_needs": "resits", "mathematics_teachers": "4", "mathematics_nonspecialists": "0",
                    "science_teachers": "7", "science_nonspecialists": "1", "offer": "Exam board days only",
                ])
            #expect(ok.status == .seeOther)
            let page = try await coordinator.get(try #require(ok.location))
            #expect(page.body.contains("The review was saved") && page.body.contains("Exam board days only"))
            let stored = try #require(try await Post16Store(app.db).review(urn: school.urn.value, year: year))
            #expect(stored.review.subjects[.english]?.needs == [.resits] && !stored.review.generated)
            let after = try await coordinator.get("/post16")
            #expect(after.body.contains("\(reviewed.count + 1) of "))
            #expect(after.body.contains("Exam board days only"))
            // Submitting again replaces the year's review.
            _ = try await coordinator.submit(path, from: path, ["sixth_form": "no"])
            let replaced = try await Post16Store(app.db).reviews(year: year).filter {
                $0.review.urn == school.urn.value
            }
            #expect(replaced.count == 1 && replaced[0].review.teaches16to19 == false)
            let audit = try await AuditLog(app.db).events(AuditLog.Filter()).events
            #expect(audit.filter { $0.action == .post16ReviewSaved }.count == 2)
        }
    }
}
