import Domain
import Fluent
import Pages
import Persistence
import Vapor

/// Who stays: survival curves from the teacher register, scoped to what the viewer may see; a school's staff list
/// and one teacher's record with their timeline.
struct RetentionController: RouteCollection {
    static let staffRoles: Set<Role> = [.coordinator, .providerStaff, .schoolStaff]

    func boot(routes: any RoutesBuilder) throws {
        let access = RouteAccess.anyRole(Self.staffRoles)
        routes.get("retention", access: access, use: page)
        routes.get("retention.csv", access: access, use: csv)
        routes.get("retention", "forecast", access: .anyRole([.coordinator]), use: forecast)
        routes.get("retention", "forecast.csv", access: .anyRole([.coordinator]), use: forecastCSV)
        routes.get("retention", "hazards.csv", access: access, use: hazardsCSV)
        routes.get("retention", "funnel.csv", access: access, use: funnelCSV)
        let schoolAccess = RouteAccess.anyRole([.coordinator, .schoolStaff])
        routes.get("schools", ":urn", "staff", access: schoolAccess, use: staff)
        routes.post("schools", ":urn", "staff", access: schoolAccess, use: addStaff)
        routes.on(
            .POST, ["schools", ":urn", "staff", "upload"], access: schoolAccess, body: .collect(maxSize: "5mb"),
            use: uploadStaff)
        routes.get("schools", ":urn", "staff", ":teacher", "end", access: schoolAccess, use: confirmEnd)
        routes.post("schools", ":urn", "staff", ":teacher", "end", access: schoolAccess, use: end)
        routes.get("schools", ":urn", "staff", ":teacher", "change", access: schoolAccess, use: changeForm)
        routes.post("schools", ":urn", "staff", ":teacher", "change", access: schoolAccess, use: change)
    }

    /// What the viewer's retention figures cover: the partnership for coordinators, a provider's own former
    /// trainees for its staff, a school's own staff (time at the school) for school staff.
    struct Scope {
        var label: String
        var inSchool: Bool
        var spells: [Retention.Spell]
        var generatedShare: Double
        var staffListURN: Int? = nil
        /// The school a coordinator chose to look at.
        var school: Int? = nil
    }

    static func scope(_ req: Request) async throws -> Scope {
        let viewer = try req.requirePrincipal()
        let today = Day.inUK(req.application.clock.now())
        let organisations = try await OrganisationStore(req.db).list()
        let register = try await req.application.registerCache.current(req.db)
        let share =
            register.teachers.isEmpty ? 0 : Double(register.generated) / Double(register.teachers.count)
        let chosenSchool = try await Self.chosenSchool(req)
        if viewer.has(.coordinator), let school = chosenSchool {
            // One school's curve: time at the school, from the register's aggregate (no individual shown).
            let urn = school.urn.value
            let teachers = register.teachers.filter { $0.periods.contains { $0.urn == urn } }
            let sharing = try await req.dataSharing()
            return Scope(
                label: "Staff of \(school.name) (URN \(urn))", inSchool: true,
                spells: Retention.schoolSpells(teachers, urn: urn, asOf: today, schools: register.facts),
                generatedShare: share, staffListURN: sharing == .individualRecords ? urn : nil, school: urn)
        }
        if chosenSchool != nil, !viewer.has(.schoolStaff) {
            throw Abort(.forbidden, reason: "One school's figures are for coordinators and the school's own staff.")
        }
        if viewer.has(.coordinator) {
            return Scope(
                label: "All teachers in the partnership's schools", inSchool: false,
                spells: Retention.partnershipSpells(register.teachers, asOf: today, schools: register.facts),
                generatedShare: share)
        }
        if let provider = organisations.first(where: { viewer.organisations(as: .providerStaff).contains($0.id) }) {
            let teachers = register.teachers.filter { $0.ittProvider == provider.name }
            return Scope(
                label: "Teachers trained by \(provider.name)", inSchool: false,
                spells: Retention.partnershipSpells(teachers, asOf: today, schools: register.facts),
                generatedShare: share)
        }
        if let school = organisations.first(where: {
            viewer.organisations(as: .schoolStaff).contains($0.id)
                && (chosenSchool == nil || $0.urn == chosenSchool?.urn)
        }),
            let urn = school.urn
        {
            let teachers = register.teachers.filter { $0.periods.contains { $0.urn == urn.value } }
            return Scope(
                label: "Staff of \(school.name)", inSchool: true,
                spells: Retention.schoolSpells(teachers, urn: urn.value, asOf: today, schools: register.facts),
                generatedShare: share, staffListURN: urn.value)
        }
        if chosenSchool != nil {
            throw Abort(.forbidden, reason: "One school's figures are for coordinators and the school's own staff.")
        }
        throw Abort(.forbidden, reason: "Retention figures are for coordinators, providers and schools.")
    }

