import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// The Research School's evidence: resources by Toolkit strand (public), teachers' research engagement, and each
/// school's research-engagement share (staff; counts only).
struct EvidenceController: RouteCollection {
    static let learners: Set<Role> = [.teacher, .mentor]
    static let managers: Set<Role> = [.coordinator, .providerStaff]
    /// Years shown on the share page and used for its trend: this academic year and the three before.
    static let yearsShown = 4

    func boot(routes: any RoutesBuilder) throws {
        routes.get("evidence", access: .everyone, use: library)
        routes.get("evidence", "new", access: .anyRole(Self.managers), use: newForm)
        routes.post("evidence", "new", access: .anyRole(Self.managers), use: create)
        routes.get("evidence", "engagement", access: .anyRole(Self.learners), use: mine)
        routes.post("evidence", "engagement", access: .anyRole(Self.learners), use: record)
        routes.get("evidence", "share", access: .staff, use: share)
    }

    // MARK: The library

    func library(req: Request) async throws -> Response {
        let strands = try BundledData.eefStrands()
        let bySlug = Dictionary(uniqueKeysWithValues: strands.map { ($0.slug, $0) })
        let query = FormValues.query(req)
        var form: [String: String] = [:]
        var problems: [ValidationError.Problem] = []
        var search = EvidenceSearch()
        let q = String(query.one("q").prefix(200))
        if !q.isEmpty {
            form["q"] = q
            search.text = q
        }
        /// The field's value read by `parse`, or nil when it is empty; an unknown value is a named problem.
        func pick<T>(_ field: String, _ message: String, _ parse: (String) -> T?) -> T? {
            let text = query.one(field)
            guard !text.isEmpty else { return nil }
            form[field] = text
            guard let value = parse(text) else {
                problems.append(.init(field: field, message: message))
                return nil
            }
            return value
        }
        search.strand = pick("strand", "Choose a strand from the Toolkit's list") { bySlug[$0] == nil ? nil : $0 }
        search.kind = pick("kind", "Choose a kind from the list", EvidenceKind.init(rawValue:))
        search.phase = pick("phase", "Choose a phase from the list", CPDPhase.init(rawValue:))
        let store = EvidenceStore(req.db)
        let all = try await store.resources()
        var resourcesByStrand: [String: Int] = [:]
        for r in all { for s in r.strands { resourcesByStrand[s, default: 0] += 1 } }
        let viewer = req.identity?.principal
        let model = EvidencePages.Library(
            rows: problems.isEmpty ? all.filter { search.matches($0, strands: bySlug) } : [], total: all.count,
            form: form, problems: problems, strands: strands, resourcesByStrand: resourcesByStrand,
            usesByStrand: try await store.strandUse(),
            canRecord: viewer.map { !$0.roles.isDisjoint(with: Self.learners) } ?? false,
            seesShare: viewer?.roles.contains(where: \.isStaff) ?? false,
            canManage: viewer.map { !$0.roles.isDisjoint(with: Self.managers) } ?? false,
            notice: req.query[String.self, at: "added"] == "1" ? "The resource was added." : nil)
        return HTMLResponse.make(
            EvidencePages.library(model, chrome: req.chrome), status: problems.isEmpty ? .ok : .badRequest)
    }

    // MARK: Adding a resource

    func newForm(req: Request) async throws -> Response {
        HTMLResponse.make(
            EvidencePages.newResource(
                form: ["published": Day.inUK(req.now).description], strands: try BundledData.eefStrands(),
                problems: [], chrome: req.chrome))
    }

