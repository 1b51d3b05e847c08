import Domain
import Fluent
import Foundation
import Pages
import Persistence
import Vapor

/// The cold-spots page and its downloads. Each download recomputes from the same settings, so what is
/// downloaded is exactly what the page shows.
struct ColdSpotsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("coldspots", access: .everyone, use: page)
        routes.get("coldspots.csv", access: .everyone, use: csv)
        routes.get("coldspots.geojson", access: .everyone, use: geoJSON)
        routes.get("coldspots", "areas.csv", access: .everyone, use: areasCSV)
    }

    struct Computed: Sendable {
        var settings: ColdSpotsPage.Settings
        var indicators: [Indicator]
        var authorities: [LocalAuthority]
        var analysis: ColdSpotAnalysis?
        var problem: String?
        var robustness: [URN: Int] = [:]
    }

    func page(req: Request) async throws -> Response {
        let indicators = try await Self.indicators(req)
        let authorities = try await Self.partnershipAuthorities(req)
        let limit = Self.permutationLimit(req)
        var errors: [ValidationError.Problem] = []
        var settings: ColdSpotsPage.Settings
        var computed: Computed?
        do {
            settings = try Self.settings(req, indicators: indicators, authorities: authorities)
            computed = try await Self.compute(
                req, settings: settings, indicators: indicators, authorities: authorities, robustness: true)
        } catch let error as ValidationError {
            // The form shows what was asked, with each field's message; nothing is computed for settings that
            // could not be applied.
            errors = error.problems
            settings = Self.echo(req, indicators: indicators)
        }
        // The area table is worked out when asked for (its form sends `area_subject`, empty for all subjects), so
        // that a plain view of the map does not gather every record behind it.
        var areaSubject: TeachingSubject?
        let areaText = req.query[String.self, at: AreaTableSection.subjectField]
        if let text = areaText, !text.isEmpty {
            if let s = TeachingSubject(rawValue: text) {
                areaSubject = s
            } else {
                errors.append(.init(field: AreaTableSection.subjectField, message: "Choose a subject from the list"))
            }
        }
        var areas: AreaTableSection.Model?
        if areaText != nil, !errors.contains(where: { $0.field != AreaTableSection.subjectField }) {
            areas = try await Self.areaSection(req, authorities: authorities, subject: areaSubject)
        }
        let centroids = (try? BundledData.authorityCentroids()) ?? [:]
        let labels = authorities.compactMap { a in centroids[a.code].map { SVGMap.Label(at: $0, text: a.name) } }
        let html = ColdSpotsPage.html(
            .init(
                settings: settings, indicators: indicators, authorities: authorities, analysis: computed?.analysis,
                problem: computed?.problem, errors: errors, labels: labels, robustness: computed?.robustness ?? [:],
                permutationLimit: limit, areas: areas), chrome: req.chrome)
        return HTMLResponse.make(html, status: errors.isEmpty ? .ok : .badRequest)
    }

    /// The area table for one subject or all, with DfE's national need for it.
    static func areaSection(_ req: Request, authorities: [LocalAuthority], subject: TeachingSubject?) async throws
        -> AreaTableSection.Model
    {
        let loaded = try await AreaTableData.load(db: req.db, now: req.now)
        let year = PlacementOfferController.planningYear(req.now)
        let table = AreaTable(
            facts: loaded.facts, hours: loaded.hours, geography: try BundledData.geography(),
            authorities: authorities, subject: subject)
        return AreaTableSection.Model(
            table: table, subject: subject, need: try BundledData.traineeNeed().need(subject, upTo: year),
            placementYear: year, internshipYear: Internships.year(on: Day.inUK(req.now)))
    }

    /// The area table for every subject and for all together, as CSV.
    func areasCSV(req: Request) async throws -> Response {
        let tables = try await AreaTableData.tables(db: req.db, now: req.now)
        return download(
            AreaTable.csv(tables), type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]),
            name: "areas.csv")
    }

    /// The most permutations a request may ask for: fewer for anonymous visitors, whose requests cost the same.
    static func permutationLimit(_ req: Request) -> Int { req.principal == nil ? 999 : 9_999 }

    /// The settings as typed, for re-showing the form after an error (values that do not parse keep defaults).
    static func echo(_ req: Request, indicators: [Indicator]) -> ColdSpotsPage.Settings {
        var s = ColdSpotsPage.Settings()
        if let id = req.query[String.self, at: "indicator"], indicators.contains(where: { $0.id == id }) {
            s.indicator = id
        }
        if req.query[String.self, at: "neighbours"] == "knn" {
            s.knn = req.query[String.self, at: "k"].flatMap { BoundedInput.wholeNumber($0, in: 1...100) } ?? 8
        }
        return s
    }

    func csv(req: Request) async throws -> Response {
        let computed = try await Self.computeStrict(req)
        var text =
            "urn,name,la_code,lad_code,easting,northing,latitude,longitude,value,neighbours,gi_z,p_norm,p_sim,class\r\n"
        for r in computed.results {
            let s = r.school
            let fields: [String] = [
                String(s.urn.value), s.name, s.localAuthority?.code ?? "", s.district?.code ?? "",
                s.location.map { String(Int($0.easting)) } ?? "", s.location.map { String(Int($0.northing)) } ?? "",
                s.coordinates.map { String($0.latitude) } ?? "", s.coordinates.map { String($0.longitude) } ?? "",
                String(r.value), String(r.gi.neighbours), String(r.gi.z), String(r.gi.pNorm),
                r.gi.pSim.map { String($0) } ?? "",
                String(r.gi.classification),
            ]
            text += fields.map(SchoolCSVExport.escape).joined(separator: ",") + "\r\n"
        }
        return download(
            text, type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]),
            name: "coldspots.csv")
    }

    func geoJSON(req: Request) async throws -> Response {
        let computed = try await Self.computeStrict(req)
        var features: [[String: Any]] = []
        for r in computed.results {
            guard let c = r.school.coordinates else { continue }
            var properties: [String: Any] = [
                "urn": r.school.urn.value, "name": r.school.name, "value": r.value, "neighbours": r.gi.neighbours,
                "gi_z": r.gi.z, "p_norm": r.gi.pNorm, "class": r.gi.classification,
                "class_label": ColdSpotsPage.classLabel(r.gi.classification),
            ]
            properties["p_sim"] = r.gi.pSim ?? NSNull()
            properties["la_code"] = r.school.localAuthority?.code ?? NSNull()
            features.append([
                "type": "Feature",
                // RFC 7946: WGS84 longitude, latitude.
                "geometry": ["type": "Point", "coordinates": [c.longitude, c.latitude]],
                "properties": properties,
            ])
        }
        let data = try JSONSerialization.data(
            withJSONObject: ["type": "FeatureCollection", "features": features], options: [.sortedKeys])
        return download(
            String(decoding: data, as: UTF8.self), type: HTTPMediaType(type: "application", subType: "geo+json"),
            name: "coldspots.geojson")
    }

    func download(_ body: String, type: HTTPMediaType, name: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = type
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        return Response(status: .ok, headers: headers, body: .init(string: body))
    }

    /// For downloads: bad settings are a 400, and an analysis that cannot run says why.
    static func computeStrict(_ req: Request) async throws -> ColdSpotAnalysis {
        let indicators = try await indicators(req)
        let authorities = try await partnershipAuthorities(req)
        let settings = try settings(req, indicators: indicators, authorities: authorities)
        let computed = try await compute(
            req, settings: settings, indicators: indicators, authorities: authorities, robustness: false)
        guard let analysis = computed.analysis else {
            throw Abort(.unprocessableEntity, reason: computed.problem ?? "No analysis")
        }
        return analysis
    }

    static func indicators(_ req: Request) async throws -> [Indicator] {
        let imported = try await IndicatorStore(req.db).indicators().map { i in
            Indicator(
                kind: .imported(name: i.name), title: i.name,
                description:
                    "Values imported by a coordinator with chalkface import indicator (urn,value[,subject]). Cold spots are areas where the value is significantly lower than around them.",
                source: "Imported into Chalkface.", subjects: i.subjects)
        }
        let taught = try await DeploymentStore(req.db).subjects()
        let science = SpecialistPages.keySubjects.filter { SpecialistShares.mathsAndScience.contains($0) }
        let specialist: [Indicator] =
            taught.isEmpty
            ? []
            : [
                .specialistTeaching(
                    subjects: [Self.mathsAndScience]
                        + (science + taught.filter { !science.contains($0) }).filter(taught.contains).map(\.rawValue))
            ]
        return [.ittLeadSchools, .partnerSchools, .cpdTakeUp, .researchEngagement, .experiencePlaces] + specialist
            + imported
    }

    /// The specialist-teaching indicator's choice for all of maths and science together.
    static let mathsAndScience = "maths-and-science"

    static func partnershipAuthorities(_ req: Request) async throws -> [LocalAuthority] {
        try await partnershipAuthorities(req.db)
    }

    static func partnershipAuthorities(_ db: any Database) async throws -> [LocalAuthority] {
        let all = try await SchoolStore(db).localAuthorities().map(\.authority)
        guard let partnership = try await OrganisationStore(db).mainPartnership() else { return all }
        let covered = Set(partnership.localAuthorityCodes)
        return all.filter { covered.contains($0.code) }
    }

    static func settings(_ req: Request, indicators: [Indicator], authorities: [LocalAuthority]) throws(ValidationError)
        -> ColdSpotsPage.Settings
    {
        var problems: [ValidationError.Problem] = []
        func text(_ name: String) -> String? {
            guard let t = req.query[String.self, at: name]?.trimmingSpaces, !t.isEmpty else { return nil }
            return t
        }
        func decimal(_ name: String, _ range: ClosedRange<Double>, _ message: String) -> Double? {
            guard let t = text(name) else { return nil }
            guard let v = BoundedInput.decimal(t, in: range) else {
                problems.append(.init(field: name, message: message))
                return nil
            }
            return v
        }
        func whole(_ name: String, _ range: ClosedRange<Int>, _ message: String) -> Int? {
            guard let t = text(name) else { return nil }
            guard let v = BoundedInput.wholeNumber(t, in: range) else {
                problems.append(.init(field: name, message: message))
                return nil
            }
            return v
        }
        var s = ColdSpotsPage.Settings()
        if let id = text("indicator") {
            if indicators.contains(where: { $0.id == id }) {
                s.indicator = id
            } else {
                problems.append(.init(field: "indicator", message: "Choose an indicator from the list"))
            }
        }
        let indicator = indicators.first { $0.id == s.indicator }
        if let subjects = indicator?.subjects, !subjects.isEmpty {
            if let subject = text("subject") {
                if subjects.contains(subject) {
                    s.subject = subject
                } else {
                    problems.append(
                        .init(
                            field: "subject",
                            message: "Choose a subject from the list: \(subjects.joined(separator: ", "))"))
                }
            } else {
                s.subject = subjects.first
            }
        }
        let mode = text("neighbours") ?? "band"
        if mode != "band" && mode != "knn" {
            problems.append(.init(field: "neighbours", message: "Choose a distance band or nearest neighbours"))
        }
        if let band = decimal("band", 100...200_000, "Distance band must be a number of metres from 100 to 200000") {
            s.band = band
        }
        if mode == "knn" {
            s.knn = whole("k", 1...100, "Nearest neighbours must be a whole number from 1 to 100") ?? 8
        } else {
            _ = whole("k", 1...100, "Nearest neighbours must be a whole number from 1 to 100")
        }
        if let c = text("confidence") {
            if let v = BoundedInput.wholeNumber(c, in: 90...99), [90, 95, 99].contains(v) {
                s.confidence = v
            } else {
                problems.append(.init(field: "confidence", message: "Confidence must be 90, 95 or 99"))
            }
        }
        s.fdr = decimal("fdr", 0.001...0.5, "False discovery rate must be between 0.001 and 0.5, such as 0.05")
        let limit = permutationLimit(req)
        if let p = whole(
            "permutations", 0...limit,
            limit < 9_999
                ? "Permutations must be a whole number from 0 to \(limit) (sign in to ask for up to 9999)"
                : "Permutations must be a whole number from 0 to 9999")
        {
            s.permutations = p
        }
        if let seed = text("seed") {
            if seed.utf8.count <= 20, seed.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let v = UInt64(seed) {
                s.seed = v
            } else {
                problems.append(.init(field: "seed", message: "Seed must be a whole number from 0 to \(UInt64.max)"))
            }
        }
        if let la = text("la") {
            if let a = authorities.first(where: { $0.code == la.uppercased() || $0.dfeCode == la }) {
                s.localAuthority = a.code
            } else {
                problems.append(.init(field: "la", message: "Choose a local authority of the partnership"))
            }
        }
        if let sort = text("sort") {
            if let v = ColdSpotsPage.Settings.Sort(rawValue: sort) {
                s.sort = v
            } else {
                problems.append(.init(field: "sort", message: "Sort by significance or robustness"))
            }
        }
        guard problems.isEmpty else { throw ValidationError(problems) }
        return s
    }

    static func compute(
        _ req: Request, settings s: ColdSpotsPage.Settings, indicators: [Indicator], authorities: [LocalAuthority],
        robustness: Bool
    ) async throws -> Computed {
        var computed = Computed(settings: s, indicators: indicators, authorities: authorities)
        guard let indicator = indicators.first(where: { $0.id == s.indicator }) else { return computed }
        let codes = s.localAuthority.map { [$0] } ?? authorities.map(\.code)
        let schools = try await SchoolStore(req.db).open(inLocalAuthorities: codes)
        let values: [URN: Double]
        switch indicator.kind {
        case .ittLeadSchools:
            values = Dictionary(uniqueKeysWithValues: schools.map { ($0.urn, $0.isITTLeadSchool ? 1.0 : 0.0) })
        case .partnerSchools:
            var set = Set<URN>()
            if let partnership = try await OrganisationStore(req.db).mainPartnership() {
                set = try await OrganisationStore(req.db).partnerSchools(of: partnership.id)
            }
            values = Dictionary(uniqueKeysWithValues: schools.map { ($0.urn, set.contains($0.urn) ? 1.0 : 0.0) })
        case .cpdTakeUp:
            let counts = CPDTakeUp.bySchool(try await CPDStore(req.db).allEnrolments())
            values = Dictionary(
                uniqueKeysWithValues: schools.map { ($0.urn, Double(counts[$0.urn.value]?.enrolled ?? 0)) })
        case .researchEngagement:
            let current = AcademicYear.containing(Day.inUK(req.now))
            let cells = try await EvidenceController.cells(req)
            var v: [URN: Double] = [:]
            for s in schools { if let share = cells[s.urn.value]?[current]?.share { v[s.urn] = share } }
            values = v
        case .experiencePlaces:
            let today = Day.inUK(req.now)
            var places: [Int: Int] = [:]
            for d in try await ExperienceStore(req.db).dates() where d.day > today {
                places[d.urn, default: 0] += d.places
            }
            values = Dictionary(uniqueKeysWithValues: schools.map { ($0.urn, Double(places[$0.urn.value] ?? 0)) })
        case .specialistTeaching:
            let subject = s.subject.flatMap(TeachingSubject.init(rawValue:))
            let shares = try await DeploymentStore(req.db).shares().specialistShareBySchool(subject: subject)
            var v: [URN: Double] = [:]
            for school in schools { if let share = shares[school.urn.value] { v[school.urn] = share } }
            values = v
        case .imported(let name):
            values = try await IndicatorStore(req.db).values(name: name, subject: s.subject)
        }
        // The result depends only on the settings and on these inputs, so an identical request is answered from
        // the cache however the data got there, and a change to the data is a new key.
        let key = ColdSpotCache.key(settings: s, robustness: robustness, schools: schools, values: values)
        let cache = req.application.coldSpotCache
        if let hit = await cache.value(for: key) { return hit }
        let options = s.options
        let level = s.minimumLevel
        let start = computed
        let result = try await Observability.time("coldspots") {
            try await req.application.heavyWork.run {
                var out = start
                do {
                    out.analysis = try ColdSpotAnalysis(
                        schools: schools, values: { values[$0.urn] }, options: options, minimumLevel: level)
                    if robustness {
                        out.robustness = ColdSpotAnalysis.robustness(
                            schools: schools, values: { values[$0.urn] }, options: options, minimumLevel: level)
                    }
                } catch {
                    out.problem = "Gi* cannot be computed for these settings: \(error)."
                }
                return out
            }
        }
        await cache.store(result, for: key)
        return result
    }
}