    /// The school named by `school=` (a URN), if any: 400 when it is not a URN, 404 when no school has it.
    static func chosenSchool(_ req: Request) async throws -> School? {
        guard let text = req.query[String.self, at: "school"]?.trimmingSpaces, !text.isEmpty else { return nil }
        guard let urn = BoundedInput.wholeNumber(text, in: 100_000...999_999) else {
            throw Abort(.badRequest, reason: "school must be a school's URN, six digits like 138982.")
        }
        guard let school = try await SchoolStore(req.db).find(URN(urn)) else {
            throw Abort(.notFound, reason: "There is no school with URN \(urn).")
        }
        return school
    }

    static func dimension(_ req: Request) throws -> Retention.Dimension {
        guard let text = req.query[String.self, at: "by"], !text.isEmpty else { return .cohort }
        guard let d = Retention.Dimension(rawValue: text) else {
            throw Abort(
                .badRequest,
                reason:
                    "by must be one of \(Retention.Dimension.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return d
    }

    /// The hazard model's factors: every `factor=` in the query, each a known model factor.
    static func factors(_ req: Request) throws -> [Retention.Dimension] {
        var out: [Retention.Dimension] = []
        for value in FormValues.query(req).all("factor") {
            guard let f = Retention.Dimension(rawValue: value), Retention.modelFactors.contains(f) else {
                throw Abort(
                    .badRequest,
                    reason:
                        "factor must be one of \(Retention.modelFactors.map(\.rawValue).joined(separator: ", ")).")
            }
            if !out.contains(f) { out.append(f) }
        }
        return out
    }

    func page(req: Request) async throws -> Response {
        let dimension = try Self.dimension(req)
        let factors = try Self.factors(req)
        let scope = try await Self.scope(req)
        let analysis = Retention.analyse(scope.spells, by: dimension)
        var model = RetentionPages.Model(
            scope: scope.label, inSchool: scope.inSchool, analysis: analysis,
            asOf: Day.inUK(req.application.clock.now()), generatedShare: scope.generatedShare,
            staffListURN: scope.staffListURN)
        model.factors = factors
        model.chosenSchool = scope.school
        model.canChooseSchool = try req.requirePrincipal().has(.coordinator)
        if !scope.inSchool {
            model.funnel = Retention.funnel(scope.spells, asOf: Day.inUK(req.application.clock.now()))
        }
        if !factors.isEmpty, scope.spells.count >= Retention.suppressionThreshold {
            do {
                model.hazards = .success(try Retention.hazardRatios(scope.spells, factors: factors))
            } catch {
                model.hazards = .failure(error)
            }
        }
        return HTMLResponse.make(RetentionPages.page(model, chrome: req.chrome))
    }

    /// The figures behind the page at whole years 1 to 10, as `chalkface survival` writes them; rows resting on
    /// fewer than 10 people at risk keep their counts but not their estimates.
    func csv(req: Request) async throws -> Response {
        let dimension = try Self.dimension(req)
        let scope = try await Self.scope(req)
        let analysis = Retention.analyse(scope.spells, by: dimension)
        var lines = [SurvivalReport.header]
        for c in analysis.curves {
            lines += SurvivalReport.rows(
                group: c.label, fit: c.fit, times: (1...10).map(Double.init),
                minimumAtRisk: Retention.suppressionThreshold)
        }
        return ColdSpotsController().download(
            lines.joined(separator: "\r\n") + "\r\n",
            type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]),
            name: "retention-\(dimension.rawValue).csv")
    }

