import Domain
import Fluent
import Persistence
import Vapor

/// Everything Chalkface holds about one person: what a subject access request returns, as JSON.
struct PersonalDataExport: Content {
    struct MembershipItem: Codable {
        let organisation: String
        let organisationKind: String
        let role: String
        let since: Date
    }
    struct TokenItem: Codable {
        let name: String
        let scope: String
        let createdAt: Date
        let expiresAt: Date
        let revokedAt: Date?
        let lastUsedAt: Date?
    }
    struct SessionItem: Codable {
        let createdAt: Date
        let lastSeenAt: Date
        let address: String?
        let userAgent: String?
    }
    struct AuditItem: Codable {
        let at: Date
        let action: String
        let description: String
        let byThisPerson: Bool
        let aboutThisPerson: Bool
        let detail: String
        let address: String?
        let channel: String
    }
    struct EmailItem: Codable {
        let to: String
        let subject: String
        let body: String
        let createdAt: Date
    }

    let generatedAt: Date
    let explanation: String
    let person: PersonDTO
    let memberships: [MembershipItem]
    let apiTokens: [TokenItem]
    let sessions: [SessionItem]
    let auditLog: [AuditItem]
    let emails: [EmailItem]
    /// The teacher-register record linked to the account, with its timeline: kept by the teacher's schools.
    let teacherRecord: TeacherRecordItem?

    struct TeacherRecordItem: Codable {
        struct Event: Codable {
            let kind: String
            let on: String?
            let detail: String
            let recordedAt: Date
            let recordedBy: String
        }
        struct Engagement: Codable {
            let kind: String
            let strand: String?
            let title: String?
            let reflection: String?
            let on: String
            let school: Int?
        }
        struct Profile: Codable {
            let academicYear: String
            let term: String
            let rater: String
            let ratings: [String: Int]
            let note: String
            let recordedBy: String
            let recordedAt: Date
        }
        struct MentorshipItem: Codable {
            /// "mentored by" (as an early-career teacher) or "mentoring" (as a mentor).
            let relation: String
            let teacher: String
            let school: Int
            let startedOn: String
            let finishedOn: String?
        }
        let record: TeacherDTO
        let timeline: [Event]
        let researchEngagement: [Engagement]
        /// Early-career development profiles, by the teacher and by their mentor.
        let developmentProfiles: [Profile]
        let mentorships: [MentorshipItem]
        struct Conversation: Codable {
            let on: String
            let aspiration: String
            let timescale: String
            let nextStep: String
            let with: String
        }
        let careerConversations: [Conversation]
        /// The statutory induction, when the school has recorded it.
        let induction: Induction?
    }

    struct CPDEnrolmentItem: Codable {
        let programme: String
        let cohortStarts: String?
        let status: String
        let reason: String?
        let sessionsAttended: [Int]
        let requestedAt: Date
    }
    /// The person's CPD enrolments.
    let cpdEnrolments: [CPDEnrolmentItem]

    struct ExperienceItem: Codable {
        let school: Int
        let date: String
        let objectives: String
        let stage: String
        let status: String
        let reason: String?
        let requestedAt: Date
    }
    /// The person's school experience requests.
    let schoolExperience: [ExperienceItem]
    struct AdviceItem: Content {
        struct Contact: Content {
            let day: String
            let channel: String
            let note: String
            let adviser: String
        }
        let interest: String
        let question: String
        let stage: String
        let state: String
        let adviser: String?
        let eligibility: EligibilityCheck
        let outcome: String?
        let requestedAt: Date
        let contacts: [Contact]
    }
    /// The person's requests for an adviser.
    let adviserSupport: [AdviceItem]
    struct InternshipItem: Content {
        let year: Int
        /// The schools (URN) and subjects chosen, first choice first.
        let choices: [String]
        let statement: String
        let status: String
        let placedAt: String?
        let attended: Bool?
        let plansToTrain: String?
        let submittedAt: Date
    }
    /// The person's undergraduate internship applications.
    let internships: [InternshipItem]
    struct EventItem: Content {
        let event: String
        let date: String
        let status: String
        let registeredAt: Date
    }
    let eventRegistrations: [EventItem]

