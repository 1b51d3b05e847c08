import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// Recruitment events: candidates register (or join the waiting list) and cancel; organisers (coordinators, or
/// the organising provider's staff) add events, send reminders and record attendance.
struct EventController: RouteCollection {
    static let managers: Set<Role> = [.coordinator, .providerStaff]

    func boot(routes: any RoutesBuilder) throws {
        routes.get("events", access: .everyone, use: list)
        routes.get("events", "new", access: .anyRole(Self.managers), use: newForm)
        routes.post("events", "new", access: .anyRole(Self.managers), use: create)
        routes.post(
            "events", "registrations", ":registration", "cancel", access: .anyRole(ExperienceController.candidates),
            use: cancel)
        routes.post(
            "events", "registrations", ":registration", "attendance", access: .anyRole(Self.managers), use: attendance)
        routes.get("events", ":event", access: .everyone, use: detail)
        routes.get("events", ":event", "calendar.ics", access: .everyone, use: calendar)
        routes.post("events", ":event", "register", access: .anyRole(ExperienceController.candidates), use: register)
        routes.get("events", ":event", "registrations", access: .anyRole(Self.managers), use: registrations)
        routes.post("events", ":event", "reminders", access: .anyRole(Self.managers), use: remind)
    }

    static func event(_ req: Request) async throws -> RecruitmentEvent {
        guard let id = req.parameters.get("event").flatMap(UUID.init(uuidString:)),
            let e = try await EventStore(req.db).event(id)
        else { throw Abort(.notFound, reason: "There is no event with that id.") }
        return e
    }

    static func mayManage(_ req: Request, _ e: RecruitmentEvent) -> Bool {
        guard let viewer = req.identity?.principal else { return false }
        return viewer.has(.coordinator)
            || (e.organisedBy.map { viewer.organisations(as: .providerStaff).contains(OrganisationID($0)) } ?? false)
    }

    static func managed(_ req: Request) async throws -> RecruitmentEvent {
        let e = try await event(req)
        guard mayManage(req, e) else {
            throw Abort(.forbidden, reason: "Only the organiser's staff and coordinators manage this event.")
        }
        return e
    }

    /// Events from today on, of the kind the query asks for (any when it names none); the page and
    /// `/api/v1/events` both read it.
    static func upcoming(_ req: Request, all: [RecruitmentEvent]) -> (
        kind: String, problems: [ValidationError.Problem], events: [RecruitmentEvent]
    ) {
        let today = Day.inUK(req.now)
        let kinds = FormValues.query(req).all("kind")
        let kindText = kinds.first ?? ""
        let kind = RecruitmentEventKind(rawValue: kindText)
        guard kinds.count <= 1, kindText.isEmpty || kind != nil else {
            return (kindText, [.init(field: "kind", message: "Choose a kind of event from the list")], [])
        }
        return (kindText, [], all.filter { $0.session.day >= today && (kind == nil || $0.kind == kind) })
    }

    func list(req: Request) async throws -> Response {
        let store = EventStore(req.db)
        let all = try await store.events()
        let (kindText, problems, upcoming) = Self.upcoming(req, all: all)
        var mine: [(RecruitmentEvent, EventRegistration)] = []
        if let viewer = req.identity?.principal {
            let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
            mine = try await store.registrations(person: viewer.id).compactMap { r in byID[r.event].map { ($0, r) } }
        }
        let viewer = req.identity?.principal
        return HTMLResponse.make(
            EventPages.list(
                events: problems.isEmpty ? upcoming : [], mine: mine,
                kind: kindText.isEmpty ? nil : String(kindText.prefix(50)),
                problems: problems, canManage: viewer.map { !$0.roles.isDisjoint(with: Self.managers) } ?? false,
                isCandidate: ExperienceController.isCandidate(req),
                notice: req.query[String.self, at: "added"] == "1" ? "The event was added." : nil, chrome: req.chrome),
            status: problems.isEmpty ? .ok : .badRequest)
    }