    func create(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let strands = try BundledData.eefStrands()
        let body = FormValues.body(req)
        var form: [String: String] = [:]
        for k in ["title", "summary", "kind", "url", "published"] { form[k] = body.one(k) }
        for k in ["strands", "phases"] { form[k] = body.all(k).joined(separator: ";") }
        var problems: [ValidationError.Problem] = []
        let kind = EvidenceKind(rawValue: form["kind"] ?? "")
        if kind == nil { problems.append(.init(field: "kind", message: "Choose the kind of resource")) }
        var phases: Set<CPDPhase> = []
        for v in body.all("phases") {
            if let p = CPDPhase(rawValue: v) {
                phases.insert(p)
            } else {
                problems.append(.init(field: "phases", message: "Choose phases from the list"))
            }
        }
        let published = Day(form["published"] ?? "")
        if published == nil {
            problems.append(.init(field: "published", message: "Enter the date published, like 2026-09-14"))
        }
        let url = (form["url"] ?? "").isEmpty ? nil : form["url"]
        let resource = EvidenceResource(
            title: form["title"] ?? "", summary: form["summary"] ?? "", kind: kind ?? .guidance,
            strands: Set(body.all("strands")), phases: phases, url: url,
            publishedOn: published ?? Day.inUK(req.now))
        problems += resource.problems(strands: strands, today: Day.inUK(req.now))
        // In the form's order, so the error summary reads top to bottom.
        let order = ["title", "summary", "kind", "strands", "phases", "url", "published"]
        problems.sort { (order.firstIndex(of: $0.field) ?? 99) < (order.firstIndex(of: $1.field) ?? 99) }
        guard problems.isEmpty else {
            return HTMLResponse.make(
                EvidencePages.newResource(form: form, strands: strands, problems: problems, chrome: req.chrome),
                status: .badRequest)
        }
        try await req.db.transaction { tx in
            try await EvidenceStore(tx).add(resource, by: viewer.person.name, at: req.now)
            try await req.audit(
                .evidenceResourceAdded, subjectType: "evidence-resource", subjectID: resource.id.uuidString,
                detail: resource.title, on: tx)
        }
        return req.redirect(to: "/evidence?added=1", redirectType: .normal)
    }

    // MARK: A teacher's engagement

    /// The viewer's register record and the school of their current period (the latest started), if any.
    static func teacher(_ req: Request) async throws -> (id: UUID, urn: Int?, school: String?)? {
        let viewer = try req.requirePrincipal()
        guard let id = try await TeacherLinkStore(req.db).teacher(for: .person(viewer.id)),
            let record = try await TeacherStore(req.db).teacher(id)?.record
        else { return nil }
        let urn = record.periods.filter(\.isOpen).max { $0.startedOn < $1.startedOn }?.urn
        let school = try await urn.asyncMap { try await SchoolStore(req.db).find(URN($0))?.name }
        return (id, urn, school ?? nil)
    }

    func mineModel(
        _ req: Request, form: [String: String] = [:], problems: [ValidationError.Problem] = [], notice: String? = nil
    ) async throws -> EvidencePages.Mine {
        let me = try await Self.teacher(req)
        return EvidencePages.Mine(
            linked: me != nil, school: me?.school,
            records: try await me.asyncMap { try await EvidenceStore(req.db).engagements(teacher: $0.id) } ?? [],
            strands: try BundledData.eefStrands(), form: form, problems: problems, notice: notice)
    }

    func mine(req: Request) async throws -> Response {
        let notice = req.query[String.self, at: "recorded"] == "1" ? "Your research engagement was recorded." : nil
        return HTMLResponse.make(
            EvidencePages.mine(try await mineModel(req, notice: notice), today: Day.inUK(req.now), chrome: req.chrome))
    }

