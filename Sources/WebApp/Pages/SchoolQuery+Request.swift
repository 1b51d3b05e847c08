import Domain
import Vapor

extension SchoolQuery {
    /// Reads the list's query parameters (the same for pages and the API), naming every bad one.
    static func from(_ req: Request) throws(ValidationError) -> SchoolQuery {
        var problems: [ValidationError.Problem] = []
        func string(_ name: String) -> String? { req.query[String.self, at: name] }
        /// A text filter; control characters (a NUL byte, which PostgreSQL cannot hold in text) are refused.
        func text(_ name: String) -> String? {
            guard let t = string(name) else { return nil }
            if BoundedInput.hasControlCharacters(t) {
                problems.append(
                    .init(field: name, message: "must not contain control characters; got \(BoundedInput.quote(t))"))
                return nil
            }
            return t
        }
        /// A page number: absent is the default; present, even empty, it must be a whole number (as the OpenAPI
        /// document says).
        func int(_ name: String, default value: Int) -> Int {
            guard let text = string(name) else { return value }
            guard let n = BoundedInput.wholeNumber(text, in: Int.min...Int.max) else {
                problems.append(.init(field: name, message: "must be a whole number; got \(BoundedInput.quote(text))"))
                return value
            }
            return n
        }
        var phase: Phase?
        if let text = string("phase"), !text.isEmpty {
            phase = Phase(rawValue: text)
            if phase == nil {
                problems.append(
                    .init(
                        field: "phase",
                        message:
                            "must be one of \(Phase.allCases.map(\.rawValue).joined(separator: ", ")); got \(BoundedInput.quote(text))"
                    ))
            }
        }
        var lead: Bool?
        if let text = string("itt_lead_school"), !text.isEmpty {
            switch text.lowercased() {
            case "true", "1", "yes", "on": lead = true
            case "false", "0", "no": lead = false
            default:
                problems.append(
                    .init(field: "itt_lead_school", message: "must be true or false; got \(BoundedInput.quote(text))"))
            }
        }
        var status = StatusFilter.open
        if let text = string("status"), !text.isEmpty {
            if let s = StatusFilter(rawValue: text) {
                status = s
            } else {
                problems.append(
                    .init(field: "status", message: "must be open, closed or all; got \(BoundedInput.quote(text))"))
            }
        }
        let query = SchoolQuery(
            search: text("q"), localAuthority: text("la"), district: text("district"), phase: phase,
            ittLeadSchool: lead, status: status, page: int("page", default: 1),
            perPage: int("per_page", default: SchoolQuery.defaultPerPage))
        do {
            _ = try query.validated()
        } catch {
            problems += error.problems
        }
        guard problems.isEmpty else { throw ValidationError(problems) }
        return query
    }
}

extension Request {
    /// The URN in the path, or a 404 that says what was wrong with it.
    func urnParameter() throws -> URN {
        guard let text = parameters.get("urn"), let urn = URN(text), text.allSatisfy(\.isNumber) else {
            throw Abort(
                .notFound,
                reason: "'\(parameters.get("urn") ?? "")' is not a URN: URNs are whole numbers, such as 118791.")
        }
        return urn
    }
}
