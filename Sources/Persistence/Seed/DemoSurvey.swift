import Domain
import FluentKit
import Foundation

/// A generated barrier survey sent to the demo cycle's candidates (invitations marked as generated: no email is
/// put in the outbox), with generated answers in which candidates who withdrew report cost and time more often.
/// Created only when there are no surveys.
public enum DemoSurvey {
    public static let barriers = [
        "The cost of training", "Fitting the application around work or caring", "Getting school experience",
        "Meeting the GCSE requirements", "Writing the personal statement", "Getting references",
        "Travel to a placement school", "Not hearing back from the provider",
    ]

    /// Where candidates come from: a characteristic Apply's file does not carry, asked in the survey so the
    /// results can be broken down by it.
    public static let backgrounds = [
        "A final-year undergraduate", "A graduate within three years of my degree", "Changing career",
        "Returning to work after a break",
    ]

    public static func questions() -> [SurveyQuestion] {
        [
            SurveyQuestion(
                section: "Finding out", prompt: "How did you first hear about training to teach?", kind: .single,
                options: [
                    "Get Into Teaching website", "A school I worked or volunteered in", "A university careers service",
                    "Friends or family", "A recruitment event", "Social media",
                ], required: true),
            SurveyQuestion(
                section: "Applying", prompt: "Which of these made applying harder?", kind: .multiple, options: barriers,
                required: false),
            SurveyQuestion(
                section: "Applying", prompt: "I had the support I needed to complete my application.", kind: .likert,
                options: [], required: true),
            SurveyQuestion(
                section: "Applying", prompt: "I knew which training route suited me.", kind: .likert, options: [],
                required: true),
            SurveyQuestion(
                section: "Applying", prompt: "What one thing would have made applying easier?", kind: .text,
                options: [], required: false),
            SurveyQuestion(
                section: "About you", prompt: "Which best describes you when you applied?", kind: .single,
                options: backgrounds, required: false),
        ]
    }

    static let comments: [(String, String)] = [
        ("Money", "Knowing earlier what bursary I would get for my subject."),
        ("Money", "I could not afford a year without a salary."),
        ("Time", "More time between the interview invitation and the day itself."),
        ("Time", "Evening sessions for people who work full time."),
        ("Support", "Someone to read my personal statement before I sent it."),
        ("Support", "A named contact at the provider I could ask questions."),
        ("Experience", "Help finding a school that would let me observe lessons."),
        ("", "Clearer information about which GCSE equivalency tests are accepted."),
    ]

    public static func seed(on database: any Database, today: Day, now: Date) async throws -> Int {
        let store = SurveyStore(database)
        guard try await store.surveys().isEmpty else { return 0 }
        let applications = ApplicationStore(database)
        guard let cycle = try await applications.cycles().first else { return 0 }
        let names = Dictionary(
            uniqueKeysWithValues: try await OrganisationStore(database).list().map { ($0.id, $0.name) })
        let furthest = ApplicationChoice.furthestByEmail(
            try await applications.choices(cycle: cycle).map { ($0.provider, $0.choice) })
        guard !furthest.isEmpty else { return 0 }
        let survey = Survey(
            title: "Barriers to applying: cycle \(cycle)",
            introduction:
                "The partnership's providers want to know what made applying to train to teach harder, so we can remove it. It takes five minutes; your answers are anonymous.",
            anonymous: true, questions: questions(), status: .open, createdAt: now, generated: true)
        var rng = DemoRandom(seed: 4242)
        func chance(_ p: Double) -> Bool { Double(rng.below(10_000)) < p * 10_000 }
        var invitations: [(SurveyStore.Invitation, tokenHash: String)] = []
        var responses: [SurveyResponse] = []
        var answered: Set<UUID> = []
        for email in furthest.keys.sorted() {
            let (provider, choice) = furthest[email]!
            let group = RespondentGroup(
                provider: names[provider] ?? "Unknown provider", route: choice.route, subject: choice.subject,
                outcome: choice.status)
            let invitation = SurveyStore.Invitation(
                survey: survey.id, email: email, candidate: choice.candidate, group: group, sentAt: now)
            // A hash of a random value nobody holds: generated invitations cannot be answered through a link.
            invitations.append((invitation, tokenHash: "generated-\(UUID().uuidString)"))
            let left = group.left == true
            guard chance(left ? 0.3 : 0.45) else { continue }
            answered.insert(invitation.id)
            // Those who withdrew are more often changing career, and those with work or caring find fitting the
            // application around it harder.
            let mix: [Double] = left ? [0.15, 0.25, 0.45, 0.15] : [0.3, 0.35, 0.25, 0.1]
            var draw = Double(rng.below(10_000)) / 10_000
            var background = mix.count - 1
            for (b, p) in mix.enumerated() {
                if draw < p {
                    background = b
                    break
                }
                draw -= p
            }
            var barriers: [Int] = []
            var odds: [Double] =
                left
                ? [0.55, 0.5, 0.25, 0.15, 0.3, 0.15, 0.25, 0.3] : [0.3, 0.25, 0.3, 0.1, 0.35, 0.15, 0.15, 0.1]
            if background >= 2 { odds[1] += 0.2 }
            for (i, p) in odds.enumerated() where chance(p) { barriers.append(i) }
            var answers: [Int: SurveyAnswer] = [
                0: .choice(rng.below(6)),
                2: .choice(min(4, max(0, (left ? 1 : 2) + rng.below(3)))),
                3: .choice(min(4, max(0, (left ? 1 : 2) + rng.below(3)))),
            ]
            if !barriers.isEmpty || chance(0.5) { answers[1] = .choices(barriers) }
            if chance(0.9) { answers[5] = .choice(background) }
            var tags: [Int: String] = [:]
            if chance(0.3) {
                let (tag, text) = comments[rng.below(comments.count)]
                answers[4] = .text(text)
                if !tag.isEmpty { tags[4] = tag }
            }
            responses.append(SurveyResponse(group: group, answers: answers, tags: tags))
        }
        let answeredIDs = answered
        let stored = invitations.map { i, hash -> (SurveyStore.Invitation, tokenHash: String) in
            var i = i
            if answeredIDs.contains(i.id) { i.respondedAt = now }
            return (i, tokenHash: hash)
        }
        let generated = responses
        try await database.transaction { tx in
            let store = SurveyStore(tx)
            try await store.save(survey)
            _ = try await store.invite(stored)
            try await store.addResponses(generated, survey: survey.id, at: now)
        }
        return generated.count
    }
}