    func detailPage(
        _ req: Request, _ e: RecruitmentEvent, notice: String? = nil, problems: [ValidationError.Problem] = [],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var mine: EventRegistration?
        if let viewer = req.identity?.principal {
            mine = try await EventStore(req.db).registrations(person: viewer.id).first { $0.event == e.id }
        }
        return HTMLResponse.make(
            EventPages.detail(
                e, mine: mine, isCandidate: ExperienceController.isCandidate(req), canManage: Self.mayManage(req, e),
                notice: notice, problems: problems, chrome: req.chrome), status: status)
    }

    func detail(req: Request) async throws -> Response {
        try await detailPage(req, try await Self.event(req))
    }

    func calendar(req: Request) async throws -> Response {
        let e = try await Self.event(req)
        let body = ICalendar.calendar(
            name: e.title,
            events: [
                ICalendar.Event(
                    uid: "\(e.id.uuidString.lowercased())@chalkface", summary: e.title,
                    start: ICalendar.ukInstant(e.session.day, minutes: e.session.start),
                    end: ICalendar.ukInstant(e.session.day, minutes: e.session.end), location: e.venue,
                    description: "\(e.organiser): \(e.kind.label)")
            ], now: req.now)
        return CPDController.ics(body, name: "event.ics")
    }

    func register(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let e = try await Self.event(req)
        guard e.session.day > Day.inUK(req.now) else {
            return try await detailPage(
                req, e, problems: [.init(field: "event", message: "This event has taken place")], status: .conflict)
        }
        do {
            let r = try await req.db.transaction { tx in
                try await EventStore(tx).register(event: e.id, person: viewer.id, name: viewer.person.name, at: req.now)
            }
            try await req.audit(
                .eventRegistered, subjectType: "event-registration", subjectID: r.id.uuidString, person: viewer.id,
                detail: "\(e.title): \(r.status.rawValue)")
            return try await detailPage(
                req, try await Self.event(req),
                notice: r.status == .registered
                    ? "You are registered. Add it to your calendar below."
                    : "The event is full: you are on the waiting list, and we will email you if a place comes up.")
        } catch EventStore.RegisterError.alreadyRegistered {
            return try await detailPage(
                req, e, problems: [.init(field: "event", message: "You are already registered")], status: .conflict)
        }
    }

    func cancel(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        guard let id = req.parameters.get("registration").flatMap(UUID.init(uuidString:)),
            let r = try await EventStore(req.db).registration(id), r.person == viewer.id,
            let e = try await EventStore(req.db).event(r.event)
        else { throw Abort(.notFound, reason: "You have no registration with that id.") }
        guard r.status == .registered || r.status == .waiting else {
            throw Abort(
                .conflict, reason: "This registration is \(r.status.label.lowercased()) and cannot be cancelled.")
        }
        try await req.db.transaction { tx in
            if let promoted = try await EventStore(tx).cancel(r),
                let person = try await PeopleStore(tx).find(promoted.person)
            {
                try await Outbox(tx).enqueue(
                    to: person.email, person: person.id, subject: "A place at \(e.title)",
                    body:
                        "A place has come up at \(e.title) (\(e.session.day.longDescription), \(e.session.times), \(e.venue)) and it is yours. If you can no longer come, cancel from the event's page so it goes to the next person.",
                    at: req.now)
            }
            try await req.audit(
                .eventRegistrationChanged, subjectType: "event-registration", subjectID: r.id.uuidString,
                person: r.person, detail: "cancelled", on: tx)
        }
        return req.redirect(to: "/events/\(e.id.uuidString.lowercased())", redirectType: .normal)
    }

    func registrations(req: Request) async throws -> Response {
        let e = try await Self.managed(req)
        let rows = try await EventStore(req.db).registrations(event: e.id)
        if !rows.isEmpty {
            try await req.audit(
                .eventRegistrationsRead, subjectType: "event", subjectID: e.id.uuidString, detail: e.title)
        }
        let notice: String? =
            switch req.query[String.self, at: "done"] {
            case "reminded": "Reminders are in the outbox."
            case "marked": "Attendance recorded."
            default: nil
            }
        return HTMLResponse.make(
            EventPages.registrations(
                e, rows, today: Day.inUK(req.now), remindedAt: try await EventStore(req.db).remindedAt(e.id),
                notice: notice, chrome: req.chrome))
    }

