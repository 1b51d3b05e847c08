import Domain
import Foundation

/// Every page's path, in one place, so links and routes agree.
public enum SitePath {
    public static let home = "/"
    public static let schools = "/schools"
    public static let partnership = "/partnership"
    public static let coldSpots = "/coldspots"
    public static let apiDocument = "/api/v1/openapi.json"

    public static func school(_ urn: URN) -> String { "/schools/\(urn.value)" }

    /// A path with a query string, leaving out empty values.
    public static func with(_ path: String, query: [(String, String?)]) -> String {
        let items = query.compactMap { name, value in
            value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) }
        }
        guard !items.isEmpty else { return path }
        var c = URLComponents()
        c.queryItems = items
        // URLComponents leaves "+" alone in queries, where servers read it as a space.
        return path + "?" + (c.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }
}
