import Foundation
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("Survey rules: questions, answers, and the statistics of the results")
struct SurveyRuleTests {
    @Test("Chi-square equals scipy's chi2_contingency(table, correction=False) and chi2.sf")
    func chiSquare() throws {
        // Printed by scipy 1.17.1.
        let cases: [([[Int]], Double, Double, Int)] = [
            ([[10, 20], [30, 25]], 3.505892255892255, 0.06115089757606777, 1),
            ([[12, 5, 9], [7, 15, 11]], 5.766451969083546, 0.05595396473970039, 2),
            ([[40, 10, 5], [30, 20, 15], [10, 25, 30]], 42.72759059122696, 1.1786017970603762e-08, 4),
        ]
        for (table, statistic, p, dof) in cases {
            let t = try #require(ChiSquareTest.run(table))
            #expect(abs(t.statistic - statistic) < 1e-10 && t.degreesOfFreedom == dof)
            #expect(abs(t.pValue - p) / p < 1e-9, "\(table): \(t.pValue) against \(p)")
        }
        #expect(abs(ChiSquareTest.survival(3.84, degreesOfFreedom: 1) - 0.05004352124870519) < 1e-12)
        #expect(abs(ChiSquareTest.survival(100, degreesOfFreedom: 4) - 9.836624224615988e-21) / 9.8e-21 < 1e-8)
        #expect(abs(ChiSquareTest.survival(0.5, degreesOfFreedom: 7) - 0.9994464813904249) < 1e-12)
        // Too small to test: an expected count under 5; a single row or column.
        #expect(ChiSquareTest.run([[1, 2], [3, 4]]) == nil)
        #expect(ChiSquareTest.run([[10, 20]]) == nil && ChiSquareTest.run([[10, 0], [20, 0]]) == nil)
    }

    @Test("Questions: a prompt, a kind, 2 to 20 different answers for a list; named errors")
    func questions() {
        func fields(prompt: String = "Q?", kind: String = "single", options: String = "A\nB", required: String = "")
            -> [String]
        {
            switch SurveyQuestion.parse(section: "", prompt: prompt, kind: kind, options: options, required: required) {
            case .success: []
            case .failure(let e): e.problems.map(\.field)
            }
        }
        #expect(fields() == [] && fields(kind: "likert", options: "") == [] && fields(kind: "text", options: "") == [])
        #expect(fields(options: "Only one") == ["options"] && fields(options: "A\na") == ["options"])
        #expect(fields(prompt: " ", kind: "essay", required: "maybe") == ["prompt", "kind", "required"])
        #expect(fields(prompt: String(repeating: "x", count: 301)) == ["prompt"])
        let likert = try? SurveyQuestion.parse(
            section: "", prompt: "Q", kind: "likert", options: "x\ny", required: "true"
        )
        .get()
        #expect(likert?.options == SurveyQuestion.likertOptions && likert?.required == true)
    }

    static let survey = Survey(
        title: "T", introduction: "I", anonymous: true,
        questions: [
            SurveyQuestion(section: "", prompt: "One", kind: .single, options: ["a", "b", "c"], required: true),
            SurveyQuestion(section: "", prompt: "Many", kind: .multiple, options: ["x", "y", "z"], required: false),
            SurveyQuestion(section: "", prompt: "Say", kind: .text, options: [], required: false),
        ], status: .open, createdAt: Date())