    func remind(req: Request) async throws -> Response {
        let e = try await Self.managed(req)
        guard e.session.day > Day.inUK(req.now) else {
            throw Abort(.conflict, reason: "The event has taken place: there is nothing to remind people of.")
        }
        try await req.db.transaction { tx in
            guard try await EventStore(tx).markReminded(e.id, at: req.now) else { return }
            for r in try await EventStore(tx).registrations(event: e.id) where r.status == .registered {
                guard let person = try await PeopleStore(tx).find(r.person) else { continue }
                try await Outbox(tx).enqueue(
                    to: person.email, person: person.id, subject: "Reminder: \(e.title)",
                    body:
                        "You are registered for \(e.title) on \(e.session.day.longDescription), \(e.session.times), at \(e.venue). If you can no longer come, cancel from the event's page so your place goes to someone on the waiting list.",
                    at: req.now)
            }
        }
        return req.redirect(
            to: "/events/\(e.id.uuidString.lowercased())/registrations?done=reminded", redirectType: .normal)
    }

    func attendance(req: Request) async throws -> Response {
        guard let id = req.parameters.get("registration").flatMap(UUID.init(uuidString:)),
            let r = try await EventStore(req.db).registration(id), let e = try await EventStore(req.db).event(r.event)
        else { throw Abort(.notFound, reason: "There is no registration with that id.") }
        guard Self.mayManage(req, e) else {
            throw Abort(.forbidden, reason: "Only the organiser's staff and coordinators manage this event.")
        }
        guard let status = EventRegistration.Status(rawValue: FormValues.body(req).one("status")),
            status == .attended || status == .noShow
        else { throw Abort(.badRequest, reason: "status must be attended or no-show.") }
        guard r.status == .registered, Day.inUK(req.now) >= e.session.day else {
            throw Abort(.conflict, reason: "Attendance is recorded for registered people, on or after the day.")
        }
        try await req.db.transaction { tx in
            try await EventStore(tx).setStatus(r, to: status)
            try await req.audit(
                .eventRegistrationChanged, subjectType: "event-registration", subjectID: r.id.uuidString,
                person: r.person, detail: status.rawValue, on: tx)
        }
        return req.redirect(
            to: "/events/\(e.id.uuidString.lowercased())/registrations?done=marked", redirectType: .normal)
    }

    // MARK: Adding an event

    static func organiser(_ req: Request) async throws -> (name: String, id: UUID?) {
        let viewer = try req.requirePrincipal()
        let providers = viewer.organisations(as: .providerStaff)
        if let o = try await OrganisationStore(req.db).list().first(where: { providers.contains($0.id) }) {
            return (o.name, o.id.rawValue)
        }
        return (try await OrganisationStore(req.db).mainPartnership()?.name ?? "The partnership", nil)
    }

    func newForm(req: Request) async throws -> Response {
        HTMLResponse.make(
            EventPages.newEvent(
                form: ["capacity": "40"], organiser: try await Self.organiser(req).name, problems: [],
                chrome: req.chrome))
    }

    func create(req: Request) async throws -> Response {
        let organiser = try await Self.organiser(req)
        let body = FormValues.body(req)
        var form: [String: String] = [:]
        for k in ["title", "kind", "summary", "when", "venue", "capacity"] { form[k] = body.one(k) }
        switch RecruitmentEvent.parse(
            organiser: organiser.name, organisedBy: organiser.id, title: body.one("title"), kind: body.one("kind"),
            summary: body.one("summary"), when: body.one("when"), venue: body.one("venue"),
            capacity: body.one("capacity"), today: Day.inUK(req.now))
        {
        case .failure(let e):
            return HTMLResponse.make(
                EventPages.newEvent(form: form, organiser: organiser.name, problems: e.problems, chrome: req.chrome),
                status: .badRequest)
        case .success(let event):
            try await req.db.transaction { tx in
                try await EventStore(tx).add([event])
                try await req.audit(
                    .eventAdded, subjectType: "event", subjectID: event.id.uuidString, detail: event.title, on: tx)
            }
            return req.redirect(to: "/events?added=1", redirectType: .normal)
        }
    }
}
