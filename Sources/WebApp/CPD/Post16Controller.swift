import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// The post-16 review: institutions' forms (their own staff, or coordinators) and the region's picture (staff).
struct Post16Controller: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("post16", access: .staff, use: picture)
        routes.get("post16", ":urn", access: .anyRole([.coordinator, .schoolStaff]), use: form)
        routes.post("post16", ":urn", access: .anyRole([.coordinator, .schoolStaff]), use: submit)
    }

    /// URNs of the schools where the viewer is school staff.
    static func ownURNs(_ req: Request) async throws -> Set<Int> {
        let viewer = try req.requirePrincipal()
        let mine = viewer.organisations(as: .schoolStaff)
        return Set(
            try await OrganisationStore(req.db).list().filter { mine.contains($0.id) }.compactMap { $0.urn?.value })
    }

    /// The institution in the path, if the viewer may review it: its own staff, or a coordinator.
    static func institution(_ req: Request) async throws -> School {
        let viewer = try req.requirePrincipal()
        guard let text = req.parameters.get("urn"), let urn = BoundedInput.wholeNumber(text, in: 100_000...999_999),
            let school = try await SchoolStore(req.db).find(URN(urn))
        else { throw Abort(.notFound, reason: "There is no school with that URN.") }
        let own = try await ownURNs(req)
        guard viewer.has(.coordinator) || own.contains(urn) else {
            throw Abort(.forbidden, reason: "Only the institution's own staff (or a coordinator) can review it.")
        }
        guard Post16Review.isCandidate(school) else {
            throw Abort(
                .notFound,
                reason: "\(school.name) is not a secondary, all-through or 16-plus school, so it has no post-16 review."
            )
        }
        return school
    }

    func formPage(
        _ req: Request, _ school: School, form: [String: String]? = nil, problems: [ValidationError.Problem] = [],
        notice: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let year = AcademicYear.containing(Day.inUK(req.now))
        let stored = try await Post16Store(req.db).review(urn: school.urn.value, year: year)
        return HTMLResponse.make(
            Post16Pages.form(
                school: school.name, urn: school.urn.value, year: year,
                form: form ?? stored.map { Post16Pages.fields($0.review) } ?? [:], problems: problems,
                submitted: stored.map { ($0.submittedBy, $0.submittedAt) }, notice: notice, chrome: req.chrome),
            status: status)
    }

    func form(req: Request) async throws -> Response {
        let school = try await Self.institution(req)
        return try await formPage(
            req, school, notice: req.query[String.self, at: "saved"] == "1" ? "The review was saved." : nil)
    }

    func submit(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let school = try await Self.institution(req)
        let year = AcademicYear.containing(Day.inUK(req.now))
        let body = FormValues.body(req)
        var form: [String: String] = ["sixth_form": body.one("sixth_form"), "offer": body.one("offer")]
        for s in Post16Subject.allCases {
            for k in ["teachers", "nonspecialists"] { form["\(s.rawValue)_\(k)"] = body.one("\(s.rawValue)_\(k)") }
            form["\(s.rawValue)_needs"] = body.all("\(s.rawValue)_needs").joined(separator: ";")
        }
        switch Post16Review.parse(urn: school.urn.value, year: year, one: body.one, all: body.all) {
        case .failure(let error):
            return try await formPage(req, school, form: form, problems: error.problems, status: .badRequest)
        case .success(let review):
            try await req.db.transaction { tx in
                try await Post16Store(tx).save([review], by: viewer.person.name, at: req.now)
                try await req.audit(
                    .post16ReviewSaved, subjectType: "post16-review", subjectID: "\(school.urn.value)/\(year.start)",
                    detail: school.name, on: tx)
            }
            return req.redirect(to: "/post16/\(school.urn.value)?saved=1", redirectType: .normal)
        }
    }

    func picture(req: Request) async throws -> Response {
        let viewer = try req.requirePrincipal()
        let today = Day.inUK(req.now)
        let year = AcademicYear.containing(today)
        let authorities = try await ColdSpotsController.partnershipAuthorities(req)
        let schools = try await SchoolStore(req.db).open(inLocalAuthorities: authorities.map(\.code))
            .filter(Post16Review.isCandidate)
        let stored = Dictionary(
            try await Post16Store(req.db).reviews(year: year).map { ($0.review.urn, $0) },
            uniquingKeysWith: { a, _ in a })
        let candidates = Set(schools.map(\.urn.value))
        let reviews = stored.values.filter { candidates.contains($0.review.urn) }.map(\.review)
        let cpd = CPDStore(req.db)
        let programmes = try await cpd.programmes()
        let picture = Post16Picture.build(
            reviews: reviews, programmes: programmes, cohorts: try await cpd.cohorts(), today: today)
        let own = try await Self.ownURNs(req)
        let institutions = schools.map { s in
            let r = stored[s.urn.value]
            return Post16Pages.Institution(
                urn: s.urn.value, name: s.name, authority: s.localAuthority?.name ?? "", review: r?.review,
                submittedBy: r?.submittedBy, submittedAt: r?.submittedAt,
                canEdit: viewer.has(.coordinator) || own.contains(s.urn.value))
        }.sorted { ($0.authority, $0.name) < ($1.authority, $1.name) }
        let model = Post16Pages.Picture(
            year: year, picture: picture,
            programmes: Dictionary(uniqueKeysWithValues: programmes.map { ($0.id, $0.title) }),
            institutions: institutions, generated: reviews.filter(\.generated).count,
            own: institutions.filter { own.contains($0.urn) })
        return HTMLResponse.make(Post16Pages.picture(model, chrome: req.chrome))
    }
}