    /// The teacher's mentorships both ways, with the other teacher's name.
    static func mentorships(of teacher: UUID, on db: any Database) async throws -> [TeacherRecordItem.MentorshipItem] {
        let store = DevelopmentStore(db)
        var out: [TeacherRecordItem.MentorshipItem] = []
        for (relation, list) in [
            ("mentored by", try await store.mentorships(ect: teacher)),
            ("mentoring", try await store.mentorships(mentor: teacher)),
        ] {
            for m in list {
                let other = relation == "mentored by" ? m.mentor : m.ect
                out.append(
                    .init(
                        relation: relation, teacher: try await TeacherStore(db).teacher(other)?.record.name ?? "",
                        school: m.urn, startedOn: m.startedOn.description, finishedOn: m.finishedOn?.description))
            }
        }
        return out
    }

    static func gather(_ id: PersonID, on db: any Database, now: Date) async throws -> PersonalDataExport? {
        let people = PeopleStore(db)
        guard let record = try await people.record(id) else { return nil }
        let credentials = CredentialStore(db)
        let tokens = try await credentials.tokens(of: id)
        let sessions = try await credentials.sessions(of: id)
        let events = try await AuditLog(db).events(involving: id)
        let emails = try await Outbox(db).messages(to: id)
        var teacher: TeacherRecordItem?
        if let linked = try await TeacherLinkStore(db).teacher(for: .person(id)),
            let found = try await TeacherStore(db).teacher(linked)
        {
            teacher = TeacherRecordItem(
                record: TeacherDTO(found.record),
                timeline: found.events.map {
                    .init(
                        kind: $0.kind.rawValue, on: $0.on?.description, detail: $0.detail, recordedAt: $0.recordedAt,
                        recordedBy: $0.recordedBy)
                },
                researchEngagement: try await EvidenceStore(db).engagements(teacher: linked).map {
                    .init(
                        kind: $0.kind.rawValue, strand: $0.strand, title: $0.title, reflection: $0.reflection,
                        on: $0.on.description, school: $0.urn)
                },
                developmentProfiles: try await DevelopmentStore(db).profiles(teacher: linked).map { p in
                    .init(
                        academicYear: p.year.description, term: p.term.rawValue, rater: p.rater.rawValue,
                        ratings: Dictionary(
                            uniqueKeysWithValues: p.ratings.map { ($0.key.rawValue, $0.value.rawValue) }),
                        note: p.note, recordedBy: p.recordedBy, recordedAt: p.recordedAt)
                },
                mentorships: try await mentorships(of: linked, on: db),
                careerConversations: try await DevelopmentStore(db).conversations(teacher: linked).map {
                    .init(
                        on: $0.on.description, aspiration: $0.aspiration.rawValue, timescale: $0.timescale.rawValue,
                        nextStep: $0.nextStep, with: $0.with)
                },
                induction: try await DevelopmentStore(db).induction(teacher: linked))
        }
        let cpd = CPDStore(db)
        var enrolments: [CPDEnrolmentItem] = []
        for e in try await cpd.enrolments(person: id) {
            let cohort = try await cpd.cohort(e.cohort)
            let programme = try await cohort.asyncMap { try await cpd.programme($0.programme) } ?? nil
            enrolments.append(
                .init(
                    programme: programme?.title ?? "", cohortStarts: cohort?.startsOn?.description,
                    status: e.status.rawValue, reason: e.reason, sessionsAttended: e.attended.sorted().map { $0 + 1 },
                    requestedAt: e.requestedAt))
        }
        var experience: [ExperienceItem] = []
        for r in try await ExperienceStore(db).requests(person: id) {
            let d = try await ExperienceStore(db).date(r.date)
            experience.append(
                .init(
                    school: d?.urn ?? 0, date: d?.day.description ?? "", objectives: r.objectives,
                    stage: r.stage.rawValue, status: r.status.rawValue, reason: r.reason, requestedAt: r.requestedAt))
        }
        var advice: [AdviceItem] = []
        for c in try await AdviceStore(db).cases(person: id) {
            advice.append(
                .init(
                    interest: c.interest, question: c.question, stage: c.stage.rawValue, state: c.state.rawValue,
                    adviser: c.adviserName, eligibility: c.eligibility, outcome: c.outcome?.rawValue,
                    requestedAt: c.requestedAt,
                    contacts: try await AdviceStore(db).contacts(case: c.id).map {
                        .init(day: $0.day.description, channel: $0.channel.rawValue, note: $0.note, adviser: $0.author)
                    }))
        }
        var internships: [InternshipItem] = []
        let internshipStore = InternshipStore(db)
        for a in try await internshipStore.allApplications() where a.person == id {
            let offers = Dictionary(
                uniqueKeysWithValues: try await internshipStore.offers(year: a.year).map { ($0.id, $0) })
            func describe(_ o: UUID) -> String {
                offers[o].map { "\($0.subject.rawValue) at URN \($0.urn) from \($0.startsOn)" }
                    ?? "an offer since removed"
            }
            internships.append(
                .init(
                    year: a.year, choices: a.choices.map(describe), statement: a.statement, status: a.status.rawValue,
                    placedAt: a.placedOffer.map(describe), attended: a.attended, plansToTrain: a.intention?.rawValue,
                    submittedAt: a.submittedAt))
        }
        let eventStore = EventStore(db)
        let recruitmentEvents = Dictionary(uniqueKeysWithValues: try await eventStore.events().map { ($0.id, $0) })
        let registrations: [EventItem] = try await eventStore.registrations(person: id).map { r in
            let e = recruitmentEvents[r.event]
            return EventItem(
                event: e?.title ?? "An event no longer listed", date: e?.session.day.description ?? "",
                status: r.status.rawValue, registeredAt: r.registeredAt)
        }
        return PersonalDataExport(
            generatedAt: now,
            explanation:
                "Everything Chalkface holds about you: your account, your roles, your API tokens (never their secrets), your signed-in sessions, every audit log entry by you or about you, email sent to you, your CPD enrolments, school experience requests, recruitment event registrations, requests for an adviser and internship applications, and your record in the teacher register (with your research engagement and its reflections, your early-career development profiles, induction, mentorships and career conversations) when your school has linked it. Password hashes are not included.",
            person: PersonDTO(record.person, record.memberships),
            memberships: record.memberships.map {
                MembershipItem(
                    organisation: $0.organisationName, organisationKind: $0.organisationKind.rawValue,
                    role: $0.role.rawValue, since: $0.since)
            },
            apiTokens: tokens.map {
                TokenItem(
                    name: $0.name, scope: $0.scope.rawValue, createdAt: $0.createdAt, expiresAt: $0.expiresAt,
                    revokedAt: $0.revokedAt, lastUsedAt: $0.lastUsedAt)
            },
            sessions: sessions.map {
                SessionItem(
                    createdAt: $0.createdAt, lastSeenAt: $0.lastSeenAt, address: $0.address, userAgent: $0.userAgent)
            },
            auditLog: events.map {
                AuditItem(
                    at: $0.at, action: $0.action.rawValue, description: $0.action.label, byThisPerson: $0.actor == id,
                    aboutThisPerson: $0.subjectPerson == id, detail: $0.detail, address: $0.address, channel: $0.channel
                )
            },
            emails: emails.map {
                EmailItem(to: $0.recipient, subject: $0.subject, body: $0.body, createdAt: $0.createdAt)
            }, teacherRecord: teacher, cpdEnrolments: enrolments,
            schoolExperience: experience, adviserSupport: advice, internships: internships,
            eventRegistrations: registrations)
    }
}

/// A person as the API shows them.
struct PersonDTO: Content {
    struct MembershipDTO: Content {
        let id: MembershipID
        let organisationId: OrganisationID
        let organisationName: String
        let organisationKind: String
        let role: String
        let since: Date
    }

    let id: PersonID
    let name: String
    let email: String
    let status: String
    let createdAt: Date
    let lastSignInAt: Date?
    let memberships: [MembershipDTO]

    init(_ p: Person, _ memberships: [Membership]) {
        id = p.id
        name = p.name
        email = p.email
        status = p.erasedAt != nil ? "erased" : !p.active ? "deactivated" : p.hasPassword ? "active" : "invited"
        createdAt = p.createdAt
        lastSignInAt = p.lastSignInAt
        self.memberships = memberships.map {
            MembershipDTO(
                id: $0.id, organisationId: $0.organisation, organisationName: $0.organisationName,
                organisationKind: $0.organisationKind.rawValue, role: $0.role.rawValue, since: $0.since)
        }
    }
}
