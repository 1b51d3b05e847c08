import Foundation
import Pages
import SQLKit
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("Evidence rules: Toolkit strands, resources, engagement and each school's share")
struct EvidenceRuleTests {
    @Test("The bundled strand list: the Toolkit's names, each once, with stable keys")
    func strands() throws {
        let strands = try BundledData.eefStrands()
        #expect(strands.count == 31)
        #expect(strands.contains { $0.name == "Metacognition and self-regulation" })
        #expect(EEFStrand(name: "Metacognition and self-regulation").slug == "metacognition-and-self-regulation")
        #expect(EEFStrand(name: "One to one tuition").slug == "one-to-one-tuition")
        #expect(Set(strands.map(\.slug)).count == 31)
        do {
            _ = try EEFStrand.read(Array("strand\nFeedback\n\nfeedback\n".utf8), file: "s.csv")
            Issue.record("a repeated strand was accepted")
        } catch {
            #expect(error.problems.map(\.line) == [4])
            #expect(error.description.contains("s.csv"))
        }
    }

    @Test("Engagement form: each problem named by field; a strand needs a known strand and a reflection")
    func parse() throws {
        let strands = try BundledData.eefStrands()
        let today = Day("2026-12-06")!
        func fields(_ kind: String, _ strand: String, _ title: String, _ reflection: String, _ on: String) -> [String] {
            switch ResearchEngagement.parse(
                kind: kind, strand: strand, title: title, reflection: reflection, on: on, strands: strands,
                today: today)
            {
            case .success: []
            case .failure(let e): e.problems.map(\.field)
            }
        }
        #expect(fields("strand", "feedback", "", "It went well", "2026-12-01") == [])
        #expect(fields("event", "", "Twilight", "", "2026-12-06") == [])
        #expect(fields("", "", "", "", "") == ["kind", "on"])
        #expect(fields("strand", "astrology", "", "", "2026-12-07") == ["on", "strand", "reflection"])
        #expect(fields("enquiry", "", "", "", "1999-12-31") == ["on", "title"])
        #expect(fields("event", "", String(repeating: "x", count: 201), "", "2026-02-30") == ["on", "title"])
        #expect(
            fields(
                "strand", "feedback", "", String(repeating: "y", count: ResearchEngagement.maxReflection + 1),
                "2026-12-01")
                == ["reflection"])
        let v = try ResearchEngagement.parse(
            kind: "strand", strand: "feedback", title: "ignored", reflection: " Good ", on: "2026-12-01",
            strands: strands, today: today
        ).get()
        #expect(v.strand == "feedback" && v.title == nil && v.reflection == "Good")
    }

    @Test("A resource: title, summary, known strands, an https address, not published in the future")
    func resource() throws {
        let strands = try BundledData.eefStrands()
        let today = Day("2026-12-06")!
        var r = EvidenceResource(
            title: "Feedback in practice", summary: "A summary", kind: .guidance, strands: ["feedback"],
            phases: [.primary], url: "https://example.org/feedback", publishedOn: today)
        #expect(r.problems(strands: strands, today: today).isEmpty)
        r.url = "javascript:alert(1)"
        r.strands = ["feedback", "astrology"]
        r.publishedOn = Day("2026-12-07")!
        r.title = ""
        #expect(r.problems(strands: strands, today: today).map(\.field) == ["title", "strands", "url", "published"])
        let search = EvidenceSearch(text: "FEEDBACK practice", strand: "feedback", kind: nil, phase: .primary)
        let byslug = Dictionary(uniqueKeysWithValues: strands.map { ($0.slug, $0) })
        r = EvidenceResource(
            title: "In practice", summary: "", kind: .tool, strands: ["feedback"], phases: [], url: nil,
            publishedOn: today)
        // "feedback" matches the strand's name; a resource for every phase suits primary.
        #expect(search.matches(r, strands: byslug))
        #expect(!EvidenceSearch(kind: .blog).matches(r, strands: byslug))
        #expect(!EvidenceSearch(strand: "homework").matches(r, strands: byslug))
    }

    @Test("The share: teachers in post during the year; engagement counts at the school it names, once per teacher")
    func share() {
        let y = AcademicYear(start: 2025)!
        let previous = AcademicYear(start: 2024)!
        // Twelve teachers at school 1 all year; one who left in July 2025 (the year before only); one at school 2.
        var teachers = (0..<12).map { i in
            TeacherRecord(
                trn: nil, firstName: "T\(i)", lastName: "A",
                periods: [ServicePeriod(urn: 1, role: .teacher, startedOn: Day("2020-09-01")!)])
        }
        teachers.append(
            TeacherRecord(
                trn: nil, firstName: "Left", lastName: "B",
                periods: [
                    ServicePeriod(
                        urn: 1, role: .teacher, startedOn: Day("2019-09-01")!, finishedOn: Day("2025-07-31")!,
                        endReason: .leftTeaching)
                ]))
        teachers.append(
            TeacherRecord(
                trn: nil, firstName: "Other", lastName: "C",
                periods: [ServicePeriod(urn: 2, role: .teacher, startedOn: Day("2020-09-01")!)]))
        let e: [(teacher: UUID, urn: Int?, on: Day)] = [
            (teachers[0].id, 1, Day("2025-10-01")!), (teachers[0].id, 1, Day("2026-03-01")!),  // twice: once
            (teachers[1].id, 1, Day("2026-08-31")!),  // last day of the year
            (teachers[2].id, 1, Day("2026-09-01")!),  // the next year
            (teachers[3].id, 2, Day("2025-10-01")!),  // names a school it was not at
            (teachers[4].id, nil, Day("2025-10-01")!),  // names no school
            (teachers[12].id, 1, Day("2024-11-01")!),  // the leaver, in the year before
        ]
        let cells = ResearchEngagementShare.bySchool(teachers: teachers, engagements: e, years: [previous, y])
        #expect(cells[1]?[y] == .init(engaged: 2, staff: 12))
        #expect(cells[1]?[y]?.share == 2.0 / 12.0)
        #expect(cells[1]?[previous] == .init(engaged: 1, staff: 13))
        #expect(cells[2]?[y] == .init(engaged: 0, staff: 1))
        #expect(cells[2]?[y]?.share == nil && cells[2]?[y]?.isSuppressed == true)
        #expect(ResearchEngagementShare.total(cells, year: y) == .init(engaged: 2, staff: 13))
    }
}

