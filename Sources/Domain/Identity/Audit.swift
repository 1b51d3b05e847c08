import Foundation

/// What happened, in the audit log's own vocabulary. Stored as the raw value.
public enum AuditAction: String, Codable, Sendable, CaseIterable {
    case personRead = "person.read"
    case peopleListed = "people.list"
    case accountRead = "account.read"
    case personExported = "person.export"
    case personErased = "person.erase"
    case personInvited = "person.invite"
    case membershipAdded = "membership.add"
    case membershipRemoved = "membership.remove"
    case accountDeactivated = "account.deactivate"
    case accountActivated = "account.activate"
    case signedIn = "session.sign-in"
    case signInFailed = "session.sign-in-failed"
    case signedOut = "session.sign-out"
    case passwordResetRequested = "password.reset-request"
    case passwordSet = "password.set"
    case tokenCreated = "token.create"
    case tokenRevoked = "token.revoke"
    case organisationCreated = "organisation.create"
    case organisationUpdated = "organisation.update"
    case partnershipUpdated = "partnership.update"
    case placementOfferRead = "placement-offer.read"
    case placementOfferSaved = "placement-offer.save"
    case traineesListed = "trainees.list"
    case traineesAdded = "trainees.add"
    case traineeUpdated = "trainee.update"
    case traineeWithdrawn = "trainee.withdraw"
    case traineeReinstated = "trainee.reinstate"
    case placementConfirmed = "placement.confirm"
    case placementProblemRaised = "placement.problem"
    case allocationRun = "allocation.run"
    case allocationRead = "allocation.read"
    case allocationPublished = "allocation.publish"
    case allocationWithdrawn = "allocation.withdraw"
    case allocationConstrained = "allocation.constrain"
    case teacherRead = "teacher.read"
    case staffListed = "staff.list"
    case staffChanged = "staff.change"
    case teacherLinked = "teacher.link"
    case cpdEnrolmentsRead = "cpd.enrolments.read"
    case cpdEnrolled = "cpd.enrol"
    case cpdEnrolmentChanged = "cpd.enrolment.change"
    case cpdProgrammeSaved = "cpd.programme.save"
    case evidenceResourceAdded = "evidence.resource.add"
    case researchEngagementRecorded = "evidence.engagement.record"
    case post16ReviewSaved = "post16.review.save"
    case experienceDateOffered = "experience.date.offer"
    case experienceRequested = "experience.request"
    case experienceRequestChanged = "experience.request.change"
    case experienceRequestsRead = "experience.requests.read"
    case eventAdded = "event.add"
    case eventRegistered = "event.register"
    case eventRegistrationChanged = "event.registration.change"
    case eventRegistrationsRead = "event.registrations.read"
    case applicationsImported = "applications.import"
    case surveyChanged = "survey.change"
    case surveyInvitationsSent = "survey.invite"
    case surveyResponsesExported = "survey.responses.export"
    case adviceChanged = "advice.change"
    case adviceRead = "advice.read"
    case peerGroupsRead = "peer-groups.read"
    case peerGroupsChanged = "peer-groups.change"
    case developmentRead = "development.read"
    case developmentRecorded = "development.record"
    case mentorshipChanged = "mentorship.change"
    case inductionRecorded = "induction.record"
    case deploymentRead = "deployment.read"
    case deploymentImported = "deployment.import"
    case internshipOffered = "internship.offer"
    case internshipApplied = "internship.apply"
    case internshipApplicationsRead = "internship.applications.read"
    case internshipRanked = "internship.rank"
    case internshipMatchingConfirmed = "internship.matching.confirm"
    case internshipOutcomeRecorded = "internship.outcome"
    case vacancyPosted = "vacancy.post"
    case vacancyClosed = "vacancy.close"
    case vacancyReferral = "vacancy.refer"
    case returnersRead = "returners.read"
    case returnerAdded = "returner.add"
    case returnerStepRecorded = "returner.step"

    /// Whether the action changed something (as opposed to reading it).
    public var isChange: Bool {
        switch self {
        case .personRead, .peopleListed, .accountRead, .personExported, .placementOfferRead, .traineesListed,
            .allocationRead, .teacherRead, .staffListed, .cpdEnrolmentsRead, .experienceRequestsRead,
            .eventRegistrationsRead, .surveyResponsesExported, .adviceRead, .peerGroupsRead, .developmentRead,
            .deploymentRead, .internshipApplicationsRead, .returnersRead:
            false
        default: true
        }
    }

