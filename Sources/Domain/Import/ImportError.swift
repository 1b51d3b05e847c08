/// Why an import file cannot be loaded at all. Nothing is written when this is thrown.
public struct ImportFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Problem: Hashable, Sendable {
        public var line: Int?
        public var field: String?
        public var message: String

        public init(line: Int? = nil, field: String? = nil, message: String) {
            self.line = line
            self.field = field
            self.message = message
        }
    }

    public var file: String
    public var problems: [Problem]
    /// How many problems were found in all; `problems` keeps the first ones.
    public var problemCount: Int

    public static let problemsKept = 50

    public init(file: String, problems: [Problem], problemCount: Int? = nil) {
        self.file = file
        self.problems = Array(problems.prefix(Self.problemsKept))
        self.problemCount = problemCount ?? problems.count
    }

    /// One line per problem, `file:line: field: message`, as compilers and linters print them.
    public var description: String {
        var lines = problems.map { p in
            var s = file
            if let line = p.line { s += ":\(line)" }
            s += ": "
            if let field = p.field { s += "\(field): " }
            return s + p.message
        }
        if problemCount > problems.count {
            lines.append("\(file): ... and \(problemCount - problems.count) more problems")
        }
        lines.append("Nothing was imported from \(file).")
        return lines.joined(separator: "\n")
    }
}

/// A row that was read but not imported, and why; the other rows are imported.
public struct RejectedRow: Hashable, Sendable, Codable {
    public var line: Int
    public var urn: String?
    public var reason: String

    public init(line: Int, urn: String?, reason: String) {
        self.line = line
        self.urn = urn
        self.reason = reason
    }
}

/// What an import did.
public struct ImportSummary: Hashable, Sendable, Codable {
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    public var rejected: [RejectedRow]

    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0, rejected: [RejectedRow] = []) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.rejected = rejected
    }

    public var report: String {
        var lines = ["\(inserted) inserted, \(updated) updated, \(unchanged) unchanged, \(rejected.count) rejected"]
        for r in rejected {
            lines.append("  line \(r.line)\(r.urn.map { " (URN \($0))" } ?? ""): \(r.reason)")
        }
        return lines.joined(separator: "\n")
    }
}