    @Test(
        "Answers outside a question's options, two answers to a one-answer question, a missing required answer: refused"
    )
    func answers() throws {
        func parse(_ values: [String: [String]]) -> Result<[Int: SurveyAnswer], ValidationError> {
            Self.survey.parseAnswers { values[$0] ?? [] }
        }
        #expect(
            try parse(["q1": ["2"], "q2": ["0", "2"], "q3": ["Time"]]).get() == [
                0: .choice(2), 1: .choices([0, 2]), 2: .text("Time"),
            ])
        #expect(try parse(["q1": ["0"]]).get() == [0: .choice(0)])
        for (values, field) in [
            (["q2": ["1"]], "q1"), (["q1": ["3"]], "q1"), (["q1": ["-1"]], "q1"), (["q1": ["0", "1"]], "q1"),
            (["q1": ["9223372036854775807"]], "q1"), (["q1": ["0"], "q2": ["1", "1"]], "q2"),
            (["q1": ["0"], "q2": ["0x1"]], "q2"),
            (["q1": ["0"], "q3": [String(repeating: "é", count: 2_001)]], "q3"),
        ] {
            switch parse(values) {
            case .success: Issue.record("accepted \(values)")
            case .failure(let e): #expect(e.problems.map(\.field) == [field], "\(values)")
            }
        }
    }

    @Test("Results by hand: shares of those who answered, tags, and withdrew against recruited")
    func results() throws {
        func group(_ provider: String, _ outcome: ApplicationState) -> RespondentGroup {
            RespondentGroup(provider: provider, route: .postgraduateFeeFunded, subject: .primary, outcome: outcome)
        }
        var responses: [SurveyResponse] = []
        // 12 who withdrew: 9 chose x; 12 recruited: 3 chose x. All answered q1 with a (withdrew) or b (recruited).
        for i in 0..<12 {
            responses.append(
                SurveyResponse(
                    group: group("P", .withdrawn), answers: [0: .choice(0), 1: .choices(i < 9 ? [0] : [1])],
                    tags: i == 0 ? [2: "Money"] : [:]))
            responses.append(
                SurveyResponse(group: group("Q", .recruited), answers: [0: .choice(1), 1: .choices(i < 3 ? [0] : [])]))
        }
        responses[0].answers[2] = .text("Bursaries")
        let r = SurveyResults.build(
            Self.survey, responses: responses, invitedByProvider: ["P": 20, "Q": 30],
            respondedByProvider: ["P": 12, "Q": 12])
        #expect(r.invited == 50 && r.responses == 24)
        #expect(r.rates.map(\.responded) == [Proportion(12, of: 20), Proportion(12, of: 30)])
        #expect(
            r.questions[0].options.map(\.share) == [
                Proportion(12, of: 24), Proportion(12, of: 24), Proportion(0, of: 24),
            ])
        #expect(
            r.questions[1].options.map(\.share) == [
                Proportion(12, of: 24), Proportion(3, of: 24), Proportion(0, of: 24),
            ])
        let joined = r.questions[1].leftVersusRecruited[0]
        #expect(joined.left == Proportion(9, of: 12) && joined.recruited == Proportion(3, of: 12))
        // 2×2 [[9, 3], [3, 9]]: expected 6 everywhere, χ² = 4 × 9/6 = 6.
        #expect(abs((joined.test?.statistic ?? 0) - 6) < 1e-12)
        let byProvider = try #require(r.questions[0].crossTabs.first { $0.breakdown == .provider })
        #expect(byProvider.groups == ["P", "Q"] && byProvider.counts == [[12, 0, 0], [0, 12, 0]])
        // A characteristic respondents give (the answer to the single-choice question) breaks down the others:
        // groups in the options' order, only those answered; x by it is the same [[9, 3], [3, 9]] table.
        let byAnswer = try #require(r.questions[1].crossTabs.first { $0.question == 0 })
        #expect(byAnswer.breakdown == nil && byAnswer.label == "One" && byAnswer.groups == ["a", "b"])
        #expect(byAnswer.counts == [[9, 3, 0], [3, 0, 0]] && byAnswer.answered == [12, 12])
        #expect(abs((byAnswer.tests[0]?.statistic ?? 0) - 6) < 1e-12)
        #expect(!r.questions[0].crossTabs.contains { $0.question == 0 })
        #expect(r.questions[2].textByTag == ["Money": ["Bursaries"]])
    }
}

