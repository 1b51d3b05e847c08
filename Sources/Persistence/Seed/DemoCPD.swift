import Domain
import FluentKit
import Foundation

/// The catalogue at first start: DfE's 12 NPQs with their lead providers (real), and generated programmes of the
/// other kinds for the demo partnership (marked as demo), with cohorts in the coming months at member schools.
/// Created only when the catalogue is empty.
public enum DemoCPD {
    public static func seed(on database: any Database, today: Day, now: Date) async throws -> Int {
        guard try await CPDStore(database).count() == 0 else { return 0 }
        let organisations = try await OrganisationStore(database).list()
        let venues = organisations.compactMap { $0.urn?.value }.sorted()
        let university = organisations.first { $0.kind == .university }
        let (programmes, cohorts) = generate(
            npqs: try BundledData.npqCourses(), venues: venues, university: university?.id.rawValue,
            universityName: university?.name, today: today)
        try await database.transaction { tx in
            try await CPDStore(tx).insert(programmes, cohorts: cohorts, at: now)
        }
        return programmes.count
    }

    /// Deterministic for its inputs.
    public static func generate(
        npqs: [NPQCourse], venues: [Int], university: UUID?, universityName: String?, today: Day
    ) -> (programmes: [CPDProgramme], cohorts: [CPDCohort]) {
        var programmes: [CPDProgramme] = []
        var cohorts: [CPDCohort] = []
        var rng = DemoRandom(seed: 12)
        // The next term's Thursdays, 16:00 to 17:30.
        func sessions(from offset: Int, count: Int, every days: Int = 14, start: Int = 16 * 60, length: Int = 90)
            -> [CPDSession]
        {
            var first = Day(ordinal: today.ordinal + offset)
            while first.isoWeekday != 4 { first = Day(ordinal: first.ordinal + 1) }
            return (0..<count).map {
                CPDSession(day: Day(ordinal: first.ordinal + $0 * days), start: start, end: start + length)
            }
        }
        func venue() -> Int? { venues.isEmpty ? nil : venues[rng.below(venues.count)] }
        for course in npqs where course.identifier != "npq-additional-support-offer" {
            var p = NPQCatalogue.programme(course)
            p.venueURN = venue()
            p.generated = true
            programmes.append(p)
            cohorts.append(CPDCohort(programme: p.id, sessions: sessions(from: 40, count: 6, every: 28), places: 30))
        }
        struct Demo {
            let provider: String
            let title: String
            let summary: String
            let kind: CPDKind
            let phases: Set<CPDPhase>
            let subjects: Set<TeachingSubject>
            let stages: Set<CareerStage>
            let format: CPDFormat
            let cost: Int
            let fundedBy: String?
            let outcomes: String
        }
        let demos: [Demo] = [
            Demo(
                provider: "STEM Learning", title: "Physics for non-specialists",
                summary: "Subject knowledge and practicals for teachers of physics without a physics degree.",
                kind: .subjectKnowledge, phases: [.secondary], subjects: [.physics], stages: [.earlyCareer, .teacher],
                format: .blended, cost: 0, fundedBy: "STEM Learning ENTHUSE bursary",
                outcomes: "Confidence teaching forces, energy and electricity to GCSE."),
            Demo(
                provider: "Teacher Subject Specialism Training (TSST)", title: "TSST mathematics",
                summary: "Upskilling for teachers of mathematics who trained in another subject, and returners.",
                kind: .tsst, phases: [.secondary], subjects: [.mathematics], stages: [.teacher],
                format: .inPerson, cost: 0, fundedBy: "DfE (TSST)",
                outcomes: "Key stage 3 and 4 mathematics subject knowledge and pedagogy."),
            Demo(
                provider: "Institute of Physics", title: "IoP physics network",
                summary: "A termly network for physics teachers: practical work, misconceptions and curriculum.",
                kind: .subjectNetwork, phases: [.secondary, .post16], subjects: [.physics],
                stages: [.earlyCareer, .teacher, .middleLeader], format: .inPerson, cost: 0, fundedBy: nil,
                outcomes: "A local network of physics teachers."),
            Demo(
                provider: "Maths Hub", title: "Teaching for mastery work group (primary)",
                summary: "A year-long work group on teaching for mastery in primary mathematics.",
                kind: .subjectNetwork, phases: [.primary], subjects: [.mathematics], stages: [.teacher, .middleLeader],
                format: .blended, cost: 0, fundedBy: "NCETM Maths Hubs",
                outcomes: "Mastery approaches in use across the school's mathematics."),
            Demo(
                provider: "Research School", title: "Metacognition and self-regulation in the classroom",
                summary: "Three sessions on the EEF guidance, with classroom enquiry between them.",
                kind: .research, phases: [], subjects: [], stages: [.earlyCareer, .teacher, .middleLeader],
                format: .inPerson, cost: 45, fundedBy: nil,
                outcomes: "A classroom enquiry using metacognitive strategies."),
            Demo(
                provider: "Maths Hub", title: "Post-16 mathematics: teaching A level mechanics",
                summary: "For teachers new to teaching A level mathematics, with a focus on mechanics.",
                kind: .post16, phases: [.post16], subjects: [.mathematics], stages: [.teacher], format: .online,
                cost: 0, fundedBy: "Advanced Mathematics Support Programme",
                outcomes: "Confidence teaching the mechanics content of A level mathematics."),
            Demo(
                provider: universityName ?? "University", title: "Mentor development: the first term",
                summary: "For new ITT and ECT mentors: instructional coaching, feedback and the ITT core content.",
                kind: .mentoring, phases: [], subjects: [], stages: [.teacher, .middleLeader], format: .inPerson,
                cost: 0, fundedBy: "DfE mentor training grant", outcomes: "Ready to mentor a trainee or ECT."),
            Demo(
                provider: universityName ?? "University", title: "Aspiring middle leaders",
                summary: "Leading a subject or phase: curriculum, people and evidence.",
                kind: .leadership, phases: [], subjects: [], stages: [.teacher, .middleLeader], format: .blended,
                cost: 150, fundedBy: nil, outcomes: "A subject or phase improvement plan."),
        ]
        for (i, d) in demos.enumerated() {
            let managed = d.provider == universityName ? university : nil
            let p = CPDProgramme(
                provider: d.provider, managedBy: managed, title: d.title, summary: d.summary, kind: d.kind,
                phases: d.phases, subjects: d.subjects, stages: d.stages, format: d.format,
                venueURN: d.format == .online ? nil : venue(), costPounds: d.cost, fundedBy: d.fundedBy,
                outcomes: d.outcomes, generated: true)
            programmes.append(p)
            cohorts.append(
                CPDCohort(programme: p.id, sessions: sessions(from: 14 + 7 * i, count: 3), places: 12 + rng.below(13)))
            if i % 3 == 0 {
                cohorts.append(CPDCohort(programme: p.id, sessions: sessions(from: 120 + 7 * i, count: 3), places: 20))
            }
        }
        return (programmes, cohorts)
    }
}