@Suite("Evidence and research engagement", .serialized)
struct EvidenceTests {
    @Test("The library: demo resources on real strands, searchable by plain GET; bad filters are named")
    func library() async throws {
        try await withTestApp(seed: true) { app in
            let agent = Agent(app)
            let all = try await agent.get("/evidence")
            #expect(all.status == .ok)
            let total = try await EvidenceStore(app.db).resourceCount()
            #expect(total > 31 && all.body.contains("\(total) resources"))
            #expect(all.body.contains("Metacognition and self-regulation") && all.body.contains("Demo"))
            let one = try await agent.get("/evidence?strand=feedback&kind=")
            let expected = try await EvidenceStore(app.db).resources().filter { $0.strands.contains("feedback") }
            #expect(!expected.isEmpty && one.body.contains("\(expected.count) resource"))
            #expect(one.body.contains(expected[0].title.replacingOccurrences(of: "'", with: "&#39;")))
            let bad = try await agent.get("/evidence?strand=astrology&kind=poem&phase=%01")
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("Choose a strand from the Toolkit") && bad.body.contains("Choose a kind"))
        }
    }

    @Test("A provider adds a resource with two strands; bad fields re-render with messages and write nothing")
    func addResource() async throws {
        try await withTestApp(seed: true) { app in
            let provider = Agent(app)
            try await provider.signIn(try app.demo(.providerStaff).email, try app.demo(.providerStaff).password)
            let before = try await EvidenceStore(app.db).resourceCount()
            let bad = try await provider.submit(
                "/evidence/new", from: "/evidence/new",
                ["title": "", "summary": "s", "kind": "poem", "url": "http://x.org", "published": "2099-01-01"])
            #expect(bad.status == .badRequest)
            for m in [
                "Enter a title", "Choose the kind", "Select at least one Toolkit strand", "https://",
                "today or in the past",
            ] {
                #expect(bad.body.contains(m), "\(m)")
            }
            #expect(bad.body.range(of: "Enter a title")!.lowerBound < bad.body.range(of: "Choose the kind")!.lowerBound)
            #expect(try await EvidenceStore(app.db).resourceCount() == before)
            let token = try #require(try await provider.get("/evidence/new").csrf)
            let body =
                "csrf_token=\(token)&title=Retrieval+practice+starters&summary=Ten+starters&kind=tool&strands=feedback&strands=homework&phases=secondary&url=https%3A%2F%2Fexample.org%2Fr&published=2026-01-05"
            let ok = try await provider.request(
                .POST, "/evidence/new", raw: body, contentType: "application/x-www-form-urlencoded")
            #expect(ok.status == .seeOther && ok.location == "/evidence?added=1")
            let added = try #require(
                try await EvidenceStore(app.db).resources().first { $0.title == "Retrieval practice starters" })
            #expect(added.strands == ["feedback", "homework"] && added.phases == [.secondary] && !added.generated)
            let listed = try await provider.get("/evidence?strand=homework&q=retrieval")
            #expect(listed.body.contains("1 resource of") && listed.body.contains("https://example.org/r"))
            let audit = try await AuditLog(app.db).events(AuditLog.Filter()).events
            #expect(
                audit.contains { $0.action == .evidenceResourceAdded && $0.detail == "Retrieval practice starters" })
        }
    }

    @Test(
        "A linked teacher records engagement: on their list and timeline, audited, counted in their school's share, the same figure on the cold-spots indicator"
    )
    func record() async throws {
        try await withTestApp(seed: true, workforce: true) { app in
            let teacher = Agent(app)
            let account = try app.demo(.teacher)
            try await teacher.signIn(account.email, account.password)
            let person = try await app.person(email: account.email)
            let record = try #require(try await TeacherLinkStore(app.db).teacher(for: .person(person.id)))
            let urn = try #require(
                try await TeacherStore(app.db).teacher(record)?.record.periods.first(where: \.isOpen)?.urn)
            let year = AcademicYear.containing(Day.inUK(app.clock.now()))
            func cell() async throws -> ResearchEngagementShare.Cell? {
                ResearchEngagementShare.bySchool(
                    teachers: try await TeacherStore(app.db).all(),
                    engagements: try await EvidenceStore(app.db).engagementPoints(), years: [year])[urn]?[year]
            }
            // Start from a teacher with nothing recorded this year, so the share moves by exactly one.
            try await app.db.transaction { tx in
                try await (tx as! any SQLDatabase).delete(from: "research_engagements")
                    .where("teacher_id", .equal, SQLBind(record)).run()
            }
            let before = try #require(try await cell())
            let bad = try await teacher.submit(
                "/evidence/engagement", from: "/evidence/engagement",
                ["kind": "strand", "strand": "feedback", "reflection": "", "on": "2999-01-01"])
            #expect(bad.status == .badRequest && bad.body.contains("Write a short reflection"))
            #expect(try await EvidenceStore(app.db).engagements(teacher: record).isEmpty)
            let today = Day.inUK(app.clock.now())
            let ok = try await teacher.submit(
                "/evidence/engagement", from: "/evidence/engagement",
                [
                    "kind": "strand", "strand": "metacognition-and-self-regulation",
                    "reflection": "Modelled my thinking aloud; pupils planned better.", "on": today.description,
                ])
            #expect(ok.status == .seeOther)
            let mine = try await teacher.get("/evidence/engagement?recorded=1")
            #expect(mine.body.contains("Modelled my thinking aloud") && mine.body.contains("was recorded"))
            let timeline = try await teacher.get("/teachers/\(record.uuidString.lowercased())")
            #expect(timeline.body.contains("Used a Toolkit strand in my teaching: Metacognition and self-regulation"))
            let after = try #require(try await cell())
            #expect(after.staff == before.staff && after.engaged == before.engaged + 1)
            let audit = try await AuditLog(app.db).events(involving: person.id)
            #expect(audit.contains { $0.action == .researchEngagementRecorded && $0.subjectPerson == person.id })
            let export = try await teacher.get("/account/export")
            #expect(export.body.contains("Modelled my thinking aloud"))

            // Staff see the same count on the share page (never the reflection), and the indicator's value agrees.
            let staff = Agent(app)
            try await staff.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let school = try #require(try await SchoolStore(app.db).find(URN(urn)))
            let page = try await staff.get("/evidence/share?la=\(school.localAuthority!.code)")
            #expect(page.status == .ok)
            #expect(page.body.contains(EvidencePages.percent(after)))
            #expect(!page.body.contains("Modelled my thinking aloud"))
            let csv = try await staff.get("/coldspots.csv?indicator=research-engagement")
            #expect(csv.status == .ok)
            let line = csv.body.split(whereSeparator: \.isNewline).first { $0.hasPrefix("\(urn),") }
            if let share = after.share {
                let fields = try #require(line).split(separator: ",", omittingEmptySubsequences: false)
                #expect(Double(fields[fields.count - 6]) == share)
            } else {
                #expect(line == nil)
            }
        }
    }

    @Test("An unlinked teacher is told how to get linked and cannot record; others cannot see the share")
    func unlinked() async throws {
        try await withTestApp(seed: true) { app in
            let teacher = Agent(app)
            try await teacher.signIn(try app.demo(.teacher).email, try app.demo(.teacher).password)
            let page = try await teacher.get("/evidence/engagement")
            #expect(page.body.contains("not yet linked"))
            let token = try #require(try await teacher.get("/dashboard").csrf)
            let refused = try await teacher.request(
                .POST, "/evidence/engagement",
                form: ["csrf_token": token, "kind": "event", "title": "Twilight", "on": "2026-01-01"])
            #expect(refused.status == .conflict)
            #expect(try await EvidenceStore(app.db).engagementCount() == 0)
            #expect(try await teacher.get("/evidence/share").status == .forbidden)
            let bad = Agent(app)
            try await bad.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            #expect(try await bad.get("/evidence/share?la=E99999999").status == .badRequest)
        }
    }
}
