import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// Who teaches what: specialist shares from the schools' curriculum deployment. Coordinators and provider staff see
/// the partnership, its local authorities and schools; school staff their own school beside them. The teachers
/// teaching outside their specialism are shown to their own school's staff, and to coordinators where the
/// partnership shares individual records; each showing is audited.
struct SpecialistController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let access = RouteAccess.anyRole([.coordinator, .providerStaff, .schoolStaff])
        routes.get("specialists", access: access, use: page)
        routes.get("specialists.csv", access: access, use: csv)
        routes.on(
            .POST, ["specialists", "upload"], access: .anyRole([.coordinator, .schoolStaff]),
            body: .collect(maxSize: "5mb"), use: upload)
    }

    /// The schools whose staff the viewer is; nil for a coordinator (every school).
    static func ownURNs(_ req: Request) async throws -> Set<Int>? {
        let viewer = try req.requirePrincipal()
        if viewer.has(.coordinator) { return nil }
        let organisations = try await OrganisationStore(req.db).list()
        return Set(
            organisations.filter { viewer.organisations(as: .schoolStaff).contains($0.id) }.compactMap(\.urn?.value))
    }

    func model(_ req: Request, uploadProblems: [String] = [], notice: String? = nil) async throws
        -> SpecialistPages.Model
    {
        let viewer = try req.requirePrincipal()
        let rows = try await DeploymentStore(req.db).rows()
        let shares = DeploymentStore.shares(rows)
        let own = viewer.has(.coordinator) ? Set<Int>() : (try await Self.ownURNs(req) ?? [])
        let schools = try await SchoolStore(req.db).find(Set(shares.bySchool.keys).union(own).map(URN.init))
        let byAuthority = shares.grouped { schools[URN($0)]?.localAuthority?.code }
        var authorityNames: [String: String] = [:]
        for s in schools.values { if let la = s.localAuthority { authorityNames[la.code] = la.name } }
        let authorities = byAuthority.keys.sorted { (authorityNames[$0] ?? $0) < (authorityNames[$1] ?? $1) }.map {
            SpecialistPages.Place(label: authorityNames[$0] ?? $0, code: $0, hours: byAuthority[$0]!)
        }
        func place(_ urn: Int) -> SpecialistPages.Place {
            SpecialistPages.Place(
                label: schools[URN(urn)]?.name ?? "School \(urn)", code: String(urn), hours: shares.bySchool[urn] ?? [:]
            )
        }
        let schoolPlaces = shares.bySchool.keys.sorted { (place($0).label, $0) < (place($1).label, $1) }.map(place)
        let ownPlaces = own.sorted().map(place)  // empty for coordinators
        // Individuals: school staff see their own school's; coordinators every school's with individual sharing.
        var visible: Set<Int>? = nil
        var why: String?
        if viewer.has(.coordinator) {
            if try await req.dataSharing() == .individualRecords {
                visible = Set(shares.bySchool.keys)
            } else {
                why =
                    "The partnership shares aggregates only, so the teachers teaching outside their specialism are listed to their own schools' staff, not here."
            }
        } else if !own.isEmpty {
            visible = own
        }
        // What subject specialism training moved, in the viewer's scope.
        let movedBySchool = SpecialistShares.moved(
            rows.map(\.deployment), specialisms: DeploymentStore.specialisms(rows),
            trained: try await QualificationStore(req.db).trained())
        let scope = viewer.has(.coordinator) || viewer.has(.providerStaff) ? Set(shares.bySchool.keys) : own
        var moved: [TeachingSubject: (moved: TeachingHours, now: SpecialistHours)] = [:]
        for urn in scope {
            for (subject, h) in movedBySchool[urn] ?? [:] {
                moved[subject] = ((moved[subject]?.moved ?? .zero) + h, .init())
            }
        }
        for subject in moved.keys {
            let now = scope.compactMap { shares.bySchool[$0]?[subject] }.reduce(SpecialistHours(), +)
            moved[subject]?.now = now
        }
        let tsst = try await Self.trainingStatus(req)
        var list: [SpecialistPages.NonSpecialist]?
        if let visible {
            list = rows.filter {
                visible.contains($0.deployment.urn)
                    && !SpecialistShares.isSpecialist(in: $0.deployment.subject, holding: $0.specialisms)
            }.map {
                SpecialistPages.NonSpecialist(
                    school: schools[URN($0.deployment.urn)]?.name ?? String($0.deployment.urn), urn: $0.deployment.urn,
                    teacher: $0.teacherID, name: $0.name, subject: $0.deployment.subject, hours: $0.deployment.hours,
                    specialisms: $0.specialisms, training: nil,
                    findTraining: tsst.subjects.contains($0.deployment.subject)
                        ? "/cpd?kind=tsst&subject=\($0.deployment.subject.rawValue)" : nil)
            }.sorted { ($0.school, $0.subject, $0.name) < ($1.school, $1.subject, $1.name) }
            let people = try await TeacherLinkStore(req.db).people(of: (list ?? []).map(\.teacher))
            for i in (list ?? []).indices {
                list![i].training = tsst.status(people: people[list![i].teacher] ?? [], subject: list![i].subject)
            }
            if !(list ?? []).isEmpty {
                try await req.audit(
                    .deploymentRead, subjectType: "school",
                    subjectID: visible.count == 1 ? visible.first.map(String.init) : nil,
                    detail: "\(list!.count) deployment rows outside the teachers' specialisms")
            }
        }
        return SpecialistPages.Model(
            scope: ownPlaces.count == 1 ? ownPlaces[0].label : "the partnership's schools", partnership: shares.total,
            ownSchools: ownPlaces, authorities: authorities,
            schools: viewer.has(.schoolStaff) && !viewer.has(.coordinator) && !viewer.has(.providerStaff)
                ? [] : schoolPlaces,
            nonSpecialists: list, whyNoIndividuals: why,
            canUpload: viewer.has(.coordinator) || !own.isEmpty, uploadProblems: uploadProblems, notice: notice,
            moved: moved)
    }

    /// The catalogue's subject specialism training and who is on it.
    struct TrainingStatus {
        var programmes: [CPDProgramme]
        var cohortProgramme: [UUID: CPDProgramme]
        var enrolments: [PersonID: [CPDEnrolment]]

        var subjects: Set<TeachingSubject> { Set(programmes.flatMap(\.subjects)) }

        /// "Asked for a place on TSST mathematics", "On ...", "Completed ...", or nil.
        func status(people: [PersonID], subject: TeachingSubject) -> String? {
            for person in people {
                for e in enrolments[person] ?? [] {
                    guard let p = cohortProgramme[e.cohort], p.subjects.contains(subject) else { continue }
                    switch e.status {
                    case .requested: return "Asked for a place on \(p.title)"
                    case .accepted: return "On \(p.title)"
                    case .completed: return "Completed \(p.title)"
                    case .declined, .withdrawn: continue
                    }
                }
            }
            return nil
        }
    }

    static func trainingStatus(_ req: Request) async throws -> TrainingStatus {
        let store = CPDStore(req.db)
        let programmes = try await store.programmes().filter { $0.kind == .tsst }
        let cohorts = try await store.cohorts()
        var cohortProgramme: [UUID: CPDProgramme] = [:]
        for p in programmes { for c in cohorts[p.id] ?? [] { cohortProgramme[c.id] = p } }
        var enrolments: [PersonID: [CPDEnrolment]] = [:]
        for e in try await store.enrolments(cohorts: Array(cohortProgramme.keys)) {
            enrolments[e.person, default: []].append(e)
        }
        return TrainingStatus(programmes: programmes, cohortProgramme: cohortProgramme, enrolments: enrolments)
    }

    func page(req: Request) async throws -> Response {
        var notice: String?
        if let r = req.query[String.self, at: "uploaded"], r.count <= 300 { notice = "Deployment uploaded: \(r)." }
        return HTMLResponse.make(SpecialistPages.page(try await model(req, notice: notice), chrome: req.chrome))
    }

    /// The same figures as `chalkface export specialists --format csv`: a school's staff get their own school's
    /// rows, others every school's.
    func csv(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        var rows = try await DeploymentStore(req.db).rows()
        if !viewer.has(.coordinator), !viewer.has(.providerStaff) {
            let own = try await Self.ownURNs(req) ?? []
            rows = rows.filter { own.contains($0.deployment.urn) }
        }
        return ColdSpotsController().download(
            DeploymentStore.shares(rows).csv(),
            type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]),
            name: "specialist-teaching.csv")
    }

    struct Upload: Content {
        var file: File?
    }

    /// All or nothing: every row must be about a school the viewer keeps (any school for a coordinator).
    func upload(req: Request) async throws -> Response {
        let allowed = try await Self.ownURNs(req)
        func fail(_ problems: [String]) async throws -> Response {
            HTMLResponse.make(
                SpecialistPages.page(try await model(req, uploadProblems: problems), chrome: req.chrome),
                status: .badRequest)
        }
        if let allowed, allowed.isEmpty {
            throw Abort(.forbidden, reason: "Only a school's own staff, or a coordinator, can upload its deployment.")
        }
        guard let file = try req.content.decode(Upload.self).file, file.data.readableBytes > 0 else {
            return try await fail(["Choose a CSV file to upload"])
        }
        let name = String((file.filename.isEmpty ? "deployment.csv" : file.filename).prefix(100))
        do {
            let entries = try DeploymentFile.read(Array(buffer: file.data), file: name)
            let author = try req.requirePrincipal().person.name
            let result = try await req.db.transaction { tx in
                try await DeploymentStore(tx).importEntries(
                    entries, file: name, allowedURNs: allowed, author: author, at: req.application.clock.now())
            }
            let urns = Set(entries.map(\.deployment.urn))
            try await req.audit(
                .deploymentImported, subjectType: "school",
                subjectID: urns.count == 1 ? urns.first.map(String.init) : nil, detail: "\(name): \(result.report)")
            return req.redirect(
                to:
                    "/specialists?uploaded=\(result.report.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                redirectType: .normal)
        } catch let error as ImportFileError {
            return try await fail(error.description.split(separator: "\n").map(String.init))
        }
    }
}