@Suite("Barrier surveys, as the coordinator and respondents use them", .serialized)
struct SurveyTests {
    @Test("Build, open, invite a cycle's candidates, answer once through the link, remind, tag, export")
    func lifecycle() async throws {
        try await withTestApp(seed: true) { app in
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            // The demo's generated survey, with its results joined to the funnel.
            let list = try await coordinator.get("/surveys")
            #expect(list.status == .ok && list.body.contains("Barriers to applying"))

            let bad = try await coordinator.submit("/surveys", from: "/surveys", ["title": "", "anonymous": "x"])
            #expect(bad.status == .badRequest && bad.body.contains("Enter a title"))
            let created = try await coordinator.submit(
                "/surveys", from: "/surveys",
                ["title": "Why did you stop?", "introduction": "Five minutes.", "anonymous": "false"])
            let path = try #require(created.location)
            let noOptions = try await coordinator.submit(
                "\(path)/questions", from: path,
                ["prompt": "What got in the way?", "kind": "multiple", "options": "Cost"])
            #expect(noOptions.status == .badRequest && noOptions.body.contains("Give 2 to 20 answers"))
            for fields in [
                ["prompt": "What got in the way?", "kind": "multiple", "options": "Cost\nTime\nTravel"],
                ["prompt": "I felt supported.", "kind": "likert", "required": "true"],
                ["prompt": "Anything else?", "kind": "text"],
            ] {
                #expect(try await coordinator.submit("\(path)/questions", from: path, fields).status == .seeOther)
            }
            #expect(try await coordinator.submit("\(path)/open", from: path, [:]).status == .seeOther)
            // Questions cannot change once it is open.
            #expect(
                try await coordinator.submit("\(path)/questions", from: path, ["prompt": "Late", "kind": "text"]).status
                    == .badRequest)

            // One provider's candidates for the demo cycle.
            let provider = try await TraineeTests.provider(app)
            let cycle = try #require(try await ApplicationStore(app.db).cycles().first)
            let candidates = Set(
                try await ApplicationStore(app.db).choices(cycle: cycle, provider: provider).compactMap(\.choice.email))
            // First the provider's trainees (candidates whose furthest choice was recruited), then everyone else.
            let furthest = ApplicationChoice.furthestByEmail(
                try await ApplicationStore(app.db).choices(cycle: cycle, provider: provider).map {
                    ($0.provider, $0.choice)
                })
            let trainees = furthest.values.filter { $0.1.status == .recruited }.count
            #expect(trainees > 0 && trainees < candidates.count)
            let unknown = try await coordinator.submit(
                "\(path)/invitations", from: path,
                ["cycle": "\(cycle)", "providers": provider.rawValue.uuidString, "audience": "aliens"])
            #expect(unknown.status == .badRequest && unknown.body.contains("Choose who is asked"))
            let toTrainees = try await coordinator.submit(
                "\(path)/invitations", from: path,
                ["cycle": "\(cycle)", "providers": provider.rawValue.uuidString, "audience": "trainees"])
            #expect(toTrainees.location?.contains("n=\(trainees)") == true)
            let sent = try await coordinator.submit(
                "\(path)/invitations", from: path,
                ["cycle": "\(cycle)", "providers": provider.rawValue.uuidString])
            #expect(sent.status == .seeOther && sent.location?.contains("n=\(candidates.count - trainees)") == true)
            // Again: nobody is invited twice.
            let again = try await coordinator.submit(
                "\(path)/invitations", from: path, ["cycle": "\(cycle)", "providers": provider.rawValue.uuidString])
            #expect(again.location?.contains("n=0") == true)
            let surveyID = try #require(UUID(uuidString: String(path.split(separator: "/").last!)))
            let invitations = try await SurveyStore(app.db).invitations(survey: surveyID)
            #expect(invitations.count == candidates.count)

            // The respondent follows the link in their email: no account, no sign-in.
            let email = try #require(invitations.first?.email)
            let message = try #require(
                try await Outbox(app.db).recent(limit: 10_000).first {
                    $0.recipient == email && $0.subject == "Why did you stop?"
                })
            let range = try #require(message.body.range(of: "/survey/"))
            let token = String(message.body[range.upperBound...].prefix { !$0.isWhitespace })
            let respondent = Agent(app)
            let form = try await respondent.get("/survey/\(token)")
            #expect(form.status == .ok && form.body.contains("What got in the way?"))
            let wrong = try await respondent.submit(
                "/survey/\(token)", from: "/survey/\(token)", ["q1": "7", "q2": "9"])
            #expect(wrong.status == .badRequest && wrong.body.contains("Choose from the answers given"))
            let missing = try await respondent.submit("/survey/\(token)", from: "/survey/\(token)", ["q1": "0"])
            #expect(missing.status == .badRequest && missing.body.contains("Answer: I felt supported."))
            let done = try await respondent.request(
                .POST, "/survey/\(token)",
                form: [
                    "csrf_token": try #require(try await respondent.get("/survey/\(token)").csrf), "q1": "0",
                    "q2": "3", "q3": "<script>alert(1)</script>",
                ])
            #expect(done.status == .ok && done.body.contains("Your answers to Why did you stop? are counted"))
            // A link works once.
            #expect(try await respondent.get("/survey/\(token)").status == .conflict)
            #expect(try await respondent.get("/survey/not-a-token").status == .notFound)
            let responses = try await SurveyStore(app.db).responses(survey: surveyID)
            #expect(responses.count == 1 && responses[0].response.answers[0] == .choices([0]))