    func record(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        guard let me = try await Self.teacher(req) else {
            return HTMLResponse.make(
                EvidencePages.mine(try await mineModel(req), today: Day.inUK(req.now), chrome: req.chrome),
                status: .conflict)
        }
        let body = FormValues.body(req, limit: 10_000)
        var form: [String: String] = [:]
        for k in ["kind", "strand", "title", "reflection", "on"] { form[k] = body.one(k) }
        let strands = try BundledData.eefStrands()
        let parsed = ResearchEngagement.parse(
            kind: body.one("kind"), strand: body.one("strand"), title: body.one("title"),
            reflection: body.one("reflection"), on: body.one("on"), strands: strands, today: Day.inUK(req.now))
        switch parsed {
        case .failure(let error):
            return HTMLResponse.make(
                EvidencePages.mine(
                    try await mineModel(req, form: form, problems: error.problems), today: Day.inUK(req.now),
                    chrome: req.chrome),
                status: .badRequest)
        case .success(let v):
            let engagement = ResearchEngagement(
                teacher: me.id, urn: me.urn, kind: v.kind, strand: v.strand, title: v.title, reflection: v.reflection,
                on: v.on, recordedAt: req.now)
            let strandName = strands.first { $0.slug == v.strand }?.name
            let what = [v.kind.label, strandName ?? v.title].compactMap { $0 }.joined(separator: ": ")
            try await req.db.transaction { tx in
                try await EvidenceStore(tx).record([engagement])
                try await TeacherStore(tx).insertEvent(
                    teacher: me.id,
                    TeacherEvent(
                        kind: .research, on: v.on, detail: what, recordedAt: req.now, recordedBy: viewer.person.name))
                try await DataVersions(tx).bump(DataVersions.teachers)
                try await req.audit(
                    .researchEngagementRecorded, subjectType: "research-engagement",
                    subjectID: engagement.id.uuidString, person: viewer.id, detail: v.kind.rawValue, on: tx)
            }
            return req.redirect(to: "/evidence/engagement?recorded=1", redirectType: .normal)
        }
    }

    // MARK: The share by school

    static func years(_ today: Day) -> [AcademicYear] {
        let current = AcademicYear.containing(today)
        return (0..<yearsShown).reversed().compactMap { AcademicYear(start: current.start - $0) }
    }

    /// Cells for every school the register places teachers at, for the years shown.
    static func cells(_ req: Request) async throws -> [Int: [AcademicYear: ResearchEngagementShare.Cell]] {
        ResearchEngagementShare.bySchool(
            teachers: try await TeacherStore(req.db).all(),
            engagements: try await EvidenceStore(req.db).engagementPoints(), years: years(Day.inUK(req.now)))
    }

    func share(req: Request) async throws -> Response {
        let years = Self.years(Day.inUK(req.now))
        let authorities = try await ColdSpotsController.partnershipAuthorities(req)
        let la = req.query[String.self, at: "la"].flatMap { code in
            authorities.contains { $0.code == code } ? code : nil
        }
        if let asked = req.query[String.self, at: "la"], !asked.isEmpty, la == nil {
            throw Abort(.badRequest, reason: "la must be the code of one of the partnership's local authorities.")
        }
        let cells = try await Self.cells(req)
        let schools = try await SchoolStore(req.db).find(cells.keys.map(URN.init))
        let shown = cells.filter { urn, _ in
            guard let s = schools[URN(urn)] else { return false }
            return la.map { s.localAuthority?.code == $0 } ?? authorities.contains { $0.code == s.localAuthority?.code }
        }
        var totals: [AcademicYear: ResearchEngagementShare.Cell] = [:]
        for y in years { totals[y] = ResearchEngagementShare.total(shown, year: y) }
        let rows = shown.compactMap { urn, byYear -> EvidencePages.ShareRow? in
            guard let s = schools[URN(urn)] else { return nil }
            return .init(urn: urn, name: s.name, authority: s.localAuthority?.name ?? "", cells: byYear)
        }.sorted { ($0.authority, $0.name) < ($1.authority, $1.name) }
        let current = years.last!
        var byRegion: [String: [SVGMap.Point]] = [:]
        for (urn, byYear) in shown {
            guard let s = schools[URN(urn)], let at = s.location, let cell = byYear[current] else { continue }
            byRegion[s.region?.name ?? "The region", default: []].append(
                SVGMap.Point(
                    at: at, marker: .share(cell.share), title: "\(s.name): \(EvidencePages.percent(cell))"))
        }
        let model = EvidencePages.Share(
            years: years, totals: totals, rows: rows,
            maps: byRegion.keys.sorted().map { EvidencePages.ShareMap(region: $0, points: byRegion[$0]!) },
            authority: la, authorities: authorities.map { ($0.code, $0.name) }.sorted { $0.1 < $1.1 })
        return HTMLResponse.make(EvidencePages.share(model, chrome: req.chrome))
    }
}
