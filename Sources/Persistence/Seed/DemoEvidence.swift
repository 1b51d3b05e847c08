import Domain
import FluentKit
import Foundation
import SQLKit

/// The demo Research School's resources (generated, each on real Toolkit strands, with no invented per-strand
/// figures and no web addresses) and the generated workforce's research engagement over the last four academic
/// years: each local authority with its own starting share, schools varying around it, rising a little each year.
/// Created only when there are no resources.
public enum DemoEvidence {
    public static let author = "Demo data (generated)"

    public static func seed(on database: any Database, today: Day, now: Date) async throws -> (
        resources: Int, engagements: Int
    ) {
        guard try await EvidenceStore(database).resourceCount() == 0 else { return (0, 0) }
        let strands = try BundledData.eefStrands()
        let resources = resources(strands: strands, today: today)
        let generatedIDs = Set(
            try await database.sql.select().column("id").from("teachers").where("generated", .equal, SQLBind(true))
                .all().map { try $0.decode(column: "id", as: UUID.self) })
        let teachers = try await TeacherStore(database).all().filter { generatedIDs.contains($0.id) }
        let schools = try await SchoolStore(database).all(SchoolQuery(status: .open))
        let authority = Dictionary(
            uniqueKeysWithValues: schools.map { ($0.urn.value, $0.localAuthority?.code ?? "") })
        let engagements = engagements(
            teachers: teachers, authority: authority, strands: strands, today: today, now: now)
        try await database.transaction { tx in
            try await EvidenceStore(tx).add(resources, by: author, at: now)
            try await EvidenceStore(tx).record(engagements)
        }
        return (resources.count, engagements.count)
    }

    /// Two resources for most strands, deterministic for the strand list and day.
    static func resources(strands: [EEFStrand], today: Day) -> [EvidenceResource] {
        var rng = DemoRandom(seed: 31)
        var out: [EvidenceResource] = []
        let phases: [Set<CPDPhase>] = [[], [.primary], [.secondary], [.primary, .secondary], [.post16]]
        for (i, s) in strands.enumerated() {
            let lower = s.name.lowercased()
            let kinds = EvidenceKind.allCases
            for k in 0..<(i % 3 == 0 ? 1 : 2) {
                let kind = kinds[(i + k * 2) % kinds.count]
                let title: String
                let summary: String
                switch kind {
                case .guidance:
                    title = "\(s.name) in practice: a summary for busy teachers"
                    summary =
                        "What the EEF's evidence on \(lower) means in a classroom: the key principles, common pitfalls and questions to ask before changing practice. Read alongside the Toolkit's own strand page."
                case .event:
                    title = "Research School twilight: \(lower)"
                    summary =
                        "A 90-minute session from the Research School on \(lower): the evidence, a worked example from a partnership school and time to plan a small change for next half term."
                case .caseStudy:
                    title = "How one school approached \(lower)"
                    summary =
                        "A partnership school describes how it introduced \(lower), what it measured, what it stopped doing and what it would do differently."
                case .blog:
                    title = "Three questions to ask before trying \(lower)"
                    summary =
                        "A short blog from the Research School's evidence leads on getting \(lower) right: fit to the need, faithful implementation and an honest look at the results."
                case .tool:
                    title = "\(s.name): an implementation planning template"
                    summary =
                        "A one-page planning template for \(lower): the problem it addresses, the active ingredients, how staff will be supported and how you will know it is working."
                }
                out.append(
                    EvidenceResource(
                        title: title, summary: summary, kind: kind, strands: [s.slug],
                        phases: phases[rng.below(phases.count)], url: nil,
                        publishedOn: Day(ordinal: today.ordinal - 14 - rng.below(700)), generated: true))
            }
        }
        return out
    }

    static let events = [
        "Research School twilight: metacognition", "Evidence-informed leadership conference",
        "Feedback that moves learning on", "Reading comprehension network meeting",
        "Making the most of teaching assistants",
    ]
    static let enquiries = [
        "Partnership retrieval practice enquiry", "EEF trial: maths mastery in Key Stage 2",
        "Oral language intervention enquiry", "Homework and independent study trial",
    ]
    static let reflections = [
        "Tried it with one class for a half term; most pupils engaged well and the weaker readers gained most.",
        "Planned it with a colleague first, which helped. Timing was harder than expected; I will try shorter blocks.",
        "Worked well for routine practice but less so for extended writing. Keeping it for starters.",
        "Pupils were unsure at first; after modelling it twice the quality of their work improved noticeably.",
    ]

    /// Deterministic for its inputs.
    static func engagements(
        teachers: [TeacherRecord], authority: [Int: String], strands: [EEFStrand], today: Day, now: Date
    ) -> [ResearchEngagement] {
        var rng = DemoRandom(seed: 2021)
        func unit() -> Double { Double(rng.below(10_000)) / 10_000 }
        var baseByAuthority: [String: Double] = [:]
        for code in Set(authority.values).sorted() { baseByAuthority[code] = 0.08 + 0.32 * unit() }
        var schoolShift: [Int: Double] = [:]
        for urn in authority.keys.sorted() { schoolShift[urn] = (unit() - 0.5) * 0.2 }
        let current = AcademicYear.containing(today)
        var out: [ResearchEngagement] = []
        for t in teachers {
            for p in t.periods {
                for back in 0..<4 {
                    guard let y = AcademicYear(start: current.start - back) else { continue }
                    let first = max(Day(year: y.start, month: 9, day: 1)!, p.startedOn)
                    var last = min(Day(year: y.start + 1, month: 8, day: 31)!, today)
                    if let f = p.finishedOn { last = min(last, f) }
                    guard first <= last else { continue }
                    let base = baseByAuthority[authority[p.urn] ?? ""] ?? 0.15
                    let chance = max(0, base + (schoolShift[p.urn] ?? 0) + 0.04 * Double(3 - back))
                    // The current year so far: a share of the year's chance by how much of it has gone.
                    let elapsed = Double(last.ordinal - first.ordinal + 1) / 365
                    guard unit() < chance * min(1, elapsed * 1.5) else { continue }
                    for _ in 0..<(1 + rng.below(3)) {
                        let on = Day(ordinal: first.ordinal + rng.below(last.ordinal - first.ordinal + 1))
                        let kind = ResearchEngagement.Kind.allCases[rng.below(3)]
                        let strand = kind == .strand ? strands[rng.below(strands.count)].slug : nil
                        out.append(
                            ResearchEngagement(
                                teacher: t.id, urn: p.urn, kind: kind, strand: strand,
                                title: kind == .event
                                    ? events[rng.below(events.count)]
                                    : kind == .enquiry ? enquiries[rng.below(enquiries.count)] : nil,
                                reflection: kind == .strand ? reflections[rng.below(reflections.count)] : nil,
                                on: on, recordedAt: now, generated: true))
                    }
                }
            }
        }
        return out
    }
}
