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
        // Programmes for early-career teachers meet in several places: the first member school (where the demo
        // accounts work) and the member schools farthest from those already chosen, so each area has one near.
        let located = try await SchoolStore(database).find(Set(venues.map(URN.init)))
            .compactMap { k, v in v.location.map { (urn: k.value, at: $0, town: v.town ?? v.name) } }
            .sorted { $0.urn < $1.urn }
        var ectVenues: [(urn: Int, town: String)] = []
        if let first = organisations.first(where: { $0.kind == .school })?.urn?.value,
            var chosen = located.first(where: { $0.urn == first }).map({ [$0] })
        {
            while chosen.count < 4, chosen.count < located.count {
                let next = located.max { a, b in
                    chosen.map { $0.at.distance(to: a.at) }.min()! < chosen.map { $0.at.distance(to: b.at) }.min()!
                }!
                chosen.append(next)
            }
            ectVenues = chosen.map { ($0.urn, $0.town) }
        }
        let (programmes, cohorts) = generate(
            npqs: try BundledData.npqCourses(), venues: venues, university: university?.id.rawValue,
            universityName: university?.name, today: today, ectVenues: ectVenues)
        try await database.transaction { tx in
            try await CPDStore(tx).insert(programmes, cohorts: cohorts, at: now)
        }
        return programmes.count
    }

    /// Deterministic for its inputs.
    public static func generate(
        npqs: [NPQCourse], venues: [Int], university: UUID?, universityName: String?, today: Day,
        ectVenues: [(urn: Int, town: String)] = []
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
            var areas: Set<ECFArea> = []
        }
        let demos: [Demo] = [
            Demo(
                provider: "STEM Learning", title: "Physics for non-specialists",
                summary: "Subject knowledge and practicals for teachers of physics without a physics degree.",
                kind: .subjectKnowledge, phases: [.secondary], subjects: [.physics], stages: [.earlyCareer, .teacher],
                format: .blended, cost: 0, fundedBy: "STEM Learning ENTHUSE bursary",
                outcomes: "Confidence teaching forces, energy and electricity to GCSE."),
            Demo(
                provider: universityName ?? "University", title: "TSST mathematics",
                summary:
                    "Teacher subject specialism training: upskilling for teachers of mathematics who trained in another subject, and returners. Completing it records mathematics as the teacher's specialism.",
                kind: .tsst, phases: [.secondary], subjects: [.mathematics], stages: [.earlyCareer, .teacher],
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
                outcomes: "A classroom enquiry using metacognitive strategies.",
                areas: [.howPupilsLearn, .classroomPractice]),
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
            // For early-career teachers, by the Early Career Framework areas they develop.
            Demo(
                provider: "Research School", title: "Assessment for learning in the early career",
                summary: "Checking understanding, feedback that moves learning on, and using assessment to plan.",
                kind: .research, phases: [], subjects: [], stages: [.earlyCareer], format: .online, cost: 0,
                fundedBy: "The partnership", outcomes: "A sequence of lessons planned from assessment.",
                areas: [.assessment, .howPupilsLearn]),
            Demo(
                provider: "Teaching School Hub", title: "Adaptive teaching and SEND in the first two years",
                summary: "Adapting lessons for pupils with special educational needs without lowering expectations.",
                kind: .subjectKnowledge, phases: [], subjects: [], stages: [.earlyCareer, .teacher],
                format: .inPerson, cost: 0, fundedBy: "The partnership",
                outcomes: "Adaptations for three pupils, reviewed with the SENCO.",
                areas: [.adaptiveTeaching, .highExpectations]),
            Demo(
                provider: "Teaching School Hub", title: "Routines and behaviour: the early-career teacher's toolkit",
                summary:
                    "Establishing routines, responding to low-level disruption, and working with the school's policy.",
                kind: .subjectKnowledge, phases: [], subjects: [], stages: [.earlyCareer], format: .blended, cost: 0,
                fundedBy: "The partnership", outcomes: "Classroom routines in place and reviewed with a mentor.",
                areas: [.managingBehaviour, .highExpectations]),
            Demo(
                provider: "Teaching School Hub", title: "Managing behaviour online clinic",
                summary: "Fortnightly online clinics on behaviour with experienced middle leaders.",
                kind: .subjectKnowledge, phases: [], subjects: [], stages: [.earlyCareer], format: .online, cost: 0,
                fundedBy: "The partnership", outcomes: "A plan for one class's behaviour, tried and reviewed.",
                areas: [.managingBehaviour]),
            Demo(
                provider: "English Hub", title: "Early reading and phonics for early-career teachers",
                summary: "Systematic synthetic phonics and early reading for teachers in key stage 1.",
                kind: .subjectKnowledge, phases: [.primary], subjects: [.english], stages: [.earlyCareer],
                format: .online, cost: 0, fundedBy: "DfE English Hubs",
                outcomes: "Confident, faithful teaching of the school's phonics programme.",
                areas: [.subjectAndCurriculum, .classroomPractice]),
            Demo(
                provider: "Research School", title: "Explanation, modelling and questioning",
                summary: "Classroom practice from the evidence: clear explanations, worked examples and questioning.",
                kind: .research, phases: [], subjects: [], stages: [.earlyCareer, .teacher], format: .inPerson,
                cost: 0, fundedBy: "The partnership", outcomes: "Lessons planned with modelling and questioning.",
                areas: [.classroomPractice, .howPupilsLearn]),
            Demo(
                provider: "The partnership", title: "Workload, wellbeing and professional conduct",
                summary: "Managing workload, working with colleagues and parents, and the Teachers' Standards part 2.",
                kind: .subjectKnowledge, phases: [], subjects: [], stages: [.earlyCareer], format: .online, cost: 0,
                fundedBy: "The partnership", outcomes: "A workload plan agreed with a mentor.",
                areas: [.professionalBehaviours]),
            Demo(
                provider: universityName ?? "University", title: "TSST physics",
                summary:
                    "Teacher subject specialism training: upskilling for teachers of physics who trained in another subject (often biology or chemistry), and returners. Completing it records physics as the teacher's specialism.",
                kind: .tsst, phases: [.secondary], subjects: [.physics], stages: [.earlyCareer, .teacher],
                format: .blended, cost: 0, fundedBy: "DfE (TSST)",
                outcomes: "Key stage 3 and 4 physics: forces, energy, electricity and practical work."),
        ]
        for (i, d) in demos.enumerated() {
            let managed = d.provider == universityName ? university : nil
            // In-person programmes for early-career teachers run in each of the chosen places; others in one.
            let places: [(urn: Int?, town: String?)] =
                d.format == .online
                ? [(nil, nil)]
                : d.stages.contains(.earlyCareer) && !d.areas.isEmpty && !ectVenues.isEmpty
                    ? ectVenues.map { ($0.urn, $0.town) } : [(venue(), nil)]
            for place in places {
                let p = CPDProgramme(
                    provider: d.provider, managedBy: managed, title: d.title + (place.town.map { " (\($0))" } ?? ""),
                    summary: d.summary, kind: d.kind, phases: d.phases, subjects: d.subjects, stages: d.stages,
                    format: d.format, venueURN: place.urn, costPounds: d.cost, fundedBy: d.fundedBy,
                    outcomes: d.outcomes, generated: true, ecfAreas: d.areas)
                programmes.append(p)
                cohorts.append(
                    CPDCohort(
                        programme: p.id, sessions: sessions(from: 14 + 7 * i, count: 3), places: 12 + rng.below(13)))
                if i % 3 == 0 {
                    cohorts.append(
                        CPDCohort(programme: p.id, sessions: sessions(from: 120 + 7 * i, count: 3), places: 20))
                }
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
