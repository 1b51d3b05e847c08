import SQLKit

/// A bind for a value, or SQL NULL for nil, so every row of a multi-row insert has the same columns.
func bindOrNull<T: Encodable & Sendable>(_ value: T?) -> any SQLExpression {
    if let value { SQLBind(value) } else { SQLLiteral.null }
}

extension SQLDatabase {
    /// Inserts rows in batches small enough for both databases' limits on bound parameters
    /// (SQLite 32,766; PostgreSQL 65,535).
    func insertBatched(
        into table: String, columns: [String], count: Int, row: (Int) -> [any SQLExpression],
        progress: (Int) -> Void = { _ in }
    ) async throws {
        guard count > 0 else { return }
        let perBatch = max(1, 30_000 / max(1, columns.count))
        var start = 0
        while start < count {
            let end = min(count, start + perBatch)
            let insert = self.insert(into: table).columns(columns)
            for i in start..<end { insert.values(row(i)) }
            try await insert.run()
            start = end
            progress(end)
        }
    }
}
