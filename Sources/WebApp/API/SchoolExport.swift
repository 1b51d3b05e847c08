import Domain
import Foundation
import Vapor

/// Exports for the command-line tool, in the same shapes as the API.
public enum SchoolExport {
    /// A JSON array of schools, each exactly as `GET /api/v1/schools/{urn}` returns it.
    public static func json(_ schools: [School]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(schools.map(SchoolDTO.init))
    }
}