            // The results count it; the free text can be tagged; the export has no email.
            let results = try await coordinator.get(path)
            #expect(results.body.contains("1 responses from \(candidates.count.formatted()) invited"))
            #expect(results.body.contains("&lt;script&gt;") && !results.body.contains("<script>alert"))
            let tagged = try await coordinator.submit(
                "\(path)/responses/\(responses[0].id.uuidString.lowercased())/tag", from: path,
                ["question": "2", "tag": "Other"])
            #expect(tagged.status == .seeOther)
            #expect(try await SurveyStore(app.db).responses(survey: surveyID)[0].response.tags == [2: "Other"])
            let csv = try await coordinator.get("\(path)/responses.csv")
            #expect(csv.status == .ok && csv.body.hasPrefix("provider,route,subject,outcome,q1,q2,q3\n"))
            #expect(csv.body.contains("Cost") && !csv.body.contains("@"))

            // Reminders go to everyone who has not answered, and not again within a week.
            let reminded = try await coordinator.submit("\(path)/reminders", from: path, [:])
            #expect(reminded.location?.contains("n=0") == true)  // invited today: not yet due
            let clock = TestClock()
            clock.advance(app.clock.now().timeIntervalSince(clock.now) + 8 * 86_400)
            clock.install(on: app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            let due = try await coordinator.submit("\(path)/reminders", from: path, [:])
            #expect(due.location?.contains("n=\(candidates.count - 1)") == true, "\(due.location ?? "")")
            #expect(try await app.outbox().contains { $0.subject == "Reminder: Why did you stop?" })
            let twice = try await coordinator.submit("\(path)/reminders", from: path, [:])
            #expect(twice.location?.contains("n=0") == true)

            // Closed: the links stop taking answers.
            #expect(try await coordinator.submit("\(path)/close", from: path, [:]).status == .seeOther)
            #expect(try await respondent.get("/survey/\(token)").status == .conflict)
            let unanswered = try #require(
                try await Outbox(app.db).recent(limit: 10_000).first {
                    $0.recipient != email && $0.subject == "Why did you stop?"
                })
            let otherRange = try #require(unanswered.body.range(of: "/survey/"))
            let otherToken = String(unanswered.body[otherRange.upperBound...].prefix { !$0.isWhitespace })
            #expect(try await respondent.get("/survey/\(otherToken)").status == .gone)

            // Providers' staff and candidates do not see surveys.
            for role in [Role.providerStaff, .applicant] {
                let a = Agent(app)
                try await a.signIn(try app.demo(role).email, try app.demo(role).password)
                #expect(try await a.get("/surveys").status == .forbidden)
                #expect(try await a.get(path).status == .forbidden)
            }
        }
    }

    @Test("Anonymous responses keep the group, never the invitation")
    func anonymous() async throws {
        try await withTestApp(seed: true) { app in
            let store = SurveyStore(app.db)
            let survey = try #require(try await store.surveys().first { $0.anonymous })
            let group = RespondentGroup(
                provider: "P", route: .postgraduateSalaried, subject: .physics, outcome: .withdrawn)
            let invitation = SurveyStore.Invitation(
                survey: survey.id, email: "someone@example.net", candidate: "C1", group: group, sentAt: Date())
            _ = try await store.invite([(invitation, tokenHash: "hash-of-a-test-token")])
            try await store.respond(to: invitation, survey: survey, answers: [0: .choice(1)], at: Date())
            await #expect(throws: SurveyStore.RespondError.self) {
                try await store.respond(to: invitation, survey: survey, answers: [0: .choice(2)], at: Date())
            }
            let rows = try await app.db.sql.raw(
                "SELECT invitation_id, provider FROM survey_responses WHERE provider = 'P'"
            ).all()
            #expect(rows.count == 1)
            #expect(try rows[0].decode(column: "invitation_id", as: UUID?.self) == nil)
        }
    }
}