/// DfE's NPQs in every installation's catalogue, not only the demo's: the courses and their lead providers are
/// real (DFE-Digital/npq-registration); they are added without cohorts, which the lead providers' dates fill in.
public enum NPQCatalogue {
    /// Adds the NPQs when the catalogue holds none; returns how many were added.
    public static func seed(on database: any Database, now: Date) async throws -> Int {
        let store = CPDStore(database)
        guard !(try await store.programmes().contains { $0.kind == .npq }) else { return 0 }
        let programmes = try BundledData.npqCourses().filter { $0.identifier != "npq-additional-support-offer" }
            .map(programme)
        try await database.transaction { tx in try await CPDStore(tx).insert(programmes, cohorts: [], at: now) }
        return programmes.count
    }

    /// The catalogue entry for a course: its audience, DfE funding and award.
    static func programme(_ course: NPQCourse) -> CPDProgramme {
        let stages: Set<CareerStage> =
            switch course.identifier {
            case "npq-headship", "npq-executive-leadership", "npq-early-headship-coaching-offer":
                [.seniorLeader, .headteacher]
            case "npq-senior-leadership": [.middleLeader, .seniorLeader]
            default: [.teacher, .middleLeader, .seniorLeader]
            }
        let phases: Set<CPDPhase> =
            switch course.identifier {
            case "npq-early-years-leadership": [.earlyYears]
            case "npq-leading-primary-mathematics": [.primary]
            default: []
            }
        let lead = course.leadProviders.first ?? "DfE lead provider"
        return CPDProgramme(
            provider: lead, title: course.name,
            summary: course.description.isEmpty
                ? "DfE's national professional qualification, delivered by its lead providers (\(course.leadProviders.joined(separator: ", ")))."
                : course.description,
            kind: .npq, phases: phases,
            subjects: course.identifier == "npq-leading-primary-mathematics" ? [.mathematics] : [],
            stages: stages, format: .blended, venueURN: nil, costPounds: 0,
            fundedBy: "DfE scholarship (see funding)",
            outcomes: "The national professional qualification \(course.shortCode), awarded by DfE on completion.",
            npqCourse: course.identifier, generated: false)
    }
}