    public var label: String {
        switch self {
        case .personRead: "Read a person's record"
        case .peopleListed: "Listed people"
        case .accountRead: "Read an account"
        case .personExported: "Downloaded everything held about a person"
        case .personErased: "Erased a person's record"
        case .personInvited: "Invited a person"
        case .membershipAdded: "Gave a role"
        case .membershipRemoved: "Removed a role"
        case .accountDeactivated: "Deactivated an account"
        case .accountActivated: "Reactivated an account"
        case .signedIn: "Signed in"
        case .signInFailed: "Failed to sign in"
        case .signedOut: "Signed out"
        case .passwordResetRequested: "Asked for a password reset"
        case .passwordSet: "Set a password"
        case .tokenCreated: "Created an API token"
        case .tokenRevoked: "Revoked an API token"
        case .organisationCreated: "Created an organisation"
        case .organisationUpdated: "Changed an organisation"
        case .partnershipUpdated: "Changed the partnership's settings"
        case .placementOfferRead: "Opened a school's placement offer (with mentors' names)"
        case .placementOfferSaved: "Saved a school's placement offer"
        case .traineesListed: "Listed a provider's trainees"
        case .traineesAdded: "Added trainees"
        case .traineeUpdated: "Changed a trainee's details"
        case .traineeWithdrawn: "Withdrew a trainee"
        case .traineeReinstated: "Reinstated a withdrawn trainee"
        case .placementConfirmed: "Confirmed a trainee's placement at a school"
        case .placementProblemRaised: "Raised a problem with a trainee's placement"
        case .allocationRun: "Ran the placement allocation"
        case .allocationRead: "Read a placement allocation"
        case .allocationPublished: "Published a placement allocation"
        case .allocationWithdrawn: "Withdrew a published placement allocation"
        case .allocationConstrained: "Pinned or forbade a placement"
        case .teacherRead: "Read a teacher's record and timeline"
        case .staffListed: "Listed a school's staff from the teacher register"
        case .staffChanged: "Added or ended periods in a school's staff list"
        case .teacherLinked: "Linked (or unlinked) an account or trainee and a teacher-register record"
        case .cpdEnrolmentsRead: "Read a CPD programme's enrolments"
        case .cpdEnrolled: "Enrolled on a CPD cohort"
        case .cpdEnrolmentChanged: "Accepted, declined, completed or withdrew a CPD enrolment, or recorded attendance"
        case .cpdProgrammeSaved: "Added a CPD programme or cohort"
        case .evidenceResourceAdded: "Added a Research School resource"
        case .peerGroupsRead: "Read early-career teachers' peer groups"
        case .peerGroupsChanged: "Formed peer groups, moved a member or locked a group"
        case .developmentRead: "Read an early-career teacher's development profile or suggestions"
        case .developmentRecorded: "Recorded a development profile"
        case .mentorshipChanged: "Assigned or ended an early-career teacher's mentor"
        case .inductionRecorded: "Recorded an early-career teacher's induction or its outcome"
        case .deploymentRead: "Read which teachers teach outside their specialism"
        case .deploymentImported: "Uploaded a school's curriculum deployment"
        case .internshipOffered: "Offered an undergraduate internship"
        case .internshipApplied: "Applied for undergraduate internships, or changed the application"
        case .internshipApplicationsRead: "Read undergraduates' internship applications"
        case .internshipRanked: "Ranked a school's internship applicants"
        case .internshipMatchingConfirmed: "Confirmed the internship matching"
        case .internshipOutcomeRecorded: "Recorded an intern's attendance or their plan to train"
        case .vacancyPosted: "Posted a maths or science vacancy"
        case .vacancyClosed: "Recorded how a vacancy closed"
        case .vacancyReferral: "Referred a candidate to a vacancy"
        case .returnersRead: "Read returners' records"
        case .returnerAdded: "Added a returner to the pipeline"
        case .returnerStepRecorded: "Recorded a returner's step"
        case .researchEngagementRecorded: "Recorded research engagement"
        case .post16ReviewSaved: "Submitted a post-16 review"
        case .experienceDateOffered: "Offered a school experience date"
        case .experienceRequested: "Asked for a school experience date"
        case .experienceRequestChanged:
            "Accepted, declined, cancelled or withdrew a school experience request, or recorded attendance"
        case .experienceRequestsRead: "Read a school's school experience requests"
        case .eventAdded: "Added a recruitment event"
        case .eventRegistered: "Registered for a recruitment event (or joined its waiting list)"
        case .eventRegistrationChanged: "Cancelled an event registration, or recorded attendance"
        case .eventRegistrationsRead: "Read an event's registrations"
        case .applicationsImported: "Imported a provider's applications"
        case .surveyChanged: "Created a survey, added a question, opened or closed it, or tagged an answer"
        case .surveyInvitationsSent: "Sent survey invitations or reminders"
        case .surveyResponsesExported: "Downloaded a survey's anonymised responses"
        case .adviceChanged: "Asked for an adviser, or changed an adviser case"
        case .adviceRead: "Read the adviser caseload or a case"
        }
    }
}

/// One line of the append-only audit log: who did what to which record, when, and from where.
public struct AuditEvent: Hashable, Codable, Sendable {
    public var at: Date
    /// Who acted; nil for someone not signed in (a failed sign-in, a reset request).
    public var actor: PersonID?
    public var action: AuditAction
    /// The kind of thing acted on ("person", "organisation", "token", ...).
    public var subjectType: String
    public var subjectID: String?
    /// The person whose data this concerns, when there is one: what subject access exports select on.
    public var subjectPerson: PersonID?
    public var detail: String
    public var address: String?
    /// How the request came: "web", "api" or "cli".
    public var channel: String

    public init(
        at: Date, actor: PersonID?, action: AuditAction, subjectType: String, subjectID: String? = nil,
        subjectPerson: PersonID? = nil, detail: String = "", address: String? = nil, channel: String = "web"
    ) {
        self.at = at
        self.actor = actor
        self.action = action
        self.subjectType = subjectType
        self.subjectID = subjectID
        self.subjectPerson = subjectPerson
        self.detail = detail
        self.address = address
        self.channel = channel
    }
}