    static func csvResponse(_ lines: [[String]], name: String) -> Response {
        ColdSpotsController().download(
            lines.map { $0.map(SchoolCSVExport.escape).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n",
            type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]), name: name)
    }

    /// The hazard ratios the page shows for the chosen factors.
    func hazardsCSV(req: Request) async throws -> Response {
        let factors = try Self.factors(req)
        guard !factors.isEmpty else {
            throw Abort(.badRequest, reason: "Name at least one factor= for the hazard model.")
        }
        let scope = try await Self.scope(req)
        guard scope.spells.count >= Retention.suppressionThreshold else {
            throw Abort(.badRequest, reason: "Fewer than 10 teachers in this view: no model is fitted.")
        }
        let h: Retention.HazardRatios
        do {
            h = try Retention.hazardRatios(scope.spells, factors: factors)
        } catch {
            throw Abort(.unprocessableEntity, reason: "The model could not be fitted: \(error.description).")
        }
        var lines = [
            [
                "factor", "group", "compared_with", "people", "coef", "se", "hazard_ratio", "ci_lower_95",
                "ci_upper_95",
                "p",
            ]
        ]
        for r in h.rows {
            let c = r.coefficient
            lines.append([
                r.factor.rawValue, r.level, r.baseline, String(r.people), "\(c.coefficient)", "\(c.standardError)",
                "\(c.hazardRatio)", "\(c.hazardRatioLower)", "\(c.hazardRatioUpper)", "\(c.pValue)",
            ])
        }
        return Self.csvResponse(lines, name: "retention-hazard-ratios.csv")
    }

    /// The funnel plot's schools (10 or more starters) with their limits.
    func funnelCSV(req: Request) async throws -> Response {
        let scope = try await Self.scope(req)
        guard !scope.inSchool else {
            throw Abort(.badRequest, reason: "The funnel compares schools: it is not drawn for one school's staff.")
        }
        let f = Retention.funnel(scope.spells, asOf: Day.inUK(req.application.clock.now()))
        var lines = [
            [
                "school", "starters", "retained_after_\(f.years)_years", "share", "partnership_share", "lower_95",
                "upper_95", "lower_99_8", "upper_99_8", "below_95", "below_99_8",
            ]
        ]
        for s in f.schools {
            let a = f.limits(n: Double(s.starters), z: Retention.Funnel.z95)
            let b = f.limits(n: Double(s.starters), z: Retention.Funnel.z998)
            lines.append([
                s.label, String(s.starters), String(s.retained), "\(s.share)", "\(f.overall)", "\(a.lower)",
                "\(a.upper)",
                "\(b.lower)", "\(b.upper)", String(s.belowAlert), String(s.belowAlarm),
            ])
        }
        return Self.csvResponse(lines, name: "retention-funnel.csv")
    }

    func forecast(req: Request) async throws -> Response {
        let model = try await forecastModel(req)
        return HTMLResponse.make(
            ForecastPages.page(model, chrome: req.chrome), status: model.problems.isEmpty ? .ok : .badRequest)
    }

    /// The forecast table as CSV: a row per line and year, with the other rate source and the what-if beside it.
    func forecastCSV(req: Request) async throws -> Response {
        let model = try await forecastModel(req)
        if let first = model.problems.first { throw Abort(.badRequest, reason: "\(first.field): \(first.message)") }
        var lines = [
            [
                "phase", "subject", "year", "supply_fte", "need_fte", "gap_fte", "gap_fte_other_rates",
                "gap_fte_what_if", "early_leaving_rate", "other_leaving_rate", "rates",
            ]
        ]
        for row in model.rows where row.chosen[0].supply >= Double(Retention.suppressionThreshold) {
            for y in row.chosen {
                lines.append([
                    row.inputs.line.phase, row.inputs.line.subject.rawValue,
                    AcademicYear(start: model.startYear.start + y.offset)?.description ?? "", "\(y.supply)",
                    "\(y.need)",
                    "\(y.gap)", "\(row.other[y.offset].gap)", row.whatIf.map { "\($0[y.offset].gap)" } ?? "",
                    "\(row.inputs.earlyLeaving)", "\(row.inputs.establishedLeaving)", model.source.rawValue,
                ])
            }
        }
        return Self.csvResponse(lines, name: "supply-forecast.csv")
    }

    /// The supply forecast for the partnership, under its own or DfE's leaving rates, with a what-if.
    func forecastModel(_ req: Request) async throws -> ForecastPages.Model {
        var problems: [ValidationError.Problem] = []
        var form: [String: String] = [:]
        for key in ["rates", "subject", "extra", "cut"] {
            if let v = req.query[String.self, at: key], !v.isEmpty { form[key] = v }
        }
        var source = SupplyForecast.RateSource.partnership
        if let v = form["rates"] {
            if let s = SupplyForecast.RateSource(rawValue: v) {
                source = s
            } else {
                problems.append(
                    .init(field: "rates", message: "Choose the partnership's rates or DfE's national rates"))
            }
        }
        var whatIf = SupplyForecast.WhatIf()
        if let v = form["subject"] {
            if let s = TeachingSubject(rawValue: v) {
                whatIf.subject = s
            } else {
                problems.append(.init(field: "subject", message: "Choose a subject from the list"))
            }
        }
        if let v = form["extra"] {
            if let n = BoundedInput.wholeNumber(v, in: 0...1_000) {
                whatIf.extraTrainees = n
                if n > 0, whatIf.subject == nil {
                    problems.append(.init(field: "subject", message: "Choose the subject of the extra trainees"))
                }
            } else {
                problems.append(.init(field: "extra", message: "Enter a whole number of trainees from 0 to 1000"))
            }
        }
        if let v = form["cut"] {
            if let k = BoundedInput.decimal(v, in: 0...50) {
                whatIf.earlyLeavingCut = k
            } else {
                problems.append(.init(field: "cut", message: "Enter percentage points from 0 to 50, like 2.5"))
            }
        }
        if !problems.isEmpty { whatIf = SupplyForecast.WhatIf() }
        let today = Day.inUK(req.application.clock.now())
        let register = try await req.application.registerCache.current(req.db)
        let teachers = register.teachers
        let phases = register.phases
        let startYear = AcademicYear.containing(today)
        let traineeYear = PlacementOfferController.planningYear(req.application.clock.now())
        var trainees: [TeachingSubject: Int] = [:]
        for t in try await TraineeStore(req.db).trainees(year: traineeYear) {
            if let s = TeachingSubject(placement: t.subject) { trainees[s, default: 0] += 1 }
        }
        let model = try BundledData.workforceModel()
        func inputs(_ source: SupplyForecast.RateSource) -> [SupplyForecast.Inputs] {
            SupplyForecast.inputs(
                teachers: teachers, phaseOf: { phases[$0] }, trainees: trainees, model: model, asOf: today,
                source: source)
        }
        let chosen = inputs(source)
        let other = Dictionary(
            uniqueKeysWithValues: inputs(source == .partnership ? .national : .partnership).map { ($0.line, $0) })
        let rows = chosen.map { i in
            ForecastPages.Row(
                inputs: i, chosen: SupplyForecast.project(i),
                other: SupplyForecast.project(other[i.line] ?? i),
                whatIf: whatIf.isEmpty ? nil : SupplyForecast.project(i, whatIf: whatIf))
        }
        return .init(
            source: source, whatIf: whatIf, rows: rows, startYear: startYear, traineeYear: traineeYear,
            problems: problems, form: form)
    }

    /// The school in the path, if the viewer may keep its staff list: its own staff, or coordinators where the
    /// partnership shares individual records.
    static func ownSchool(_ req: Request) async throws -> School {
        let viewer = try req.requirePrincipal()
        guard let urnText = req.parameters.get("urn"),
            let urn = BoundedInput.wholeNumber(urnText, in: 100_000...999_999),
            let school = try await SchoolStore(req.db).find(URN(urn))
        else { throw Abort(.notFound, reason: "There is no school with that URN.") }
        let organisations = try await OrganisationStore(req.db).list()
        let own = organisations.contains {
            viewer.organisations(as: .schoolStaff).contains($0.id) && $0.urn?.value == urn
        }
        let sharing = try await req.dataSharing()
        guard own || (viewer.has(.coordinator) && sharing == .individualRecords) else {
            throw Abort(.forbidden, reason: "Only the school's own staff can see and keep its staff list.")
        }
        return school
    }

    func staffPage(
        _ req: Request, _ school: School, notice: String? = nil, form: [String: String] = [:],
        problems: [ValidationError.Problem] = [], uploadProblems: [String] = [], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        try await req.audit(
            .staffListed, subjectType: "school", subjectID: String(school.urn.value), detail: school.name)
        let teachers = try await TeacherStore(req.db).staff(urn: school.urn.value)
        return HTMLResponse.make(
            TeacherPages.staff(
                .init(
                    school: school, teachers: teachers, today: Day.inUK(req.application.clock.now()), notice: notice,
                    form: form, problems: problems, uploadProblems: uploadProblems),
                chrome: req.chrome),
            status: status)
    }

    func staff(req: Request) async throws -> Response {
        let school = try await Self.ownSchool(req)
        var notice: String?
        if let n = req.query[Int.self, at: "added"] {
            notice = "\(n) period\(n == 1 ? "" : "s") added to the staff list."
        }
        if let name = req.query[String.self, at: "ended"], name.count <= 200 {
            notice = "\(name)'s time at the school is recorded as ended."
        }
        if let r = req.query[String.self, at: "uploaded"], r.count <= 300 { notice = "Staff list uploaded: \(r)." }
        if let c = req.query[String.self, at: "changed"], c.count <= 300 { notice = c }
        return try await staffPage(req, school, notice: notice)
    }

    static func author(_ req: Request) throws -> String { try req.requirePrincipal().person.name }

    /// Adds one period (and the teacher, when the register has no record of them) from the form, checked as one
    /// row of a staff file is.
    func addStaff(req: Request) async throws -> Response {
        let school = try await Self.ownSchool(req)
        let raw = try req.content.decode([String: String].self)
        var form: [String: String] = [:]
        for key in TeacherFile.columns { form[key] = (raw[key] ?? "").trimmingSpaces }
        form["urn"] = String(school.urn.value)
        let line = TeacherFile.columns.map { SchoolCSVExport.escapeQuoted(form[$0] ?? "") }.joined(separator: ",")
        let text = TeacherFile.columns.joined(separator: ",") + "\n" + line + "\n"
        let today = Day.inUK(req.application.clock.now())
        do {
            let entries = try TeacherFile.read(Array(text.utf8), file: "form", thisYear: today.year)
            let result = try await req.db.transaction { tx in
                try await TeacherStore(tx).importEntries(
                    entries, file: "the staff list form", author: try Self.author(req), at: req.application.clock.now())
            }
            try await req.audit(
                .staffChanged, subjectType: "school", subjectID: String(school.urn.value),
                detail: "\(form["first_name"] ?? "") \(form["last_name"] ?? ""): \(result.periodsAdded) period added")
            return req.redirect(
                to: "/schools/\(school.urn.value)/staff?added=\(result.periodsAdded + result.periodsChanged)",
                redirectType: .normal)
        } catch let error as ImportFileError {
            let problems = error.problems.map {
                ValidationError.Problem(field: $0.field ?? "first_name", message: $0.message)
            }
            return try await staffPage(req, school, form: form, problems: problems, status: .badRequest)
        }
    }

    struct Upload: Content {
        var file: File?
    }

    /// The school's staff file: every row must be about this school; all or nothing.
    func uploadStaff(req: Request) async throws -> Response {
        let school = try await Self.ownSchool(req)
        guard let file = try req.content.decode(Upload.self).file, file.data.readableBytes > 0 else {
            return try await staffPage(
                req, school, uploadProblems: ["Choose a CSV file to upload"], status: .badRequest)
        }
        let name = String((file.filename.isEmpty ? "staff.csv" : file.filename).prefix(100))
        let today = Day.inUK(req.application.clock.now())
        do {
            let entries = try TeacherFile.read(Array(buffer: file.data), file: name, thisYear: today.year)
            var problems: [String] = []
            for e in entries {
                for p in e.record.periods where p.urn != school.urn.value {
                    problems.append(
                        "\(name):\(e.lines[p] ?? e.firstLine): urn: \(p.urn) is not this school (\(school.urn.value)); upload only your own school's staff"
                    )
                }
            }
            guard problems.isEmpty else {
                return try await staffPage(
                    req, school, uploadProblems: problems + ["Nothing was imported from \(name)."], status: .badRequest)
            }
            let result = try await req.db.transaction { tx in
                try await TeacherStore(tx).importEntries(
                    entries, file: name, author: try Self.author(req), at: req.application.clock.now())
            }
            try await req.audit(
                .staffChanged, subjectType: "school", subjectID: String(school.urn.value),
                detail: "\(name): \(result.report)")
            let summary =
                "\(result.inserted) added, \(result.updated) updated, \(result.unchanged) unchanged; \(result.periodsAdded) periods added, \(result.periodsChanged) changed"
            return req.redirect(
                to:
                    "/schools/\(school.urn.value)/staff?uploaded=\(summary.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                redirectType: .normal)
        } catch let error as ImportFileError {
            return try await staffPage(
                req, school, uploadProblems: error.description.split(separator: "\n").map(String.init),
                status: .badRequest)
        }
    }

    static func staffMember(_ req: Request, _ school: School) async throws -> TeacherRecord {
        guard let id = req.parameters.get("teacher").flatMap(UUID.init(uuidString:)),
            let found = try await TeacherStore(req.db).teacher(id),
            found.record.periods.contains(where: { $0.urn == school.urn.value && $0.finishedOn == nil })
        else { throw Abort(.notFound, reason: "\(school.name) has no one in post with that id.") }
        return found.record
    }

    func confirmEnd(req: Request) async throws -> Response {
        let school = try await Self.ownSchool(req)
        let teacher = try await Self.staffMember(req, school)
        return HTMLResponse.make(
            TeacherPages.end(school: school, teacher: teacher, form: [:], problems: [], chrome: req.chrome))
    }

    func end(req: Request) async throws -> Response {
        let school = try await Self.ownSchool(req)
        let teacher = try await Self.staffMember(req, school)
        let form = try req.content.decode([String: String].self)
        var problems: [ValidationError.Problem] = []
        let today = Day.inUK(req.application.clock.now())
        let day = Day(form["finished_on"] ?? "")
        if day == nil || day! > Day(ordinal: today.ordinal + 366) {
            problems.append(
                .init(
                    field: "finished_on",
                    message: "Enter the last day at the school as a date, like 2026-08-31, no more than a year ahead"))
        }
        let reason = EndReason(rawValue: form["end_reason"] ?? "")
        if reason == nil { problems.append(.init(field: "end_reason", message: "Choose why they are leaving")) }
        if problems.isEmpty, let day, let reason {
            do {
                _ = try await req.db.transaction { tx in
                    try await TeacherStore(tx).endPeriods(
                        teacher: teacher.id, urn: school.urn.value, on: day, reason: reason, schoolName: school.name,
                        author: try Self.author(req), at: req.application.clock.now())
                }
                try await req.audit(
                    .staffChanged, subjectType: "teacher", subjectID: teacher.id.uuidString,
                    detail: "\(teacher.name) leaves \(school.name) on \(day): \(reason.rawValue)")
                return req.redirect(
                    to:
                        "/schools/\(school.urn.value)/staff?ended=\(teacher.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                    redirectType: .normal)
            } catch let error as ValidationError {
                problems = error.problems
            }
        }
        return HTMLResponse.make(
            TeacherPages.end(school: school, teacher: teacher, form: form, problems: problems, chrome: req.chrome),
            status: .badRequest)
    }

    func changeForm(req: Request) async throws -> Response {
        let school = try await Self.ownSchool(req)
        let teacher = try await Self.staffMember(req, school)
        return HTMLResponse.make(
            TeacherPages.change(
                school: school, teacher: teacher,
                form: ["from": Day.inUK(req.application.clock.now()).description], problems: [], chrome: req.chrome))
    }

    /// New hours in the same role, or a new role from a day: checked by the Domain, saved in one transaction.
    func change(req: Request) async throws -> Response {
        let school = try await Self.ownSchool(req)
        let teacher = try await Self.staffMember(req, school)
        let raw = try req.content.decode([String: String].self)
        var form: [String: String] = [:]
        for key in ["period", "role", "working_pattern", "fte", "from"] { form[key] = (raw[key] ?? "").trimmingSpaces }
        var problems: [ValidationError.Problem] = []
        let today = Day.inUK(req.application.clock.now())
        let open = teacher.periods.filter { $0.urn == school.urn.value && $0.isOpen }
        let old = open.first { $0.role.rawValue == form["period"] } ?? (open.count == 1 ? open.first : nil)
        if old == nil { problems.append(.init(field: "period", message: "Choose which period changes")) }
        let role = StaffRole(rawValue: form["role"] ?? "")
        if role == nil { problems.append(.init(field: "role", message: "Choose a role")) }
        let pattern = WorkingPattern(rawValue: form["working_pattern"] ?? "")
        if pattern == nil { problems.append(.init(field: "working_pattern", message: "Choose a working pattern")) }
        let fte = BoundedInput.decimal(form["fte"] ?? "", in: 0...1)
        if fte == nil {
            problems.append(.init(field: "fte", message: "Enter an FTE more than 0 and at most 1, like 0.6"))
        }
        let from = Day(form["from"] ?? "")
        if from == nil || from! > Day(ordinal: today.ordinal + 366) {
            problems.append(
                .init(
                    field: "from",
                    message: "Enter the first day of the change as a date, like 2027-01-04, no more than a year ahead"))
        }
        if problems.isEmpty, let old, let role, let pattern, let fte, let from {
            do {
                let change = try teacher.change(old, role: role, workingPattern: pattern, fte: fte, from: from)
                try await req.db.transaction { tx in
                    try await TeacherStore(tx).apply(
                        change, teacher: teacher.id, from: from, schoolName: school.name,
                        author: try Self.author(req), at: req.application.clock.now())
                }
                try await req.audit(
                    .staffChanged, subjectType: "teacher", subjectID: teacher.id.uuidString,
                    detail:
                        "\(teacher.name) at \(school.name) from \(from): \(role.rawValue), \(pattern.rawValue), FTE \(fte)"
                )
                let notice = "\(teacher.name)'s change from \(from.longDescription) is recorded."
                return req.redirect(
                    to:
                        "/schools/\(school.urn.value)/staff?changed=\(notice.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                    redirectType: .normal)
            } catch let error as ValidationError {
                problems = error.problems
            }
        }
        return HTMLResponse.make(
            TeacherPages.change(school: school, teacher: teacher, form: form, problems: problems, chrome: req.chrome),
            status: .badRequest)
    }
}
