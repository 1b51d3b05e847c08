import Domain
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
    }

    struct Computed {
        var settings: ColdSpotsPage.Settings
        var indicators: [Indicator]
        var authorities: [LocalAuthority]
        var analysis: ColdSpotAnalysis?
        var problem: String?
    }

    func page(req: Request) async throws -> Response {
        let indicators = try await Self.indicators(req)
        let authorities = try await Self.partnershipAuthorities(req)
        var errors: [ValidationError.Problem] = []
        var settings: ColdSpotsPage.Settings
        do {
            settings = try Self.settings(req, indicators: indicators, authorities: authorities)
        } catch {
            errors = error.problems
            settings = ColdSpotsPage.Settings()
        }
        let computed = try await Self.compute(req, settings: settings, indicators: indicators, authorities: authorities)
        let centroids = (try? BundledData.authorityCentroids()) ?? [:]
        let labels = authorities.compactMap { a in centroids[a.code].map { SVGMap.Label(at: $0, text: a.name) } }
        let html = ColdSpotsPage.html(
            .init(
                settings: settings, indicators: indicators, authorities: authorities, analysis: computed.analysis,
                problem: computed.problem, errors: errors, labels: labels), chrome: req.chrome)
        return HTMLResponse.make(html, status: errors.isEmpty ? .ok : .badRequest)
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
        let computed = try await compute(req, settings: settings, indicators: indicators, authorities: authorities)
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
        return [.ittLeadSchools, .partnerSchools] + imported
    }

    static func partnershipAuthorities(_ req: Request) async throws -> [LocalAuthority] {
        let all = try await SchoolStore(req.db).localAuthorities().map(\.authority)
        guard let partnership = try await OrganisationStore(req.db).mainPartnership() else { return all }
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
        func number(_ name: String, _ range: ClosedRange<Double>, _ what: String) -> Double? {
            guard let t = text(name) else { return nil }
            guard let v = Double(t), range.contains(v) else {
                problems.append(.init(field: name, message: "must be \(what); got '\(t)'"))
                return nil
            }
            return v
        }
        var s = ColdSpotsPage.Settings()
        if let id = text("indicator") {
            if indicators.contains(where: { $0.id == id }) {
                s.indicator = id
            } else {
                problems.append(.init(field: "indicator", message: "'\(id)' is not an indicator Chalkface holds"))
            }
        }
        let indicator = indicators.first { $0.id == s.indicator }
        if let subjects = indicator?.subjects, !subjects.isEmpty {
            if let subject = text("subject") {
                if subjects.contains(subject) {
                    s.subject = subject
                } else {
                    problems.append(
                        .init(field: "subject", message: "must be one of \(subjects.joined(separator: ", "))"))
                }
            } else {
                s.subject = subjects.first
            }
        }
        let mode = text("neighbours") ?? "band"
        guard mode == "band" || mode == "knn" else {
            throw ValidationError([.init(field: "neighbours", message: "must be band or knn")])
        }
        if let band = number("band", 100...200_000, "a distance from 100 to 200000 metres") { s.band = band }
        if mode == "knn" { s.knn = number("k", 1...100, "a whole number from 1 to 100").map { Int($0) } ?? 8 }
        if let c = text("confidence") {
            if let v = Int(c), [90, 95, 99].contains(v) {
                s.confidence = v
            } else {
                problems.append(.init(field: "confidence", message: "must be 90, 95 or 99"))
            }
        }
        s.fdr = number("fdr", 0.001...0.5, "a rate between 0.001 and 0.5, such as 0.05")
        if let p = number("permutations", 0...9_999, "a whole number from 0 to 9999") { s.permutations = Int(p) }
        if let seed = text("seed") {
            if let v = UInt64(seed) {
                s.seed = v
            } else {
                problems.append(.init(field: "seed", message: "must be a whole number"))
            }
        }
        if let la = text("la") {
            if let a = authorities.first(where: { $0.code == la.uppercased() || $0.dfeCode == la }) {
                s.localAuthority = a.code
            } else {
                problems.append(.init(field: "la", message: "'\(la)' is not a local authority of the partnership"))
            }
        }
        guard problems.isEmpty else { throw ValidationError(problems) }
        return s
    }

    static func compute(
        _ req: Request, settings s: ColdSpotsPage.Settings, indicators: [Indicator], authorities: [LocalAuthority]
    ) async throws -> Computed {
        var computed = Computed(settings: s, indicators: indicators, authorities: authorities)
        guard let indicator = indicators.first(where: { $0.id == s.indicator }) else { return computed }
        let codes = s.localAuthority.map { [$0] } ?? authorities.map(\.code)
        let schools = try await SchoolStore(req.db).open(inLocalAuthorities: codes)
        let values: (School) -> Double?
        switch indicator.kind {
        case .ittLeadSchools:
            values = { $0.isITTLeadSchool ? 1 : 0 }
        case .partnerSchools:
            var set = Set<URN>()
            if let partnership = try await OrganisationStore(req.db).mainPartnership() {
                set = try await OrganisationStore(req.db).partnerSchools(of: partnership.id)
            }
            values = { set.contains($0.urn) ? 1 : 0 }
        case .imported(let name):
            let map = try await IndicatorStore(req.db).values(name: name, subject: s.subject)
            values = { map[$0.urn] }
        }
        do {
            computed.analysis = try ColdSpotAnalysis(
                schools: schools, values: values, options: s.options, minimumLevel: s.minimumLevel)
        } catch {
            computed.problem = "Gi* cannot be computed for these settings: \(error.description)."
        }
        return computed
    }
}
